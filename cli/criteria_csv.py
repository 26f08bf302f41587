"""Turn a transcription of an OCOP score sheet (one CSV a product set: title, description,
level, stars, score) into a sheet file of `services/scoring/data/`.

The 148/2023 sheets were made with it from the public transcription in the GitHub
repository augustine-tran/ocop (folder db/ocop/, one CSV a set; read, not vendored):

    python -m cli.criteria_csv SET.csv --set 23 --source URL > hoa.yaml

Rows: level 0 a part ("Phần A ... (40 Điểm)"), 1 a section ("1. TỔ CHỨC SẢN XUẤT"), 2 a
criterion ("a) Nguồn gốc sản phẩm"), 3 an option ("□ text***"). Options directly under a
section (e.g. "7. TÍNH ĐỘC ĐÁO") become one criterion "<section>.a", as the hand-made sheets
have them. Text is kept as written, typos included; only the box and a trailing star
marker are split off into fields. What the converter cannot decide (a marker in the text
that disagrees with the stars column) is printed in the file's `transcription_notes`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

import yaml

from cli.criteria_rows import Builder
from shared.product_groups import classification

THIRD_PARTY = "bản chép của bên thứ ba, chưa đối chiếu văn bản pháp luật"


HEADER = """\
# OCOP scoring sheet: Quyết định 148/QĐ-TTg (24/02/2023), Phụ lục III
# Product set (bộ sản phẩm): {name}
#
# Made with `python -m cli.criteria_csv` from a third-party transcription, NOT the legal text:
#   {source}
# Text is kept as the source writes it, typos included; the box and a trailing star marker
# are split off into fields; what the converter had to decide is in `transcription_notes`.
# Cross-checks against official pages, and what disagrees: see README.md in this folder.
"""


def convert(
    rows: list[list[str]], corrections: dict[int, str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """`corrections`: a score the source mistyped (row number, 1 = first after the header),
    e.g. an OCR'd 'l' for 1; each one is named in the notes."""
    builder = Builder()
    header, *body = rows
    if [name.strip() for name in header] != ["title", "description", "level", "stars", "score"]:
        raise ValueError(f"unexpected columns {header}")
    for number_, row in enumerate(body, start=1):
        if number_ in (corrections or {}):
            fixed = (corrections or {})[number_]
            builder.notes.append(
                f"row {number_}: score {row[4]!r} read as {fixed} (a typo of the source): "
                f"{row[0].strip()[:80]!r}"
            )
            row = [*row[:4], fixed]
        builder.add(*row)
    return builder.parts, builder.notes


def sheet_document(set_number: int, source: str, parts: list, notes: list[str]) -> dict:
    subgroup = next(s for s in classification().subgroups.values() if s.set_number == set_number)
    return {
        "decision": "148/QĐ-TTg (24/02/2023)",
        "product_set": subgroup.name,
        "set_number": set_number,
        "sources": {"criteria_table": f"{source} ({THIRD_PARTY})"},
        "transcription_notes": notes or "none",
        "arithmetic_check": {"mismatches": "none"},
        "parts": parts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--set", type=int, required=True, help="product set number (1-26)")
    parser.add_argument("--source", required=True, help="where the CSV was read, with commit")
    parser.add_argument(
        "--correct", action="append", default=[], metavar="ROW=SCORE", help="a mistyped score"
    )
    args = parser.parse_args(argv)
    corrections = {int(row): score for row, score in (each.split("=") for each in args.correct)}
    with args.csv.open(encoding="utf-8", newline="") as handle:
        parts, notes = convert(list(csv.reader(handle)), corrections)
    document = sheet_document(args.set, args.source, parts, notes)
    sys.stdout.write(HEADER.format(name=document["product_set"], source=args.source))
    yaml.safe_dump(document, sys.stdout, allow_unicode=True, sort_keys=False, width=200)
    return 0


if __name__ == "__main__":
    sys.exit(main())
