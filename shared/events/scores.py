"""Values the scoring events carry: part scores, the criteria that capped or failed a
result, the sheet a result was scored on, the disqualification rules found to apply."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class PartScore(Frozen):
    """Points in one part (A, B, C) of the sheet: one member's, or the members' average."""

    code: str
    points: float


class CapByCriterion(Frozen):
    """A star level the product could not reach because one criterion fell short."""

    criterion: str
    stars: int
    required_points: float
    average_points: float


class SheetUsed(Frozen):
    """The score sheet a result was scored on (`<criteria set>/<sub-group>`), so that the
    certificate and the catalogue can say which one, and whether it was provisional."""

    id: str
    title: str
    provisional: bool


class Disqualified(Frozen):
    """A "Hồ sơ bị loại khi" rule of the sheet that the council found applies."""

    code: str
    text: str


class AssessedItem(Frozen):
    """One thing the commune assessed in a dossier (Decision 1489/QĐ-TTg): its code and
    label (services/scoring/data/commune-assessment.yaml), whether it is met, and a note."""

    code: str
    label: str
    met: bool
    note: str = ""
