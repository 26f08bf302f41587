"""The steps around the domain when a result, a decision, a sweep or an officer changes
certificates.

Each step is idempotent on its own (unique keys, versioned writes, applied-once checks),
so a redelivered event, a repeated request or a second instance running the same sweep
changes nothing twice.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from services.certification import domain, recognition
from services.certification.certificate import Certificate
from services.certification.decision_checks import check_decision
from services.certification.keys import KeyRing
from services.certification.recognition import Decision, Proposal
from services.certification.rules import CertificateRules
from services.certification.signing import sign
from services.certification.storage import CertificationStore
from shared.errors import Conflict, InvalidInput
from shared.events import ProductNotRanked, ProductRanked
from shared.idempotency import RequestKey

log = logging.getLogger(__name__)


def signer(keys: KeyRing, level: str) -> domain.Sign:
    key = keys.signer(level)
    return lambda fields: sign(key, fields)


def propose_recognition(
    store: CertificationStore, ranked: ProductRanked, rules: CertificateRules
) -> None:
    """A ranked result waits for the competent authority's decision."""
    held = store.valid_certificates_of(ranked.product_id)
    proposal, events = recognition.propose_recognition(ranked, held, rules)
    if proposal is not None:
        store.add_proposal(proposal, events)


def propose_revocation(store: CertificationStore, failed: ProductNotRanked, today: date) -> None:
    """A failed re-evaluation waits for the decision that ends its certificate."""
    number = failed.certificate_number
    held = store.certificate(number) if number else None
    proposal, events = recognition.propose_revocation(failed, held, today)
    if proposal is not None:
        store.add_proposal(proposal, events)


def record_decision(
    store: CertificationStore,
    decision: Decision,
    today: date,
    rules: CertificateRules,
    keys: KeyRing,
    key: RequestKey | None,
) -> Decision:
    """Store a signed decision once it fits the proposals it names; a repeated request
    (same `Idempotency-Key`) gets the decision it recorded.

    Certificates are issued from the decision's own event (`recognition.decided`), one
    consumer at a time, so two workers never number the same certificate twice (a number
    taken twice would leave a gap in the issuer's register). A revocation numbers nothing
    and is carried out at once, so the officer sees the certificate revoked.
    """
    if key is not None:
        decision = decision.model_copy(update={"id": key.entity_id})
        replayed = store.replayed_decision(key)
        if replayed is not None:
            return replayed
    store.refuse_taken_number(decision)
    named = decision.evaluation_ids
    proposals = {
        each.id: unclaimed_if_orphaned(store, each)
        for each in store.proposals(named, limit=max(len(named), 1))
    }
    check_decision(decision, proposals, today)
    for proposal in proposals.values():
        if proposal.action == "revoke":
            certificate_to_end(store, proposal.certificate_number, decision, "evaluation_ids")
    for revocation in decision.revocations:
        held = certificate_to_end(store, revocation.certificate_number, decision, "revocations")
        if rules.reason(revocation.reason_code) is None:
            raise InvalidInput.field(
                "reason_code",
                f"{revocation.reason_code!r} is not one of {sorted(rules.revocation_reasons)}",
            )
        if not same_authority(held, decision):
            raise InvalidInput.field(
                "revocations", f"certificate {held.number} was not issued at this level or province"
            )
    # the proposals are claimed before the decision is stored, so that two decisions
    # recorded at once never both take one (the second is refused, naming it)
    taken = store.claim_proposals(named, decision.id)
    try:
        if len(taken) != len(named):
            lost = sorted(set(named) - set(taken))
            raise InvalidInput.field("evaluation_ids", f"{lost}: already decided meanwhile")
        stored = store.add_decision(decision, [recognition.decided_event(decision, proposals)], key)
    except Exception:
        store.release_proposals(taken, decision.id)
        raise
    if stored.kind == "revocation":
        carry_out(store, stored, rules, keys)
    return stored


def unclaimed_if_orphaned(store: CertificationStore, proposal: Proposal) -> Proposal:
    """A proposal claimed by a decision that was never stored (its request died between the
    claim and the write) waits for a decision again."""
    if proposal.status != "decided" or proposal.decision_id is None:
        return proposal
    if store.decision(proposal.decision_id) is not None:
        return proposal
    store.release_proposals([proposal.id], proposal.decision_id)
    return proposal.model_copy(update={"status": "pending", "decision_id": None})


def certificate_to_end(
    store: CertificationStore, number: str | None, decision: Decision, field: str
) -> Certificate:
    held = store.certificate(number) if number else None
    if held is None or held.status_on(decision.signed_on) != "valid":
        status = "unknown" if held is None else held.status_on(decision.signed_on)
        raise InvalidInput.field(field, f"certificate {number} is {status} on {decision.signed_on}")
    return held


