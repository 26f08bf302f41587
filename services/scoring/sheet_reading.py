"""A sheet file's parts, criteria and options read into the models: codes, names cleaned
of their letters, options led by their case, star markers (on an option or on a criterion's
heading) turned into minimums per star level. A marker that names no level 3 to 5 stops it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from services.scoring import sheet_checks
from services.scoring.criteria import CriteriaError, Criterion, Option, Part


def read_part(raw: dict, path: Path) -> Part:
    code = raw["part"]
    criteria = tuple(
        _criterion(criterion, sheet_checks.section_code(section), path)
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
        Option(
            code=f"{code}.{n}",
            text=_option_text(option),
            points=option["points"],
            case=option.get("case"),
        )
        for n, option in enumerate(raw["options"], start=1)
    )
    markers = {}
    for option in raw["options"]:
        if "min_for_stars" in option or "star_marker" in option:
            stars = _stars(option.get("min_for_stars"), option.get("star_marker"), path, code)
            markers[stars] = float(option["points"])
    whole = "heading_star_marker" in raw or "heading_min_for_stars" in raw
    if whole:
        stars = _stars(raw.get("heading_min_for_stars"), raw.get("heading_star_marker"), path, code)
        if stars in markers:
            raise CriteriaError(f"{path}: criterion {code}: {stars} stars marked twice")
        markers[stars] = min(option.points for option in options)
    return Criterion(
        code=code,
        name=re.sub(r"^[a-zđ]\s*\)\s*", "", _first_line(raw["title_verbatim"])),
        section=section,
        max_points=max(option.points for option in options),
        options=options,
        min_points_for_stars=markers,
        marked_whole=whole,
    )


def _option_text(raw: dict) -> str:
    """An option's text, led by its case where one of two cases applies (the tourism sheet:
    "Trường hợp 1: Cộng đồng dịch vụ du lịch")."""
    case = re.sub(r"^[a-z]\.\s*", "", raw.get("case", ""))
    return f"{case} — {raw['text']}" if case else raw["text"]


def _stars(level: Any, marker: Any, path: Path, code: str) -> int:
    """A star marker's level, 3 to 5, as its `*` count says (the level may be left out)."""
    if level is None and isinstance(marker, str):
        level = len(marker)
    if not isinstance(level, int) or level not in (3, 4, 5) or marker != "*" * level:
        raise CriteriaError(
            f"{path}: criterion {code}: star marker {marker!r} and level {level!r} disagree "
            "(a marker names 3, 4 or 5 stars)"
        )
    return level


def _part_name(title: str) -> str:
    """'Phần B\n\nKHẢ NĂNG TIẾP THỊ (25 Điểm)' -> 'KHẢ NĂNG TIẾP THỊ'."""
    words = " ".join(title.split())
    return re.sub(r"^Phần\s+[A-Z]\s*:?\s*|\s*\(\d+\s*Điểm\)$", "", words)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip()
