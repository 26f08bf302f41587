"""Loading criteria sets from `data/` and checking them; an invalid file stops the service.

Checks: criterion codes are unique; each criterion's stated maximum equals its best
option; sections and parts sum to their stated maxima; the parts of a set sum to 100;
star markers agree with their level; every group of a set in force has a sheet. A
mismatch the sheet file declares itself (`arithmetic_check.mismatches`) is a known
inconsistency of the source, reported with the sheet; any other stops loading with the
file, the criterion and the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from services.scoring.criteria import (
    CriteriaError,
    CriteriaSet,
    Criterion,
    Option,
    Part,
    Sheet,
    StarBand,
)

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
    sheets = {}
    for sheet_entry in entry["sheets"]:
        sheet = _sheet(directory / sheet_entry["file"], code, sheet_entry, maxima)
        sheets[sheet.subgroup] = sheet
    for group, subgroup in entry["group_defaults"].items():
        if subgroup not in sheets:
            raise CriteriaError(
                f"criteria set {code}: default for {group} names no sheet {subgroup}"
            )
    groups = {group["code"]: group["name"] for group in entry["groups"]}
    status = entry.get("status", "in_force")
    uncovered = sorted(set(groups) - set(entry["group_defaults"]))
    if status == "in_force" and uncovered:
        raise CriteriaError(f"criteria set {code}: no sheet for group(s) {uncovered}")
    bands = entry["star_bands"]
    return CriteriaSet(
        code=code,
        decision=entry["decision"],
        status=status,
        note=entry.get("note", ""),
        applies_from=entry["applies_from"],
        groups=groups,
        part_maxima=maxima,
        star_bands=tuple(StarBand(stars=b["stars"], min_points=b["min"]) for b in bands["bands"]),
        star_bands_note=bands["note"],
        sheets=sheets,
        group_defaults=entry["group_defaults"],
    )


def _sheet(path: Path, set_code: str, entry: dict, maxima: dict[str, float]) -> Sheet:
    raw = _read(path)
    parts = tuple(_part(part, path) for part in raw["parts"])
    codes = [criterion.code for part in parts for criterion in part.criteria]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise CriteriaError(f"{path}: criterion codes repeat: {repeated}")
    found = _mismatches(raw["parts"], parts)
    declared = raw["arithmetic_check"]["mismatches"]
    declared = [] if declared == "none" else list(declared)
    for problem in found:
        if problem not in declared:
            raise CriteriaError(f"{path}: {problem} (not a declared known inconsistency)")
    for problem in declared:
        if problem not in found:
            raise CriteriaError(f"{path}: declared inconsistency {problem!r} no longer holds")
    for part in parts:
        if part.max_points != maxima.get(part.code):
            raise CriteriaError(
                f"{path}: part {part.code} max {part.max_points} != set's {maxima.get(part.code)}"
            )
    return Sheet(
        id=f"{set_code}/{entry['subgroup']}",
        criteria_set=set_code,
        group=entry["group"],
        subgroup=entry["subgroup"],
        title=raw["product_set"],
        provisional_reasons=tuple(entry.get("provisional", ())),
        known_issues=tuple(found),
        sources=raw.get("sources") or {},
        parts=parts,
    )


def _part(raw: dict, path: Path) -> Part:
    code = raw["part"]
    criteria = tuple(
        _criterion(criterion, _section_code(section), path)
        for section in raw["sections"]
        for criterion in section["criteria"]
    )
    return Part(
        code=code,
        name=_part_name(raw["title_verbatim"]),
        max_points=raw["max_points"],
        criteria=criteria,
    )


def _criterion(raw: dict, section: str, path: Path) -> Criterion:
    code = str(raw.get("code") or raw["code_derived"])
    if not raw.get("options"):
        raise CriteriaError(f"{path}: criterion {code} has no options")
    options = tuple(
        Option(code=f"{code}.{n}", text=option["text"], points=option["points"])
        for n, option in enumerate(raw["options"], start=1)
    )
    markers = {}
    for option in raw["options"]:
        if "min_for_stars" in option:
            stars = int(option["min_for_stars"])
            if stars not in (3, 4, 5) or option.get("star_marker") != "*" * stars:
                raise CriteriaError(f"{path}: criterion {code}: star marker and level disagree")
            markers[stars] = float(option["points"])
    return Criterion(
        code=code,
        name=re.sub(r"^[a-zđ]\s*\)\s*", "", _first_line(raw["title_verbatim"])),
        section=section,
        max_points=max(option.points for option in options),
        options=options,
        min_points_for_stars=markers,
    )


def _mismatches(raw_parts: list[dict], parts: tuple[Part, ...]) -> list[str]:
    """Stated maxima that the options do not reach, in the source files' wording."""
    found = []
    for raw_part, part in zip(raw_parts, parts, strict=True):
        best = {criterion.code: criterion.max_points for criterion in part.criteria}
        part_sum = 0.0
        for section in raw_part["sections"]:
            section_sum = 0.0
            for raw_criterion in section["criteria"]:
                code = str(raw_criterion.get("code") or raw_criterion["code_derived"])
                stated = raw_criterion.get("max_points")
                if _is_number(stated) and stated != best[code]:
                    found.append(f"{code}: best option {_n(best[code])} != stated {_n(stated)}")
                section_sum += best[code]
            stated = section.get("max_points")
            if _is_number(stated) and stated != section_sum:
                label = f"section {_section_code(section)}"
                found.append(f"{label}: sum {_n(section_sum)} != stated {_n(stated)}")
            part_sum += section_sum
        if part_sum != part.max_points:
            found.append(f"part {part.code}: sum {_n(part_sum)} != stated {_n(part.max_points)}")
    return found


def _section_code(section: dict) -> str:
    return str(section.get("section_no") or section["section_code_derived"])


def _part_name(title: str) -> str:
    """'Phần B\n\nKHẢ NĂNG TIẾP THỊ (25 Điểm)' -> 'KHẢ NĂNG TIẾP THỊ'."""
    words = " ".join(title.split())
    return re.sub(r"^Phần\s+[A-Z]\s*:?\s*|\s*\(\d+\s*Điểm\)$", "", words)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _n(value: float) -> str:
    return f"{value:g}"


def criteria_from_config(config: dict) -> tuple[CriteriaSet, ...]:
    """Loader for the service: `CRITERIA_DIR` overrides the shipped data folder."""
    directory = config.get("CRITERIA_DIR")
    return load_criteria_sets(Path(directory) if directory else DATA)
