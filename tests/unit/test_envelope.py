"""The CloudEvents envelope: what is published, and what a consumer accepts."""

from datetime import UTC, date, datetime

import pytest

from shared.events import CertificateIssued, InvalidEvent, envelope, parse

ISSUED = CertificateIssued(
    certificate_number="OCOP-19-2026-00001",
    product_id="p1",
    producer_id="pr1",
    product_name="Chè",
    group="food",
    subgroup=None,
    province_code="19",
    stars=4,
    level="province",
    total=83,
    criteria_set="148-2023",
    evaluation_id="e1",
    issued_on=date(2026, 11, 28),
    expires_on=date(2029, 11, 28),
)
NOW = datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=UTC)


def published() -> dict:
    return envelope(ISSUED, event_id="id-1", now=NOW, correlation_id="flow-1")


def test_envelope_has_every_required_attribute():
    body = published()
    assert body["specversion"] == "1.0"
    assert body["type"] == "vn.ocop.certificate.issued.v1"
    assert body["source"] == "/ocop/certification"
    assert body["time"] == "2026-11-28T01:02:03.456Z"
    assert body["subject"] == "product/p1"
    assert body["datacontenttype"] == "application/json"
    assert body["data"]["issued_on"] == "2026-11-28"


def test_round_trip_gives_the_typed_payload():
    received = parse(published(), CertificateIssued)
    assert received.id == "id-1" and received.correlation_id == "flow-1"
    assert received.data == ISSUED


def test_unknown_fields_are_ignored():
    body = published()
    body["data"]["newer_field"] = 1
    body["someextension"] = "x"
    assert parse(body, CertificateIssued).data == ISSUED


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b.update(source="/ocop/registration"), "does not match exchange"),
        (lambda b: b.update(type="vn.ocop.certificate.issued.v9"), "unknown version 9"),
        (lambda b: b.update(type="vn.ocop.product.ranked.v1"), "is not a certificate.issued"),
        (lambda b: b.update(type="certificate.issued"), "is not of the form"),
        (lambda b: b.pop("id"), "not a CloudEvent: id"),
        (lambda b: b.update(specversion="0.3"), "specversion"),
        (lambda b: b.update(time="yesterday"), "time"),
        (lambda b: b["data"].pop("stars"), "data does not match"),
        (lambda b: b["data"].update(issued_on="soon"), "issued_on"),
    ],
)
def test_invalid_events_are_refused_with_the_reason(mutate, reason):
    body = published()
    mutate(body)
    with pytest.raises(InvalidEvent) as error:
        parse(body, CertificateIssued)
    assert reason in error.value.reason


def test_a_body_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidEvent, match="not a JSON object"):
        parse(["list"], CertificateIssued)