def same_authority(held: Certificate, decision: Decision) -> bool:
    """Only the authority that recognised a product ends its certificate."""
    if held.level != decision.level:
        return False
    return decision.level == "central" or held.province_code == decision.province_code


def carry_out(
    store: CertificationStore, decision: Decision, rules: CertificateRules, keys: KeyRing
) -> None:
    """What the decision does to each proposal it names. Run after the decision is stored
    and again when its own event comes back, so a crash in between completes later."""
    named = decision.evaluation_ids
    found = {each.id: each for each in store.proposals(named, limit=max(len(named), 1))}
    for evaluation_id in named:
        proposal = found.get(evaluation_id)
        if proposal is None or proposal.decision_id not in (None, decision.id):
            continue  # decided by another decision meanwhile: that one's effect stands
        if proposal.action == "recognise":
            recognise(store, proposal, decision, rules, keys)
        else:
            reason = (proposal.reason_code or "", proposal.reason_note)
            end_certificate(store, proposal.certificate_number or "", reason, decision, rules)
        store.update_proposal(evaluation_id, lambda each: recognition.decided(each, decision))
    for revocation in decision.revocations:
        reason = (revocation.reason_code, revocation.note)
        end_certificate(store, revocation.certificate_number, reason, decision, rules)


def recognise(
    store: CertificationStore,
    proposal: Proposal,
    decision: Decision,
    rules: CertificateRules,
    keys: KeyRing,
) -> None:
    """Renew the certificate a re-evaluation was for if the result is of its level, else
    issue one (superseding lower ones)."""
    ranked = proposal.ranking
    assert ranked is not None, "a recognition proposal carries its ranking"
    day = decision.signed_on
    held = store.certificate(ranked.certificate_number) if ranked.certificate_number else None
    if held is not None and held.status_on(day) == "valid" and held.level == ranked.level:
        store.update(
            held.number,
            lambda each: domain.renew(each, ranked, decision, rules, signer(keys, each.level)),
        )
        return
    number = store.number_for(ranked.evaluation_id) or issue(store, ranked, decision, rules, keys)
    if number is None:
        return
    for other in held_on(store, ranked.product_id, day):
        if other.number != number and other.stars < ranked.stars:
            store.update(other.number, lambda each: domain.supersede(each, number, day))


def issue(
    store: CertificationStore,
    ranked: ProductRanked,
    decision: Decision,
    rules: CertificateRules,
    keys: KeyRing,
) -> str | None:
    """The new certificate's number, or None when the product already holds as many stars."""
    held = max(
        held_on(store, ranked.product_id, decision.signed_on),
        key=lambda each: each.stars,
        default=None,
    )
    # a re-evaluation recognised at another level than its certificate's (a central 5-star
    # product now ranked 4 stars by the province) gets that level's certificate; the old one
    # is not renewed and runs to the end of its term
    if not (domain.supersedes(ranked, held) or ranked.certificate_number):
        return None
    sequence = store.next_sequence(domain.issuer(ranked, rules), decision.signed_on.year)
    certificate, events = domain.issue_certificate(
        ranked,
        decision,
        sequence=sequence,
        producer=store.producer(ranked.producer_id),
        rules=rules,
        sign=signer(keys, ranked.level),
    )
    store.add_certificate(certificate, events)
    return store.number_for(ranked.evaluation_id)


def held_on(store: CertificationStore, product_id: str, day: date) -> list[Certificate]:
    """The product's certificates valid on `day` (a term that ended reads expired before
    the sweep has marked it)."""
    found = store.valid_certificates_of(product_id)
    return [each for each in found if each.status_on(day) == "valid"]


def end_certificate(
    store: CertificationStore,
    number: str,
    code_and_note: tuple[str, str],
    decision: Decision,
    rules: CertificateRules,
) -> None:
    code, note = code_and_note
    reason = rules.reason(code)
    assert reason is not None, f"revocation reason {code} was checked before the decision"
    try:
        store.update(
            number,
            lambda each: domain.revoke(
                each, reason=reason, note=note, decision=decision, revoked_by=decision.recorded_by
            ),
        )
    except Conflict as ended:
        # checked valid before the decision was stored; ended since (expired, or revoked
        # by another decision): nothing is left for this decision to end
        log.warning("decision %s finds certificate %s ended: %s", decision.number, number, ended)


def sweep(store: CertificationStore, today: date, rules: CertificateRules) -> int:
    """Expire ended terms and send renewal notices; returns how many certificates changed."""
    changed = 0
    for held in store.valid_due_by(today + timedelta(days=rules.renewal_notice_days)):
        before = held
        after = store.update(held.number, lambda each: domain.sweep(each, today, rules))
        changed += after != before
    return changed
