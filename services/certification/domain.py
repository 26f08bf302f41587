"""Certification: issue, supersede, renew, notify, expire and revoke OCOP certificates.

Pure: the recorded decision (`recognition.Decision`), the number and a signing function come
in; each function returns the new state and the events it causes. A certificate is issued,
renewed or revoked only from a decision: its number, date and signer are the decision's,
and its term runs from the day it was signed. The rules (36-month term, 30-day notice, who
recognises which stars, numbering, issuing bodies, revocation reasons) are data with their
sources: see `rules.py` and `data/`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from services.certification.certificate import Certificate, Renewal, Revocation, add_months
from services.certification.recognition import Decision
from services.certification.rules import CertificateRules, RevocationReason
from services.certification.signing import signed_part
from shared.errors import Conflict
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    Event,
    ProductRanked,
)

Sign = Callable[[dict], str]  # signed fields -> QR payload


def expiry(start: date, rules: CertificateRules) -> date:
    return add_months(start, rules.validity_months)


def supersedes(ranked: ProductRanked, held: Certificate | None) -> bool:
    """A new certificate only for a product without a valid one of as many stars."""
    return held is None or ranked.stars > held.stars


def issuer(ranked: ProductRanked, rules: CertificateRules) -> str:
    return rules.central_issuer if ranked.level == "central" else ranked.province_code


def certificate_number(issuer_code: str, year: int, sequence: int, rules: CertificateRules) -> str:
    return f"OCOP-{issuer_code}-{year}-{sequence:0{rules.sequence_digits}d}"


def issue_certificate(
    ranked: ProductRanked,
    decision: Decision,
    *,
    sequence: int,
    producer: dict | None,
    rules: CertificateRules,
    sign: Sign,
) -> tuple[Certificate, list[Event]]:
    """A new certificate for a ranking the decision recognises, numbered and signed; valid
    from the day the decision was signed."""
    certificate = Certificate(
        **ranked.model_dump(),
        id=certificate_number(issuer(ranked, rules), decision.signed_on.year, sequence, rules),
        producer_name=(producer or {}).get("name"),
        producer_kind=(producer or {}).get("kind"),
        issuing_body=decision.issuing_body,
        decision_number=decision.number,
        decision_id=decision.id,
        decided_on=decision.signed_on,
        issued_on=decision.signed_on,
        expires_on=expiry(decision.signed_on, rules),
    )
    certificate = signed(certificate, sign)
    event = CertificateIssued(
        certificate_number=certificate.number, **certificate.model_dump(exclude={"id"})
    )
    return certificate, [event]


def signed(certificate: Certificate, sign: Sign) -> Certificate:
    payload = sign(signed_part(certificate.public_facts()))
    return certificate.model_copy(update={"payload": payload})


def supersede(held: Certificate, by: str, today: date) -> tuple[Certificate, list[Event]]:
    if held.status != "valid":
        return held, []
    return held.model_copy(update={"status": "superseded", "superseded_by": by}), [
        CertificateSuperseded(**change_fields(held), superseded_by=by, superseded_on=today)
    ]


def renew(
    held: Certificate,
    ranked: ProductRanked,
    decision: Decision,
    rules: CertificateRules,
    sign: Sign,
) -> tuple[Certificate, list[Event]]:
    """A passed re-evaluation, once the decision recognises it, starts a new term from the
    day the decision was signed, with the stars just given.

    Only at the certificate's own level: its number and issuing body are that level's, so
    a result recognised at the other level (5 stars, or under 5 after a central one) needs
    a new certificate from the other issuer.
    """
    today = decision.signed_on
    if any(renewal.evaluation_id == ranked.evaluation_id for renewal in held.renewals):
        return held, []
    if held.status_on(today) != "valid":
        raise Conflict(
            f"certificate {held.number} is {held.status_on(today)}; a new one must be issued"
        )
    if ranked.level != held.level:
        raise Conflict(
            f"certificate {held.number} is {held.level}-level; a {ranked.level}-level result"
            " needs a new certificate",
            {"level": ranked.level},
        )
    renewal = Renewal(
        renewed_on=today,
        previous_expires_on=held.expires_on,
        evaluation_id=ranked.evaluation_id,
        stars=ranked.stars,
        decision_number=decision.number,
        decision_id=decision.id,
    )
    renewed = signed(
        held.model_copy(
            update={
                "stars": ranked.stars,
                "expires_on": expiry(today, rules),
                "decision_number": decision.number,
                "decision_id": decision.id,
                "decided_on": decision.signed_on,
                "renewals": (*held.renewals, renewal),
                "renewal_notice_for": None,
            }
        ),
        sign,
    )
    return renewed, [
        CertificateRenewed(
            **change_fields(held),
            stars=renewed.stars,
            renewed_on=today,
            expires_on=renewed.expires_on,
            previous_expires_on=held.expires_on,
            evaluation_id=ranked.evaluation_id,
            decision_number=decision.number,
            decision_id=decision.id,
        )
    ]


def sweep(
    held: Certificate, today: date, rules: CertificateRules
) -> tuple[Certificate, list[Event]]:
    """The daily look at a valid certificate: expired, or due for renewal (noticed once a term)."""
    if held.status != "valid":
        return held, []
    if today > held.expires_on:
        return held.model_copy(update={"status": "expired"}), [
            CertificateExpired(**change_fields(held), expired_on=held.expires_on)
        ]
    due = today >= held.expires_on - timedelta(days=rules.renewal_notice_days)
    if not due or held.renewal_notice_for == held.expires_on:
        return held, []
    return held.model_copy(update={"renewal_notice_for": held.expires_on}), [
        CertificateRenewalDue(**held.model_dump(exclude={"id"}), certificate_number=held.number)
    ]


def revoke(
    held: Certificate,
    *,
    reason: RevocationReason,
    note: str,
    decision: Decision,
    revoked_by: str,
) -> tuple[Certificate, list[Event]]:
    """End a valid certificate by the decision, for a reason of the data (code, legal
    basis), with the officer's note; on the day the decision was signed."""
    if held.status == "revoked":
        return held, []
    today = decision.signed_on
    if held.status_on(today) != "valid":
        raise Conflict(
            f"certificate {held.number} is {held.status_on(today)}, not valid",
            {"status": held.status},
        )
    revocation = Revocation(
        revoked_on=today,
        reason=f"{reason.label}. {note}" if note else reason.label,
        reason_code=reason.code,
        note=note,
        legal_basis=reason.legal_basis,
        revoked_by=revoked_by,
        decision_number=decision.number,
        decision_id=decision.id,
    )
    return held.model_copy(update={"status": "revoked", "revocation": revocation}), [
        CertificateRevoked(**change_fields(held), **revocation.model_dump(exclude={"note"}))
    ]


