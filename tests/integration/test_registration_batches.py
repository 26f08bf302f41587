"""Registration alone, on the real broker and nx-27017: provinces' evaluation batches (đợt),
dossiers sent in them, dossiers scoring returns, and renewal dossiers that name a
certificate certification told registration of."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import requests

from services.registration.service import RegistrationService
from shared.clock import VIETNAM
from shared.events import CertificateIssued, CertificateRevoked, DossierReturned
from tests.integration.test_registration_service import TEA, registered_product
from tests.support.amqp import cloud_event, parked, publish
from tests.support.auth import bearer, token
from tests.support.batches import batch_body, open_batch
from tests.support.waiting import eventually

TODAY = datetime.now(VIETNAM).date()  # the services' today
LABEL = {"kind": "label", "filename": "nhan.pdf", "sha256": "a" * 64}
STORY = {"kind": "product_story", "filename": "cau-chuyen.pdf", "sha256": "b" * 64}
PHOTO = {"kind": "photo", "filename": "anh.jpg", "sha256": "c" * 64}
OFFICER_19 = bearer(token("can-bo-19", roles=["province_officer"], provinces=["19"]))


@pytest.fixture
def api(start_service):
    _, url = start_service(RegistrationService)
    return f"{url}/api/v1"


def dossier(http, api, product_id: str, **body) -> requests.Response:
    return http.post(
        f"{api}/products/{product_id}/dossiers", json={"evidence": [LABEL], **body}, timeout=10
    )


def test_a_province_officer_opens_a_batch_that_anyone_may_read(http, api, tap):
    body = batch_body("19", number=2, name="Đợt 2", opens_on=str(TODAY), closes_on=str(TODAY))
    keyed = {**OFFICER_19, "Idempotency-Key": "dot-2"}
    opened = requests.post(f"{api}/batches", json=body, headers=keyed, timeout=10)
    assert opened.status_code == 201, opened.text
    batch = opened.json()
    assert (batch["number"], batch["open_today"], batch["closes_on"]) == (2, True, str(TODAY))
    assert "opened_by" not in batch  # who opened it is in the event, not in the public answer
    again = requests.post(f"{api}/batches", json=body, headers=keyed, timeout=10)
    assert again.status_code == 201 and again.json() == batch  # a retry: the same batch
    taken = requests.post(f"{api}/batches", json=body, headers=OFFICER_19, timeout=10)
    assert taken.status_code == 409 and "number" in taken.json()["fields"]
    # read without credentials: a producer learns of the batch before signing in
    listed = requests.get(f"{api}/batches", params={"province_code": "19"}, timeout=10)
    assert listed.status_code == 200 and [b["id"] for b in listed.json()] == [batch["id"]]
    assert requests.get(f"{api}/batches", params={"province_code": "08"}, timeout=10).json() == []
    assert requests.get(f"{api}/batches/{batch['id']}", timeout=10).json() == batch
    assert requests.get(f"{api}/batches/nope", timeout=10).status_code == 404
    [event] = tap.wait_for(lambda m: m["routing_key"] == "batch.opened")
    assert event["exchange"] == "registration.events"
    assert event["body"]["data"] == {
        "batch_id": batch["id"],
        "province_code": "19",
        "year": TODAY.year,
        "number": 2,
        "name": "Đợt 2",
        "opens_on": str(TODAY),
        "closes_on": str(TODAY),
        "opened_by": "can-bo-19",
    }
    tap.wait_for(lambda m: False, timeout=1)
    assert len(tap.of_type("batch.opened")) == 1  # the retry published nothing


def test_only_the_provinces_officers_and_systems_open_its_batches(api):
    refused = {
        "another province's officer": token("o-08", roles=["province_officer"], provinces=["08"]),
        "producer": token("p", roles=["producer"], producer_ids=["pr-1"]),
        "commune officer": token("c", roles=["commune_officer"], provinces=["19"], wards=["01933"]),
    }
    for who, credential in refused.items():
        answer = requests.post(
            f"{api}/batches", json=batch_body("19"), headers=bearer(credential), timeout=10
        )
        assert answer.status_code == 403, (who, answer.text)
    assert requests.post(f"{api}/batches", json=batch_body("19"), timeout=10).status_code == 401


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opens_on": "2026-09-02", "closes_on": "2026-09-01"}, "closes_on"),
        ({"number": 0}, "number"),
        ({"province_code": "99"}, "province_code"),
        ({"opens_on": "1 tháng 9"}, "opens_on"),
    ],
)
def test_a_batch_with_bad_dates_or_number_is_422_naming_the_field(http, api, overrides, field):
    answer = http.post(f"{api}/batches", json={**batch_body("19"), **overrides})
    assert answer.status_code == 422 and field in answer.json()["fields"], answer.text


def test_a_dossier_goes_only_into_an_open_batch_of_its_province(http, api, tap):
    product, year = registered_product(http, api, **TEA)["id"], TODAY.year
    none_open = dossier(http, api, product)
    assert none_open.status_code == 422, none_open.text
    assert "không có đợt đánh giá" in none_open.json()["fields"]["batch_id"]
    elsewhere = open_batch(http, api, "08")  # Tuyên Quang's: not the product's province
    assert dossier(http, api, product).status_code == 422
    named = dossier(http, api, product, batch_id=elsewhere)
    assert named.status_code == 422 and "batch_id" in named.json()["fields"]
    past = http.post(
        f"{api}/batches",
        json=batch_body(
            "19", number=9, opens_on=f"{year - 1}-12-01", closes_on=f"{year - 1}-12-31"
        ),
    ).json()["id"]
    closed = dossier(http, api, product, batch_id=past)
    assert closed.status_code == 422 and "batch_id" in closed.json()["fields"]
    batch = open_batch(http, api, "19")
    wrong_year = dossier(http, api, product, year=TODAY.year + 1)
    assert wrong_year.status_code == 422 and list(wrong_year.json()["fields"]) == ["year"]
    sent = dossier(http, api, product, year=TODAY.year)  # the one batch open today
    assert sent.status_code == 201, sent.text
    assert (sent.json()["batch_id"], sent.json()["year"]) == (batch, TODAY.year)
    [submitted] = tap.wait_for(lambda m: m["routing_key"] == "dossier.submitted")
    assert submitted["body"]["data"]["batch_id"] == batch


def sent_evidence(answer: requests.Response) -> list[dict]:
    """The evidence a dossier shows, without the metadata these tests send none of."""
    return [
        {field: value for field, value in each.items() if value is not None}
        for each in answer.json()["evidence"]
    ]


def returned_event(dossier_id: str, product_id: str, **fields) -> dict:
    data = DossierReturned(
        dossier_id=dossier_id,
        product_id=product_id,
        producer_id="pr",
        evaluation_id="e-1",
        province_code="19",
        returned_by_level="commune",
        returned_by="xa-dong-phuc",
        reasons=("Thiếu phiếu kết quả kiểm nghiệm", "Nhãn chưa ghi hạn sử dụng"),
        returned_on=TODAY,
        **fields,
    ).model_dump(mode="json")
    return cloud_event("dossier.returned", "scoring", data)


def test_a_returned_dossier_shows_why_and_frees_its_product_to_apply_again(http, api, bus, kept):
    first_batch = open_batch(http, api, "19")
    second_batch = http.post(f"{api}/batches", json=batch_body("19", number=2)).json()["id"]
    product = registered_product(http, api, **TEA)["id"]
    sent = dossier(http, api, product, batch_id=first_batch)
    assert sent.status_code == 201, sent.text
    busy = dossier(http, api, product, batch_id=second_batch)
    assert busy.status_code == 409 and "under evaluation" in busy.text
    event = returned_event(sent.json()["id"], product)
    for _ in range(2):  # delivered twice: applied once
        publish(bus, "scoring", "dossier.returned", event)
    url = f"{api}/dossiers/{sent.json()['id']}"
    shown = eventually(lambda: (found := http.get(url).json())["status"] == "returned" and found)
    assert shown["returned"] == {
        "evaluation_id": "e-1",
        "by_level": "commune",
        "by": "xa-dong-phuc",
        "reasons": ["Thiếu phiếu kết quả kiểm nghiệm", "Nhãn chưa ghi hạn sử dụng"],
        "on": str(TODAY),
    }
    other = registered_product(http, api, **TEA)["id"]  # a marker behind the duplicate
    marker = dossier(http, api, other, batch_id=first_batch).json()["id"]
    publish(bus, "scoring", "dossier.returned", returned_event(marker, other))
    eventually(lambda: http.get(f"{api}/dossiers/{marker}").json()["status"] == "returned")
    assert kept.dossiers.find_one({"id": sent.json()["id"]})["applied"] == [event["id"]]
    again = dossier(http, api, product, batch_id=first_batch, carry_over_evidence=True)
    assert again.status_code == 201, again.text  # the same batch, still open
    assert sent_evidence(again) == [LABEL] and again.json()["status"] == "submitted"


def test_a_ranked_dossier_ends_its_evaluation_and_frees_the_year(http, api, bus):
    first_batch = open_batch(http, api, "19")
    second_batch = http.post(f"{api}/batches", json=batch_body("19", number=2)).json()["id"]
    product = registered_product(http, api, **TEA)["id"]
    sent = dossier(http, api, product, batch_id=first_batch).json()
    assert dossier(http, api, product, batch_id=second_batch).status_code == 409
    ranked = cloud_event(
        "product.ranked",
        "scoring",
        {
            "evaluation_id": "e-ranked",
            "product_id": product,
            "producer_id": sent["producer_id"],
            "dossier_id": sent["id"],
            "product_name": "Chè",
            "group": "food",
            "province_code": "19",
            "criteria_set": "148-2023",
            "total": 83.0,
            "band_stars": 4,
            "stars": 4,
            "level": "province",
            "council_level": "province",
            "ranked_on": str(TODAY),
        },
    )
    publish(bus, "scoring", "product.ranked", ranked)
    url = f"{api}/dossiers/{sent['id']}"
    shown = eventually(lambda: (found := http.get(url).json())["status"] == "evaluated" and found)
    assert shown["evaluated"] == {
        "evaluation_id": "e-ranked",
        "outcome": "ranked",
        "stars": 4,
        "on": str(TODAY),
    }
    again = dossier(http, api, product, batch_id=second_batch)  # đợt 2 of the same year
    assert again.status_code == 201, again.text


def test_a_return_of_a_dossier_never_submitted_here_is_parked(http, api, bus):
    publish(bus, "scoring", "dossier.returned", returned_event("no-such-dossier", "p-x"))
    [message] = parked(bus, "registration")
    assert "no dossier no-such-dossier" in message["headers"]["x-parked-reason"]


def issued_event(number: str, product_id: str, expires_on: date) -> dict:
    data = CertificateIssued(
        certificate_number=number,
        product_id=product_id,
        producer_id="pr",
        product_name="Chè búp",
        group="food",
        province_code="19",
        stars=4,
        level="province",
        total=78,
        criteria_set="148-2023",
        evaluation_id="e-0",
        issued_on=TODAY,
        expires_on=expires_on,
    ).model_dump(mode="json")
    return cloud_event("certificate.issued", "certification", data)


def test_a_renewal_names_a_valid_certificate_of_the_product_and_carries_its_evidence(
    http, api, bus, kept, clock_file, tap
):
    this_year = open_batch(http, api, "19")
    product, other = (registered_product(http, api, **TEA)["id"] for _ in range(2))
    first = dossier(http, api, product, batch_id=this_year, evidence=[LABEL, STORY])
    assert first.status_code == 201, first.text
    expires_on = TODAY + timedelta(days=3 * 365)
    for number, holder in (("OCOP-19-A", product), ("OCOP-19-B", other)):
        publish(
            bus, "certification", "certificate.issued", issued_event(number, holder, expires_on)
        )
    revoked = CertificateRevoked(
        certificate_number="OCOP-19-B",
        product_id=other,
        producer_id="pr",
        revoked_on=TODAY,
        reason="Vi phạm",
        legal_basis="Quyết định 148/QĐ-TTg",
        revoked_by="o",
    ).model_dump(mode="json")
    publish(
        bus,
        "certification",
        "certificate.revoked",
        cloud_event("certificate.revoked", "certification", revoked),
    )
    eventually(lambda: kept.certificates.find_one({"_id": "OCOP-19-A"}))
    eventually(
        lambda: (kept.certificates.find_one({"_id": "OCOP-19-B"}) or {}).get("status") == "revoked"
    )
    clock_file.write_text(str(2 * 365))  # two years on: the certificate is due for renewal
    later = TODAY + timedelta(days=2 * 365)
    renewal_batch = http.post(f"{api}/batches", json=batch_body("19", today=later)).json()["id"]
    for number in ("OCOP-19-X", "OCOP-19-B"):  # unknown; another product's (and revoked)
        refused = dossier(http, api, product, batch_id=renewal_batch, renewal_of=number)
        assert refused.status_code == 422 and list(refused.json()["fields"]) == ["renewal_of"]
    revoked_renewal = dossier(http, api, other, batch_id=renewal_batch, renewal_of="OCOP-19-B")
    assert revoked_renewal.status_code == 422 and "revoked" in revoked_renewal.text
    renewal = dossier(
        http,
        api,
        product,
        batch_id=renewal_batch,
        renewal_of="OCOP-19-A",
        carry_over_evidence=True,
        evidence=[PHOTO],
    )
    assert renewal.status_code == 201, renewal.text
    assert renewal.json()["renewal_of"] == "OCOP-19-A"
    assert sent_evidence(renewal) == [LABEL, STORY, PHOTO]
    events = tap.wait_for(lambda m: m["routing_key"] == "dossier.submitted", count=2)
    data = events[-1]["body"]["data"]
    assert (data["renewal_of"], data["batch_id"], data["year"]) == (
        "OCOP-19-A",
        renewal_batch,
        later.year,
    )
    assert [e["sha256"] for e in data["evidence"]] == ["a" * 64, "b" * 64, "c" * 64]
