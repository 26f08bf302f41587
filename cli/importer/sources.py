"""Rows of a province's records: a folder of CSV files or one Excel workbook.

Either way there is one table per kind (`producers`, `products`, `results`,
`certificates`: `<kind>.csv` files, or sheets of those names), a header row, then one
record per row. Each row keeps the line it came from, so every problem names it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

KINDS = ("producers", "products", "results", "certificates")


class SourceError(Exception):
    """The source cannot be read at all (missing, wrong format, no header)."""


@dataclass(frozen=True)
class Row:
    kind: str
    line: int  # 1 is the header
    values: dict[str, str]  # empty cells left out

    def where(self) -> str:
        return f"{self.kind} line {self.line}"


def read_rows(source: Path) -> dict[str, list[Row]]:
    """Every row of every table present, by kind."""
    if source.is_dir():
        tables = {kind: _csv_table(source / f"{kind}.csv") for kind in KINDS}
    elif source.suffix.lower() in (".xlsx", ".xlsm"):
        tables = _workbook_tables(source)
    else:
        raise SourceError(f"{source}: give a folder of CSV files or an .xlsx workbook")
    if not any(tables.values()):
        raise SourceError(f"{source}: no table named {', '.join(KINDS)}")
    return {kind: list(_rows(kind, tables.get(kind) or [])) for kind in KINDS}


def _csv_table(path: Path) -> list[list[Any]]:
    if not path.exists():
        return []
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _workbook_tables(path: Path) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SourceError(f"{path}: not a readable workbook ({error})") from error
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        return {
            kind: [list(row) for row in workbook[names[kind]].iter_rows(values_only=True)]
            for kind in KINDS
            if kind in names
        }
    finally:
        workbook.close()


def _rows(kind: str, table: list[list[Any]]) -> Iterator[Row]:
    if not table:
        return
    header = [_text(cell).lower() for cell in table[0]]
    if not any(header):
        raise SourceError(f"{kind}: the first row must name the columns")
    for number, cells in enumerate(table[1:], start=2):
        values = {
            name: text
            for name, text in zip(header, (_text(cell) for cell in cells), strict=False)
            if name and text
        }
        if values:  # blank lines are not records
            yield Row(kind, number, values)


def _text(cell: Any) -> str:
    """A cell as the text a CSV would hold (workbooks give numbers, dates and booleans)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def columns(rows: Iterable[Row]) -> set[str]:
    return {name for row in rows for name in row.values}
