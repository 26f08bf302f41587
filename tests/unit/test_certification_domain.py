"""Certificates: issued, renewed and revoked from a recorded decision; superseded, noticed
once per term, expired."""

from datetime import date, timedelta

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.certification import domain
from services.certification.certificate import Certificate
from services.certification.keys import load_keys
from services.certification.recognition import Decision
from services.certification.rules import DATA, load_rules
from services.certification.signing import check, key_id, sign, signed_part
from shared.errors import Conflict
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    DecisionDocument,
    ProductRanked,
)

RULES = load_rules()
KEY = Ed25519PrivateKey.generate()
KEYS = {key_id(KEY.public_key()): KEY.public_key()}
RANKED_ON = date(2026, 11, 28)
SIGNED_ON = date(2027, 1, 5)  # the decision comes weeks after the council, in the next year
PROVINCE_BODY = "Ủy ban nhân dân tỉnh Thái Nguyên"


def signer(fields: dict) -> str:
    return sign(KEY, fields)


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
        ranked_on=RANKED_ON,
    )
    return ProductRanked(**{**fields, **overrides})


def decision(signed_on=SIGNED_ON, **overrides) -> Decision:
    level = overrides.get("level", "province")
    fields = dict(
        id="d1",
        kind="recognition",
        number="1032/QĐ-UBND",
        signed_on=signed_on,
        signer="Nguyễn Văn An",
        signer_title="Phó Chủ tịch",
        level=level,
        province_code="19" if level == "province" else None,
        issuing_body=PROVINCE_BODY if level == "province" else "Bộ Nông nghiệp và Môi trường",
        evaluation_ids=("e1",),
        document=DecisionDocument(url="https://thainguyen.gov.vn/qd-1032.pdf"),
        recorded_by="officer-19",
        recorded_on=signed_on,
    )
    return Decision(**{**fields, **overrides})


def revocation_decision(signed_on, **overrides) -> Decision:
    fields = dict(id="d9", kind="revocation", number="77/QĐ-UBND", evaluation_ids=("e9",))
    return decision(signed_on, **{**fields, **overrides})


def issued(day=SIGNED_ON, sequence=42, **overrides) -> Certificate:
    certificate, _ = domain.issue_certificate(
        ranked(**overrides),
        decision(day, level=overrides.get("level", "province")),
        sequence=sequence,
        producer={"name": "HTX Chè Đồng Phúc", "kind": "htx"},
        rules=RULES,
        sign=signer,
    )
    return certificate


def test_a_certificate_is_numbered_signed_and_names_its_decision():
    certificate, events = domain.issue_certificate(
        ranked(),
        decision(),
        sequence=42,
        producer=None,
        rules=RULES,
        sign=signer,
    )
    # the year is the decision's (2027), not the council's (2026)
    assert certificate.number == "OCOP-19-2027-00042"
    assert (certificate.decision_number, certificate.decision_id) == ("1032/QĐ-UBND", "d1")
    assert certificate.issuing_body == PROVINCE_BODY
    assert certificate.issued_on == certificate.decided_on == SIGNED_ON
    assert certificate.expires_on == date(2030, 1, 5)
    checked = check(certificate.payload, KEYS)
    assert checked.genuine and checked.fields == signed_part(certificate.facts())
    assert checked.fields["decision_number"] == "1032/QĐ-UBND"
    assert len(events) == 1 and isinstance(events[0], CertificateIssued)
    assert (events[0].decision_number, events[0].decision_id) == ("1032/QĐ-UBND", "d1")
    assert events[0].issued_on == SIGNED_ON and events[0].issuing_body == PROVINCE_BODY


@pytest.mark.parametrize(
    ("number", "signed_on", "sequence"),
    [
        ("1032/QĐ-UBND", date(2021, 7, 21), 1),
        ("15/2027/QĐ-UBND", date(2027, 3, 2), 42),
        ("2204/QĐ-BNNMT", date(2026, 12, 31), 99_999),
    ],
)
def test_the_decision_number_and_date_are_exactly_the_decisions(number, signed_on, sequence):
    """Nothing makes up a decision number: not the sequence, not a pattern of the rules."""
    certificate = domain.issue_certificate(
        ranked(ranked_on=signed_on - timedelta(days=20)),
        decision(signed_on, number=number),
        sequence=sequence,
        producer=None,
        rules=RULES,
        sign=signer,
    )[0]
    assert certificate.decision_number == number
    assert certificate.decided_on == certificate.issued_on == signed_on
    assert certificate.number.endswith(f"-{signed_on.year}-{sequence:05d}")


