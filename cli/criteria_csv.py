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
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from shared.product_groups import classification

MARKER = re.compile(r"\s*(\*{3,5})\s*(\.?)\s*$")
PART = re.compile(r"Phần\s+([A-Z])")
SECTION = re.compile(r"^(\d+)\.")
CRITERION = re.compile(r"^([a-zđ])\s*\)")
CASE = re.compile(r"^[a-z]\.\s*Trường hợp")
ONE_CASE = "một trong hai trường hợp"
LETTERS = "abcdđeghik"
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


def split_marker(text: str) -> tuple[str, str | None]:
    """'Đồng đều****' -> ('Đồng đều', '****')."""
    found = MARKER.search(text)
    return (text[: found.start()] + found.group(2), found.group(1)) if found else (text, None)


def number(value: str) -> int | float | None:
    value = value.strip()
    if not value:
        return None
    points = float(value)
    return int(points) if points.is_integer() else points


class Builder:
    """Rows in order, into parts > sections > criteria > options."""

    def __init__(self) -> None:
        self.parts: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.section: dict[str, Any] | None = None
        self.criterion: dict[str, Any] | None = None
        self.heading: dict[str, Any] | None = None  # "a) Ngoại hình" over "- Tạp chất" rows
        self.subs = 0
        self.case: str | None = None  # "a. Trường hợp 1: ..." where one case of two applies

    def add(self, title: str, description: str, level: str, stars: str, score: str) -> None:
        handlers = {"0": self.part, "1": self.new_section, "2": self.new_criterion}
        handler = handlers.get(level.strip(), self.option)
        handler(title, description, stars.strip(), number(score))

    def part(self, title: str, _description: str, _stars: str, score: Any) -> None:
        found = PART.search(title)
        if found is None:
            raise ValueError(f"part row without 'Phần X': {title!r}")
        self.parts.append(
            {"part": found.group(1), "title_verbatim": title, "max_points": score, "sections": []}
        )
        self.section = self.criterion = self.heading = self.case = None

    def new_section(self, title: str, description: str, _stars: str, score: Any) -> None:
        found = SECTION.match(title.strip())
        if found is None:
            raise ValueError(f"section row without a number: {title!r}")
        part = self.parts[-1]
        self.section = {
            "section_no": int(found.group(1)),
            "section_code_derived": f"{part['part']}{len(part['sections']) + 1}",
            "title_verbatim": title,
            "max_points": score,
            "criteria": [],
        }
        if description.strip():
            self.section["note_verbatim"] = description
        part["sections"].append(self.section)
        self.criterion = self.heading = self.case = None

    def new_criterion(self, title: str, description: str, stars: str, score: Any) -> None:
        assert self.section is not None, f"criterion before any section: {title!r}"
        stripped = title.strip()
        if stripped.startswith("-") and self.criterion is not None:
            self.sub_criterion(stripped, stars, score)
            return
        if CASE.match(stripped) and ONE_CASE in self.section.get("note_verbatim", ""):
            self.case = stripped
            if self.criterion is None:  # the cases share one criterion: one is scored
                self.criterion = self.criterion_entry("a", "a)", self.section["max_points"])
                self.criterion["one_case_applies"] = self.section["note_verbatim"].strip()
            return
        letter = self.letter_of(stripped)
        self.heading = None
        self.criterion = self.criterion_entry(letter, title, score)
        if description.strip():
            self.criterion["note_verbatim"] = description
        _, marker = split_marker(title)
        self.check_marker(title, marker, stars)
        if marker:
            self.criterion["heading_star_marker"] = marker
            self.criterion["heading_min_for_stars"] = len(marker)

    def letter_of(self, title: str) -> str:
        """The criterion's letter; a letter out of the sheet's order (a typo) is replaced by
        the next one, and a repeated one ("a) Ngoại hình - Mùi") numbers a sub-criterion."""
        assert self.section is not None
        criteria = self.section["criteria"]
        expected = LETTERS[len({c["code"].split(".")[1][0] for c in criteria})]
        found = CRITERION.match(title)
        letter = found.group(1) if found else expected
        used = [c["code"].split(".")[1] for c in criteria]
        previous = used[-1] if used else None
        if previous is not None and previous.split("-")[0] == letter:
            if "-" not in previous:
                criteria[-1]["code"] += "-1"
                criteria[-1]["code_derived"] += "-1"
            count = sum(1 for code in used if code.split("-")[0] == letter)
            return f"{letter}-{count + 1}"
        if letter in {code.split("-")[0] for code in used} or found is None:
            self.notes.append(
                f"criterion letter {letter!r} out of order, read as {expected}): {title[:60]!r}"
            )
            return expected
        return letter

    def sub_criterion(self, title: str, stars: str, score: Any) -> None:
        """ "- Tạp chất" under "a) Ngoại hình": scored on its own, the heading sums them."""
        assert self.section is not None and self.criterion is not None
        if self.heading is None:
            self.heading = self.criterion
            self.section["criteria"].remove(self.heading)
            self.subs = 0
        self.subs += 1
        parent = self.heading["code"].split(".")[1]
        self.criterion = self.criterion_entry(f"{parent}-{self.subs}", title, score)
        self.criterion["title_verbatim"] = f"{self.heading['title_verbatim']} {title}"
        self.criterion["part_of"] = {
            "title_verbatim": self.heading["title_verbatim"],
            "max_points": self.heading["max_points"],
        }
        if stars:
            self.notes.append(f"stars column on a sub-criterion ignored: {title[:60]!r}")

    def criterion_entry(self, letter: str, title: str, score: Any) -> dict[str, Any]:
        assert self.section is not None
        entry = {
            "code": f"{self.section['section_no']}.{letter}",
            "code_derived": f"{self.section['section_code_derived']}.{letter}",
            "title_verbatim": title,
            "max_points": score,
            "options": [],
        }
        self.section["criteria"].append(entry)
        return entry

    def option(self, title: str, _description: str, stars: str, score: Any) -> None:
        assert self.section is not None, f"option before any section: {title!r}"
        if self.criterion is None:  # options straight under a section
            self.criterion = self.criterion_entry("a", "a)", self.section["max_points"])
            self.criterion["derived_from_section"] = True
        first, _, rest = title.strip().removeprefix("□").strip().partition("\n")
        text, marker = split_marker(first)
        option: dict[str, Any] = {"text": text, "points": score}
        if rest.strip():
            option["note_verbatim"] = rest.strip()
        if self.case:
            option["case"] = self.case
        self.check_marker(title, marker, stars)
        if marker:
            option["star_marker"] = marker
            option["min_for_stars"] = len(marker)
        self.criterion["options"].append(option)

    def check_marker(self, title: str, marker: str | None, stars: str) -> None:
        column = int(stars) if stars else None
        if (len(marker) if marker else None) != column:
            self.notes.append(
                f"star marker {marker or 'none'} in the text, stars column {stars or 'empty'}: "
                f"{title.strip()[:80]!r}"
            )


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
