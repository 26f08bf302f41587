"""The procedure's rules as data (Decision 148/QĐ-TTg Phụ lục II as amended by 1489/QĐ-TTg):
which results go to the central council, what the commune assesses, when a council may
close. Loaded from `data/` at start (a file that does not read stops the service); the
domain functions receive them, they never read files. Sources: each file and README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ConfigDict

from services.scoring.councils import Quorum, QuorumRule
from shared.events.scoring import Level

DATA = Path(__file__).parent / "data"


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True)


class Source(Rule):
    """Where a rule comes from: the decision, its words (as found), where they were read."""

    decision: str
    quote: str = ""
    url: str = ""


class Escalation(Rule):
    """Results of `min_points` or more go to the central council; meanwhile the province
    recognises, if `province_recognises`, the stars it may give (at most `province_max_stars`)."""

    min_points: float
    to_level: Level = "central"
    province_recognises: bool
    province_max_stars: int
    sources: tuple[Source, ...]


class AssessmentItem(Rule):
    """One thing the commune assesses in a dossier (1489/QĐ-TTg); `verbatim` is False where
    the label is not the decision's own words (the file says why)."""

    code: str
    label: str
    verbatim: bool
    quote: str


class Procedure(Rule):
    """Every rule of the procedure the scoring service applies."""

    escalation: Escalation
    assessment_items: tuple[AssessmentItem, ...]
    quorum: dict[str, QuorumRule]

    def quorum_rule(self, name: str) -> QuorumRule:
        return self.quorum[name]

    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.assessment_items)


def _read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_procedure(directory: Path = DATA) -> Procedure:
    """The rules in `directory`; ValueError naming the file if one does not fit."""
    raw = _read(directory / "escalation.yaml")
    meanwhile = raw["province_while_central_decides"]
    escalation = Escalation(
        **raw["escalation"],
        province_recognises=meanwhile["recognises"],
        province_max_stars=meanwhile["max_stars"],
    )
    items = _read(directory / "commune-assessment.yaml")["items"]
    rules = _read(directory / "council-levels.yaml")["quorum"]
    procedure = Procedure(
        escalation=escalation,
        assessment_items=tuple(AssessmentItem(**item) for item in items),
        quorum={name: QuorumRule(name=name, **rule) for name, rule in rules.items()},
    )
    named, known = set(procedure.quorum), set(get_args(Quorum))
    if named != known:
        raise ValueError(f"council-levels.yaml quorum rules {sorted(named)} != {sorted(known)}")
    if len(set(procedure.item_codes())) != len(items):
        raise ValueError("commune-assessment.yaml: an item code appears twice")
    return procedure


def procedure_from_config(config: dict) -> Procedure:
    """The shipped rules (they change with a deployment, like the criteria data)."""
    return load_procedure()
