"""Certification alone: rankings issue, supersede and renew; sweeps; revocation; verification."""

import subprocess
from datetime import date

import pytest

from services.certification.service import CertificationService
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


def issue(http, api, amqp, **fields):
    publish(amqp, "scoring", "product.ranked", ranked_event(**fields))
    product_id = fields.get("product_id", "p1")
    return eventually(lambda: certificates(http, api, product_id))[0]


def test_a_ranking_issues_one_certificate_even_when_delivered_twice(http, api, amqp, tap):
    event = ranked_event()
    for _ in range(3):
        publish(amqp, "scoring", "product.ranked", event)
    certificate = eventually(lambda: certificates(http, api))[0]
    tap.wait_for(lambda m: False, timeout=1.5)
    assert len(certificates(http, api)) == 1 and len(tap.of_type("certificate.issued")) == 1
    today = date.fromisoformat(certificate["issued_on"])
    assert certificate["number"] == f"OCOP-19-{today.year}-00001"
    assert certificate["decision_number"] == "1/QĐ-UBND"
    assert certificate["issuing_body"] == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert certificate["status"] == "valid"
    assert http.get(f"{api}/certificates/{certificate['number']}").json() == certificate


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
    publish(amqp, "scoring", "product.ranked", ranked_event(evaluation_id="e2", stars=4))
    eventually(lambda: len(certificates(http, api)) == 2)
    by_number = {c["number"]: c for c in certificates(http, api)}
    assert by_number[three["number"]]["status"] == "superseded"
    newer = next(c for c in by_number.values() if c["number"] != three["number"])
    assert by_number[three["number"]]["superseded_by"] == newer["number"] and newer["stars"] == 4
    publish(amqp, "scoring", "product.ranked", ranked_event(evaluation_id="e3", stars=3))
    publish(
        amqp, "scoring", "product.ranked", ranked_event(evaluation_id="marker", product_id="pm")
    )
    eventually(lambda: certificates(http, api, "pm"))
    assert len(certificates(http, api)) == 2
    assert len(tap.wait_for(lambda m: m["routing_key"] == "certificate.superseded")) == 1


def test_renewal_notice_once_then_renewal_by_re_evaluation(http, api, amqp, tap, clock_file):
    certificate = issue(http, api, amqp)
    days_to_expiry = (
        date.fromisoformat(certificate["expires_on"]) - date.fromisoformat(certificate["issued_on"])
    ).days
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
    publish(
        amqp,
        "scoring",
        "product.ranked",
        ranked_event(
            evaluation_id="e-again",
            round_kind="re_evaluation",
            certificate_number=certificate["number"],
        ),
    )
    renewed = tap.wait_for(lambda m: m["routing_key"] == "certificate.renewed")[0]["body"]["data"]
    assert renewed["previous_expires_on"] == certificate["expires_on"]
    assert renewed["expires_on"] > certificate["expires_on"]
    now = http.get(f"{api}/certificates/{certificate['number']}").json()
    assert now["status"] == "valid" and now["expires_on"] == renewed["expires_on"]
    assert len(certificates(http, api)) == 1  # renewed, not re-issued


def test_a_certificate_not_re_evaluated_expires_after_its_last_day(
    http, api, amqp, tap, clock_file
):
    certificate = issue(http, api, amqp)
    expires = date.fromisoformat(certificate["expires_on"])
    days = (expires - date.fromisoformat(certificate["issued_on"])).days
    clock_file.write_text(str(days))  # the last valid day
    http.post(f"{api}/sweeps")
    assert http.get(f"{api}/certificates/{certificate['number']}").json()["status"] == "valid"
    clock_file.write_text(str(days + 1))
    http.post(f"{api}/sweeps")
    assert http.get(f"{api}/certificates/{certificate['number']}").json()["status"] == "expired"
    expired = tap.wait_for(lambda m: m["routing_key"] == "certificate.expired")
    assert expired[0]["body"]["data"]["expired_on"] == certificate["expires_on"]


def test_revocation_needs_reason_and_basis_and_shows_on_verification(http, api, amqp, tap, service):
    certificate = issue(http, api, amqp)
    number = certificate["number"]
    refused = http.post(f"{api}/certificates/{number}/revoke", json={"revoked_by": "officer-19"})
    assert refused.status_code == 422 and {"reason", "legal_basis"} <= set(refused.json()["fields"])
    revoked = http.post(
        f"{api}/certificates/{number}/revoke",
        json={
            "revoked_by": "officer-19",
            "reason": "Không tái đánh giá",
            "legal_basis": "QĐ 148/QĐ-TTg",
        },
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert tap.wait_for(lambda m: m["routing_key"] == "certificate.revoked")[0]["body"]["data"][
        "reason"
    ] == ("Không tái đánh giá")
    verification = http.get(f"{service[1]}/verify/{number}", params={"format": "json"}).json()
    assert (
        verification["status"] == "revoked"
        and verification["revocation"]["legal_basis"] == "QĐ 148/QĐ-TTg"
    )
    assert (
        http.post(
            f"{api}/certificates/nope/revoke",
            json={"revoked_by": "o", "reason": "r", "legal_basis": "b"},
        ).status_code
        == 404
    )


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
    eventually(lambda: certificates(http, api, "marker"))
    assert certificates(http, api, "px") == []


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
    assert eventually(lambda: certificates(http, api))


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
    publish(amqp, "scoring", "product.ranked", again)  # redelivered: still one new certificate
    held = eventually(lambda: len(found := certificates(http, api)) == 2 and found)
    by_level = {each["level"]: each for each in held}
    assert by_level["province"]["stars"] == 4 and by_level["province"]["number"].startswith(
        "OCOP-19-"
    )
    assert by_level["central"]["status"] == "valid"
    assert by_level["central"]["expires_on"] == central["expires_on"]  # not renewed
