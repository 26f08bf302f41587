"""The public catalogue read model over the API: merge, search, sorting, pages, map, feed,
statistics, sales points, booths, and the rebuild from the journal."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from pymongo import MongoClient

from services.trade_promotion import rebuild
from services.trade_promotion.service import TradePromotionService
from shared.events import public_producer_name
from tests.support.amqp import cloud_event, publish
from tests.support.waiting import eventually

TODAY = date.today()
ADDRESS = {
    "province_code": "19",
    "province_name": "Thái Nguyên",
    "ward_code": "01933",
    "ward_name": "Xã Đồng Phúc",
    "latitude": 22.3125,
    "longitude": 105.701,
}


def producer_event(producer_id="pr1", kind="htx", **address):
    """`producer.registered` as registration publishes it (v2: the public name only)."""
    place = {**ADDRESS, **address}
    return cloud_event(
        "producer.registered",
        "registration",
        {
            "producer_id": producer_id,
            "public_name": public_producer_name(kind, f"HTX {producer_id}", place["ward_name"]),
            "kind": kind,
            "women_led": True,
            "address": {key: value for key, value in place.items() if key != "legacy_address"},
        },
        type="vn.ocop.producer.registered.v2",
    )


def identified_event(producer_id="pr1", kind="htx", province_code="19"):
    """`producer.identified`, on registration's exchange for personal data."""
    return cloud_event(
        "producer.identified",
        "registration",
        {
            "producer_id": producer_id,
            "name": f"HTX {producer_id}",
            "kind": kind,
            "province_code": province_code,
            "ward_code": "01933",
        },
    )


def product_event(product_id, name, producer_id="pr1", group="food", province_code="19"):
    return cloud_event(
        "product.registered",
        "registration",
        {
            "product_id": product_id,
            "producer_id": producer_id,
            "name": name,
            "group": group,
            "subgroup": None,
            "province_code": province_code,
            "ward_code": "01933",
        },
    )


def issued_event(
    product_id,
    name,
    stars=3,
    producer_id="pr1",
    group="food",
    province_code="19",
    days=0,
    number=None,
):
    return cloud_event(
        "certificate.issued",
        "certification",
        {
            "certificate_number": number or f"OCOP-{province_code}-2026-{product_id}",
            "product_id": product_id,
            "producer_id": producer_id,
            "product_name": name,
            "group": group,
            "province_code": province_code,
            "stars": stars,
            "level": "province",
            "total": 60.0,
            "criteria_set": "148-2023",
            "evaluation_id": f"e-{product_id}",
            "issued_on": (TODAY - timedelta(days=days)).isoformat(),
            "expires_on": (TODAY + timedelta(days=1000)).isoformat(),
        },
    )


@pytest.fixture
def api(start_service):
    _, url = start_service(TradePromotionService)
    return f"{url}/api/v1"


@pytest.fixture
def amqp(bus):
    return bus


def items(http, api, **query):
    return http.get(f"{api}/catalogue", params=query).json()["items"]


def seed(amqp, products):
    for product_id, name, stars in products:
        publish(amqp, "registration", "product.registered", product_event(product_id, name))
        publish(amqp, "certification", "certificate.issued", issued_event(product_id, name, stars))


def test_producer_product_and_certificate_merge_in_any_order(http, api, amqp):
    publish(
        amqp, "certification", "certificate.issued", issued_event("p1", "Chè Shan tuyết Tân Cương")
    )
    publish(
        amqp, "registration", "product.registered", product_event("p1", "Chè Shan tuyết Tân Cương")
    )
    publish(amqp, "registration", "producer.registered", producer_event())
    entry = eventually(
        lambda: [i for i in items(http, api) if i["producer_name"] and i["latitude"]]
    )[0]
    assert (entry["name"], entry["producer_name"], entry["ward_name"], entry["longitude"]) == (
        "Chè Shan tuyết Tân Cương",
        "HTX pr1",
        "Xã Đồng Phúc",
        105.701,
    )
    publish(amqp, "registration", "producer.registered", producer_event("pr2", kind="household"))
    publish(
        amqp,
        "registration",
        "product.registered",
        product_event("p2", "Mật ong bạc hà", producer_id="pr2"),
    )
    publish(
        amqp,
        "certification",
        "certificate.issued",
        issued_event("p2", "Mật ong bạc hà", producer_id="pr2"),
    )
    household = eventually(
        lambda: [i for i in items(http, api) if i["product_id"] == "p2" and i["producer_kind"]]
    )[0]
    assert (
        household["producer_name"] == "Hộ kinh doanh tại Xã Đồng Phúc"
    )  # a person's name stays private


