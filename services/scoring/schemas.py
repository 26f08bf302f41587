"""HTTP request and response models of the scoring API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.scoring.councils import CouncilLevel, Member, Quorum
from services.scoring.evaluation import (
    Assessment,
    AuditEntry,
    Evaluation,
    MemberSheet,
    Opening,
    Outcome,
    Precheck,
    Waiting,
)
from shared.access.caller import ACTOR
from shared.events import EvidenceData
from shared.text import FreeText, Name, TypedText

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberIn(Member):
    """A council member as registered: the name is checked as a person types it."""

    name: Annotated[str, TypedText(min_length=0)] = ""


class CouncilIn(Request):
    name: Name
    level: CouncilLevel
    province_code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")] | None = None
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=50)]
    quorum: Quorum = "two_thirds_with_chair"


class CouncilOut(BaseModel):
    id: str
    name: str
    level: str
    province_code: str | None
    members: list[Member]
    quorum: str


STATUSES = r"^(awaiting_sheet|awaiting_assessment|awaiting_opening|open|closed)$"


class EvaluationQuery(Request):
    product_id: Id | None = None
    member_id: Id | None = None
    status: Annotated[str, StringConstraints(pattern=STATUSES)] | None = None
    batch_id: Annotated[Id | None, Field(description="the rounds of one evaluation batch")] = None


class EvaluationOut(BaseModel):
    id: str
    kind: str
    product_id: str
    product_name: str
    dossier_id: str | None
    status: str
    criteria_set: str
    sheet_id: Annotated[
        str | None, Field(description="`<criteria set>/<sub-group>`; null while the round waits")
    ]
    sheet_title: str | None = None
    waiting: Annotated[
        Waiting | None,
        Field(description="why the round waits for its sheet (status `awaiting_sheet`)"),
    ] = None
    provisional: bool
    provisional_reasons: list[str]
    council_id: str
    level: str
    members: list[str]
    submitted_members: list[str]
    evidence: list[EvidenceData]
    escalated_from: str | None
    certificate_number: str | None
    batch_id: str | None = None
    opened_on: date
    precheck: Annotated[
        Precheck | None, Field(description="rounds from before the commune's assessment only")
    ]
    assessment: Annotated[Assessment | None, Field(description="the commune's assessment")] = None
    opening: Annotated[
        Opening | None, Field(description="the province's decision to open the round")
    ] = None
    outcome: Outcome | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationOut:
        return cls.model_validate(
            {
                **evaluation.model_dump(exclude={"sheets", "audit", "council"}),
                "provisional": evaluation.provisional,
                "council_id": evaluation.council.id,
                "level": evaluation.council.level,
                "members": evaluation.member_ids,
                "submitted_members": [sheet.member_id for sheet in evaluation.sheets],
            }
        )


Reasons = Annotated[
    list[FreeText],
    Field(max_length=20, description="why the dossier goes back (required to return it)"),
]


class AssessedItemIn(Request):
    met: bool
    note: Annotated[str, TypedText(max_length=2000, min_length=0, lines=True)] = ""


class AssessmentIn(Request):
    """The commune's assessment: every item of the data (`local_raw_materials`,
    `local_labour`, `product_idea_origin`, `local_identity`), its report, its verdict."""

    officer_id: Annotated[Id | None, Field(description=ACTOR)] = None
    items: Annotated[
        dict[Annotated[str, StringConstraints(max_length=50)], AssessedItemIn],
        Field(max_length=20, description="each assessment item's code: met, note"),
    ]
    report: Annotated[str, TypedText(max_length=20000, lines=True)]
    verdict: Literal["propose", "return"]
    reasons: Reasons = []


class OpeningIn(Request):
    """The province's decision on a dossier the commune proposed."""

    officer_id: Annotated[Id | None, Field(description=ACTOR)] = None
    open: bool
    reasons: Reasons = []


class ScoresheetIn(Request):
    member_id: Id
    answers: dict[
        Annotated[str, StringConstraints(max_length=20)],
        Annotated[str, StringConstraints(max_length=30)],
    ]


class SheetQuery(Request):
    member_id: Id | None = None


class ScoresheetOut(BaseModel):
    evaluation_id: str
    member_id: str
    revision: int
    total: float
    parts: list[dict[str, Any]]
    answers: dict[str, str]
    revisions: list[dict[str, Any]]

    @classmethod
    def of(cls, evaluation_id: str, sheet: MemberSheet) -> ScoresheetOut:
        current = sheet.current
        return cls(
            evaluation_id=evaluation_id,
            member_id=sheet.member_id,
            revision=current.revision,
            total=current.total,
            parts=[part.model_dump() for part in current.parts],
            answers=current.answer_map(),
            revisions=[
                {
                    "revision": each.revision,
                    "total": each.total,
                    "submitted_at": each.submitted_at,
                    "answers": each.answer_map(),
                }
                for each in sheet.revisions
            ],
        )


class CloseIn(Request):
    closed_by: Annotated[Id | None, Field(description=ACTOR)] = None
    disqualified: Annotated[
        list[Annotated[str, StringConstraints(max_length=50)]],
        Field(
            max_length=20,
            description='codes of the sheet\'s "Hồ sơ bị loại khi" rules the council found '
            "apply (GET the round's sheet: `disqualifications`); any makes the product not "
            "ranked, whatever its score",
        ),
    ] = []


class OutcomeOut(Outcome):
    evaluation_id: str


class AuditOut(BaseModel):
    evaluation_id: str
    entries: list[AuditEntry]


class ImportedResultIn(Request):
    """A past result from a province's records: `code` is the province's record number."""

    code: Id
    product_id: Id
    producer_id: Id
    product_name: Annotated[str, TypedText()]
    group: Id
    subgroup: Id | None = None
    province_code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
    criteria_set: Id
    scored_at_level: Literal["district", "province", "central"]
    total: Annotated[float, Field(ge=0, le=100)]
    stars: Annotated[int, Field(ge=1, le=5)]
    evaluated_on: date
    council_id: Id | None = None


class ImportedResultOut(BaseModel):
    id: str
    record_code: str
    product_id: str
    criteria_set: str
    scored_at_level: str
    total: float
    stars: int
    evaluated_on: date
