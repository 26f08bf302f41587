"""The public portal (catalogue, product, map, statistics) in a real headless Chromium at
phone size, on products that came through the platform: producers and products registered
over HTTP, certificates issued as certification would announce them."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from tests.support.amqp import cloud_event, publish
from tests.support.waiting import eventually

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 360, "height": 740}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TODAY = date.today()
TEA = "Chè Shan tuyết Tân Cương"
PLUM = "Mận hậu sấy dẻo Mộc Châu"
COFFEE = "Cà phê Arabica Mộc Châu"
POTTERY = "Gốm men lam Bát Tràng"
# producer, its address (province, ward), and its products (name, (group, sub-group), stars);
# tea and coffee are food (Phụ lục I of Decision 148)
SEED = [
    (
        {"name": "HTX Chè Tân Cương Xanh", "kind": "htx", "women_led": True},
        ("19", "05503"),  # Xã Tân Cương, Thái Nguyên
        [(TEA, ("food", "che-tuoi-che-che-bien"), 4)],
    ),
    (
        {"name": "Công ty TNHH Nông sản Cao nguyên", "kind": "enterprise", "women_led": False},
        ("14", "03980"),  # Phường Mộc Châu, Sơn La
        [
            (PLUM, ("food", "che-bien-tu-rau-cu-qua-hat"), 3),
            (COFFEE, ("food", "ca-phe-ca-cao"), 4),
        ],
    ),
    (
        {"name": "Hộ kinh doanh Gốm Minh Hằng", "kind": "household", "women_led": True},
        ("01", "00583"),  # Xã Bát Tràng, Hà Nội
        [(POTTERY, ("handicrafts", "thu-cong-my-nghe-gia-dung-trang-tri"), 5)],
    ),
]
NAMES = [name for _, _, products in SEED for name, _, _ in products]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def issue(platform, product: dict, stars: int, number: str) -> None:
    """certificate.issued as certification publishes it once a council's ranking is final."""
    data = {
        "certificate_number": number,
        "product_id": product["id"],
        "producer_id": product["producer_id"],
        "product_name": product["name"],
        "group": product["group"],
        "subgroup": product["subgroup"],
        "province_code": product["province_code"],
        "stars": stars,
        "level": "central" if stars == 5 else "province",
        "total": 70.0 + 5 * stars,
        "criteria_set": "148-2023",
        "evaluation_id": f"e-{product['id']}",
        "issued_on": TODAY.isoformat(),
        "expires_on": (TODAY + timedelta(days=1095)).isoformat(),
    }
    event = cloud_event("certificate.issued", "certification", data)
    publish(platform.bus, "certification", "certificate.issued", event)


def listed_in(trade: str, province_code: str) -> int:
    stats = requests.get(f"{trade}/stats", params={"province_code": province_code}, timeout=10)
    return stats.json()["listed_products"]


@pytest.fixture(scope="module")
def portal(platform):
    """Four products of three producers in three provinces (two share a ward in Sơn La),
    listed with located producers; the tea is sold at a counter and invited to a fair."""
    reg, trade = platform.api("registration"), platform.api("trade_promotion")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {platform.key}"
    before = listed_in(trade, "14")
    products: dict[str, dict] = {}
    for producer_fields, (province, ward), items in SEED:
        address = {"province_code": province, "ward_code": ward}
        producer = http.post(f"{reg}/producers", json={**producer_fields, "address": address})
        assert producer.status_code == 201, producer.text
        for name, (group, subgroup), stars in items:
            product = http.post(
                f"{reg}/products",
                json={
                    "producer_id": producer.json()["id"],
                    "name": name,
                    "group": group,
                    "subgroup": subgroup,
                },
            ).json()
            number = f"OCOP-{province}-{TODAY.year}-E2E{len(products) + 1:02d}"
            issue(platform, product, stars, number)
            products[name] = {**product, "certificate_number": number}

    def located(product: dict) -> bool:
        listing = http.get(f"{trade}/catalogue/{product['id']}")
        return listing.status_code == 200 and listing.json()["latitude"] is not None

    eventually(lambda: all(located(product) for product in products.values()))
    tea = products[TEA]["id"]
    point = http.post(
        f"{trade}/sales-points",
        json={
            "name": "Điểm giới thiệu sản phẩm OCOP Tân Cương",
            "kind": "display_counter",
            "operator": "UBND xã Tân Cương",
            "province_code": "19",
            "ward_code": "05503",
        },
    ).json()
    http.post(f"{trade}/sales-points/{point['id']}/products", json={"product_id": tea})
    fair = http.post(
        f"{trade}/trade-fairs",
        json={
            "name": "Festival Trà Thái Nguyên",
            "starts_on": (TODAY + timedelta(days=20)).isoformat(),
            "ends_on": (TODAY + timedelta(days=24)).isoformat(),
            "place": "Quảng trường Võ Nguyên Giáp",
            "province_code": "19",
            "groups": ["food"],
        },
    ).json()
    eventually(lambda: http.get(f"{trade}/trade-fairs/{fair['id']}/invitations").json(), timeout=20)
    yield {
        "products": products,
        "son_la_before": before,
        "trade": trade,
        "base": platform.urls["trade_promotion"],
    }
    http.close()