def test_the_rules_no_longer_hold_a_decision_number_pattern():
    raw = yaml.safe_load(DATA.read_text("utf-8"))
    assert "decision_numbers" not in raw and not hasattr(RULES, "decision_numbers")
    assert raw["recognition"]["term_starts"] == "decision_signed_on"


def test_the_rules_refuse_a_term_start_they_do_not_implement(tmp_path):
    raw = yaml.safe_load(DATA.read_text("utf-8"))
    raw["recognition"]["term_starts"] = "ranked_on"
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    with pytest.raises(ValueError, match="term_starts"):
        load_rules(path)


def test_five_stars_are_numbered_centrally_by_the_ministrys_decision():
    certificate = issued(stars=5, level="central", council_level="central")
    assert certificate.number == "OCOP-TW-2027-00042"
    assert certificate.issuing_body == "Bộ Nông nghiệp và Môi trường"
    assert certificate.level == "central"


def test_the_issuing_body_is_the_decisions():
    body = "Ủy ban nhân dân tỉnh Thái Nguyên (cũ: tỉnh Bắc Kạn)"
    certificate = domain.issue_certificate(
        ranked(),
        decision(issuing_body=body),
        sequence=1,
        producer=None,
        rules=RULES,
        sign=signer,
    )[0]
    assert certificate.issuing_body == body


def test_only_a_higher_result_supersedes_and_the_old_one_is_kept_marked():
    held = issued(stars=3)
    assert domain.supersedes(ranked(stars=4), held) and not domain.supersedes(ranked(stars=3), held)
    assert domain.supersedes(ranked(stars=3), None)
    old, events = domain.supersede(held, "OCOP-19-2027-00043", SIGNED_ON)
    assert (old.status, old.superseded_by) == ("superseded", "OCOP-19-2027-00043")
    assert isinstance(events[0], CertificateSuperseded)
    assert domain.supersede(old, "OCOP-19-2027-00044", SIGNED_ON) == (old, [])


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


def re_evaluation(held: Certificate, **overrides) -> ProductRanked:
    fields = dict(
        evaluation_id="e2", stars=3, round_kind="re_evaluation", certificate_number=held.number
    )
    return ranked(**{**fields, **overrides})


def test_a_passed_re_evaluation_renews_from_its_decision_and_re_signs():
    held = issued()
    due, _ = sweep_on(held, held.expires_on - timedelta(days=20))
    signed_on = held.expires_on - timedelta(days=10)
    again = re_evaluation(held, ranked_on=held.expires_on - timedelta(days=60))
    renewing = decision(signed_on, id="d2", number="501/QĐ-UBND", evaluation_ids=("e2",))
    renewed, events = domain.renew(due, again, renewing, RULES, signer)
    # the new term runs from the decision, not from the council's result
    assert (
        renewed.expires_on
        == domain.expiry(signed_on, RULES)
        != domain.expiry(again.ranked_on, RULES)
    )
    assert renewed.stars == 3 and renewed.number == held.number
    assert (renewed.decision_number, renewed.decision_id) == ("501/QĐ-UBND", "d2")
    assert renewed.decided_on == signed_on and renewed.issued_on == held.issued_on
    assert renewed.renewal_notice_for is None
    [renewal] = renewed.renewals
    assert (renewal.previous_expires_on, renewal.renewed_on) == (held.expires_on, signed_on)
    assert (renewal.decision_number, renewal.decision_id) == ("501/QĐ-UBND", "d2")
    assert len(events) == 1 and isinstance(events[0], CertificateRenewed)
    assert events[0].decision_number == "501/QĐ-UBND" and events[0].renewed_on == signed_on
    assert renewed.payload != held.payload and check(renewed.payload, KEYS).genuine
    assert check(renewed.payload, KEYS).fields["decision_number"] == "501/QĐ-UBND"
    # the same re-evaluation, by the same or another decision, renews once
    assert domain.renew(renewed, again, renewing, RULES, signer) == (renewed, [])
    other = decision(signed_on + timedelta(days=1), id="d3", number="502/QĐ-UBND")
    assert domain.renew(renewed, again, other, RULES, signer) == (renewed, [])
    # the new term gets its own notice
    assert sweep_on(renewed, renewed.expires_on - timedelta(days=30))[1]


def test_a_decision_signed_after_the_term_ended_cannot_renew():
    held = issued()
    late = decision(held.expires_on + timedelta(days=1), id="d2", evaluation_ids=("e2",))
    with pytest.raises(Conflict, match="expired"):
        domain.renew(held, re_evaluation(held), late, RULES, signer)


