"""Certificates: issue, supersede, renewal notice once per term, renew, expire, revoke."""

from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.certification import domain
from services.certification.certificate import Certificate
from services.certification.keys import load_keys
from services.certification.rules import load_rules
from services.certification.signing import check, key_id, sign, signed_part
from shared.errors import Conflict
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    ProductRanked,
)

RULES = load_rules()
KEY = Ed25519PrivateKey.generate()
KEYS = {key_id(KEY.public_key()): KEY.public_key()}
ISSUED = date(2026, 11, 28)


def ranked(**overrides) -> ProductRanked:
    fields = dict(
        evaluation_id="e1",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè búp Đồng Phúc",
        group="food",
        province_code="19",
        criteria_set="148-2023",
        total=83.0,
        band_stars=4,
        stars=4,
        level="province",
        council_level="province",
        ranked_on=ISSUED,
    )
    return ProductRanked(**{**fields, **overrides})


def issued(day=ISSUED, **overrides) -> Certificate:
    certificate, _ = domain.issue_certificate(
        ranked(**overrides),
        sequence=42,
        province_title="tỉnh Thái Nguyên",
        producer={"name": "HTX Chè Đồng Phúc", "kind": "htx"},
        today=day,
        rules=RULES,
        sign=lambda fields: sign(KEY, fields),
    )
    return certificate


def test_a_certificate_is_numbered_signed_and_names_its_issuer():
    certificate, events = domain.issue_certificate(
        ranked(),
        sequence=42,
        province_title="tỉnh Thái Nguyên",
        producer=None,
        today=ISSUED,
        rules=RULES,
        sign=lambda fields: sign(KEY, fields),
    )
    assert certificate.number == "OCOP-19-2026-00042"
    assert certificate.decision_number == "42/QĐ-UBND"
    assert certificate.issuing_body == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert certificate.expires_on == date(2029, 11, 28)
    checked = check(certificate.payload, KEYS)
    assert checked.genuine and checked.fields == signed_part(certificate.facts())
    assert isinstance(events[0], CertificateIssued) and events[0].decision_number == "42/QĐ-UBND"


def test_five_stars_are_numbered_and_issued_centrally():
    certificate = issued(stars=5, level="central", council_level="central")
    assert certificate.number.startswith("OCOP-TW-2026-")
    assert certificate.issuing_body == "Bộ Nông nghiệp và Môi trường"


@pytest.mark.parametrize(
    ("stars", "level", "council", "recognised"),
    [
        (3, "province", "province", True),
        (4, "province", "province", True),
        (2, "province", "province", False),
        (5, "central", "province", False),
        (5, "central", "central", True),
        (4, "province", "central", True),
    ],
)
def test_who_recognises_what(stars, level, council, recognised):
    assert (
        domain.recognises(ranked(stars=stars, level=level, council_level=council), RULES)
        is recognised
    )


def test_only_a_higher_result_supersedes_and_the_old_one_is_kept_marked():
    held = issued(stars=3)
    assert domain.supersedes(ranked(stars=4), held) and not domain.supersedes(ranked(stars=3), held)
    old, events = domain.supersede(held, "OCOP-19-2026-00043", ISSUED)
    assert (old.status, old.superseded_by) == ("superseded", "OCOP-19-2026-00043")
    assert isinstance(events[0], CertificateSuperseded)
    assert domain.supersede(old, "OCOP-19-2026-00044", ISSUED) == (old, [])


def sweep_on(certificate, day):
    return domain.sweep(certificate, day, RULES)


def test_exactly_one_renewal_notice_per_term():
    held = issued()
    expires = held.expires_on
    assert sweep_on(held, expires - timedelta(days=31)) == (held, [])
    noticed, events = sweep_on(held, expires - timedelta(days=30))
    assert [type(e) for e in events] == [CertificateRenewalDue] and events[0].expires_on == expires
    for days_left in (29, 10, 1):
        assert sweep_on(noticed, expires - timedelta(days=days_left))[1] == []


