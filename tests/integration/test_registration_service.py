"""Registration alone: HTTP in, events out on the real broker, state in nx-27017."""

import pytest

from services.registration.service import RegistrationService

SHA = "0" * 64


@pytest.fixture
def api(start_service):
    _, url = start_service(RegistrationService)
    return f"{url}/api/v1"


def register_producer(http, api, **overrides):
    body = {
        "name": "HTX Chè Đồng Phúc",
        "kind": "htx",
        "women_led": True,
        "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
        **overrides,
    }
    return http.post(f"{api}/producers", json=body)


def test_producer_product_dossier_each_publish_their_event(http, api, tap):
    producer = register_producer(http, api)
    assert producer.status_code == 201
    assert producer.json()["address"] == {
        "province_code": "19",
        "province_name": "Thái Nguyên",
        "ward_code": "01933",
        "ward_name": "Xã Đồng Phúc",
        "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
    }
    product = http.post(
        f"{api}/products",
        json={
            "producer_id": producer.json()["id"],
            "name": "Chè búp",
            "group": "food",
            "subgroup": "rau-cu-qua-hat-tuoi",
        },
    )
    assert product.status_code == 201
    dossier = http.post(
        f"{api}/products/{product.json()['id']}/dossiers",
        json={"year": 2026, "evidence": [{"kind": "label", "filename": "nhãn.pdf", "sha256": SHA}]},
    )
    assert dossier.status_code == 201

    events = tap.wait_for(lambda m: m["exchange"] == "registration.events", count=3)
    assert [m["routing_key"] for m in events] == [
        "producer.registered",
        "product.registered",
        "dossier.submitted",
    ]
    submitted = events[2]["body"]
    assert submitted["data"]["dossier_id"] == dossier.json()["id"]
    assert submitted["data"]["group"] == "food" and submitted["data"]["province_code"] == "19"
    assert events[2]["content_type"] == "application/cloudevents+json"
    # one flow, one correlation id per request; every event its own id
    assert len({m["body"]["id"] for m in events}) == 3
    assert http.get(f"{api}/dossiers/{dossier.json()['id']}").json()["year"] == 2026


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "cooperative"}, "kind"),
        ({"name": ""}, "name"),
        ({"women_led": "maybe"}, "women_led"),
        ({"tax_code": "12"}, "tax_code"),
        ({"legacy_address": None}, "address"),  # neither address form
        ({"address": {"province_code": "19", "ward_code": "01933"}}, "legacy_address"),  # both
        (
            {"legacy_address": None, "address": {"province_code": True, "ward_code": "01933"}},
            "address.province_code",
        ),
        (
            {"legacy_address": None, "address": {"province_code": 10**30, "ward_code": "01933"}},
            "address.province_code",
        ),
        ({"legacy_address": "Xã Bản Xen, Huyện Mường Khương, Tỉnh Lào Cai"}, "legacy_address"),
        (
            {"legacy_address": None, "address": {"province_code": "19", "ward_code": "26740"}},
            "address.ward_code",
        ),
        ({"legacy_address": None, "address": {"province_code": "19"}}, "address.ward_code"),
        ({"surname": "x"}, "surname"),
    ],
)
def test_bad_producer_input_is_422_naming_the_field(http, api, body, field):
    response = register_producer(http, api, **body)
    assert response.status_code == 422
    assert field in response.json()["fields"], response.json()