def test_a_renewal_stays_at_the_certificates_level():
    held = issued()
    five = re_evaluation(held, stars=5, level="central", council_level="central")
    central = decision(SIGNED_ON + timedelta(days=400), id="d2", level="central")
    with pytest.raises(Conflict) as refused:
        domain.renew(held, five, central, RULES, signer)
    assert refused.value.fields == {"level": "central"}


def test_revocation_records_the_reason_its_basis_the_decision_and_officer_once():
    held = issued()
    reason = RULES.reason("food_safety_violation")
    ending = revocation_decision(SIGNED_ON + timedelta(days=100))
    revoked, events = domain.revoke(
        held,
        reason=reason,
        note="Mẫu kiểm nghiệm vượt ngưỡng chì",
        decision=ending,
        revoked_by="officer-19",
    )
    assert revoked.status == "revoked"
    record = revoked.revocation
    assert record.revoked_on == SIGNED_ON + timedelta(days=100)
    assert record.reason == f"{reason.label}. Mẫu kiểm nghiệm vượt ngưỡng chì"
    assert (record.reason_code, record.note) == (
        "food_safety_violation",
        "Mẫu kiểm nghiệm vượt ngưỡng chì",
    )
    assert record.legal_basis == reason.legal_basis and "55/2010/QH12" in record.legal_basis
    assert (record.decision_number, record.decision_id) == ("77/QĐ-UBND", "d9")
    assert record.revoked_by == "officer-19"
    assert len(events) == 1 and isinstance(events[0], CertificateRevoked)
    event = events[0]
    assert (event.reason_code, event.legal_basis) == ("food_safety_violation", reason.legal_basis)
    assert (event.decision_number, event.revoked_by) == ("77/QĐ-UBND", "officer-19")
    assert event.revoked_on == ending.signed_on and event.certificate_number == held.number
    # revoking again, by any decision, for any reason, changes nothing
    again = revocation_decision(SIGNED_ON + timedelta(days=200), id="d10", number="78/QĐ-UBND")
    assert domain.revoke(
        revoked,
        reason=RULES.reason("false_declaration"),
        note="",
        decision=again,
        revoked_by="officer-20",
    ) == (revoked, [])


def test_a_revocation_without_a_note_gives_the_reasons_label():
    revoked, _ = domain.revoke(
        issued(),
        reason=RULES.reason("production_stopped"),
        note="",
        decision=revocation_decision(SIGNED_ON + timedelta(days=5)),
        revoked_by="officer-19",
    )
    assert revoked.revocation.reason == RULES.reason("production_stopped").label
    assert revoked.revocation.note == ""


@pytest.mark.parametrize("ended", ["expired", "superseded"])
def test_only_a_valid_certificate_is_revoked(ended):
    held = issued()
    if ended == "expired":
        signed_on = held.expires_on + timedelta(days=1)
    else:
        held, _ = domain.supersede(held, "OCOP-19-2027-00099", SIGNED_ON)
        signed_on = SIGNED_ON + timedelta(days=1)
    with pytest.raises(Conflict, match=ended):
        domain.revoke(
            held,
            reason=RULES.reason("food_safety_violation"),
            note="",
            decision=revocation_decision(signed_on),
            revoked_by="officer-19",
        )


@pytest.mark.parametrize(
    "field",
    ["stars", "expires_on", "product_name", "number", "issuing_body", "decision_number"],
)
def test_the_signature_fails_when_a_printed_field_is_changed(field):
    certificate = issued()
    forged = {**signed_part(certificate.facts()), field: "changed"}
    prefix, _, signature, kid = certificate.payload.split(".")
    from services.certification.signing import _b64, canonical

    untouched = ".".join(
        [prefix, _b64(canonical(signed_part(certificate.facts()))), signature, kid]
    )
    assert check(untouched, KEYS).genuine  # the rebuilt payload is the same one
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
        decision(),
        sequence=43,
        producer={"name": "Hộ kinh doanh Lò Thị Mai", "kind": "household"},
        rules=RULES,
        sign=signer,
    )
    checked = check(certificate.payload, KEYS)
    assert checked.genuine and "Lò Thị Mai" not in str(checked.fields)
    assert checked.fields["producer_name"] == "Hộ kinh doanh (tên không công khai)"
    assert certificate.producer_name == "Hộ kinh doanh Lò Thị Mai"  # the record keeps it
    assert "Lò Thị Mai" in str(certificate.facts())  # printed on the holder's own paper
