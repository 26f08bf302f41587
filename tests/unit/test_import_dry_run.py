"""`ocop import --dry-run`: every invalid row reported with its table, line and field."""

import csv
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from cli.importer.plan import plan
from cli.importer.sources import SourceError, read_rows
from tests.support.province_records import write_records

TODAY = date(2026, 11, 28)
TABLES = {
    "producers": [
        ["code", "name", "kind", "women_led", "province_code", "ward_code", "note"],
        ["CT1", "HTX Cam Hàm Yên", "htx", "false", "08", "02269", "ok"],  # line 2
        ["CT2", "Hộ Lò Văn A", "ho_gia_dinh", "true", "08", "02269"],  # 3: kind
        ["CT3", "HTX Chè", "htx", "false", "08", "99999"],  # 4: ward
        ["CT1", "HTX khác", "htx", "false", "08", "02269"],  # 5: code repeated
        ["", "Không mã", "htx", "false", "08", "02269"],  # 6: code missing
    ],
    "products": [
        ["code", "producer_code", "name", "group"],
        ["SP1", "CT1", "Cam sành", "food"],  # 2
        ["SP2", "CT2", "Mật ong", "food"],  # 3: its producer is invalid
        ["SP3", "CT9", "Chè", "food"],  # 4: no such producer
        ["SP4", "CT1", "Gốm", "pottery"],  # 5: group
    ],
    "results": [
        [
            "code",
            "product_code",
            "criteria_set",
            "scored_at_level",
            "total",
            "stars",
            "evaluated_on",
        ],
        ["KQ1", "SP1", "148-2023", "district", "61.5", "3", "2024-09-12"],  # 2
        ["KQ2", "SP1", "26-2026", "province", "61.5", "3", "2026-09-12"],  # 3: draft set
        ["KQ3", "SP1", "148-2023", "district", "61.5", "3", "2025-09-12"],  # 4: no districts
        ["KQ4", "SP1", "148-2023", "province", "64", "4", "2024-09-12"],  # 5: stars
        ["KQ5", "SP1", "148-2023", "province", "sáu mươi", "3", "2024-09-12"],  # 6: total
    ],
    "certificates": [
        ["number", "product_code", "stars", "level", "total", "issued_on", "expires_on"],
        ["GCN-08-1", "SP1", "3", "district", "61.5", "2024-10-01", "2027-09-30"],  # 2
        ["GCN-08-2", "SP1", "3", "district", "61.5", "2024-10-01", "2023-09-30"],  # 3: dates
        ["GCN/08/3", "SP1", "3", "district", "61.5", "2024-10-01", "2027-09-30"],  # 4: number
        ["GCN-08-4", "SP4", "3", "district", "61.5", "2024-10-01", "2027-09-30"],  # 5: product
    ],
}
EXPECTED = [
    ("producers", 3, "kind"),
    ("producers", 4, "ward_code"),
    ("producers", 5, "code"),
    ("producers", 6, "code"),
    ("products", 3, "producer_code"),
    ("products", 4, "producer_code"),
    ("products", 5, "group"),
    ("results", 3, "criteria_set"),
    ("results", 4, "scored_at_level"),
    ("results", 5, "stars"),
    ("results", 6, "total"),
    ("certificates", 3, "expires_on"),
    ("certificates", 4, "number"),
    ("certificates", 5, "product_code"),
]


