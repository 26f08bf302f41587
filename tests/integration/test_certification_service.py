"""Certification alone: rankings wait as proposals; recorded decisions issue, supersede,
renew and revoke; sweeps; verification."""

import subprocess
from datetime import date, datetime, timedelta

import pytest

from services.certification.service import CertificationService
from shared.clock import VIETNAM
from tests.support.amqp import cloud_event, parked, publish
from tests.support.waiting import eventually


def ranked_event(evaluation_id="e1", product_id="p1", stars=4, level="province", **data):
    return cloud_event(
        "product.ranked",
        "scoring",
        {
            "evaluation_id": evaluation_id,
            "product_id": product_id,
            "producer_id": "pr1",
            "dossier_id": "d1",
            "product_name": "Chè búp",
            "group": "food",
            "subgroup": None,
            "province_code": "19",
            "criteria_set": "148-2023",
            "total": 83.0,
            "band_stars": stars,
            "stars": stars,
            "level": level,
            "council_level": "province",
            "capped_by": [],
            "ranked_on": "2026-11-28",
            **data,
        },
    )


@pytest.fixture
def service(start_service):
    # one worker: events are handled in the order published, so once a later event is
    # done the earlier ones are too
    return start_service(CertificationService, max_workers=1)


@pytest.fixture
def api(service):
    return f"{service[1]}/api/v1"


@pytest.fixture
def amqp(bus):
    return bus


def certificates(http, api, product_id="p1"):
    return http.get(f"{api}/certificates", params={"product_id": product_id}).json()


DOCUMENT = {"url": "https://thainguyen.gov.vn/van-ban/qd-1032.pdf", "sha256": "cd" * 32}
SIGNED_ON = date(2026, 12, 1)  # after the rankings' 28/11/2026, before any test runs


def decision_body(evaluation_ids, number="1032/QĐ-UBND", level="province", **fields):
    body = {
        "number": number,
        "signed_on": SIGNED_ON.isoformat(),
        "signer": "Nguyễn Văn An",
        "signer_title": "Phó Chủ tịch",
        "level": level,
        "evaluation_ids": list(evaluation_ids),
        "document": DOCUMENT,
        **({"province_code": "19"} if level == "province" else {}),
    }
    return {**body, **fields}


def proposals(http, api, **params):
    return http.get(f"{api}/proposals", params=params).json()


def decide(http, api, evaluation_ids, **fields):
    answer = http.post(f"{api}/decisions", json=decision_body(evaluation_ids, **fields))
    assert answer.status_code == 201, answer.text
    decision = answer.json()
    return eventually(
        lambda: (
            len(found := http.get(f"{api}/decisions/{decision['id']}").json()["certificates"])
            >= len(evaluation_ids)
            and found
        )
    )


def issue(http, api, amqp, **fields):
    """A ranking, its proposal, and a decision recognising it: the certificate."""
    publish(amqp, "scoring", "product.ranked", ranked_event(**fields))
    evaluation_id = fields.get("evaluation_id", "e1")
    eventually(lambda: [p for p in proposals(http, api) if p["evaluation_id"] == evaluation_id])
    level = fields.get("level", "province")
    decide(http, api, [evaluation_id], number=f"{evaluation_id}/QĐ-UBND", level=level)
    product_id = fields.get("product_id", "p1")
    return next(
        each
        for each in certificates(http, api, product_id)
        if each["evaluation_id"] == evaluation_id
    )


def test_a_ranking_waits_as_one_proposal_and_certifies_nothing_by_itself(http, api, amqp, tap):
    event = ranked_event()
    for _ in range(3):
        publish(amqp, "scoring", "product.ranked", event)
    proposed = tap.wait_for(lambda m: m["routing_key"] == "recognition.proposed")
    tap.wait_for(lambda m: False, timeout=1.5)
    assert len(tap.of_type("recognition.proposed")) == 1 and tap.of_type("certificate.issued") == []
    assert proposed[0]["body"]["data"]["stars"] == 4 and certificates(http, api) == []
    assert [(p["evaluation_id"], p["status"], p["action"]) for p in proposals(http, api)] == [
        ("e1", "pending", "recognise")
    ]


