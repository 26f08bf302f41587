"""Batch and dossier rules as data (`data/batch-rules.yaml`), read once when first used."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

DATA = Path(__file__).parent / "data" / "batch-rules.yaml"


class BatchRules(BaseModel):
    model_config = ConfigDict(frozen=True)

    years_from_opening: int = Field(ge=0)
    max_days_open: int = Field(gt=0)
    one_under_evaluation_per_year: bool


@cache
def batch_rules(path: Path = DATA) -> BatchRules:
    raw = yaml.safe_load(path.read_text("utf-8"))
    return BatchRules(
        years_from_opening=raw["batches"]["years_from_opening"],
        max_days_open=raw["batches"]["max_days_open"],
        one_under_evaluation_per_year=raw["dossiers"]["one_under_evaluation_per_year"],
    )
