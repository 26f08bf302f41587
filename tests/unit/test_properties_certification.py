"""Properties of certificates: whatever the ranking and the dates, a certificate stays valid
(stars its level recognises, a 36-month term that ends after it starts, statuses that only
move forward). Every term runs from the day the recognising decision was signed."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from services.certification import domain, recognition
from services.certification.certificate import Certificate, add_months
from services.certification.recognition import Decision
from services.certification.signing import sign
from shared.errors import Conflict
from shared.events import (
    CertificateExpired,
    CertificateRenewalDue,
    DecisionDocument,
    ProductRanked,
)
from tests.support.strategies import (
    PROPERTIES,
    PROVINCES,
    RULES,
    days,
    ranked,
    rankings,
    recognised_rankings,
)

KEY = Ed25519PrivateKey.generate()
TERM = 36
REASON = RULES.reason("failed_re_evaluation")


def signer(fields: dict) -> str:
    return sign(KEY, fields)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def assert_valid(certificate: Certificate) -> None:
    """What every certificate holds: 3-5 stars, 5 only centrally, a term ending after it starts."""
    assert certificate.level in ("province", "central")
    assert certificate.stars in (3, 4, 5)
    assert (certificate.level == "central") == (certificate.stars == 5)
    assert certificate.expires_on > certificate.issued_on
    assert certificate.payload


def decision(signed_on: date, ranking: ProductRanked, **fields) -> Decision:
    """The decision that recognises `ranking`, signed on `signed_on`."""
    base = dict(
        id=f"d-{signed_on.isoformat()}",
        kind="recognition",
        number=f"{signed_on.day}/QĐ-UBND",
        signed_on=signed_on,
        signer="Nguyễn Văn An",
        signer_title="Chủ tịch",
        level=ranking.level,
        province_code=ranking.province_code if ranking.level == "province" else None,
        issuing_body="Ủy ban nhân dân tỉnh Thái Nguyên",
        evaluation_ids=(ranking.evaluation_id,),
        document=DecisionDocument(url="https://example.gov.vn/qd.pdf"),
        recorded_by="officer",
        recorded_on=signed_on,
    )
    return Decision(**{**base, **fields})


def revoking(signed_on: date) -> Decision:
    return decision(signed_on, ranked(), id=f"r-{signed_on}", kind="revocation", evaluation_ids=())


def issue(ranking: ProductRanked, today: date) -> Certificate:
    certificate, _ = domain.issue_certificate(
        ranking, decision(today, ranking), sequence=7, producer=None, rules=RULES, sign=signer
    )
    return certificate


@settings(PROPERTIES, max_examples=150)
@given(rankings(), days, days, st.integers(1, 99_999))
def test_a_recognised_ranking_gives_a_valid_certificate_for_36_months_from_its_decision(
    ranking, ranked_on, today, sequence
):
    assume(recognition.recognises(ranking, RULES))
    ranking = ranking.model_copy(update={"ranked_on": ranked_on})
    signed = decision(today, ranking)
    certificate, events = domain.issue_certificate(
        ranking, signed, sequence=sequence, producer=None, rules=RULES, sign=signer
    )
    assert_valid(certificate)
    assert certificate.status == "valid"
    assert certificate.issued_on == certificate.decided_on == today
    assert months_between(today, certificate.expires_on) == TERM  # whenever the council sat
    issuer = "TW" if ranking.stars == 5 else ranking.province_code
    assert certificate.number == f"OCOP-{issuer}-{today.year}-{sequence:05d}"
    assert (certificate.decision_number, certificate.decision_id) == (signed.number, signed.id)
    assert events[0].expires_on == certificate.expires_on
    assert events[0].decision_number == signed.number


@settings(PROPERTIES, max_examples=300)
@given(days, st.integers(0, 1200))
@example(date(2024, 2, 29), 12)  # a leap day into a common year
def test_add_months_lands_on_the_same_day_or_the_months_last_day(day, months):
    later = add_months(day, months)
    last_day = calendar.monthrange(later.year, later.month)[1]
    assert months_between(day, later) == months
    assert later.day == day.day or (later.day == last_day < day.day)
    assert add_months(day + timedelta(days=1), months) >= later  # a later start never ends sooner


@settings(PROPERTIES, max_examples=150)
@given(recognised_rankings(), recognised_rankings("e2"), days, st.integers(0, 1096))
# found by this test: a 4-star province certificate "renewed" by a central 5-star result
# became a province certificate of 5 stars, and the reverse a central one of 4 stars
@example(
    ranked(stars=4),
    ranked(evaluation_id="e2", stars=5, level="central", council_level="central"),
    date(2026, 1, 1),
    1000,
)
@example(
    ranked(stars=5, level="central", council_level="central"),
    ranked(evaluation_id="e2", stars=4, council_level="central"),
    date(2026, 1, 1),
    1000,
)
def test_a_renewal_keeps_a_valid_certificate_and_never_shortens_its_term(first, again, on, after):
    held = issue(first, on)
    today = on + timedelta(days=after)
    signed = decision(today, again, id="d2")
    try:
        renewed, events = domain.renew(held, again, signed, RULES, signer)
    except Conflict:
        event("refused")
        assert held.status_on(today) != "valid" or again.level != held.level
        return
    event("renewed")
    assert_valid(renewed)
    assert renewed.number == held.number and renewed.status_on(today) == "valid"
    assert renewed.expires_on >= held.expires_on and renewed.expires_on > today
    assert renewed.stars == again.stars and events[0].previous_expires_on == held.expires_on
    assert renewed.renewals[:-1] == held.renewals and renewed.renewals[-1].stars == again.stars
    assert renewed.expires_on == domain.expiry(today, RULES) and renewed.decided_on == today
    assert renewed.decision_number == signed.number == renewed.renewals[-1].decision_number
    assert domain.renew(renewed, again, signed, RULES, signer) == (renewed, [])


@settings(PROPERTIES, max_examples=150)
@given(st.sampled_from([3, 4]), days, st.integers(-3, 3) | st.integers(-60, 60), st.booleans())
def test_a_sweep_expires_only_after_the_last_day_and_notices_once_a_term(
    stars, on, offset, noticed_before
):
    held = issue(ranked(stars=stars), on)
    if noticed_before:
        held = held.model_copy(update={"renewal_notice_for": held.expires_on})
    today = held.expires_on + timedelta(days=offset)
    swept, events = domain.sweep(held, today, RULES)
    ended = today > held.expires_on
    due = held.expires_on - timedelta(days=RULES.renewal_notice_days) <= today and not ended
    assert (swept.status == "expired") == ended
    assert [type(e) for e in events] == (
        [CertificateExpired]
        if ended
        else [CertificateRenewalDue]
        if due and not noticed_before
        else []
    )
    assert domain.sweep(swept, today, RULES) == (swept, [])  # a second sweep changes nothing


ACTIONS = st.lists(
    st.tuples(
        st.integers(0, 40) | st.integers(300, 1100),
        st.sampled_from(["sweep", "sweep", "renew", "revoke"]),
    ),
    max_size=12,
)


@settings(PROPERTIES, max_examples=150)
@given(st.sampled_from([3, 4]), days, ACTIONS)
def test_a_certificates_life_only_moves_forward(stars, on, actions):
    """Days pass; sweeps, renewals and revocations happen in any order."""
    held, today = issue(ranked(stars=stars), on), on
    notices: list[date] = []
    for n, (days_later, action) in enumerate(actions):
        today += timedelta(days=days_later)
        before = held
        if action == "sweep":
            held, events = domain.sweep(held, today, RULES)
            noticed = [e.expires_on for e in events if isinstance(e, CertificateRenewalDue)]
            notice_from = before.expires_on - timedelta(days=RULES.renewal_notice_days)
            assert noticed in ([], [before.expires_on]) and (not noticed or notice_from <= today)
            notices += noticed
            if any(isinstance(e, CertificateExpired) for e in events):
                assert before.status == "valid" and today > before.expires_on
            if held.status == "expired":
                assert today > held.expires_on
        elif action == "renew":
            try:
                again = ranked(evaluation_id=f"r{n}")
                held, _ = domain.renew(held, again, decision(today, again), RULES, signer)
            except Conflict:
                assert before.status_on(today) != "valid"
            else:
                assert held.renewals[:-1] == before.renewals  # history is kept
        else:
            try:
                held, _ = domain.revoke(
                    held, reason=REASON, note="", decision=revoking(today), revoked_by="o"
                )
            except Conflict:
                assert before.status_on(today) != "valid"
            else:
                assert held.status == "revoked"
                assert before.status == "revoked" or before.status_on(today) == "valid"
                assert held.revocation.legal_basis == REASON.legal_basis
        if before.status != "valid":  # expired, revoked and superseded are final
            assert held.status == before.status
        assert held.expires_on >= before.expires_on
        assert_valid(held)
    assert len(notices) == len(set(notices))  # one renewal notice a term


@settings(PROPERTIES, max_examples=150)
@given(
    days,
    st.integers(1, 3000),
    st.integers(-3, 3) | st.integers(-4000, 4000),
    st.integers(3, 5),
    st.sampled_from(["district", "province", "central"]),
    st.sampled_from(PROVINCES),
)
def test_an_imported_certificate_is_expired_exactly_when_its_term_has_ended(
    issued_on, term_days, offset, stars, level, province
):
    today = issued_on + timedelta(days=term_days + offset)
    fields = dict(
        number="HS-2021-0042",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè",
        group="food",
        subgroup=None,
        province_code=province,
        stars=stars,
        level=level,
        total=0,
        criteria_set="1048-2019",
        issued_on=issued_on,
        expires_on=issued_on + timedelta(days=term_days),
        decision_number=None,
        issuing_body=None,
    )
    certificate, events = domain.import_certificate(fields, "tỉnh X", today, RULES, signer)
    assert certificate.status == ("expired" if today > certificate.expires_on else "valid")
    assert certificate.level == ("central" if level == "central" else "province")
    assert certificate.historical_level == (level if level == "district" else None)
    assert certificate.imported and certificate.number == "HS-2021-0042"
    assert [type(e).__name__ for e in events][1:] == (
        ["CertificateExpired"] if certificate.status == "expired" else []
    )
