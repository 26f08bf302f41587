"""Recognition: a council's result waits as a proposal until the competent authority signs a
decision covering it. Pure.

A ranked product is proposed for recognition at the level that recognises its stars; a
re-evaluation that fails proposes the end of the certificate it was for. An officer of that
level records the signed decision (number, date, signer, where the signed text is), and
only then are certificates issued, renewed or revoked, each naming the decision, with the
term counted from the day it was signed (data/certificate-rules.yaml `recognition`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from services.certification.certificate import Certificate
from services.certification.rules import CertificateRules
from shared.events import (
    DecisionDocument,
    ProductNotRanked,
    ProductRanked,
    RecognitionDecided,
    RecognitionProposed,
)
from shared.events.certification import ProposalAction
from shared.events.scoring import Level

LEVEL_RANK = {"province": 1, "central": 2}
FAILED_RE_EVALUATION = "failed_re_evaluation"


class Proposal(BaseModel):
    """A result waiting for a decision; `id` is the evaluation's id."""

    model_config = ConfigDict(frozen=True)

    id: str
    action: ProposalAction
    product_id: str
    producer_id: str
    product_name: str
    province_code: str
    level: Level
    ranking: ProductRanked | None = None  # recognise: the council's result
    certificate_number: str | None = None  # the certificate re-evaluated, or to end
    reason_code: str | None = None  # revoke
    reason_note: str = ""
    proposed_on: date
    status: Literal["pending", "decided"] = "pending"
    decision_id: str | None = None

    @property
    def evaluation_id(self) -> str:
        return self.id


class Revocation(BaseModel):
    """A certificate a revocation decision ends without a council's proposal (a food-safety
    violation, production stopped, a false declaration found later)."""

    model_config = ConfigDict(frozen=True)

    certificate_number: str
    reason_code: str
    note: str = ""


class Decision(BaseModel):
    """A signed decision (quyết định) of a People's Committee or the ministry, as recorded."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Literal["recognition", "revocation"]
    number: str
    signed_on: date
    signer: str
    signer_title: str
    level: Level
    province_code: str | None
    issuing_body: str
    evaluation_ids: tuple[str, ...] = ()
    revocations: tuple[Revocation, ...] = ()
    document: DecisionDocument
    recorded_by: str
    recorded_on: date


def recognises(ranked: ProductRanked, rules: CertificateRules) -> bool:
    """Whether these stars are recognised at the ranking's level, by a council of that
    level or above (a province council never recognises 5 stars; the central council's
    4-star result is recognised at province level)."""
    return ranked.stars in rules.stars_by_level.get(ranked.level, ()) and (
        LEVEL_RANK[ranked.council_level] >= LEVEL_RANK[ranked.level]
    )


def propose_recognition(
    ranked: ProductRanked, held: Sequence[Certificate], rules: CertificateRules
) -> tuple[Proposal | None, list[RecognitionProposed]]:
    """A proposal for a ranking the authority must decide on; none for a result that would
    change nothing (the product already holds a valid certificate of as many stars and this
    is not its re-evaluation)."""
    if not recognises(ranked, rules):
        return None, []
    # as of the ranking's day: a term that ended is no longer held, swept or not yet
    best = max(
        (each.stars for each in held if each.status_on(ranked.ranked_on) == "valid"), default=0
    )
    if ranked.certificate_number is None and best >= ranked.stars:
        return None, []
    proposal = Proposal(
        id=ranked.evaluation_id,
        action="recognise",
        product_id=ranked.product_id,
        producer_id=ranked.producer_id,
        product_name=ranked.product_name,
        province_code=ranked.province_code,
        level=ranked.level,
        ranking=ranked,
        certificate_number=ranked.certificate_number,
        proposed_on=ranked.ranked_on,
    )
    return proposal, [proposed_event(proposal)]


def propose_revocation(
    failed: ProductNotRanked, held: Certificate | None, today: date
) -> tuple[Proposal | None, list[RecognitionProposed]]:
    """A re-evaluation that ended without a ranking proposes the end of the certificate it
    was for, to the authority that issued it; nothing for other rounds or a certificate no
    longer valid (nothing left to end)."""
    if failed.round_kind != "re_evaluation" or held is None:
        return None, []
    if held.product_id != failed.product_id or held.status_on(today) != "valid":
        return None, []
    note = f"{failed.reason}: " + ", ".join(
        [each.criterion for each in failed.failed_criteria]
        + [each.code for each in failed.disqualified_by]
    )
    proposal = Proposal(
        id=failed.evaluation_id,
        action="revoke",
        product_id=held.product_id,
        producer_id=held.producer_id,
        product_name=held.product_name,
        province_code=held.province_code,
        level=held.level,
        certificate_number=held.number,
        reason_code=FAILED_RE_EVALUATION,
        reason_note=note.rstrip(": "),
        proposed_on=failed.decided_on,
    )
    return proposal, [proposed_event(proposal)]


def proposed_event(proposal: Proposal) -> RecognitionProposed:
    ranked = proposal.ranking
    return RecognitionProposed(
        evaluation_id=proposal.id,
        action=proposal.action,
        product_id=proposal.product_id,
        producer_id=proposal.producer_id,
        product_name=proposal.product_name,
        group=ranked.group if ranked else "",
        subgroup=ranked.subgroup if ranked else None,
        province_code=proposal.province_code,
        level=proposal.level,
        stars=ranked.stars if ranked else None,
        total=ranked.total if ranked else None,
        sheet=ranked.sheet if ranked else None,
        certificate_number=proposal.certificate_number,
        reason_code=proposal.reason_code,
        proposed_on=proposal.proposed_on,
    )


def decided_event(decision: Decision, proposals: dict[str, Proposal]) -> RecognitionDecided:
    return RecognitionDecided(
        decision_id=decision.id,
        kind=decision.kind,
        decision_number=decision.number,
        signed_on=decision.signed_on,
        signer=decision.signer,
        signer_title=decision.signer_title,
        level=decision.level,
        province_code=decision.province_code,
        issuing_body=decision.issuing_body,
        evaluation_ids=decision.evaluation_ids,
        product_ids=tuple(proposals[each].product_id for each in decision.evaluation_ids),
        certificate_numbers=tuple(each.certificate_number for each in decision.revocations),
        document=decision.document,
        recorded_by=decision.recorded_by,
    )


def decided(proposal: Proposal, decision: Decision) -> tuple[Proposal, list]:
    if proposal.status == "decided":
        return proposal, []
    return proposal.model_copy(update={"status": "decided", "decision_id": decision.id}), []
