"""Events scoring publishes (on `scoring.events`) about a dossier before its council scores
it: the commune's assessment, and the dossier's return to its producer."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from shared.events.base import Event
from shared.events.scores import AssessedItem


class DossierAssessed(Event):
    """The commune (UBND cấp xã) assessed a dossier (Decision 1489/QĐ-TTg): each item met or
    not, its report, and its verdict: `propose` it to the province, or `return` it to the
    producer with `reasons`."""

    event_type: ClassVar[str] = "dossier.assessed"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    dossier_id: str | None = None
    product_id: str
    producer_id: str
    province_code: str
    ward_code: str | None = None
    items: tuple[AssessedItem, ...]
    report: str
    verdict: Literal["propose", "return"]
    reasons: tuple[str, ...] = ()
    assessed_by: str
    assessed_on: date

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


class DossierReturned(Event):
    """A dossier went back to its producer, with the reasons, to be fixed and submitted
    again: the commune did not propose it, or the province did not open its round. Its
    round is closed (`returned`); a new submission opens a new one."""

    event_type: ClassVar[str] = "dossier.returned"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    dossier_id: str | None = None
    product_id: str
    producer_id: str
    evaluation_id: str
    province_code: str
    returned_by_level: Literal["commune", "province"]
    returned_by: str
    reasons: tuple[str, ...]
    returned_on: date

    def subject(self) -> str:
        return f"product/{self.product_id}"
