"""Loading criteria sets from `data/` and checking them; an invalid file stops the service.

Checks: criterion codes are unique; each criterion's stated maximum equals its best
option (so the maximum is reachable); sections and parts sum to their stated maxima and
the parts to the set's (A 40 / B 25 / C 35 under 148); the options of a criterion differ in
points (within each case, where one of two cases applies); star markers name 3, 4 or 5
stars, on an option or on a criterion's heading, and their minimums do not fall as stars
rise; one sheet a sub-group, in the group the decision's classification gives it. Any
problem stops loading (and so the service) with the file, the criterion and the reason: a
sheet that does not add up is not used, it is listed under `withheld` with why (and must
still fail, so the reason stays true). Star minimums no product can miss (no option below
them) are reported with the sheet as `known_issues`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml

from services.scoring import sheet_checks
from services.scoring.criteria import (
    CriteriaError,
    CriteriaSet,
    Disqualification,
    Sheet,
    StarBand,
    WithheldSheet,
)
from services.scoring.sheet_reading import read_part
from shared.product_groups import classification

DATA = Path(__file__).parent / "data"


def load_criteria_sets(directory: Path = DATA) -> tuple[CriteriaSet, ...]:
    """Every criteria set in `directory`, checked; CriteriaError on the first bad file."""
    index = directory / "criteria-sets.yaml"
    raw = _read(index)
    sets = tuple(_criteria_set(entry, directory) for entry in raw["sets"])
    codes = [criteria_set.code for criteria_set in sets]
    if len(set(codes)) != len(codes):
        raise CriteriaError(f"{index}: criteria set codes repeat: {codes}")
    return sets


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CriteriaError(f"{path}: cannot be read: {exc}") from exc


def _criteria_set(entry: dict, directory: Path) -> CriteriaSet:
    code = entry["code"]
    maxima = {part: float(points) for part, points in entry["part_maxima"].items()}
    if sum(maxima.values()) != 100:
        raise CriteriaError(f"criteria set {code}: parts sum to {sum(maxima.values())}, not 100")
    groups = {group["code"]: group["name"] for group in entry["groups"]}
    rules = _disqualification_rules(entry.get("disqualifications", {}), code)
    sheets: dict[str, Sheet] = {}
    for sheet_entry in entry["sheets"]:
        sheet = _sheet(directory / sheet_entry["file"], code, sheet_entry, maxima, rules)
        if sheet.group not in groups:
            raise CriteriaError(f"criteria set {code}: sheet {sheet.id} names no group of the set")
        known = classification().subgroups.get(sheet.subgroup)
        if entry.get("product_sets") == "148" and (known is None or known.group != sheet.group):
            raise CriteriaError(
                f"criteria set {code}: sheet {sheet.id} is not a product set of group "
                f"{sheet.group} in shared/data/product-groups.yaml"
            )
        if sheet.subgroup in sheets:
            raise CriteriaError(f"criteria set {code}: two sheets for sub-group {sheet.subgroup}")
        sheets[sheet.subgroup] = sheet
    withheld = {
        each["subgroup"]: _withheld(directory / each["file"], each)
        for each in entry.get("withheld", [])
    }
    if set(withheld) & set(sheets):
        raise CriteriaError(
            f"criteria set {code}: {sorted(set(withheld) & set(sheets))} both used and withheld"
        )
    bands = entry["star_bands"]
    stars = [band["stars"] for band in bands["bands"]]
    if stars != sorted(stars) or [b["min"] for b in bands["bands"]] != sorted(
        b["min"] for b in bands["bands"]
    ):
        raise CriteriaError(f"criteria set {code}: star bands are not in ascending order")
    return CriteriaSet(
        code=code,
        decision=entry["decision"],
        status=entry.get("status", "in_force"),
        note=entry.get("note", ""),
        provisional_reason=" ".join(entry.get("provisional_reason", "").split()),
        applies_from=entry["applies_from"],
        groups=groups,
        part_maxima=maxima,
        star_bands=tuple(StarBand(stars=b["stars"], min_points=b["min"]) for b in bands["bands"]),
        star_bands_note=bands["note"],
        sheets=sheets,
        withheld=withheld,
        product_sets_of_148=entry.get("product_sets") == "148",
    )


class Rules(NamedTuple):
    """A set's "Hồ sơ bị loại khi" rules: `common` apply to every sheet, `named` where a
    sheet lists them."""

    common: tuple[Disqualification, ...]
    named: dict[str, Disqualification]


def _disqualification_rules(raw: dict, set_code: str) -> Rules:
    common = tuple(Disqualification(**rule) for rule in raw.get("common", []))
    named = {rule["code"]: Disqualification(**rule) for rule in raw.get("rules", [])}
    codes = [rule.code for rule in common] + [rule["code"] for rule in raw.get("rules", [])]
    if len(set(codes)) != len(codes):
        raise CriteriaError(f"criteria set {set_code}: disqualification codes repeat: {codes}")
    return Rules(common, named)


def _withheld(path: Path, entry: dict) -> WithheldSheet:
    """A sheet kept out of scoring; its problems are measured again, so the reason stays true."""
    raw = _read(path)
    parts = tuple(read_part(part, path) for part in raw["parts"])
    problems = sheet_checks.problems(raw["parts"], parts)
    if not problems:
        raise CriteriaError(f"{path}: withheld, but it passes every check: use it, or say why not")
    return WithheldSheet(
        group=entry["group"],
        subgroup=entry["subgroup"],
        set_number=raw.get("set_number"),
        title=raw["product_set"],
        reason=entry["reason"],
        problems=tuple(problems),
    )


def _sheet(path: Path, set_code: str, entry: dict, maxima: dict[str, float], rules: Rules) -> Sheet:
    raw = _read(path)
    parts = tuple(read_part(part, path) for part in raw["parts"])
    codes = [criterion.code for part in parts for criterion in part.criteria]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise CriteriaError(f"{path}: criterion codes repeat: {repeated}")
    for problem in sheet_checks.problems(raw["parts"], parts):
        raise CriteriaError(f"{path}: {problem} (a sheet must add up: fix it or withhold it)")
    for part in parts:
        if part.max_points != maxima.get(part.code):
            raise CriteriaError(
                f"{path}: part {part.code} max {part.max_points} != set's {maxima.get(part.code)}"
            )
    named = entry.get("disqualifications", [])
    unknown = sorted(set(named) - set(rules.named))
    if unknown:
        raise CriteriaError(f"{path}: disqualifications {unknown} are not rules of {set_code}")
    return Sheet(
        id=f"{set_code}/{entry['subgroup']}",
        criteria_set=set_code,
        group=entry["group"],
        subgroup=entry["subgroup"],
        set_number=raw.get("set_number"),
        title=raw["product_set"],
        provisional_reasons=tuple(entry.get("provisional", ())),
        known_issues=sheet_checks.unfailable(parts),
        sources=raw.get("sources") or {},
        parts=parts,
        disqualifications=(*rules.common, *(rules.named[code] for code in named)),
    )


def criteria_from_config(config: dict) -> tuple[CriteriaSet, ...]:
    """Loader for the service: `CRITERIA_DIR` overrides the shipped data folder."""
    directory = config.get("CRITERIA_DIR")
    return load_criteria_sets(Path(directory) if directory else DATA)
