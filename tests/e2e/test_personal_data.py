"""No personal data of a household producer leaves through a public door.

A household business (hộ kinh doanh) is a person: its name is the owner's name, its tax code
since 1 July 2025 the owner's 12-digit personal identification number (Thông tư
86/2024/TT-BTC), its address their home. Two households and a cooperative are driven through
the platform to a certificate, a catalogue listing, a sales point and a trade fair; then every
public response and every event for public subscribers is scanned for the households' names
(also without diacritics), ID numbers, home address and any phone number. The cooperative is
the control: its name is public, and the scan must find it.

Public responses: each GET whose OpenAPI operation has `"security": []`, read from each
service's live `/openapi.json` (so a new public endpoint is scanned without a change here),
with every value of its enumerated query parameters; and the HTML pages of the portal and of
the certificate verification.

Events for subscribers: everything on `registration.events` (producer.*, product.*,
dossier.*), `certification.events` (certificate.*) and `trade_promotion.events`
(catalogue.*, tradefair.*, invitation.*, salespoint.*), what outside systems (a marketplace,
another government system) bind to, to list products and follow their certificates. The
household's name, tax code and address go only on `registration.private`
(`producer.identified`), which certification reads and an ordinary subscriber's user
cannot even bind to. (`scoring.events` carries each member's score sheet, by member id.)
"""

from __future__ import annotations

import base64
import json
import unicodedata
from urllib.parse import urlencode

import pika
import pytest
import requests
from pymongo import MongoClient

from tests.e2e.test_happy_path import fair_body
from tests.support.amqp import pika_parameters
from tests.support.certifying import certify
from tests.support.personal_data import fetch_all, fill, found_in, query_variants
from tests.support.waiting import eventually

SERVICES = ("registration", "scoring", "certification", "trade_promotion")
PUBLIC_EXCHANGES = ("registration.events", "certification.events", "trade_promotion.events")
LEGACY_HOME = "Số 12 Thôn Nà Mằm (ĐT 0912 345 678), Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn"
# each producer: its registration, its product, and what must never be public about it
HOUSEHOLDS = [
    (
        {
            "name": "Hộ kinh doanh Lò Thị Mai",
            "kind": "household",
            "women_led": True,
            "tax_code": "019186001234",  # her personal identification number
            "address": {"province_code": "19", "ward_code": "05542"},
        },
        "Măng tre Lam Vỹ",
        ["Lò Thị Mai", "019186001234"],
    ),
    (
        {
            "name": "Hộ kinh doanh Hoàng Văn Thắm",
            "kind": "household",
            "women_led": False,
            "tax_code": "006079004321",
            "legacy_address": LEGACY_HOME,
        },
        "Cải mèo Ba Bể",
        ["Hoàng Văn Thắm", "006079004321", "Thôn Nà Mằm"],  # and the phone number
    ),
]
CONTROL = (
    {
        "name": "HTX Nông sản Khau Vai",
        "kind": "htx",
        "women_led": False,
        "tax_code": "4601234567",
        "address": {"province_code": "19", "ward_code": "01933"},
    },
    "Bí xanh Đồng Phúc",
)


@pytest.fixture(scope="module")
def seeded(platform):
    """Three certified, listed and located products; the first household's carried by a
    sales point; all three invited to a fair, the second household having accepted."""
    trade = platform.api("trade_promotion")
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {platform.key}"
        households = [certify(http, platform, body, name) for body, name, _ in HOUSEHOLDS]
        control = certify(http, platform, *CONTROL)
        ours = [*households, control]
        eventually(
            lambda: all(
                (http.get(f"{trade}/catalogue/{each['product']['id']}").json()).get("latitude")
                for each in ours
            )
        )
        point = http.post(
            f"{trade}/sales-points",
            json={
                "name": "Điểm bán OCOP Lam Vỹ",
                "kind": "display_counter",
                "operator": "UBND xã Lam Vỹ",
                "province_code": "19",
                "ward_code": "05542",
            },
        ).json()
        carried = {"product_id": households[0]["product"]["id"]}
        assert http.post(f"{trade}/sales-points/{point['id']}/products", json=carried).ok
        fair = http.post(f"{trade}/trade-fairs", json=fair_body(name="Chợ phiên OCOP")).json()
        product_ids = {each["product"]["id"] for each in ours}

        def invitations() -> dict[str, str] | None:
            sent = http.get(f"{trade}/trade-fairs/{fair['id']}/invitations").json()
            found = {i["product_id"]: i["id"] for i in sent if i["product_id"] in product_ids}
            return found if len(found) == len(product_ids) else None

        accepted = eventually(invitations)[households[1]["product"]["id"]]
        assert http.post(f"{trade}/invitations/{accepted}/accept").ok
    return {"households": households, "control": control, "point": point, "fair": fair}


