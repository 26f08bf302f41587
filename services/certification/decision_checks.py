"""Whether a recorded decision fits the proposals it names. Pure."""

from __future__ import annotations

from datetime import date

from services.certification.recognition import Decision, Proposal
from shared.errors import InvalidInput

KIND_OF_ACTION = {"recognise": "recognition", "revoke": "revocation"}


def check_decision(decision: Decision, proposals: dict[str, Proposal], today: date) -> None:
    """Refuse a decision that does not fit the proposals it names: each must exist, wait for
    a decision, be of the decision's kind, level and province, and have been proposed on or
    before the day it was signed, which cannot be later than today."""
    if decision.signed_on > today:
        raise InvalidInput.field("signed_on", f"{decision.signed_on} is in the future")
    if (decision.level == "province") != (decision.province_code is not None):
        raise InvalidInput.field(
            "province_code", "a province's decision names its province; a ministry's does not"
        )
    if not decision.evaluation_ids and not decision.revocations:
        raise InvalidInput.field("evaluation_ids", "the decision names no proposal")
    if decision.revocations and decision.kind != "revocation":
        raise InvalidInput.field("revocations", "only a revocation decision ends certificates")
    if len(set(decision.evaluation_ids)) != len(decision.evaluation_ids):
        raise InvalidInput.field("evaluation_ids", "an evaluation is named twice")
    ended = [each.certificate_number for each in decision.revocations] + [
        proposals[each].certificate_number
        for each in decision.evaluation_ids
        if each in proposals and proposals[each].action == "revoke"
    ]
    if len(set(ended)) != len(ended):
        raise InvalidInput.field("revocations", "a certificate is ended twice")
    problems = [problem(each, proposals.get(each), decision) for each in decision.evaluation_ids]
    found = [each for each in problems if each]
    if found:
        raise InvalidInput.field("evaluation_ids", "; ".join(found))
    late = [
        each for each in decision.evaluation_ids if proposals[each].proposed_on > decision.signed_on
    ]
    if late:
        raise InvalidInput.field(
            "signed_on", f"signed before the council's result of {', '.join(late)}"
        )


def problem(evaluation_id: str, proposal: Proposal | None, decision: Decision) -> str:
    if proposal is None:
        return f"{evaluation_id}: no proposal waits for a decision"
    if proposal.status != "pending":
        return f"{evaluation_id}: already decided ({proposal.decision_id})"
    if KIND_OF_ACTION[proposal.action] != decision.kind:
        return f"{evaluation_id}: proposed for {proposal.action}, not {decision.kind}"
    if proposal.level != decision.level:
        return f"{evaluation_id}: for a {proposal.level}-level decision"
    if decision.level == "province" and proposal.province_code != decision.province_code:
        return f"{evaluation_id}: a product of province {proposal.province_code}"
    return ""