def test_search_ignores_diacritics_and_filters_combine(http, api, amqp):
    seed(
        amqp,
        [
            ("p1", "Chè Shan tuyết Tân Cương", 4),
            ("p2", "Mật ong bạc hà", 3),
            ("p3", "Chè búp Đại Từ", 3),
        ],
    )
    eventually(lambda: len(items(http, api)) == 3)
    assert [i["product_id"] for i in items(http, api, q="che shan tuyet")] == ["p1"]
    assert [i["product_id"] for i in items(http, api, q="CHÈ")] == [
        "p3",
        "p1",
    ]  # by name: búp before shan
    assert [i["product_id"] for i in items(http, api, q="che", stars=3)] == ["p3"]
    assert items(http, api, q="cà phê") == []
    assert (
        http.get(f"{api}/catalogue", params={"q": "(c++ [x"}).json()["items"] == []
    )  # no regex injection


def test_sorting_and_cursor_pages_are_stable_while_products_arrive(http, api, amqp):
    seed(amqp, [(f"p{n:02d}", f"Sản phẩm {n:02d}", 3 + n % 3) for n in range(12)])
    eventually(lambda: len(items(http, api, limit=200)) == 12)
    by_stars = [i["stars"] for i in items(http, api, sort="stars", limit=200)]
    assert by_stars == sorted(by_stars, reverse=True)
    seen, cursor = [], None
    for page in range(6):
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = http.get(f"{api}/catalogue", params=query).json()
        seen += [i["product_id"] for i in body["items"]]
        if page == 1:  # products arriving mid-listing, sorting before and after the cursor
            seed(amqp, [("a-new", "Ấm trà mới", 3), ("z-new", "Zzz mới", 3)])
            eventually(lambda: len(items(http, api, limit=200)) == 14)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    originals = [f"p{n:02d}" for n in range(12)]
    assert [p for p in seen if p in originals] == originals  # every original once, in order
    assert len(seen) == len(set(seen))


def test_map_feed_and_statistics(http, api, amqp):
    publish(amqp, "registration", "producer.registered", producer_event())
    seed(amqp, [("p1", "Chè Shan tuyết", 4), ("p2", "Miến dong", 3)])
    eventually(lambda: len([i for i in items(http, api) if i["latitude"]]) == 2)
    geojson = http.get(f"{api}/map.geojson").json()
    assert [f["geometry"]["coordinates"] for f in geojson["features"]] == [[105.701, 22.3125]] * 2
    wards = http.get(f"{api}/map.geojson", params={"by": "ward"}).json()["features"]
    assert wards[0]["properties"]["count"] == 2
    feed = http.get(f"{api}/feed.json").json()
    assert {row["id"] for row in feed} == {"p1", "p2"} and feed[0]["verification_link"].startswith(
        "http"
    )
    csv_text = http.get(f"{api}/feed.csv").text
    assert (
        csv_text.splitlines()[0].startswith("id,title,description,brand")
        and len(csv_text.splitlines()) == 3
    )
    stats = http.get(f"{api}/stats", params={"province_code": "19"}).json()
    assert stats["listed_products"] == 2 and stats["products_by_stars"] == {"3": 1, "4": 1}
    assert stats["wards_with_products"][0]["wards_with_products"] == 1


def test_sales_points_carry_listed_products_and_lose_them_on_delisting(http, api, amqp, tap):
    seed(amqp, [("p1", "Chè Shan tuyết", 4)])
    eventually(lambda: items(http, api))
    point = http.post(
        f"{api}/sales-points",
        json={
            "name": "Điểm giới thiệu OCOP Hồ Núi Cốc",
            "kind": "tourist_site",
            "operator": "Công ty Du lịch",
            "province_code": "19",
            "ward_code": "01933",
        },
    ).json()
    assert point["province_name"] == "Thái Nguyên"
    assert http.post(
        f"{api}/sales-points/{point['id']}/products", json={"product_id": "p1"}
    ).json()["products"] == ["p1"]
    refused = http.post(f"{api}/sales-points/{point['id']}/products", json={"product_id": "nope"})
    assert refused.status_code == 422 and "product_id" in refused.json()["fields"]
    assert [
        p["id"] for p in http.get(f"{api}/sales-points", params={"product_id": "p1"}).json()
    ] == [point["id"]]
    publish(
        amqp,
        "certification",
        "certificate.revoked",
        cloud_event(
            "certificate.revoked",
            "certification",
            {
                "certificate_number": "OCOP-19-2026-p1",
                "product_id": "p1",
                "producer_id": "pr1",
                "revoked_on": TODAY.isoformat(),
                "reason": "r",
                "legal_basis": "b",
                "revoked_by": "o",
            },
        ),
    )
    eventually(lambda: http.get(f"{api}/sales-points/{point['id']}").json()["products"] == [])
    removed = tap.wait_for(lambda m: m["routing_key"] == "salespoint.product_removed")
    assert removed[0]["body"]["data"]["reason"] == "delisted"