@pytest.fixture
def phone(browser):
    """A 360 px page that records every URL it asks for (all must be this machine's)."""
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    yield page
    page.close()
    outside = [url for url in asked if not url.startswith("http://127.0.0.1")]
    assert not outside, f"requests left the machine: {outside}"


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shown_ids(page) -> list[str]:
    cards = page.locator("#results a.card")
    return [cards.nth(n).get_attribute("data-product") for n in range(cards.count())]


def shown_names(page) -> list[str]:
    return page.locator("#results .name").all_inner_texts()


def test_catalogue_lists_searches_without_diacritics_and_filters_by_group(portal, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(f"{portal['base']}/catalogue?limit=2")  # small pages: follow the cursor to the end
    seen, ids = shown_names(phone), shown_ids(phone)
    while phone.locator("#more").count():
        phone.locator("#more").click()
        assert "limit=2" in phone.url
        seen += shown_names(phone)
        ids += shown_ids(phone)
    # other tests list products too (some of the same name): each product once, ours all
    assert set(NAMES) <= set(seen) and len(ids) == len(set(ids))
    assert {product["id"] for product in portal["products"].values()} <= set(ids)

    phone.goto(f"{portal['base']}/catalogue")
    phone.get_by_label("Tìm theo tên").fill("che shan tuyet")
    phone.get_by_role("button", name="Lọc").click()
    found = shown_names(phone)
    assert TEA in found and not set(found) & (set(NAMES) - {TEA})

    phone.goto(f"{portal['base']}/catalogue")
    phone.locator("#group").select_option("handicrafts")
    phone.get_by_role("button", name="Lọc").click()
    crafts = shown_names(phone)
    assert POTTERY in crafts and not set(crafts) & {TEA, PLUM, COFFEE}
    assert "Hộ kinh doanh tại Xã Bát Tràng" in phone.locator("#results").inner_text()

    phone.goto(f"{portal['base']}/catalogue?province_code=14")
    assert {PLUM, COFFEE} <= set(shown_names(phone))
    no_sideways_scroll(phone)
    phone.goto(f"{portal['base']}/catalogue")
    no_sideways_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "portal-catalogue-360.png"), full_page=True)


def test_a_bad_filter_is_explained_on_the_page(portal, phone):
    response = phone.goto(f"{portal['base']}/catalogue?stars=9&province_code=99")
    assert response.status == 422
    assert "Bộ lọc chưa hợp lệ" in phone.locator("#error").inner_text()
    assert phone.get_by_role("button", name="Lọc").is_visible()
    assert phone.goto(f"{portal['base']}/stats?province_code=abc").status == 422
    assert phone.goto(f"{portal['base']}/catalogue?q=%28c%2B%2B").status == 200  # "(c++"
    assert phone.locator("#empty").is_visible()


def test_a_product_page_links_its_certificate_to_the_verification_page(portal, phone):
    tea = portal["products"][TEA]
    phone.goto(f"{portal['base']}/catalogue?q=tan+cuong")
    phone.locator(f'#results a[data-product="{tea["id"]}"]').click()
    assert phone.url.endswith(f"/products/{tea['id']}")
    certificate = phone.locator("#certificate")
    assert certificate.inner_text() == tea["certificate_number"]
    assert certificate.get_attribute("href").endswith(f"/verify/{tea['certificate_number']}")
    expires = TODAY + timedelta(days=1095)
    assert phone.locator("#validity").inner_text() == (f"{TODAY:%d/%m/%Y} – {expires:%d/%m/%Y}")
    assert "Điểm giới thiệu sản phẩm OCOP Tân Cương" in phone.locator("#sales-points").inner_text()
    assert "Festival Trà Thái Nguyên" in phone.locator("#fairs").inner_text()
    no_sideways_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "portal-product-360.png"), full_page=True)
    assert phone.goto(f"{portal['base']}/products/no-such-product").status == 404


def test_the_map_draws_a_point_per_place_and_needs_no_internet(portal, phone):
    products = portal["products"]
    phone.goto(f"{portal['base']}/map")
    for ward in ("05503", "03980", "00583"):
        assert phone.locator(f'#map a.point[data-ward="{ward}"]').count() == 1
    assert phone.locator('#map a.point[data-ward="03980"]').get_attribute("data-count") == "2"
    no_sideways_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "portal-map-360.png"), full_page=True)

    phone.locator('#map a.point[data-ward="05503"]').click()
    phone.wait_for_url(f"**/products/{products[TEA]['id']}")
    assert phone.locator("#product-name").inner_text() == TEA

    phone.goto(f"{portal['base']}/map")
    phone.locator('#map a.point[data-ward="03980"]').click()  # two products: their province
    phone.wait_for_url("**/catalogue?province_code=14")
    assert {PLUM, COFFEE} <= set(shown_names(phone))


def test_the_statistics_count_the_listed_products(portal, phone):
    phone.goto(f"{portal['base']}/stats")
    phone.locator("#province_code").select_option("14")
    phone.get_by_role("button", name="Xem").click()
    assert phone.locator("#listed-products").inner_text() == str(portal["son_la_before"] + 2)
    everywhere = requests.get(f"{portal['trade']}/stats", timeout=10).json()
    phone.goto(f"{portal['base']}/stats")
    assert phone.locator("#listed-products").inner_text() == str(everywhere["listed_products"])
    assert everywhere["listed_products"] >= len(NAMES)
    assert "%" in phone.locator("#women-led").inner_text()
    no_sideways_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "portal-stats-360.png"), full_page=True)