def write_csv(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for kind, table in TABLES.items():
        with (folder / f"{kind}.csv").open("w", encoding="utf-8-sig", newline="") as file:
            csv.writer(file).writerows(table)
    return folder


def write_workbook(path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, table in TABLES.items():
        sheet = workbook.create_sheet(kind.capitalize())
        for row in table:  # numbers and dates as Excel holds them, not as text
            sheet.append([_as_excel(cell) for cell in row])
    workbook.save(path)
    return path


def _as_excel(cell: str) -> object:
    try:
        return date.fromisoformat(cell)
    except ValueError:
        pass
    try:
        return (
            float(cell) if "." in cell else int(cell) if cell.isdigit() and cell[0] != "0" else cell
        )
    except ValueError:
        return cell


def problems_of(source: Path) -> list[tuple[str, int, str]]:
    checked = plan(read_rows(source), TODAY)
    return sorted(
        ((each.kind, each.line, each.field) for each in checked.problems),
        key=lambda each: (list(TABLES).index(each[0]), each[1]),
    )


def test_every_invalid_row_is_named_by_line_and_field(tmp_path):
    source = write_csv(tmp_path / "records")
    assert problems_of(source) == EXPECTED
    checked = plan(read_rows(source), TODAY)
    assert {kind: len(steps) for kind, steps in checked.steps.items()} == {
        "producers": 1,
        "products": 1,
        "results": 1,
        "certificates": 1,
    }
    assert checked.ignored_columns == {"producers": {"note"}}


def test_a_workbook_is_read_like_the_csv_files(tmp_path):
    assert problems_of(write_workbook(tmp_path / "records.xlsx")) == EXPECTED


def test_a_generated_province_file_is_all_valid(tmp_path):
    checked = plan(read_rows(write_records(tmp_path / "records", 60)), TODAY)
    assert checked.problems == [] and checked.count() == 32 + 3 * 60


def test_an_unusable_source_is_refused_whole(tmp_path):
    with pytest.raises(SourceError):
        read_rows(tmp_path)  # an empty folder
    (tmp_path / "records.txt").write_text("code\n1\n")
    with pytest.raises(SourceError):
        read_rows(tmp_path / "records.txt")


def test_the_command_prints_each_problem_and_exits_1(tmp_path):
    source = write_csv(tmp_path / "records")
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "import", str(source), "--province", "08", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "producers.csv line 3: kind:" in run.stdout
    assert "certificates.csv line 4: number:" in run.stdout
    assert "results.csv line 4: scored_at_level: district councils scored until" in run.stdout
    assert len([line for line in run.stdout.splitlines() if ".csv line " in line]) == len(EXPECTED)


def test_hidden_characters_are_reported_by_field_and_decomposed_names_pass(tmp_path):
    """What the server would refuse in a name (shared/text.py) the dry run reports, naming
    the column and the character; a name typed on a Mac (NFD) is not a problem."""
    folder = tmp_path / "records"
    folder.mkdir()
    producer = ["code", "name", "kind", "women_led", "province_code", "ward_code"]
    on_a_mac = unicodedata.normalize("NFD", "Hợp tác xã Hàm Yên")
    tables = {
        "producers": [
            producer,
            ["CT1", "HTX Cam\u202e Hàm Yên", "htx", "false", "08", "02269"],  # 2: bidi
            ["CT2", "HTX Cam\nHàm Yên", "htx", "false", "08", "02269"],  # 3: line break
            ["CT3", on_a_mac, "htx", "false", "08", "02269"],
        ],
        "products": [
            ["code", "producer_code", "name", "group"],
            ["SP1", "CT3", "Cam s\u200bành", "food"],  # 2: zero-width space
            ["SP2", "CT3", unicodedata.normalize("NFD", "Cam sành"), "food"],
        ],
        "certificates": [
            ["number", "product_code", "stars", "level", "issued_on", "expires_on", "issuing_body"],
            ["GCN-1", "SP2", "3", "province", "2024-10-01", "2027-09-30", "UBND\U000e0041"],
        ],
    }
    for kind, table in tables.items():
        with (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(table)
    checked = plan(read_rows(folder), TODAY)
    found = {(each.kind, each.line, each.field): each.message for each in checked.problems}
    assert sorted(found) == [
        ("certificates", 2, "issuing_body"),
        ("producers", 2, "name"),
        ("producers", 3, "name"),
        ("products", 2, "name"),
    ]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found[("producers", 2, "name")]
    assert "U+000A" in found[("producers", 3, "name")]
    assert "U+200B ZERO WIDTH SPACE" in found[("products", 2, "name")]
    assert "U+E0041 TAG LATIN CAPITAL LETTER A" in found[("certificates", 2, "issuing_body")]
    assert [step.code for step in checked.steps["products"]] == ["SP2"]
