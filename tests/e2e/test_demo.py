"""`make demo` against the four service processes: its data reaches every read model.

The platform is shared with the other end-to-end tests, so every check looks only at the
demo's own products, fair and sales point, found by their names.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

import pytest
import requests

from services.scoring.criteria import set_named
from services.scoring.criteria_files import load_criteria_sets
from shared.clock import VIETNAM
from shared.devstack import demo
from shared.devstack.processes import free_port
from tests.support.waiting import eventually

# sub-groups whose sheet scoring withholds (its points do not add up): never scored
WITHHELD = set(set_named(load_criteria_sets(), "148-2023").withheld)
NAMES = {product.name for product in demo.products()}
WAITING = {product.name for product in demo.products() if product.subgroup in WITHHELD}
CERTIFIED = {product.name for product in demo.products() if product.stars} - WAITING
FAIR_PROVINCES = {"42", "44", "46"}  # Hà Tĩnh, Quảng Trị, Huế: the demo fair's


def demo_arguments(platform) -> list[str]:
    urls, platform_key = platform.urls, platform.key
    arguments = ["--base-host", "127.0.0.1", "--api-key", platform_key]
    for name, url in urls.items():
        arguments += [f"--{name.replace('_', '-')}-port", url.rsplit(":", 1)[1]]
    return arguments


def demo_listings(tra: str, **params: object) -> list[dict]:
    """The demo's products in the catalogue, every page of it."""
    found, cursor = [], None
    while True:
        page = requests.get(
            f"{tra}/catalogue", params={**params, "limit": 200, "cursor": cursor}, timeout=10
        ).json()
        found += [item for item in page["items"] if item["product_name"] in NAMES]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


class Run(NamedTuple):
    seconds: float
    output: str  # what the demo printed


@pytest.fixture(scope="module")
def loaded(platform) -> Iterator[Run]:
    """The demo run once; yields how long it took and what it printed.

    Afterwards the demo's Thái Nguyên certificates are revoked: the happy-path tests create
    Thái Nguyên fairs on this same platform and expect their own product to be the only one
    invited, which the demo's listed Thái Nguyên products would otherwise also be."""
    started = time.monotonic()
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        code = demo.main(demo_arguments(platform))
    output = printed.getvalue()
    print(output)
    assert code == 0, output
    yield Run(time.monotonic() - started, output)
    cer, tra = platform.api("certification"), platform.api("trade_promotion")
    thai_nguyen = demo_listings(tra, province_code="19")
    revocation = {
        "level": "province",
        "province_code": "19",
        "kind": "revocation",
        "number": "999/QĐ-UBND",
        "signed_on": datetime.now(VIETNAM).date().isoformat(),
        "signer": "e2e-test",
        "document": {"url": "https://example.gov.vn/don-du-lieu-mau.pdf"},
        "revocations": [
            {
                "certificate_number": listing["certificate_number"],
                "reason_code": "production_stopped",
                "note": "Dọn dữ liệu mẫu sau kiểm thử",
            }
            for listing in thai_nguyen
        ],
    }
    if thai_nguyen:
        requests.post(
            f"{cer}/decisions",
            headers={"Authorization": f"Bearer {platform.key}"},
            json=revocation,
            timeout=10,
        ).raise_for_status()
    eventually(lambda: not demo_listings(tra, province_code="19"))


def test_the_demo_runs_within_a_minute(loaded):
    assert loaded.seconds < 60


def test_the_catalogue_lists_every_certified_demo_product(platform, loaded):
    listings = demo_listings(platform.api("trade_promotion"))
    assert {item["product_name"] for item in listings} == CERTIFIED
    assert "Tinh dầu vỏ bưởi Phúc Trạch" not in CERTIFIED  # the one meant to miss a minimum
    five_stars = [item for item in listings if item["stars"] == 5]
    assert five_stars and all(
        item["certificate_number"].startswith("OCOP-TW-") for item in five_stars
    )
    assert {item["stars"] for item in listings} == {3, 4, 5}
    assert {"Bưởi Phúc Trạch"} <= {item["product_name"] for item in five_stars}
    # each listing says which sheet it was scored on: its own product set's
    subgroups = {product.name: product.subgroup for product in demo.products()}
    assert all(
        item["sheet"]["id"] == f"148-2023/{subgroups[item['product_name']]}" for item in listings
    )