def test_the_scan_finds_what_it_looks_for_and_only_that():
    payload = base64.urlsafe_b64encode(b'{"producer_name":"Lo Thi Mai"}').decode().rstrip("=")
    seen = {
        "Liên hệ 0912 345 678.": ["0912345678"],
        "ĐT: +84 912.345.678": ["0912345678"],
        "(024) 3825 1234, 0389-123-456": ["02438251234", "0389123456"],
        "HỘ KINH DOANH LO THI MAI": ["Lò Thị Mai"],
        unicodedata.normalize("NFD", "Hoàng Văn Thắm"): ["Hoàng Văn Thắm"],
        "CCCD 0191 8600 1234": ["019186001234"],
        "thon na mam": ["Thôn Nà Mằm"],
        f"/verify/OCOP-19?q=OCOP1.{payload}.c2ln.kid": ["Lò Thị Mai"],
        "OCOP-19-2026-000123 2026-11-28 21.0912345678 4601234567": [],
        "0912a3b4-5678-4def-8123-091234567890 id 09123456-7890": [],
    }
    for text, expected in seen.items():
        assert found_in(text, private_data()) == expected, text


def test_no_public_response_holds_a_households_personal_data(platform, seeded):
    pages = fetch_all(public_urls(platform, seeded) + page_urls(platform, seeded))
    leaks = {url: found for url, text in pages if (found := found_in(text, private_data()))}
    print(f"scanned {len(pages)} public responses")
    # the control: the scan sees a producer's name where it is public
    assert [url for url, text in pages if CONTROL[0]["name"] in text]
    for name in (name for _, name, _ in HOUSEHOLDS):  # the households' listings were scanned
        assert len([url for url, text in pages if name in text]) >= 5, name
    assert leaks == {}


def test_no_public_event_holds_a_households_personal_data(platform, seeded):
    ids = {
        seeded["fair"]["id"],
        seeded["point"]["id"],
        *(each[key]["id"] for each in seeded["households"] for key in ("producer", "product")),
    }

    def ours(message: dict) -> bool:
        data = (message["body"] or {}).get("data") or {}
        about = {
            data.get(key) for key in ("product_id", "producer_id", "fair_id", "sales_point_id")
        }
        return message["exchange"] in PUBLIC_EXCHANGES and bool(about & ids)

    expected = {
        "producer.registered",
        "product.registered",
        "dossier.submitted",
        "certificate.issued",
        "catalogue.listed",
        "tradefair.created",
        "invitation.sent",
        "invitation.accepted",
        "salespoint.product_added",
    }
    platform.tap.wait_for(
        lambda m: (
            ours(m) and m["routing_key"] in ("invitation.accepted", "salespoint.product_added")
        ),
        count=2,
    )
    events = [m for m in platform.tap.drain() if ours(m)]
    print(f"scanned {len(events)} public events")
    assert expected <= {m["routing_key"] for m in events}
    leaks = {
        m["routing_key"]: found
        for m in events
        if (found := found_in(json.dumps(m["body"], ensure_ascii=False), private_data()))
    }
    assert leaks == {}


