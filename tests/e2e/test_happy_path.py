"""Register → score → certify → list and invite, across four service processes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from shared.clock import VIETNAM
from shared.events import CloudEvent, exchange_of
from shared.events.envelope import _split_type
from shared.events.registry import model_for
from tests.contract.payloads import problems
from tests.support.amqp import parked, publish
from tests.support.assessment import assess_and_open
from tests.support.batches import open_batch
from tests.support.certifying import recognise
from tests.support.sheets import answers_for_four_stars
from tests.support.waiting import eventually

SHA = "ab" * 32
EXCHANGES = {
    exchange_of(s): s for s in ("registration", "scoring", "certification", "trade_promotion")
}


def fair_body(**overrides) -> dict:
    return {
        "name": "Hội chợ OCOP Thái Nguyên",
        "starts_on": str(date.today() + timedelta(days=60)),
        "ends_on": str(date.today() + timedelta(days=64)),
        "province_code": "19",
        "min_stars": 3,
        "groups": ["food"],
        **overrides,
    }


def run_flow(http, platform) -> dict:
    """One product through the whole path; returns the ids met on the way."""
    reg, sco, cer, tra = (
        platform.api(s) for s in ("registration", "scoring", "certification", "trade_promotion")
    )
    fair = http.post(f"{tra}/trade-fairs", json=fair_body()).json()
    producer = http.post(
        f"{reg}/producers",
        json={
            "name": "HTX Chè Đồng Phúc",
            "kind": "htx",
            "women_led": True,
            "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
        },
    ).json()
    assert producer["address"]["province_name"] == "Thái Nguyên"
    product = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer["id"],
            "name": "Cam sành Hàm Yên",
            "group": "food",
            "subgroup": "rau-cu-qua-hat-tuoi",
        },
    ).json()
    batch = open_batch(http, reg, product["province_code"])
    dossier = http.post(
        f"{reg}/products/{product['id']}/dossiers",
        json={
            "batch_id": batch,
            "year": date.today().year,
            "evidence": [{"kind": "label", "filename": "nhan.pdf", "sha256": SHA}],
        },
    )
    assert dossier.status_code == 201
    evaluation = eventually(
        lambda: http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
    )[0]
    assert evaluation["batch_id"] == batch  # carried by dossier.submitted
    # the commune assesses and proposes the dossier, the province opens its round
    assess_and_open(http.post, f"{sco}/evaluations/{evaluation['id']}")
    sheet = http.get(f"{sco}/evaluations/{evaluation['id']}/sheet").json()
    for member in evaluation["members"]:
        response = http.post(
            f"{sco}/evaluations/{evaluation['id']}/scoresheets",
            json={"member_id": member, "answers": answers_for_four_stars(sheet)},
        )
        assert response.status_code == 201
    correlation_id = f"close-{evaluation['id']}"
    ranking = http.post(
        f"{sco}/evaluations/{evaluation['id']}/close",
        json={"closed_by": "member-1"},
        headers={"X-Correlation-Id": correlation_id},
    ).json()
    assert (ranking["kind"], ranking["stars"], ranking["level"]) == ("ranked", 4, "province")
    decision_correlation_id = f"decision-{evaluation['id']}"
    decision = recognise(http, cer, [evaluation["id"]], decision_correlation_id)
    certificate = eventually(
        lambda: http.get(f"{cer}/certificates", params={"product_id": product["id"]}).json()
    )[0]
    assert certificate["stars"] == 4 and certificate["decision_id"] == decision["id"]
    assert certificate["issued_on"] == decision["signed_on"]
    issued = date.fromisoformat(certificate["issued_on"])
    assert date.fromisoformat(certificate["expires_on"]).year == issued.year + 3
    listed = eventually(
        lambda: [
            item
            for item in http.get(f"{tra}/catalogue", params={"province_code": "19"}).json()["items"]
            if item["product_id"] == product["id"]
        ]
    )
    assert listed[0]["certificate_number"] == certificate["number"]
    invitations = eventually(
        lambda: [
            each
            for each in http.get(f"{tra}/trade-fairs/{fair['id']}/invitations").json()
            if each["product_id"] == product["id"]  # other tests' products may qualify too
        ]
    )
    assert len(invitations) == 1
    return {
        "fair": fair,
        "product": product,
        "evaluation": evaluation,
        "certificate": certificate,
        "dossier": dossier.json(),
        "batch": batch,
        "correlation_id": correlation_id,
        "decision_correlation_id": decision_correlation_id,
    }


@pytest.fixture(scope="module")
def flow(platform):
    import requests

    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {platform.key}"
        return run_flow(http, platform)


def test_the_whole_path_emits_every_event_as_a_valid_cloudevent(platform, flow):
    expected = {
        "producer.registered",
        "product.registered",
        "dossier.submitted",
        "evaluation.opened",
        "scoresheet.submitted",
        "evaluation.closed",
        "product.ranked",
        "recognition.proposed",
        "recognition.decided",
        "certificate.issued",
        "catalogue.listed",
        "tradefair.created",
        "invitation.sent",
    }
    platform.tap.wait_for(lambda m: m["routing_key"] == "invitation.sent")
    messages = platform.tap.drain()
    assert expected <= {m["routing_key"] for m in messages}
    ids = [m["body"]["id"] for m in messages]
    assert len(ids) == len(set(ids)), "every event has its own id"
    for message in messages:
        assert message["content_type"] == "application/cloudevents+json"
        envelope = CloudEvent.model_validate(message["body"])
        name, version = _split_type(envelope.type)
        assert name == message["routing_key"]
        assert envelope.source == f"/ocop/{EXCHANGES[message['exchange']]}"
        model_for(name, version).model_validate(envelope.data)
        assert problems(message["body"]) == [], "every event matches its AsyncAPI schema"
    by_type = {
        m["routing_key"]: m["body"]
        for m in messages
        if m["body"]["subject"]
        in (f"product/{flow['product']['id']}", f"evaluation/{flow['evaluation']['id']}")
    }
    # one business step keeps one correlation id from service to service
    assert (
        by_type["evaluation.opened"]["correlationid"]
        == by_type["dossier.submitted"]["correlationid"]
    )
    assert (
        by_type["recognition.proposed"]["correlationid"]
        == by_type["product.ranked"]["correlationid"]
    )
    # the decision starts a step of its own: recorded → issued → listed
    assert by_type["certificate.issued"]["correlationid"] == flow["decision_correlation_id"]
    assert by_type["catalogue.listed"]["correlationid"] == flow["decision_correlation_id"]


def test_one_correlation_id_follows_the_flow_through_every_service_log(platform, flow):
    """The council's close starts a chain (ranked → proposed), and the recorded decision
    another (decided → issued → listed, invited); every service's JSON log lines for each
    carry the id the client sent."""
    close = log_lines(platform, flow["correlation_id"], ("scoring", "certification"))
    handled = [line for line in close["certification"] if line.get("event_type")]
    assert handled and handled[0]["event_type"] == "product.ranked" and handled[0]["event_id"]
    decision = log_lines(
        platform, flow["decision_correlation_id"], ("certification", "trade_promotion")
    )
    handled = {line.get("event_type") for line in decision["trade_promotion"]}
    assert "certificate.issued" in handled


def log_lines(platform, wanted: str, services: tuple[str, ...]) -> dict[str, list[dict]]:
    lines = {
        service: [
            line
            for text in (platform.logs / f"{service}.log").read_text().splitlines()
            if (line := json_or_none(text)) and line.get("correlation_id") == wanted
        ]
        for service in services
    }
    assert all(lines.values()), {service: len(found) for service, found in lines.items()}
    assert all(line["service"] == service for service, found in lines.items() for line in found)
    return lines


def json_or_none(text: str) -> dict | None:
    try:
        line = json.loads(text)
    except ValueError:
        return None  # eventlet's warnings and other lines not written by our logging
    return line if isinstance(line, dict) else None


def test_a_fair_created_later_invites_the_listed_product(platform, flow, http):
    tra = platform.api("trade_promotion")
    later = http.post(
        f"{tra}/trade-fairs", json=fair_body(name="Hội chợ mùa xuân", groups=[])
    ).json()

    def invited() -> set[str]:
        answer = http.get(f"{tra}/trade-fairs/{later['id']}/invitations").json()
        return {each["product_id"] for each in answer}

    # the fair invites every listed product, one write each (other tests' products too):
    # wait for this one, not for the first invitation
    eventually(lambda: flow["product"]["id"] in invited())


def test_redelivered_events_have_one_effect(platform, flow, http):
    tap = platform.tap
    tap.wait_for(lambda m: m["routing_key"] == "invitation.sent")
    product_id = flow["product"]["id"]
    originals = {
        m["routing_key"]: m
        for m in tap.drain()
        if m["body"]["subject"] in (f"product/{product_id}",)
    }
    effects = ("evaluation.opened", "certificate.issued", "catalogue.listed", "invitation.sent")
    # distinct ids: the copies published here share their original's id; a second effect would not
    counts_before = {key: len({m["body"]["id"] for m in tap.of_type(key)}) for key in effects}
    for routing_key in ("dossier.submitted", "product.ranked", "certificate.issued"):
        message = originals[routing_key]
        for _ in range(2):
            publish(platform.bus, EXCHANGES[message["exchange"]], routing_key, message["body"])
    tap.wait_for(lambda m: False, timeout=3)  # give the duplicates time to be handled
    counts_after = {key: len({m["body"]["id"] for m in tap.of_type(key)}) for key in effects}
    assert counts_after == counts_before
    sco, cer, tra = (platform.api(s) for s in ("scoring", "certification", "trade_promotion"))
    assert len(http.get(f"{sco}/evaluations", params={"product_id": product_id}).json()) == 1
    assert len(http.get(f"{cer}/certificates", params={"product_id": product_id}).json()) == 1
    listed = [
        i for i in http.get(f"{tra}/catalogue").json()["items"] if i["product_id"] == product_id
    ]
    assert len(listed) == 1
    invitations = http.get(f"{tra}/trade-fairs/{flow['fair']['id']}/invitations").json()
    assert [each["product_id"] for each in invitations].count(product_id) == 1


@pytest.mark.parametrize(
    ("service", "path", "body", "field"),
    [
        ("registration", "/producers", {"name": "x", "kind": "htx", "women_led": True}, "address"),
        (
            "registration",
            "/producers",
            {
                "name": "x",
                "kind": "farm",
                "women_led": True,
                "address": {"province_code": "19", "ward_code": "01933"},
            },
            "kind",
        ),
        (
            "registration",
            "/products",
            {"producer_id": "nope", "name": "x", "group": "food"},
            "producer_id",
        ),
        ("trade_promotion", "/trade-fairs", fair_body(ends_on="2000-01-01"), "ends_on"),
        ("trade_promotion", "/trade-fairs", fair_body(min_stars=9), "min_stars"),
    ],
)
def test_bad_input_is_422_naming_the_field(platform, http, service, path, body, field):
    response = http.post(f"{platform.api(service)}{path}", json=body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert "Traceback" not in response.text


def test_bad_dossier_and_score_sheet_are_422(platform, flow, http):
    reg, sco = platform.api("registration"), platform.api("scoring")
    response = http.post(
        f"{reg}/products/{flow['product']['id']}/dossiers",
        json={"year": 2027, "evidence": [{"kind": "label", "filename": "a/b", "sha256": SHA}]},
    )
    assert response.status_code == 422 and "evidence.0.filename" in response.json()["fields"]
    response = http.post(
        f"{sco}/evaluations/{flow['evaluation']['id']}/scoresheets",
        json={"member_id": "member-1", "answers": {}},
    )
    assert response.status_code == 409  # the round is closed


def test_a_poison_message_is_parked_and_the_platform_carries_on(platform, flow, http):
    publish(
        platform.bus,
        "certification",
        "certificate.issued",
        b"\x00garbage",
        content_type="application/json",
    )
    found = parked(platform.bus, "trade_promotion")
    assert len(found) == 1 and "cannot be decoded" in found[0]["headers"]["x-parked-reason"]
    tra = platform.api("trade_promotion")
    another = http.post(f"{tra}/trade-fairs", json=fair_body(name="Sau sự cố")).json()
    assert eventually(lambda: http.get(f"{tra}/trade-fairs/{another['id']}/invitations").json())


def test_revoking_the_certificate_delists_the_product_and_withdraws_its_invitations(
    platform, flow, http
):
    cer, tra = platform.api("certification"), platform.api("trade_promotion")
    number, product_id = flow["certificate"]["number"], flow["product"]["id"]
    revoked = http.post(
        f"{cer}/certificates/{number}/revoke",
        json={
            "revoked_by": "so-nnmt-19",
            "reason_code": "food_safety_violation",
            "note": "Mẫu kiểm nghiệm vượt ngưỡng vi sinh",
            "decision": {
                "number": f"{number[-5:]}/QĐ-UBND",
                "signed_on": str(datetime.now(VIETNAM).date()),
                "signer": "Nguyễn Văn An",
                "document": {"url": "https://thainguyen.gov.vn/van-ban/thu-hoi.pdf"},
            },
        },
    )
    assert revoked.json()["status"] == "revoked", revoked.text
    assert revoked.json()["revocation"]["reason_code"] == "food_safety_violation"
    eventually(
        lambda: (
            product_id
            not in {i["product_id"] for i in http.get(f"{tra}/catalogue").json()["items"]}
        )
    )
    invitations = eventually(
        lambda: [
            i
            for i in http.get(f"{tra}/trade-fairs/{flow['fair']['id']}/invitations").json()
            if i["status"] == "withdrawn" and i["product_id"] == product_id
        ]
    )
    assert len(invitations) == 1
    platform.tap.wait_for(lambda m: m["routing_key"] == "invitation.withdrawn")
    delisted = [
        m
        for m in platform.tap.of_type("catalogue.delisted")
        if m["body"]["data"]["product_id"] == product_id
    ]
    assert delisted[0]["body"]["data"]["reason"] == "revoked"
    verification = http.get(
        f"{platform.urls['certification']}/verify/{number}", params={"format": "json"}
    ).json()
    assert verification["status"] == "revoked"
