"""What a stored certificate holds, and its term arithmetic. Pure."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared.access.caller import Reach
from shared.events.scores import SheetUsed

Status = Literal["valid", "expired", "revoked", "superseded"]


HOUSEHOLD = "household"
HIDDEN_HOUSEHOLD = "Hộ kinh doanh (tên không công khai)"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Renewal(Frozen):
    renewed_on: date
    previous_expires_on: date
    evaluation_id: str
    stars: int
    decision_number: str | None = None  # None on renewals recorded before decisions
    decision_id: str | None = None


class Revocation(Frozen):
    revoked_on: date
    reason: str
    legal_basis: str
    revoked_by: str
    reason_code: str | None = None  # None on revocations recorded before codes
    note: str = ""
    decision_number: str | None = None
    decision_id: str | None = None


class Certificate(Frozen):
    """Giấy chứng nhận sản phẩm OCOP: valid from `issued_on` through `expires_on`."""

    id: str  # the certificate number
    product_id: str
    producer_id: str
    producer_name: str | None = None
    producer_kind: str | None = None
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    stars: int
    level: Literal["province", "central"]
    total: float
    criteria_set: str
    sheet: SheetUsed | None = None  # the score sheet the result was scored on
    evaluation_id: str
    issuing_body: str
    decision_number: str  # of the decision that recognised it ("" on imports without one)
    decision_id: str | None = None  # the recorded decision; None on imports
    decided_on: date | None = None  # the day that decision was signed (renewals: the latest)
    issued_on: date
    expires_on: date
    status: Status = "valid"
    payload: str = ""  # the signed QR payload (see signing.py)
    renewals: tuple[Renewal, ...] = ()
    renewal_notice_for: date | None = None  # the term whose renewal notice went out
    revocation: Revocation | None = None
    superseded_by: str | None = None
    imported: bool = False  # loaded from a province's records (see `ocop import`)
    historical_level: str | None = None  # the level that issued it then, e.g. "district"

    @property
    def number(self) -> str:
        return self.id

    def reach(self) -> Reach:
        return Reach(
            province=self.province_code,
            producer_id=self.producer_id,
            central=self.level == "central",
        )

    def status_on(self, today: date) -> Status:
        """The status as of `today`: a valid certificate past its term reads expired even
        before the sweep has marked it."""
        if self.status == "valid" and today > self.expires_on:
            return "expired"
        return self.status

    def facts(self) -> dict[str, Any]:
        """The fields a PDF prints, as JSON values."""
        return {**self.model_dump(mode="json"), "number": self.id}

    def public_facts(self) -> dict[str, Any]:
        """The facts anyone may read, and the ones the QR code's signature covers: a
        household business is a person, so its name is withheld (a QR code on a label is
        scanned, shared and logged by anyone)."""
        return {**self.facts(), "producer_name": self.public_producer()}

    def public_producer(self) -> str | None:
        return HIDDEN_HOUSEHOLD if self.producer_kind == HOUSEHOLD else self.producer_name


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; a day the target month lacks becomes its last day.

    As the Civil Code counts a term in months (Bộ luật Dân sự 2015, Điều 147–148): it
    starts the day after the signing and ends at the end of the corresponding day of the
    last month, or of that month's last day when it has no such day.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
