"""CSV as the platform exports it (a fair's exhibitors, the e-commerce feed): RFC 4180 (CRLF
line ends, so that a cell holding a carriage return is quoted too: with `\n` line ends the
csv module leaves it bare and a spreadsheet breaks the row there), and no cell a
spreadsheet would run as a formula.

A name may begin with `=`, `+`, `-` or `@` (a product called "+Plus" is allowed input), and
Excel, LibreOffice and Google Sheets read a cell beginning with one of them as a formula:
`=HYPERLINK(...)` sends a neighbouring cell to another site, `=cmd|' /C calc'!A0` once ran
a program. OWASP ("CSV Injection") adds a leading tab and carriage return, ASVS 5.0 (1.2.10)
a NUL. A text cell beginning with any of these is written with a single quote before it,
which a spreadsheet takes as "this is text" and does not show. Numbers the platform itself
writes (booths, stars) are not text and stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: object) -> object:
    """A text cell that would start a formula, with a `'` before it; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in columns])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()
