"""Registration alone: HTTP in, events out on the real broker, state in nx-27017 (batches,
renewals and returns: test_registration_batches.py)."""

from datetime import date

import pytest
import requests

from services.registration.service import RegistrationService
from tests.support.auth import bearer, token
from tests.support.batches import open_batch

SHA = "0" * 64
TEA = {"group": "food", "subgroup": "che-tuoi-che-che-bien"}  # tea is food (Phụ lục I, set 11)


@pytest.fixture
def api(start_service):
    _, url = start_service(RegistrationService)
    return f"{url}/api/v1"


@pytest.fixture
def batch(http, api):
    """Thái Nguyên's (19) evaluation batch of this year, open all year."""
    return open_batch(http, api, "19")


def register_producer(http, api, **overrides):
    body = {
        "name": "HTX Chè Đồng Phúc",
        "kind": "htx",
        "women_led": True,
        "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
        **overrides,
    }
    return http.post(f"{api}/producers", json=body)


def test_producer_product_dossier_each_publish_their_event(http, api, tap, batch):
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
            **TEA,
        },
    )
    assert product.status_code == 201
    dossier = http.post(
        f"{api}/products/{product.json()['id']}/dossiers",
        json={
            "batch_id": batch,
            "evidence": [{"kind": "label", "filename": "nhãn.pdf", "sha256": SHA}],
        },
    )
    assert dossier.status_code == 201
    assert (dossier.json()["batch_id"], dossier.json()["year"]) == (batch, date.today().year)

    events = tap.wait_for(lambda m: m["exchange"] == "registration.events", count=4)
    assert [m["routing_key"] for m in events] == [
        "batch.opened",
        "producer.registered",
        "product.registered",
        "dossier.submitted",
    ]
    submitted = events[3]["body"]
    assert submitted["data"]["dossier_id"] == dossier.json()["id"]
    assert submitted["data"]["group"] == "food" and submitted["data"]["province_code"] == "19"
    assert (submitted["data"]["batch_id"], submitted["data"]["renewal_of"]) == (batch, None)
    assert events[3]["content_type"] == "application/cloudevents+json"
    # one flow, one correlation id per request; every event its own id
    assert len({m["body"]["id"] for m in events}) == 4
    shown = http.get(f"{api}/dossiers/{dossier.json()['id']}").json()
    assert (shown["year"], shown["status"], shown["returned"]) == (
        date.today().year,
        "submitted",
        None,
    )


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
    response = http.post(f"{api}/products", json={"producer_id": "nope", "name": "x", **TEA})
    assert response.status_code == 422 and "producer_id" in response.json()["fields"]


def test_unknown_ids_are_404_in_the_error_format(http, api):
    for path in ("/producers/nope", "/products/nope", "/dossiers/nope", "/nothing-here"):
        response = http.get(f"{api}{path}")
        assert response.status_code == 404
        assert set(response.json()) == {"error", "fields"}
    evidence = [{"kind": "label", "filename": "a.pdf", "sha256": SHA}]
    response = http.post(f"{api}/products/nope/dossiers", json={"year": 2026, "evidence": evidence})
    assert response.status_code == 404


def test_second_dossier_in_the_same_batch_is_409(http, api, batch):
    producer = register_producer(http, api).json()
    product = http.post(
        f"{api}/products", json={"producer_id": producer["id"], "name": "x", **TEA}
    ).json()
    body = {"batch_id": batch, "evidence": [{"kind": "label", "filename": "a.pdf", "sha256": SHA}]}
    assert http.post(f"{api}/products/{product['id']}/dossiers", json=body).status_code == 201
    again = http.post(f"{api}/products/{product['id']}/dossiers", json=body)
    assert again.status_code == 409 and again.json()["fields"] == {"batch_id": "taken"}


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
        f"{api}/products", json={"producer_id": producer["id"], "name": "x", **TEA}
    ).json()
    response = http.post(
        f"{api}/products/{product['id']}/dossiers", json={"year": 2026, "evidence": [evidence]}
    )
    assert response.status_code == 422 and field in response.json()["fields"], response.json()


def test_health_reports_its_dependencies(http, api):
    health = http.get(api.replace("/api/v1", "/health"))
    assert health.status_code == 200
    assert health.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "outbox_relay": "ok",
        "event_consumer": "ok",  # registration hears of certificates and returned dossiers
    }


def test_an_idempotency_key_makes_a_retried_post_return_the_first_record(http, api, tap, batch):
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
    product = {"producer_id": first.json()["id"], "name": "Chè", **TEA}
    products = [
        http.post(f"{api}/products", json=product, headers={"Idempotency-Key": "sp-1"})
        for _ in range(3)
    ]
    assert len({p.json()["id"] for p in products}) == 1
    dossier = {
        "batch_id": batch,
        "evidence": [{"kind": "label", "filename": "a.pdf", "sha256": SHA}],
    }
    url = f"{api}/products/{products[0].json()['id']}/dossiers"
    dossiers = [http.post(url, json=dossier, headers={"Idempotency-Key": "hs-1"}) for _ in range(2)]
    assert [d.status_code for d in dossiers] == [201, 201] and dossiers[0].json() == dossiers[
        1
    ].json()
    assert (
        http.post(url, json=dossier).status_code == 409
    )  # without the key: a second dossier in the batch
    events = tap.wait_for(lambda m: m["exchange"] == "registration.events", count=4)
    tap.wait_for(lambda m: False, timeout=1)
    assert [m["routing_key"] for m in tap.drain()] == [
        "batch.opened",
        "producer.registered",
        "product.registered",
        "dossier.submitted",
    ]
    assert len(events) == 4