def test_one_decision_certifies_many_with_its_number_and_date(http, api, amqp, tap):
    for index in (1, 2, 3):
        publish(amqp, "scoring", "product.ranked", ranked_event(f"e{index}", f"p{index}"))
    eventually(lambda: len(proposals(http, api)) == 3)
    numbers = decide(http, api, ["e1", "e2"])
    assert len(numbers) == 2
    for product_id in ("p1", "p2"):
        (certificate,) = certificates(http, api, product_id)
        assert certificate["decision_number"] == "1032/QĐ-UBND"
        assert certificate["issued_on"] == SIGNED_ON.isoformat()
        assert certificate["expires_on"] == "2029-12-01"  # 36 months from the signing
        assert certificate["issuing_body"] == "Ủy ban nhân dân tỉnh Thái Nguyên"
        assert (
            certificate["number"] == f"OCOP-19-2026-0000{numbers.index(certificate['number']) + 1}"
        )
    assert certificates(http, api, "p3") == []  # not in the decision: still waiting
    assert [p["evaluation_id"] for p in proposals(http, api)] == ["e3"]
    decided = tap.wait_for(lambda m: m["routing_key"] == "recognition.decided")[0]["body"]["data"]
    assert decided["product_ids"] == ["p1", "p2"] and decided["signer"] == "Nguyễn Văn An"
    assert decided["document"]["url"] == DOCUMENT["url"]


def test_a_decision_that_does_not_fit_its_proposals_is_refused_naming_the_field(http, api, amqp):
    publish(amqp, "scoring", "product.ranked", ranked_event())
    eventually(lambda: proposals(http, api))
    post = lambda **fields: http.post(f"{api}/decisions", json=decision_body(["e1"], **fields))  # noqa: E731
    cases = {
        "evaluation_ids": http.post(
            f"{api}/decisions", json=decision_body(["e1", "nope"], number="9/QĐ-UBND")
        ),
        "signed_on": post(signed_on=(vietnam_today() + timedelta(days=2)).isoformat()),
        "province_code": post(level="central", province_code="19"),
        "document": post(document={"url": "not a url"}),
    }
    for field, answer in cases.items():
        assert answer.status_code == 422 and field in str(answer.json()), (field, answer.text)
    before_ranking = post(signed_on="2026-11-27")
    assert before_ranking.status_code == 422 and "signed_on" in before_ranking.json()["fields"]
    assert post().status_code == 201
    assert post().status_code == 409  # the number is taken
    again = post(number="1033/QĐ-UBND")
    assert again.status_code == 422 and "already decided" in again.text