def test_unparseable_body_is_422_naming_the_body(http, api):
    response = http.post(
        f"{api}/producers", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and "body" in response.json()["fields"]


def test_product_of_unknown_producer_names_producer_id(http, api):
    response = http.post(
        f"{api}/products", json={"producer_id": "nope", "name": "x", "group": "food"}
    )
    assert response.status_code == 422 and "producer_id" in response.json()["fields"]


def test_unknown_ids_are_404_in_the_error_format(http, api):
    for path in ("/producers/nope", "/products/nope", "/dossiers/nope", "/nothing-here"):
        response = http.get(f"{api}{path}")
        assert response.status_code == 404
        assert set(response.json()) == {"error", "fields"}
    evidence = [{"kind": "label", "filename": "a.pdf", "sha256": SHA}]
    response = http.post(f"{api}/products/nope/dossiers", json={"year": 2026, "evidence": evidence})
    assert response.status_code == 404


def test_second_dossier_for_the_same_year_is_409(http, api):
    producer = register_producer(http, api).json()
    product = http.post(
        f"{api}/products", json={"producer_id": producer["id"], "name": "x", "group": "food"}
    ).json()
    body = {"year": 2026, "evidence": [{"kind": "label", "filename": "a.pdf", "sha256": SHA}]}
    assert http.post(f"{api}/products/{product['id']}/dossiers", json=body).status_code == 201
    again = http.post(f"{api}/products/{product['id']}/dossiers", json=body)
    assert again.status_code == 409 and "year" in again.json()["fields"]


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        ({"kind": "label", "filename": "../../etc/passwd", "sha256": SHA}, "evidence.0.filename"),
        ({"kind": "label", "filename": "a.pdf", "sha256": "XYZ"}, "evidence.0.sha256"),
        ({"kind": "selfie", "filename": "a.pdf", "sha256": SHA}, "evidence.0.kind"),
    ],
)
def test_bad_evidence_names_the_field(http, api, evidence, field):
    producer = register_producer(http, api).json()
    product = http.post(
        f"{api}/products", json={"producer_id": producer["id"], "name": "x", "group": "food"}
    ).json()
    response = http.post(
        f"{api}/products/{product['id']}/dossiers", json={"year": 2026, "evidence": [evidence]}
    )
    assert response.status_code == 422 and field in response.json()["fields"], response.json()


def test_health_reports_its_dependencies(http, api):
    health = http.get(api.replace("/api/v1", "/health"))
    assert health.status_code == 200
    assert health.json()["checks"] == {"database": "ok", "broker": "ok", "outbox_relay": "ok"}


def test_an_idempotency_key_makes_a_retried_post_return_the_first_record(http, api, tap):
    headers = {"Idempotency-Key": "tinh-19/ho-so-0042"}
    first = http.post(
        f"{api}/producers",
        headers=headers,
        json={
            "name": "HTX Chè",
            "kind": "htx",
            "women_led": False,
            "address": {"province_code": "19", "ward_code": "01933"},
        },
    )
    again = http.post(
        f"{api}/producers",
        headers=headers,
        json={
            "name": "HTX Chè",
            "kind": "htx",
            "women_led": False,
            "address": {"province_code": "19", "ward_code": "01933"},
        },
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = http.post(
        f"{api}/producers",
        headers=headers,
        json={
            "name": "Another",
            "kind": "htx",
            "women_led": False,
            "address": {"province_code": "19", "ward_code": "01933"},
        },
    )
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["fields"]
    product = {"producer_id": first.json()["id"], "name": "Chè", "group": "food"}
    products = [
        http.post(f"{api}/products", json=product, headers={"Idempotency-Key": "sp-1"})
        for _ in range(3)
    ]
    assert len({p.json()["id"] for p in products}) == 1
    dossier = {"year": 2026, "evidence": [{"kind": "label", "filename": "a.pdf", "sha256": SHA}]}
    url = f"{api}/products/{products[0].json()['id']}/dossiers"
    dossiers = [http.post(url, json=dossier, headers={"Idempotency-Key": "hs-1"}) for _ in range(2)]
    assert [d.status_code for d in dossiers] == [201, 201] and dossiers[0].json() == dossiers[
        1
    ].json()
    assert (
        http.post(url, json=dossier).status_code == 409
    )  # without the key: a second dossier for 2026
    events = tap.wait_for(lambda m: m["exchange"] == "registration.events", count=3)
    tap.wait_for(lambda m: False, timeout=1)
    assert [m["routing_key"] for m in tap.drain()] == [
        "producer.registered",
        "product.registered",
        "dossier.submitted",
    ]
    assert len(events) == 3