def registered_product(http, api, **product):
    producer = register_producer(http, api, legacy_address=None, address=PLACE).json()
    body = {"producer_id": producer["id"], "name": "Rượu ngô Bản Phố", **product}
    made = http.post(f"{api}/products", json=body)
    assert made.status_code == 201, made.json()
    return made.json()


PLACE = {"province_code": "19", "ward_code": "01933"}


def test_a_new_product_without_its_subgroup_is_422_listing_the_groups_codes(http, api):
    producer = register_producer(http, api).json()
    for subgroup in ({}, {"subgroup": None}):
        body = {"producer_id": producer["id"], "name": "Chè búp", "group": "food", **subgroup}
        response = http.post(f"{api}/products", json=body)
        assert response.status_code == 422, response.json()
        said = response.json()["fields"]["subgroup"]
        # every product set of the group, tea and coffee among them (they are food now)
        for code in ("rau-cu-qua-hat-tuoi", "che-tuoi-che-che-bien", "ca-phe-ca-cao"):
            assert code in said, said
        assert "ruou-trang" not in said
    drinks = {"producer_id": producer["id"], "name": "Chè búp", "group": "drinks"}
    wrong = http.post(f"{api}/products", json={**drinks, "subgroup": "che-tuoi-che-che-bien"})
    assert wrong.status_code == 422 and "ruou-trang" in wrong.json()["fields"]["subgroup"]


def test_a_province_officer_sets_a_products_subgroup_and_registration_says_so(http, api, tap):
    product = registered_product(http, api, group="drinks", subgroup="do-uong-co-con-khac")
    officer = bearer(token("can-bo-19", roles=["province_officer"], provinces=["19"]))
    url = f"{api}/products/{product['id']}/subgroup"
    answer = requests.put(url, json={"subgroup": "ruou-trang"}, headers=officer, timeout=10)
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["group"], answer.json()["subgroup"]) == ("drinks", "ruou-trang")
    assert http.get(f"{api}/products/{product['id']}").json()["subgroup"] == "ruou-trang"
    classified = tap.wait_for(lambda m: m["routing_key"] == "product.classified")
    assert classified and classified[0]["exchange"] == "registration.events"
    data = classified[0]["body"]["data"]
    assert (data["product_id"], data["group"], data["subgroup"]) == (
        product["id"],
        "drinks",
        "ruou-trang",
    )
    assert (data["previous_subgroup"], data["classified_by"], data["province_code"]) == (
        "do-uong-co-con-khac",
        "can-bo-19",  # a person signed in is recorded as themselves
        "19",
    )
    # the same again changes nothing and says nothing; a corrected group goes with it
    again = requests.put(url, json={"subgroup": "ruou-trang"}, headers=officer, timeout=10)
    assert again.status_code == 200 and again.json()["subgroup"] == "ruou-trang"
    moved = http.put(url, json={"group": "food", "subgroup": "che-tuoi-che-che-bien"})
    assert moved.status_code == 200 and moved.json()["group"] == "food"
    events = tap.wait_for(lambda m: m["routing_key"] == "product.classified", count=2)
    tap.wait_for(lambda m: False, timeout=1)
    assert [m["body"]["data"]["subgroup"] for m in tap.of_type("product.classified")] == [
        "ruou-trang",
        "che-tuoi-che-che-bien",
    ]
    assert len(events) == 2


def test_only_province_and_central_officers_set_a_subgroup(http, api, tap):
    product = registered_product(http, api, group="drinks", subgroup="do-uong-co-con-khac")
    url = f"{api}/products/{product['id']}/subgroup"
    refused = {
        "commune officer": token(
            "xa-dong-phuc", roles=["commune_officer"], provinces=["19"], wards=["01933"]
        ),
        "producer": token("chu-the", roles=["producer"], producer_ids=[product["producer_id"]]),
        "council member": token("member-1", roles=["council_member"], member_id="member-1"),
    }
    for who, credential in refused.items():
        answer = requests.put(
            url, json={"subgroup": "ruou-trang"}, headers=bearer(credential), timeout=10
        )
        assert answer.status_code == 403, (who, answer.status_code, answer.json())
    other_province = bearer(token("can-bo-08", roles=["province_officer"], provinces=["08"]))
    outside = requests.put(url, json={"subgroup": "ruou-trang"}, headers=other_province, timeout=10)
    assert outside.status_code == 403, outside.json()
    central = bearer(token("can-bo-tw", roles=["central_officer"]))
    allowed = requests.put(url, json={"subgroup": "ruou-trang"}, headers=central, timeout=10)
    assert allowed.status_code == 200, allowed.json()
    assert http.get(f"{api}/products/{product['id']}").json()["subgroup"] == "ruou-trang"
    assert len(tap.wait_for(lambda m: m["routing_key"] == "product.classified")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subgroup": "tra-sua-tran-chau"}, "subgroup"),  # no such product set
        ({"subgroup": "rau-cu-qua-hat-tuoi"}, "subgroup"),  # a food set, the product is drinks
        ({"group": "spirits", "subgroup": "ruou-trang"}, "group"),
        ({}, "subgroup"),
    ],
)
def test_an_unknown_subgroup_is_422_and_changes_nothing(http, api, tap, body, field):
    product = registered_product(http, api, group="drinks", subgroup="do-uong-co-con-khac")
    answer = http.put(f"{api}/products/{product['id']}/subgroup", json=body)
    assert answer.status_code == 422 and field in answer.json()["fields"], answer.json()
    assert http.get(f"{api}/products/{product['id']}").json()["subgroup"] == "do-uong-co-con-khac"
    tap.wait_for(lambda m: False, timeout=1)
    assert tap.of_type("product.classified") == []


def test_the_subgroup_of_an_unknown_product_is_404(http, api):
    answer = http.put(f"{api}/products/nope/subgroup", json={"subgroup": "ruou-trang"})
    assert answer.status_code == 404
