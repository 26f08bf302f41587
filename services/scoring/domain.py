"""Scoring workflow: rounds open, the commune pre-checks, members score, the council closes.

Pure: time comes in as `now`; every change appends to the round's audit trail and
returns the events it causes. The arithmetic is in `ranking.py`, councils and quorum in
`councils.py`, the rules' legal sources in the criteria data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.scoring.councils import Council
from services.scoring.criteria import CriteriaSet, Sheet
from services.scoring.evaluation import (
    Evaluation,
    entry,
)
from shared.clock import VIETNAM
from shared.errors import InvalidInput
from shared.events import (
    CertificateRenewalDue,
    DossierSubmitted,
    EvaluationOpened,
    ProductEscalated,
)
from shared.events.scoring import RoundKind


def criteria_set_for(sets: tuple[CriteriaSet, ...], day: date) -> CriteriaSet:
    """The newest set in force on `day` (draft sets are never chosen)."""
    in_force = [each for each in sets if each.status == "in_force" and each.applies_from <= day]
    if not in_force:
        raise InvalidInput.field("date", f"no criteria set in force on {day}")
    return max(in_force, key=lambda each: each.applies_from)


def sheet_for(
    criteria_set: CriteriaSet, group: str, subgroup: str | None
) -> tuple[Sheet, tuple[str, ...]]:
    """The product's sheet, and why it is provisional (empty tuple if it is not)."""
    if subgroup in criteria_set.sheets:
        sheet = criteria_set.sheets[subgroup]
        return sheet, sheet.provisional_reasons
    default = criteria_set.sheets[criteria_set.group_defaults[group]]
    reason = (
        f"no {criteria_set.code} sheet for sub-group {subgroup or '(none)'} of {group} yet; "
        f"scored on the default sheet {default.id}"
    )
    return default, (reason, *default.provisional_reasons)


def open_round(
    evaluation_id: str,
    *,
    kind: RoundKind,
    round_key: str,
    product: dict[str, Any],
    criteria_set: CriteriaSet,
    council: Council,
    now: datetime,
    awaiting_precheck: bool = False,
) -> tuple[Evaluation, list[EvaluationOpened]]:
    """A round for `product` (the fields the triggering event carries about it)."""
    sheet, reasons = sheet_for(criteria_set, product["group"], product.get("subgroup"))
    evaluation = Evaluation(
        **product,
        id=evaluation_id,
        round_key=round_key,
        kind=kind,
        criteria_set=criteria_set.code,
        sheet_id=sheet.id,
        provisional_reasons=reasons,
        council=council,
        member_ids=council.scorers,
        opened_on=now.astimezone(VIETNAM).date(),
        status="awaiting_precheck" if awaiting_precheck else "open",
        audit=(entry(now, "system", "opened", council=council.id, kind=kind),),
    )
    event = EvaluationOpened(
        **evaluation.model_dump(exclude={"id", "council"}),
        evaluation_id=evaluation.id,
        provisional=evaluation.provisional,
        council_id=council.id,
        level=council.level,
        members=council.scorers,
        awaiting_precheck=awaiting_precheck,
    )
    return evaluation, [event]


def open_for_dossier(
    evaluation_id: str,
    dossier: DossierSubmitted,
    sets: tuple[CriteriaSet, ...],
    council: Council,
    now: datetime,
    precheck_required: bool,
) -> tuple[Evaluation, list[EvaluationOpened]]:
    return open_round(
        evaluation_id,
        kind="new",
        round_key=f"dossier:{dossier.dossier_id}",
        product=dossier.model_dump(exclude={"year", "submitted_on"}),
        criteria_set=criteria_set_for(sets, now.astimezone(VIETNAM).date()),
        council=council,
        now=now,
        awaiting_precheck=precheck_required,
    )


def open_central_round(
    evaluation_id: str,
    escalated: ProductEscalated,
    criteria_set: CriteriaSet,
    council: Council,
    now: datetime,
) -> tuple[Evaluation, list[EvaluationOpened]]:
    """The central council scores again on the same criteria set as the province."""
    product = escalated.model_dump(
        exclude={
            "evaluation_id",
            "total",
            "parts",
            "to_level",
            "escalated_on",
            "council_id",
            "criteria_set",
        }
    )
    return open_round(
        evaluation_id,
        kind="central",
        round_key=f"central:{escalated.evaluation_id}",
        product={**product, "escalated_from": escalated.evaluation_id},
        criteria_set=criteria_set,
        council=council,
        now=now,
    )


def open_reevaluation(
    evaluation_id: str,
    due: CertificateRenewalDue,
    sets: tuple[CriteriaSet, ...],
    council: Council,
    now: datetime,
) -> tuple[Evaluation, list[EvaluationOpened]]:
    """A certified product re-evaluated before its certificate's term ends."""
    product = due.model_dump(exclude={"stars", "expires_on"})
    return open_round(
        evaluation_id,
        kind="re_evaluation",
        round_key=f"renewal:{due.certificate_number}:{due.expires_on}",
        product=product,
        criteria_set=criteria_set_for(sets, now.astimezone(VIETNAM).date()),
        council=council,
        now=now,
    )