def test_an_ordinary_subscriber_cannot_read_the_personal_data_exchange(platform, seeded, store_uri):
    """`registration.private` carries the households' names: a subscriber's user allowed the
    public exchanges is refused there; certification, which prints certificates, reads it."""
    bus = platform.bus
    login = bus.subscriber("marketplace", list(PUBLIC_EXCHANGES))
    with pika.BlockingConnection(pika_parameters(login)) as connection:
        channel = connection.channel()
        queue = channel.queue_declare("", exclusive=True).method.queue
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            channel.queue_bind(queue, "registration.private", routing_key="#")
    assert refused.value.reply_code == 403
    producers = MongoClient(store_uri).ocop_certification.producers
    for (body, _, _), each in zip(HOUSEHOLDS, seeded["households"], strict=True):
        known = eventually(lambda each=each: producers.find_one({"_id": each["producer"]["id"]}))
        assert known["name"] == body["name"]  # for the certificate it prints


def test_a_households_name_or_number_finds_none_of_its_products(platform, seeded):
    catalogue = f"{platform.api('trade_promotion')}/catalogue"
    theirs = {each["product"]["id"] for each in seeded["households"]}
    for needle in private_data():
        items = requests.get(catalogue, params={"q": needle, "limit": 200}, timeout=10).json()
        assert not theirs & {item["product_id"] for item in items["items"]}, needle
    control = requests.get(catalogue, params={"q": CONTROL[0]["name"]}, timeout=10).json()
    assert seeded["control"]["product"]["id"] in {item["product_id"] for item in control["items"]}


def private_data() -> list[str]:
    return [needle for _, _, private in HOUSEHOLDS for needle in private]


def public_urls(platform, seeded) -> list[str]:
    """Every public GET of every service, with our ids in its path and each value of its
    enumerated query parameters (and our province and products where it takes them)."""
    ours = [*seeded["households"], seeded["control"]]
    products = [each["product"]["id"] for each in ours]
    criteria = requests.get(f"{platform.api('scoring')}/criteria", timeout=10).json()
    batches = requests.get(
        f"{platform.api('registration')}/batches", params={"province_code": "19"}, timeout=10
    ).json()
    in_path = {
        "batch_id": [each["id"] for each in batches],
        "product_id": products,
        "number": [each["certificate"]["number"] for each in ours],
        "point_id": [seeded["point"]["id"]],
        "fair_id": [seeded["fair"]["id"]],
        "criteria_set": [each["code"] for each in criteria],
    }
    in_query = {"province_code": ["19"], "product_id": products}
    urls = []
    for service in SERVICES:
        base = platform.urls[service]
        document = requests.get(f"{base}/openapi.json", timeout=10).json()
        for path, methods in document["paths"].items():
            operation = methods.get("get")
            if operation is None or operation["security"] != []:
                continue
            for filled in fill(path, in_path):
                urls += [
                    f"{base}{filled}" + (f"?{urlencode(query)}" if query else "")
                    for query in query_variants(operation, in_query)
                ]
    return urls


def page_urls(platform, seeded) -> list[str]:
    """The portal's and the verification's HTML pages (and the verification's JSON, with and
    without the printed QR payload)."""
    trade, cert = platform.urls["trade_promotion"], platform.urls["certification"]
    ours = [*seeded["households"], seeded["control"]]
    urls = [
        f"{trade}/catalogue?limit=200",
        f"{trade}/catalogue?producer_kind=household&province_code=19",
        f"{trade}/map",
        f"{trade}/stats",
        f"{trade}/stats?province_code=19",
        *(f"{trade}/products/{each['product']['id']}" for each in ours),
    ]
    for each in ours:
        number, printed = each["certificate"]["number"], {"q": each["certificate"]["qr_payload"]}
        urls += [f"{cert}/verify/{number}", f"{cert}/verify/{number}?format=json"]
        urls += [f"{cert}/verify/{number}?{urlencode(printed)}"]
        urls += [
            f"{platform.api('certification')}/certificates/{number}/verification?{urlencode(printed)}"
        ]
    return urls