def test_a_repeated_request_records_one_decision(http, api, amqp, tap):
    publish(amqp, "scoring", "product.ranked", ranked_event())
    eventually(lambda: proposals(http, api))
    headers = {"Idempotency-Key": "qd-1032"}
    first = http.post(f"{api}/decisions", json=decision_body(["e1"]), headers=headers)
    second = http.post(f"{api}/decisions", json=decision_body(["e1"]), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    eventually(lambda: certificates(http, api))
    tap.wait_for(lambda m: False, timeout=1)
    assert len(tap.of_type("recognition.decided")) == 1
    assert len(tap.of_type("certificate.issued")) == 1


def test_two_instances_issuing_at_once_never_repeat_a_number(
    http, amqp, start_service, service_config
):
    from shared.devstack.processes import free_port

    _, first = start_service(CertificationService)
    start_service(CertificationService, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
    for index in range(40):
        publish(
            amqp,
            "scoring",
            "product.ranked",
            ranked_event(evaluation_id=f"e{index}", product_id=f"p{index}"),
        )
    api = f"{first}/api/v1"
    eventually(lambda: len(proposals(http, api)) == 40, timeout=60)
    decide(http, api, [f"e{index}" for index in range(40)])
    numbers = eventually(
        lambda: (
            len(http.get(f"{api}/certificates").json()) == 40
            and [c["number"] for c in http.get(f"{api}/certificates").json()]
        ),
        timeout=60,
    )
    sequences = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert sequences == list(range(1, 41))


def test_a_higher_result_supersedes_a_lower_one_never_the_reverse(http, api, amqp, tap):
    three = issue(http, api, amqp, stars=3)
    issue(http, api, amqp, evaluation_id="e2", stars=4)
    by_number = {c["number"]: c for c in certificates(http, api)}
    assert by_number[three["number"]]["status"] == "superseded"
    newer = next(c for c in by_number.values() if c["number"] != three["number"])
    assert by_number[three["number"]]["superseded_by"] == newer["number"] and newer["stars"] == 4
    publish(amqp, "scoring", "product.ranked", ranked_event(evaluation_id="e3", stars=3))
    publish(
        amqp, "scoring", "product.ranked", ranked_event(evaluation_id="marker", product_id="pm")
    )
    eventually(lambda: [p for p in proposals(http, api) if p["product_id"] == "pm"])
    assert [p["evaluation_id"] for p in proposals(http, api)] == ["marker"]  # e3 changes nothing
    assert len(certificates(http, api)) == 2
    assert len(tap.wait_for(lambda m: m["routing_key"] == "certificate.superseded")) == 1


def days_until(day: str, offset: int = 0) -> int:
    """Days from the services' today (the date in Vietnam, moved by the clock file) to `day`."""
    return (date.fromisoformat(day) - vietnam_today()).days - offset


def vietnam_today() -> date:
    return datetime.now(VIETNAM).date()


def test_renewal_notice_once_then_renewal_by_re_evaluation(http, api, amqp, tap, clock_file):
    certificate = issue(http, api, amqp)
    days_to_expiry = days_until(certificate["expires_on"])
    clock_file.write_text(str(days_to_expiry - 31))
    assert http.post(f"{api}/sweeps").json() == {"changed": 0}
    clock_file.write_text(str(days_to_expiry - 30))
    assert http.post(f"{api}/sweeps").json() == {"changed": 1}
    clock_file.write_text(str(days_to_expiry - 29))
    assert http.post(f"{api}/sweeps").json() == {"changed": 0}
    due = tap.wait_for(lambda m: m["routing_key"] == "certificate.renewal_due")
    tap.wait_for(lambda m: False, timeout=1)
    assert len(tap.of_type("certificate.renewal_due")) == 1
    assert due[0]["body"]["data"]["certificate_number"] == certificate["number"]
    services_today = vietnam_today() + timedelta(days=days_to_expiry - 29)
    publish(
        amqp,
        "scoring",
        "product.ranked",
        ranked_event(
            evaluation_id="e-again",
            round_kind="re_evaluation",
            certificate_number=certificate["number"],
            ranked_on=services_today.isoformat(),
        ),
    )
    eventually(lambda: proposals(http, api))
    decide(http, api, ["e-again"], number="2001/QĐ-UBND", signed_on=services_today.isoformat())
    renewed = tap.wait_for(lambda m: m["routing_key"] == "certificate.renewed")[0]["body"]["data"]
    assert renewed["previous_expires_on"] == certificate["expires_on"]
    assert renewed["decision_number"] == "2001/QĐ-UBND"
    assert renewed["expires_on"] > certificate["expires_on"]
    now = http.get(f"{api}/certificates/{certificate['number']}").json()
    assert now["status"] == "valid" and now["expires_on"] == renewed["expires_on"]
    assert now["decision_number"] == "2001/QĐ-UBND"
    assert len(certificates(http, api)) == 1  # renewed, not re-issued


def test_a_failed_re_evaluation_ends_the_certificate_by_a_revocation_decision(
    http, api, amqp, tap, service
):
    certificate = issue(http, api, amqp)
    failed = cloud_event(
        "product.not_ranked",
        "scoring",
        {
            **ranked_event()["data"],
            "evaluation_id": "e-failed",
            "round_kind": "re_evaluation",
            "certificate_number": certificate["number"],
            "reason": "mandatory_criteria",
            "failed_criteria": [
                {"criterion": "4.a", "stars": 3, "required_points": 2, "average_points": 0.5}
            ],
            "decided_on": SIGNED_ON.isoformat(),
        },
        type="vn.ocop.product.not_ranked.v2",
    )
    publish(amqp, "scoring", "product.not_ranked", failed)
    (proposal,) = eventually(lambda: proposals(http, api))
    assert proposal["action"] == "revoke" and proposal["reason_code"] == "failed_re_evaluation"
    assert "4.a" in proposal["reason_note"]
    assert http.get(f"{api}/certificates/{certificate['number']}").json()["status"] == "valid"
    refused = http.post(f"{api}/decisions", json=decision_body(["e-failed"], number="3001/QĐ-UBND"))
    assert refused.status_code == 422 and "proposed for revoke" in refused.text
    answer = http.post(
        f"{api}/decisions",
        json=decision_body(["e-failed"], number="3001/QĐ-UBND", kind="revocation"),
    )
    assert answer.status_code == 201, answer.text
    revoked = tap.wait_for(lambda m: m["routing_key"] == "certificate.revoked")[0]["body"]["data"]
    assert revoked["reason_code"] == "failed_re_evaluation"
    assert revoked["decision_number"] == "3001/QĐ-UBND"
    assert "Nhân Dân" in revoked["legal_basis"] or "148" in revoked["legal_basis"]
    now = http.get(f"{api}/certificates/{certificate['number']}").json()
    assert now["status"] == "revoked" and now["revocation"]["reason_code"] == "failed_re_evaluation"


def test_a_certificate_not_re_evaluated_expires_after_its_last_day(
    http, api, amqp, tap, clock_file
):
    certificate = issue(http, api, amqp)
    days = days_until(certificate["expires_on"])
    clock_file.write_text(str(days))  # the last valid day
    http.post(f"{api}/sweeps")
    assert http.get(f"{api}/certificates/{certificate['number']}").json()["status"] == "valid"
    clock_file.write_text(str(days + 1))
    http.post(f"{api}/sweeps")
    assert http.get(f"{api}/certificates/{certificate['number']}").json()["status"] == "expired"
    expired = tap.wait_for(lambda m: m["routing_key"] == "certificate.expired")
    assert expired[0]["body"]["data"]["expired_on"] == certificate["expires_on"]


def test_revocation_needs_a_reason_code_and_a_decision_and_shows_on_verification(
    http, api, amqp, tap, service
):
    certificate = issue(http, api, amqp)
    number = certificate["number"]
    refused = http.post(f"{api}/certificates/{number}/revoke", json={"revoked_by": "officer-19"})
    assert refused.status_code == 422 and {"reason_code", "decision"} <= set(
        refused.json()["fields"]
    )
    signed = {key: value for key, value in decision_body([]).items() if key in SIGNED}
    unknown = http.post(
        f"{api}/certificates/{number}/revoke",
        json={"reason_code": "disliked", "decision": {**signed, "number": "9/QĐ-UBND"}},
    )
    assert unknown.status_code == 422 and "reason_code" in unknown.json()["fields"]
    revoked = http.post(
        f"{api}/certificates/{number}/revoke",
        json={
            "revoked_by": "officer-19",
            "reason_code": "food_safety_violation",
            "note": "Mẫu kiểm nghiệm tháng 11 vượt ngưỡng vi sinh",
            "decision": {**signed, "number": "4001/QĐ-UBND"},
        },
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    data = tap.wait_for(lambda m: m["routing_key"] == "certificate.revoked")[0]["body"]["data"]
    assert data["reason_code"] == "food_safety_violation"
    assert data["decision_number"] == "4001/QĐ-UBND" and "vi sinh" in data["reason"]
    verification = http.get(f"{service[1]}/verify/{number}", params={"format": "json"}).json()
    assert verification["status"] == "revoked"
    assert "An toàn thực phẩm" in verification["revocation"]["legal_basis"]
    codes = {each["code"] for each in http.get(f"{api}/revocation-reasons").json()}
    assert {"failed_re_evaluation", "food_safety_violation", "not_re_evaluated"} <= codes
    missing = http.post(
        f"{api}/certificates/nope/revoke",
        json={"reason_code": "false_declaration", "decision": {**signed, "number": "5/QĐ"}},
    )
    assert missing.status_code == 404


SIGNED = {"number", "signed_on", "signer", "signer_title", "document"}


def test_verification_by_number_and_by_qr_payload(http, api, amqp, service):
    base = service[1]
    certificate = issue(http, api, amqp)
    payload = certificate["qr_payload"]
    genuine = http.get(
        f"{base}/verify/{certificate['number']}", params={"q": payload, "format": "json"}
    ).json()
    assert genuine["status"] == "valid" and genuine["stars"] == 4
    assert genuine["signature"] == {
        "genuine": True,
        "kid": payload.rsplit(".", 1)[1],
        "matches_record": True,
        "problem": None,
    }
    prefix, fields, signature, kid = payload.split(".")
    forged = ".".join(
        [prefix, fields[:-2] + ("AA" if fields[-2:] != "AA" else "BB"), signature, kid]
    )
    assert (
        http.get(
            f"{base}/verify/{certificate['number']}", params={"q": forged, "format": "json"}
        ).json()["signature"]["genuine"]
        is False
    )
    assert (
        http.get(f"{base}/verify/OCOP-00-0000-00000", params={"format": "json"}).json()["status"]
        == "unknown"
    )
    page = http.get(f"{base}/verify/{certificate['number']}")
    assert page.headers["Content-Type"].startswith("text/html") and "Còn hiệu lực" in page.text
    keys = http.get(f"{api}/keys").json()["keys"]
    assert {key["level"] for key in keys} == {"province", "central"} and kid in {
        key["kid"] for key in keys
    }


def test_the_pdf_carries_the_number_and_a_qr_code_of_the_verification_url(
    http, api, amqp, tmp_path
):
    certificate = issue(http, api, amqp)
    response = http.get(f"{api}/certificates/{certificate['number']}.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded.endswith(f"/verify/{certificate['number']}?q={certificate['qr_payload']}")


@pytest.mark.parametrize(("stars", "level"), [(2, "province"), (5, "central")])
def test_a_province_council_certifies_neither_below_three_stars_nor_five(
    http, api, amqp, stars, level
):
    publish(
        amqp, "scoring", "product.ranked", ranked_event(stars=stars, level=level, product_id="px")
    )
    publish(
        amqp, "scoring", "product.ranked", ranked_event(evaluation_id="ok", product_id="marker")
    )
    eventually(lambda: proposals(http, api))
    assert [p["product_id"] for p in proposals(http, api)] == ["marker"]


@pytest.mark.parametrize(
    ("stars", "level", "prefix"), [(5, "central", "OCOP-TW-"), (4, "province", "OCOP-19-")]
)
def test_the_central_councils_results_are_certified(http, api, amqp, stars, level, prefix):
    certificate = issue(http, api, amqp, stars=stars, level=level, council_level="central")
    assert certificate["number"].startswith(prefix) and certificate["stars"] == stars


def test_unparseable_and_foreign_messages_are_parked_with_why(http, api, amqp):
    publish(amqp, "scoring", "product.ranked", b"{not json", content_type="application/json")
    publish(amqp, "scoring", "product.ranked", {**ranked_event(), "source": "/ocop/registration"})
    found = parked(amqp, "certification", count=2)
    reasons = sorted(message["headers"]["x-parked-reason"] for message in found)
    assert reasons[0].startswith("body cannot be decoded")
    assert "does not match exchange" in reasons[1]
    assert {message["headers"]["x-parked-queue"] for message in found} == {
        "evt-scoring-product.ranked--certification.record_ranking"
    }
    publish(amqp, "scoring", "product.ranked", ranked_event())
    assert eventually(lambda: proposals(http, api))


def test_a_re_evaluation_recognised_at_another_level_gets_that_levels_certificate(http, api, amqp):
    """A central 5-star product re-evaluated at 4 stars: the central certificate is not
    renewed by a province result (its number and issuer are central); the province issues
    its own, and the 5-star one runs to the end of its term."""
    central = issue(http, api, amqp, stars=5, level="central", council_level="central")
    again = ranked_event(
        evaluation_id="e-re",
        round_kind="re_evaluation",
        certificate_number=central["number"],
        stars=4,
        level="province",
    )
    publish(amqp, "scoring", "product.ranked", again)
    publish(amqp, "scoring", "product.ranked", again)  # redelivered: still one proposal
    eventually(lambda: proposals(http, api))
    decide(http, api, ["e-re"], number="77/QĐ-UBND")
    held = eventually(lambda: len(found := certificates(http, api)) == 2 and found)
    by_level = {each["level"]: each for each in held}
    assert by_level["province"]["stars"] == 4 and by_level["province"]["number"].startswith(
        "OCOP-19-"
    )
    assert by_level["central"]["status"] == "valid"
    assert by_level["central"]["expires_on"] == central["expires_on"]  # not renewed


def test_a_decided_event_without_its_recorded_decision_certifies_nothing(http, api, amqp):
    """Only a decision recorded through the API (by an officer of the authority) makes
    certificates; its event only completes it. An event naming no recorded decision, even on
    certification's own exchange, is parked with why."""
    publish(amqp, "scoring", "product.ranked", ranked_event())
    eventually(lambda: proposals(http, api))
    forged = cloud_event(
        "recognition.decided",
        "certification",
        {
            "decision_id": "not-recorded",
            "kind": "recognition",
            "decision_number": "1/QĐ-UBND",
            "signed_on": SIGNED_ON.isoformat(),
            "signer": "Giả mạo",
            "signer_title": "",
            "level": "province",
            "province_code": "19",
            "issuing_body": "Ủy ban nhân dân tỉnh Thái Nguyên",
            "evaluation_ids": ["e1"],
            "product_ids": ["p1"],
            "document": {"url": "https://example.com/forged.pdf"},
            "recorded_by": "nobody",
        },
    )
    publish(amqp, "certification", "recognition.decided", forged)
    (found,) = parked(amqp, "certification", count=1)
    assert "not-recorded" in found["headers"]["x-parked-reason"]
    assert certificates(http, api) == []
    assert [p["status"] for p in proposals(http, api)] == ["pending"]
