"""Evaluation batches (đợt đánh giá, phân hạng): when a province receives dossiers.

A province evaluates its products by its own yearly plan, in one or more batches a year
(đợt 1, đợt 2, ...), each announced with the days it receives dossiers (the rules and their
sources: data/batch-rules.yaml). Pure: today's date is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from services.registration.rules import batch_rules
from shared.admin_units import province_name
from shared.errors import InvalidInput
from shared.events import BatchOpened


class Batch(BaseModel):
    """Đợt đánh giá: a province's numbered evaluation batch of a year and its dates."""

    model_config = ConfigDict(frozen=True)

    id: str
    province_code: str
    year: int
    number: int
    name: str | None = None
    opens_on: date
    closes_on: date
    opened_by: str

    def is_open(self, today: date) -> bool:
        """Dossiers are received from the first day to the last, both included."""
        return self.opens_on <= today <= self.closes_on

    def label(self) -> str:
        return f"đợt {self.number}/{self.year} ({self.opens_on} – {self.closes_on})"


def open_batch(
    batch_id: str,
    *,
    province_code: str,
    year: int,
    number: int,
    name: str | None,
    opens_on: date,
    closes_on: date,
    opened_by: str,
) -> tuple[Batch, list[BatchOpened]]:
    """A new batch; that its number is free in the province's year is the store's to say."""
    rules = batch_rules()
    province_name(province_code)  # a province of today's 34, or 422 naming province_code
    if closes_on < opens_on:
        raise InvalidInput.field("closes_on", f"{closes_on} is before opens_on {opens_on}")
    if abs(opens_on.year - year) > rules.years_from_opening:
        raise InvalidInput.field(
            "year", f"a batch of {year} cannot open on {opens_on}: more than a year apart"
        )
    if (closes_on - opens_on).days + 1 > rules.max_days_open:
        raise InvalidInput.field(
            "closes_on", f"a batch receives dossiers for at most {rules.max_days_open} days"
        )
    batch = Batch(
        id=batch_id,
        province_code=province_code,
        year=year,
        number=number,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        opened_by=opened_by,
    )
    event = BatchOpened(batch_id=batch.id, **batch.model_dump(exclude={"id"}))
    return batch, [event]


def choose_batch(
    batch_id: str | None, candidates: Sequence[Batch], province_code: str, today: date
) -> Batch:
    """The batch a dossier goes into: the one named, if it is the product's province's and
    open today; else the province's only batch open today. `candidates` are the named
    batch (if it exists) or the province's batches open today."""
    if batch_id is not None:
        named = next((batch for batch in candidates if batch.id == batch_id), None)
        if named is None:
            raise InvalidInput.field("batch_id", f"no evaluation batch with id {batch_id!r}")
        if named.province_code != province_code:
            raise InvalidInput.field(
                "batch_id",
                f"batch {named.label()} is province {named.province_code}'s; the product is "
                f"in province {province_code}",
            )
        if not named.is_open(today):
            raise InvalidInput.field(
                "batch_id", f"batch {named.label()} does not receive dossiers today ({today})"
            )
        return named
    open_now = [b for b in candidates if b.province_code == province_code and b.is_open(today)]
    if not open_now:
        raise InvalidInput.field(
            "batch_id",
            f"Tỉnh {province_code} không có đợt đánh giá OCOP nào đang nhận hồ sơ hôm nay "
            f"({today}) / no evaluation batch of province {province_code} is open for "
            "dossiers today",
        )
    if len(open_now) > 1:
        listed = ", ".join(f"{b.id} ({b.label()})" for b in open_now)
        raise InvalidInput.field("batch_id", f"several batches are open, name one: {listed}")
    return open_now[0]