def test_booths_are_first_come_first_served_and_freed_by_decline_or_withdrawal(http, api, amqp):
    fair = http.post(
        f"{api}/trade-fairs",
        json={
            "name": "Hội chợ OCOP",
            "starts_on": str(TODAY + timedelta(days=30)),
            "ends_on": str(TODAY + timedelta(days=33)),
            "place": "Quảng trường 20/8",
            "organiser": "Sở Công Thương",
            "capacity": 1,
        },
    ).json()
    seed(amqp, [("p1", "Chè", 4), ("p2", "Miến", 3), ("p3", "Gạo", 3)])
    invitations = eventually(
        lambda: (
            len(got := http.get(f"{api}/trade-fairs/{fair['id']}/invitations").json()) == 3 and got
        )
    )
    with ThreadPoolExecutor(3) as pool:
        answers = list(
            pool.map(
                lambda i: http.post(f"{api}/invitations/{i['id']}/accept").status_code, invitations
            )
        )
    assert sorted(answers) == [200, 409, 409]
    winner = invitations[answers.index(200)]
    assert http.get(f"{api}/trade-fairs/{fair['id']}").json()["booths_taken"] == 1
    csv_rows = http.get(f"{api}/trade-fairs/{fair['id']}/exhibitors.csv").text.splitlines()
    assert len(csv_rows) == 2 and winner["product_id"] in csv_rows[1]
    assert http.post(f"{api}/invitations/{winner['id']}/decline").json()["status"] == "declined"
    other = next(i for i in invitations if i["id"] != winner["id"])
    assert http.post(f"{api}/invitations/{other['id']}/accept").json()["status"] == "accepted"
    publish(
        amqp,
        "certification",
        "certificate.expired",
        cloud_event(
            "certificate.expired",
            "certification",
            {
                "certificate_number": f"OCOP-19-2026-{other['product_id']}",
                "product_id": other["product_id"],
                "producer_id": "pr1",
                "expired_on": TODAY.isoformat(),
            },
        ),
    )
    eventually(lambda: http.get(f"{api}/trade-fairs/{fair['id']}").json()["booths_taken"] == 0)
    statuses = {
        i["product_id"]: i["status"]
        for i in http.get(f"{api}/trade-fairs/{fair['id']}/invitations").json()
    }
    assert statuses[other["product_id"]] == "withdrawn"


def test_the_catalogue_rebuilt_from_the_journal_equals_the_live_one(
    http, api, amqp, service_config
):
    publish(amqp, "registration", "producer.registered", producer_event())
    seed(amqp, [("p1", "Chè Shan tuyết", 3), ("p2", "Miến dong", 4)])
    publish(
        amqp,
        "certification",
        "certificate.issued",
        issued_event("p1", "Chè Shan tuyết", stars=4, days=-1, number="OCOP-19-2026-SECOND"),
    )
    publish(
        amqp,
        "certification",
        "certificate.revoked",
        cloud_event(
            "certificate.revoked",
            "certification",
            {
                "certificate_number": "OCOP-19-2026-p2",
                "product_id": "p2",
                "producer_id": "pr1",
                "revoked_on": TODAY.isoformat(),
                "reason": "r",
                "legal_basis": "b",
                "revoked_by": "o",
            },
        ),
    )
    eventually(lambda: [(i["product_id"], i["stars"]) for i in items(http, api)] == [("p1", 4)])
    database = MongoClient(service_config["MONGO_URI"])[service_config["MONGO_DB"]]
    rebuilt, differing = rebuild.differences(database)
    assert len(rebuilt) == 2 and differing == []
    database.catalogue.update_one({"_id": "p1"}, {"$set": {"stars": 1}})
    rebuilt, differing = rebuild.differences(database)
    assert differing == ["p1"]
    rebuild.apply(database, rebuilt)
    assert rebuild.differences(database)[1] == []
    assert [(i["product_id"], i["stars"]) for i in items(http, api)] == [("p1", 4)]
