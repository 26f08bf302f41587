"""A province's historical records as CSV files, for the import tests and the bench.

Realistic in shape: about two products per producer (nationally ~15,000 products from
~8,000 producers), every product with a past district or province result under Decision
148 and a certificate of the stars it got, some of them already expired.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from vietnam_provinces import ProvinceCode, Ward

KINDS = ("food", "drinks", "herbs", "handicrafts")
PRODUCER_KINDS = ("htx", "enterprise", "household", "coop_group")


def wards_of(province_code: str) -> list[str]:
    province = ProvinceCode(int(province_code))
    return sorted(f"{w.code.value:05d}" for w in Ward.iter_all() if w.province_code == province)


def write_records(folder: Path, products: int, province_code: str = "08", tag: str = "") -> Path:
    """`tag` goes into every code and name, so that records of one test are told apart."""
    folder.mkdir(parents=True, exist_ok=True)
    wards = wards_of(province_code)
    producers = max(1, products * 8 // 15)
    _write(
        folder / "producers.csv",
        ["code", "name", "kind", "women_led", "province_code", "ward_code"],
        (
            [
                f"CT{tag}{n:05d}",
                f"Chủ thể {tag}{n}",
                PRODUCER_KINDS[n % 4],
                "true" if n % 3 == 0 else "false",
                province_code,
                wards[n % len(wards)],
            ]
            for n in range(producers)
        ),
    )
    _write(
        folder / "products.csv",
        ["code", "producer_code", "name", "group"],
        (
            [f"SP{tag}{n:05d}", f"CT{tag}{n % producers:05d}", f"Sản phẩm {tag}{n}", KINDS[n % 4]]
            for n in range(products)
        ),
    )
    results, certificates = [], []
    for n in range(products):
        evaluated = date(2023, 6, 1) + timedelta(days=(n * 7) % 700)
        level = "district" if evaluated < date(2025, 7, 1) and n % 2 else "province"
        stars, total = (4, 72.5) if n % 5 == 0 else (3, 58 + n % 10)
        results.append(
            [f"KQ{tag}{n:05d}", f"SP{tag}{n:05d}", "148-2023", level, total, stars, evaluated]
        )
        issued = evaluated + timedelta(days=20)
        expires = issued.replace(year=issued.year + 3) - timedelta(days=1)
        certificates.append(
            [
                f"GCN-{province_code}-{tag}{n:05d}",
                f"SP{tag}{n:05d}",
                stars,
                level,
                total,
                issued,
                expires,
            ]
        )
    _write(
        folder / "results.csv",
        [
            "code",
            "product_code",
            "criteria_set",
            "scored_at_level",
            "total",
            "stars",
            *["evaluated_on"],
        ],
        results,
    )
    _write(
        folder / "certificates.csv",
        ["number", "product_code", "stars", "level", "total", "issued_on", "expires_on"],
        certificates,
    )
    return folder


def _write(path: Path, header: list[str], rows: object) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