def test_the_expiry_date_is_the_last_valid_day():
    held = issued(day=date(2024, 2, 29))
    assert held.expires_on == date(2027, 2, 28)
    assert held.status_on(date(2027, 2, 28)) == "valid"
    assert held.status_on(date(2027, 3, 1)) == "expired"
    still, _ = sweep_on(held, date(2027, 2, 28))
    assert still.status == "valid"
    expired, events = sweep_on(held, date(2027, 3, 1))
    assert expired.status == "expired" and isinstance(events[-1], CertificateExpired)
    assert sweep_on(expired, date(2027, 3, 2)) == (expired, [])


def test_a_passed_re_evaluation_renews_for_a_new_term_and_re_signs():
    held = issued()
    due, _ = sweep_on(held, held.expires_on - timedelta(days=20))
    today = held.expires_on - timedelta(days=10)
    again = ranked(
        evaluation_id="e2", stars=3, round_kind="re_evaluation", certificate_number=held.number
    )
    renewed, events = domain.renew(due, again, today, RULES, lambda fields: sign(KEY, fields))
    assert renewed.expires_on == domain.expiry(today, RULES) and renewed.stars == 3
    assert [r.previous_expires_on for r in renewed.renewals] == [held.expires_on]
    assert isinstance(events[0], CertificateRenewed)
    assert renewed.payload != held.payload and check(renewed.payload, KEYS).genuine
    assert domain.renew(renewed, again, today, RULES, lambda fields: sign(KEY, fields)) == (
        renewed,
        [],
    )
    # the new term gets its own notice
    assert sweep_on(renewed, renewed.expires_on - timedelta(days=30))[1]


def test_revocation_records_reason_basis_and_officer_once():
    held = issued()
    revoked, events = domain.revoke(
        held,
        reason="vi phạm chất lượng",
        legal_basis="Điều 7 QĐ 148/QĐ-TTg",
        revoked_by="officer-19",
        today=ISSUED + timedelta(days=100),
    )
    assert revoked.status == "revoked" and revoked.revocation.revoked_by == "officer-19"
    assert (
        isinstance(events[0], CertificateRevoked)
        and events[0].legal_basis == "Điều 7 QĐ 148/QĐ-TTg"
    )
    assert domain.revoke(revoked, reason="x", legal_basis="y", revoked_by="z", today=ISSUED) == (
        revoked,
        [],
    )
    with pytest.raises(Conflict):
        domain.revoke(
            held,
            reason="x",
            legal_basis="y",
            revoked_by="z",
            today=held.expires_on + timedelta(days=1),
        )


@pytest.mark.parametrize("field", ["stars", "expires_on", "product_name", "number", "issuing_body"])
def test_the_signature_fails_when_a_printed_field_is_changed(field):
    certificate = issued()
    forged = {**signed_part(certificate.facts()), field: "changed"}
    prefix, _, signature, kid = certificate.payload.split(".")
    from services.certification.signing import _b64, canonical

    tampered = ".".join([prefix, _b64(canonical(forged)), signature, kid])
    assert not check(tampered, KEYS).genuine


def test_keys_are_created_once_and_reloaded(tmp_path):
    first = load_keys(tmp_path, create=True)
    second = load_keys(tmp_path, create=False)
    assert first.public_keys().keys() == second.public_keys().keys()
    with pytest.raises(FileNotFoundError):
        load_keys(tmp_path / "none", create=False)


def test_a_households_qr_code_does_not_carry_the_persons_name():
    certificate, _ = domain.issue_certificate(
        ranked(),
        sequence=43,
        province_title="tỉnh Thái Nguyên",
        producer={"name": "Hộ kinh doanh Lò Thị Mai", "kind": "household"},
        today=ISSUED,
        rules=RULES,
        sign=lambda fields: sign(KEY, fields),
    )
    checked = check(certificate.payload, KEYS)
    assert checked.genuine and "Lò Thị Mai" not in str(checked.fields)
    assert checked.fields["producer_name"] == "Hộ kinh doanh (tên không công khai)"
    assert certificate.producer_name == "Hộ kinh doanh Lò Thị Mai"  # the record keeps it
    assert "Lò Thị Mai" in str(certificate.facts())  # printed on the holder's own paper
