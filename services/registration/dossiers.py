"""Dossiers (hồ sơ): a product's application in one of its province's evaluation batches,
first or renewal, until the council returns it or evaluates it.

Pure: every function takes what it needs (the product, the batches, the product's earlier
dossiers, today's date) and returns the new state with the events it causes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from services.registration.batches import Batch, choose_batch
from services.registration.certificates import KnownCertificate, check_renewal
from services.registration.domain import Product
from services.registration.rules import batch_rules
from shared.errors import Conflict, InvalidInput
from shared.events import DossierSubmitted, Event, EvidenceData, InvalidEvent

MAX_EVIDENCE = 200  # documents in one dossier, carried over ones included


class Evidence(BaseModel):
    """One document of a dossier; size and media type are unknown for those sent without them."""

    model_config = ConfigDict(frozen=True)

    kind: str
    filename: str
    sha256: str
    size_bytes: int | None = None
    media_type: str | None = None


class Returned(BaseModel):
    """Why, when and by whom a dossier was returned (trả hồ sơ) to its producer."""

    model_config = ConfigDict(frozen=True)

    evaluation_id: str
    by_level: Literal["commune", "province"]
    by: str
    reasons: tuple[str, ...]
    on: date


class Evaluated(BaseModel):
    """The council's result of the dossier's round (ranked or not), as scoring announced it."""

    model_config = ConfigDict(frozen=True)

    evaluation_id: str
    outcome: Literal["ranked", "not_ranked"]
    stars: int | None = None
    on: date


class Dossier(BaseModel):
    """Hồ sơ: a product's application in an evaluation batch (đợt), with its evidence.

    `batch_id` is None on dossiers sent before batches; `attempt` counts the product's
    dossiers of the year (one returned leaves room for the next); `renewal_of` names the
    certificate a renewal dossier re-evaluates."""

    model_config = ConfigDict(frozen=True)

    id: str
    product_id: str
    producer_id: str
    year: int
    evidence: tuple[Evidence, ...]
    submitted_on: date
    status: Literal["submitted", "returned", "evaluated"] = "submitted"
    batch_id: str | None = None
    attempt: int = 1
    renewal_of: str | None = None
    returned: Returned | None = None
    evaluated: Evaluated | None = None

    def under_evaluation(self) -> bool:
        return self.status == "submitted"


def submit_dossier(
    dossier_id: str,
    product: Product,
    *,
    batch_id: str | None,
    year: int | None,
    evidence: tuple[Evidence, ...],
    carry_over_evidence: bool = False,
    renewal_of: str | None = None,
    batches: Sequence[Batch],
    certificate: KnownCertificate | None = None,
    earlier: Sequence[Dossier] = (),
    today: date,
) -> tuple[Dossier, list[DossierSubmitted]]:
    """A dossier in the batch named (or the province's one open batch), with nothing of
    the product's still under evaluation there. `batches`: the named batch, or the
    province's open ones; `certificate`: the one `renewal_of` names, if known; `earlier`:
    the product's dossiers so far."""
    batch = choose_batch(batch_id, batches, product.province_code, today)
    if year is not None and year != batch.year:
        raise InvalidInput.field("year", f"batch {batch.label()} evaluates {batch.year}")
    check_nothing_under_evaluation(product.id, batch, earlier)
    if renewal_of is not None:
        check_renewal(renewal_of, certificate, product.id, today)
    dossier = Dossier(
        id=dossier_id,
        product_id=product.id,
        producer_id=product.producer_id,
        year=batch.year,
        evidence=gathered_evidence(evidence, carry_over_evidence, earlier),
        submitted_on=today,
        batch_id=batch.id,
        attempt=1 + sum(1 for each in earlier if each.year == batch.year),
        renewal_of=renewal_of,
    )
    return dossier, [submitted_event(dossier, product)]


def check_nothing_under_evaluation(
    product_id: str, batch: Batch, earlier: Sequence[Dossier]
) -> None:
    """One dossier of a product per batch, and (data/batch-rules.yaml) none while another of
    the year is under evaluation; returned dossiers do not count. The answer names no
    dossier: the one there may be another caller's (an idempotency key's retry by its own
    caller is answered before this)."""
    per_year = batch_rules().one_under_evaluation_per_year
    for each in earlier:
        if not each.under_evaluation():
            continue
        if each.batch_id == batch.id:
            raise Conflict(
                f"product {product_id} already has a dossier in batch {batch.label()}",
                {"batch_id": "taken"},
            )
        if per_year and each.year == batch.year:
            raise Conflict(
                f"the dossier of product {product_id} submitted on {each.submitted_on} is still "
                "under evaluation; another is accepted once it is returned",
                {"batch_id": "a dossier of the year is under evaluation"},
            )


def gathered_evidence(
    given: tuple[Evidence, ...], carry_over: bool, earlier: Sequence[Dossier]
) -> tuple[Evidence, ...]:
    """The documents sent, after those carried over from the product's latest dossier (a
    document sent again, same kind and content, replaces the carried one)."""
    carried: tuple[Evidence, ...] = ()
    if carry_over:
        if not earlier:
            raise InvalidInput.field(
                "carry_over_evidence", "the product has no earlier dossier to carry evidence from"
            )
        carried = max(earlier, key=lambda d: (d.submitted_on, d.year, d.attempt)).evidence
    sent = {(each.kind, each.sha256) for each in given}
    evidence = (*[each for each in carried if (each.kind, each.sha256) not in sent], *given)
    if not evidence:
        raise InvalidInput.field("evidence", "a dossier holds at least one document")
    if len(evidence) > MAX_EVIDENCE:
        raise InvalidInput.field("evidence", f"at most {MAX_EVIDENCE} documents, carried included")
    return evidence


def submitted_event(dossier: Dossier, product: Product) -> DossierSubmitted:
    return DossierSubmitted(
        dossier_id=dossier.id,
        product_id=product.id,
        producer_id=product.producer_id,
        product_name=product.name,
        group=product.group,
        subgroup=product.subgroup,
        province_code=product.province_code,
        ward_code=product.ward_code,
        year=dossier.year,
        submitted_on=dossier.submitted_on,
        evidence=tuple(EvidenceData.model_validate(e.model_dump()) for e in dossier.evidence),
        batch_id=dossier.batch_id,
        renewal_of=dossier.renewal_of,
    )


def return_dossier(
    dossier: Dossier, product_id: str, returned: Returned
) -> tuple[Dossier, list[Event]]:
    """Scoring returned the dossier to its producer (`dossier.returned`): it no longer
    counts as under evaluation. Registration says nothing more; scoring already did."""
    if dossier.product_id != product_id:
        raise InvalidEvent(
            f"dossier {dossier.id} is product {dossier.product_id}'s, not {product_id}'s"
        )
    if dossier.returned is not None:  # returned once: a second return changes nothing
        return dossier, []
    return dossier.model_copy(update={"status": "returned", "returned": returned}), []


def record_result(dossier: Dossier, product_id: str, result: Evaluated) -> tuple[Dossier, list]:
    """The council ranked the dossier or did not (`product.ranked`, `product.not_ranked`):
    its evaluation is over, so it no longer holds the product's place in the year. A round
    escalated to the central council ends with the central result; the province's interim
    ranking of such a product ends the dossier's provincial evaluation already."""
    if dossier.product_id != product_id:
        raise InvalidEvent(
            f"dossier {dossier.id} is product {dossier.product_id}'s, not {product_id}'s"
        )
    if dossier.status != "submitted":  # returned, or evaluated once already
        return dossier, []
    return dossier.model_copy(update={"status": "evaluated", "evaluated": result}), []