def test_products_whose_sheet_is_withheld_wait_unscored(platform, loaded):
    """Tea, coffee and processed fruit/vegetable/nut products: their sheets' points do not add
    up, so their rounds wait for a sheet; none is scored on another product set's sheet."""
    assert {"Chè Shan tuyết Suối Giàng", "Cà phê Arabica Khe Sanh"} <= WAITING
    headers = {"Authorization": f"Bearer {platform.key}"}
    waiting = requests.get(
        f"{platform.api('scoring')}/evaluations",
        params={"status": "awaiting_sheet"},
        headers=headers,
        timeout=10,
    ).json()
    ours = {each["product_name"]: each for each in waiting if each["product_name"] in WAITING}
    assert set(ours) == WAITING
    for name, each in ours.items():
        assert (each["sheet_id"], each["submitted_members"], each["outcome"]) == (None, [], None)
        assert each["waiting"]["waiting_for"] == "sheet" and each["waiting"]["reason"]
        # the demo said so, and why, instead of scoring it
        said = next(line for line in loaded.output.splitlines() if f" {name} " in line)
        assert "waits" in said and each["waiting"]["reason"] in said, said
    assert f"{len(WAITING)} waiting for their sheet" in loaded.output


def test_the_fair_invites_the_listed_products_of_its_provinces(platform, loaded):
    tra = platform.api("trade_promotion")
    fair = next(
        each
        for each in requests.get(f"{tra}/trade-fairs", timeout=10).json()
        if each["name"].startswith("Hội chợ OCOP khu vực Bắc Trung Bộ")
    )
    expected = {
        item["product_id"] for item in demo_listings(tra) if item["province_code"] in FAIR_PROVINCES
    }

    def invitations() -> list[dict]:
        found = requests.get(
            f"{tra}/trade-fairs/{fair['id']}/invitations",
            headers={"Authorization": f"Bearer {platform.key}"},
            timeout=10,
        ).json()
        ours = [each for each in found if each["product_id"] in expected]
        return ours if len(ours) == len(expected) else []

    invited = eventually(invitations)
    # Huế 2, Quảng Trị 1 (its coffee waits), Hà Tĩnh 1 (one not ranked, its sweets wait)
    assert len(expected) == 4
    assert [each["status"] for each in invited].count("accepted") == 1
    assert requests.get(f"{tra}/trade-fairs/{fair['id']}").json()["booths_taken"] == 1


def test_the_sales_point_carries_demo_products(platform, loaded):
    tra = platform.api("trade_promotion")
    points = [
        each
        for each in requests.get(f"{tra}/sales-points", timeout=10).json()
        if each["name"] == demo.SALES_POINT
    ]
    demo_ids = {item["product_id"] for item in demo_listings(tra)}
    assert len(points) == 1 and len(points[0]["products"]) == 3
    assert set(points[0]["products"]) <= demo_ids


def test_the_statistics_show_the_six_provinces(platform, loaded):
    stats = requests.get(f"{platform.api('trade_promotion')}/stats", timeout=10).json()
    provinces = {row["province_code"] for row in stats["products_by_stars_year_province"]}
    assert {"15", "19", "42", "44", "46", "82"} <= provinces
    assert stats["listed_products"] >= len(CERTIFIED)


def test_a_second_run_adds_nothing(platform, loaded, capsys):
    before = len(demo_listings(platform.api("trade_promotion")))
    assert demo.main(demo_arguments(platform)) == 0
    assert "already loaded" in capsys.readouterr().out
    assert len(demo_listings(platform.api("trade_promotion"))) == before


def test_a_platform_that_is_not_running_gets_one_sentence_and_exit_code_1(capsys):
    closed = str(free_port())
    assert demo.main(["--registration-port", closed]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "make run" in out and "Traceback" not in out