def change_fields(held: Certificate) -> dict:
    return {
        "certificate_number": held.number,
        "product_id": held.product_id,
        "producer_id": held.producer_id,
    }


def import_certificate(
    fields: dict, province_title: str, today: date, rules: CertificateRules, sign: Sign
) -> tuple[Certificate, list[Event]]:
    """A certificate from a province's records, kept with its own number and dates; one
    whose term has ended is imported as expired (its history, not a listing).

    Districts no longer exist (since 1 July 2025); a certificate their councils issued is
    administered by the province, so it is kept at province level with `historical_level`.
    """
    level = "central" if fields["level"] == "central" else "province"
    historical = fields["level"] if fields["level"] not in ("province", "central") else None
    body = fields.get("issuing_body") or rules.issuing_bodies[level].format(province=province_title)
    certificate = signed(
        Certificate(
            **{
                **{name: value for name, value in fields.items() if name != "number"},
                "id": fields["number"],
                "level": level,
                "evaluation_id": f"imported:{fields['number']}",
                "issuing_body": body,
                "decision_number": fields.get("decision_number") or "",
                "imported": True,
                "historical_level": historical,
            }
        ),
        sign,
    )
    issued = CertificateIssued(
        certificate_number=certificate.number, **certificate.model_dump(exclude={"id"})
    )
    if today <= certificate.expires_on:
        return certificate, [issued]
    expired, events = sweep(certificate, today, rules)  # the renewal notice is not for history
    return expired, [issued, *events]
