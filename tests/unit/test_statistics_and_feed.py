"""Provincial statistics and the e-commerce feed, from a realistic catalogue."""

from datetime import date

from services.trade_promotion import catalogue, feed
from services.trade_promotion.stats import statistics
from shared.events import AddressData, CertificateIssued, ProductRegistered
from tests.support.producers import registered

# A province as reported (e.g. Quảng Trị's 2023 round): 19 products, 2 at 4★ and 17 at 3★,
# from 12 producers in 9 wards, 5 producers led by women.
WARDS = ["11920", "11923", "11926", "11929", "11932", "11935", "11938", "11941", "11944"]


def realistic_province() -> list[catalogue.Entry]:
    entries = []
    for n in range(19):
        producer_n = n % 12
        ward = WARDS[producer_n % len(WARDS)]
        address = AddressData(
            province_code="44", province_name="Quảng Trị", ward_code=ward, ward_name=f"Xã {ward}"
        )
        events = [
            registered(
                producer_id=f"pr{producer_n}",
                name=f"HTX {producer_n}",
                kind=["htx", "enterprise", "household"][producer_n % 3],
                women_led=producer_n < 5,
                address=address,
            ),
            ProductRegistered(
                product_id=f"p{n}",
                producer_id=f"pr{producer_n}",
                name=f"Sản phẩm {n}",
                group="food" if n % 2 else "drinks",
                province_code="44",
                ward_code=ward,
            ),
            CertificateIssued(
                certificate_number=f"OCOP-44-2023-{n:05d}",
                product_id=f"p{n}",
                producer_id=f"pr{producer_n}",
                product_name=f"Sản phẩm {n}",
                group="food",
                province_code="44",
                stars=4 if n < 2 else 3,
                level="province",
                total=60,
                criteria_set="148-2023",
                evaluation_id=f"e{n}",
                issued_on=date(2023, 12, 1),
                expires_on=date(2026, 12, 1),
            ),
        ]
        entry = catalogue.empty(f"p{n}")
        for event in events:
            entry = catalogue.fold(entry, event, "2023-12-01T00:00:00.000Z")
        entries.append(entry)
    return entries


def test_the_figures_a_province_reports():
    figures = statistics(realistic_province(), wards_in=lambda code: 78)
    assert figures["listed_products"] == 19
    assert figures["products_by_stars"] == {"3": 17, "4": 2}
    assert figures["products_by_stars_year_province"] == [
        {
            "province_code": "44",
            "province_name": "Quảng Trị",
            "year": 2023,
            "stars": 3,
            "products": 17,
        },
        {
            "province_code": "44",
            "province_name": "Quảng Trị",
            "year": 2023,
            "stars": 4,
            "products": 2,
        },
    ]
    assert figures["products_by_group"] == {"drinks": 10, "food": 9}
    assert figures["producers"] == {
        "total": 12,
        "by_kind": {"enterprise": 4, "household": 4, "htx": 4},
        "women_led": 5,
        "women_led_share": round(5 / 12, 4),
    }
    assert figures["wards_with_products"] == [
        {"province_code": "44", "wards_with_products": 9, "wards": 78, "share": round(9 / 78, 4)}
    ]
    assert figures["certificates"] == {"renewal_due": 0, "renewed": 0, "expired": 0, "revoked": 0}


def test_the_feed_has_one_row_per_listed_product_with_its_verification_link():
    rows = feed.rows(
        realistic_province(), "https://ocop.quangtri.gov.vn", "https://verify.ocop.gov.vn/"
    )
    assert len(rows) == 19
    first = rows[0]
    assert first["ocop_stars"] == 4 and first["availability"] == "in stock"
    assert first["verification_link"] == "https://verify.ocop.gov.vn/verify/OCOP-44-2023-00000"
    assert first["link"] == "https://ocop.quangtri.gov.vn/products/p0"
    assert feed.as_csv(rows).splitlines()[0] == ",".join(feed.COLUMNS)
