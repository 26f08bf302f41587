"""The steps around the domain when a ranking, a sweep or an officer changes certificates.

Each step is idempotent on its own (unique keys, versioned writes, applied-once checks),
so a redelivered event or a second instance running the same sweep changes nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from services.certification import domain
from services.certification.keys import KeyRing
from services.certification.rules import CertificateRules
from services.certification.signing import sign
from services.certification.storage import CertificationStore
from shared.admin_units import province_title
from shared.events import ProductRanked


def signer(keys: KeyRing, level: str) -> domain.Sign:
    key = keys.signer(level)
    return lambda fields: sign(key, fields)


def record_ranking(
    store: CertificationStore,
    ranked: ProductRanked,
    today: date,
    rules: CertificateRules,
    keys: KeyRing,
) -> None:
    """Renew the certificate a re-evaluation was for if the result is of its level, else
    issue one (superseding lower ones)."""
    if not domain.recognises(ranked, rules):
        return
    held = store.certificate(ranked.certificate_number) if ranked.certificate_number else None
    if held is not None and held.status_on(today) == "valid" and held.level == ranked.level:
        store.update(
            held.number,
            lambda each: domain.renew(each, ranked, today, rules, signer(keys, each.level)),
        )
        return
    number = store.number_for(ranked.evaluation_id) or issue(store, ranked, today, rules, keys)
    if number is None:
        return
    for other in store.valid_certificates_of(ranked.product_id):
        if other.number != number and other.stars < ranked.stars:
            store.update(other.number, lambda each: domain.supersede(each, number, today))


def issue(
    store: CertificationStore,
    ranked: ProductRanked,
    today: date,
    rules: CertificateRules,
    keys: KeyRing,
) -> str | None:
    """The new certificate's number, or None when the product already holds as many stars."""
    held = max(
        store.valid_certificates_of(ranked.product_id), key=lambda each: each.stars, default=None
    )
    # a re-evaluation recognised at another level than its certificate's (a central 5-star
    # product now ranked 4 stars by the province) gets that level's certificate; the old one
    # is not renewed and runs to the end of its term
    if not (domain.supersedes(ranked, held) or ranked.certificate_number):
        return None
    sequence = store.next_sequence(domain.issuer(ranked, rules), today.year)
    certificate, events = domain.issue_certificate(
        ranked,
        sequence=sequence,
        province_title=province_title(ranked.province_code),
        producer=store.producer(ranked.producer_id),
        today=today,
        rules=rules,
        sign=signer(keys, ranked.level),
    )
    store.add_certificate(certificate, events)
    return store.number_for(ranked.evaluation_id)


def sweep(store: CertificationStore, today: date, rules: CertificateRules) -> int:
    """Expire ended terms and send renewal notices; returns how many certificates changed."""
    changed = 0
    for held in store.valid_due_by(today + timedelta(days=rules.renewal_notice_days)):
        before = held
        after = store.update(held.number, lambda each: domain.sweep(each, today, rules))
        changed += after != before
    return changed
