"""The rows of a score-sheet transcription (title, description, level, stars, score), in
order, into parts > sections > criteria > options: the layouts the 148 sheets use (dash
sub-criteria, repeated letters, "one of two cases") and the source's slips, each named in
the notes. Used by `cli.criteria_csv`."""

from __future__ import annotations

import re
from typing import Any

MARKER = re.compile(r"\s*(\*{3,5})\s*(\.?)\s*$")
PART = re.compile(r"Phần\s+([A-Z])")
SECTION = re.compile(r"^(\d+)\.")
CRITERION = re.compile(r"^([a-zđ])\s*\)")
CASE = re.compile(r"^[a-z]\.\s*Trường hợp")
ONE_CASE = "một trong hai trường hợp"
LETTERS = "abcdđeghik"


def split_marker(text: str) -> tuple[str, str | None]:
    """'Đồng đều****' -> ('Đồng đều', '****')."""
    found = MARKER.search(text)
    return (text[: found.start()] + found.group(2), found.group(1)) if found else (text, None)


def number(value: str) -> int | float | None:
    value = value.strip()
    if not value:
        return None
    points = float(value)
    return int(points) if points.is_integer() else points


class Builder:
    """Rows in order, into parts > sections > criteria > options."""

    def __init__(self) -> None:
        self.parts: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.section: dict[str, Any] | None = None
        self.criterion: dict[str, Any] | None = None
        self.heading: dict[str, Any] | None = None  # "a) Ngoại hình" over "- Tạp chất" rows
        self.subs = 0
        self.case: str | None = None  # "a. Trường hợp 1: ..." where one case of two applies

    def add(self, title: str, description: str, level: str, stars: str, score: str) -> None:
        handlers = {"0": self.part, "1": self.new_section, "2": self.new_criterion}
        handler = handlers.get(level.strip(), self.option)
        handler(title, description, stars.strip(), number(score))

    def part(self, title: str, _description: str, _stars: str, score: Any) -> None:
        found = PART.search(title)
        if found is None:
            raise ValueError(f"part row without 'Phần X': {title!r}")
        self.parts.append(
            {"part": found.group(1), "title_verbatim": title, "max_points": score, "sections": []}
        )
        self.section = self.criterion = self.heading = self.case = None

    def new_section(self, title: str, description: str, _stars: str, score: Any) -> None:
        found = SECTION.match(title.strip())
        if found is None:
            raise ValueError(f"section row without a number: {title!r}")
        part = self.parts[-1]
        self.section = {
            "section_no": int(found.group(1)),
            "section_code_derived": f"{part['part']}{len(part['sections']) + 1}",
            "title_verbatim": title,
            "max_points": score,
            "criteria": [],
        }
        if description.strip():
            self.section["note_verbatim"] = description
        part["sections"].append(self.section)
        self.criterion = self.heading = self.case = None

    def new_criterion(self, title: str, description: str, stars: str, score: Any) -> None:
        assert self.section is not None, f"criterion before any section: {title!r}"
        stripped = title.strip()
        if stripped.startswith("-") and self.criterion is not None:
            self.sub_criterion(stripped, stars, score)
            return
        if CASE.match(stripped) and ONE_CASE in self.section.get("note_verbatim", ""):
            self.case = stripped
            if self.criterion is None:  # the cases share one criterion: one is scored
                self.criterion = self.criterion_entry("a", "a)", self.section["max_points"])
                self.criterion["one_case_applies"] = self.section["note_verbatim"].strip()
            return
        letter = self.letter_of(stripped)
        self.heading = None
        self.criterion = self.criterion_entry(letter, title, score)
        if description.strip():
            self.criterion["note_verbatim"] = description
        _, marker = split_marker(title)
        self.check_marker(title, marker, stars)
        if marker:
            self.criterion["heading_star_marker"] = marker
            self.criterion["heading_min_for_stars"] = len(marker)

    def letter_of(self, title: str) -> str:
        """The criterion's letter; a letter out of the sheet's order (a typo) is replaced by
        the next one, and a repeated one ("a) Ngoại hình - Mùi") numbers a sub-criterion."""
        assert self.section is not None
        criteria = self.section["criteria"]
        expected = LETTERS[len({c["code"].split(".")[1][0] for c in criteria})]
        found = CRITERION.match(title)
        letter = found.group(1) if found else expected
        used = [c["code"].split(".")[1] for c in criteria]
        previous = used[-1] if used else None
        if previous is not None and previous.split("-")[0] == letter:
            if "-" not in previous:
                criteria[-1]["code"] += "-1"
                criteria[-1]["code_derived"] += "-1"
            count = sum(1 for code in used if code.split("-")[0] == letter)
            return f"{letter}-{count + 1}"
        if letter in {code.split("-")[0] for code in used} or found is None:
            self.notes.append(
                f"criterion letter {letter!r} out of order, read as {expected}): {title[:60]!r}"
            )
            return expected
        return letter

    def sub_criterion(self, title: str, stars: str, score: Any) -> None:
        """ "- Tạp chất" under "a) Ngoại hình": scored on its own, the heading sums them."""
        assert self.section is not None and self.criterion is not None
        if self.heading is None:
            self.heading = self.criterion
            self.section["criteria"].remove(self.heading)
            self.subs = 0
        self.subs += 1
        parent = self.heading["code"].split(".")[1]
        self.criterion = self.criterion_entry(f"{parent}-{self.subs}", title, score)
        self.criterion["title_verbatim"] = f"{self.heading['title_verbatim']} {title}"
        self.criterion["part_of"] = {
            "title_verbatim": self.heading["title_verbatim"],
            "max_points": self.heading["max_points"],
        }
        if stars:
            self.notes.append(f"stars column on a sub-criterion ignored: {title[:60]!r}")

    def criterion_entry(self, letter: str, title: str, score: Any) -> dict[str, Any]:
        assert self.section is not None
        entry = {
            "code": f"{self.section['section_no']}.{letter}",
            "code_derived": f"{self.section['section_code_derived']}.{letter}",
            "title_verbatim": title,
            "max_points": score,
            "options": [],
        }
        self.section["criteria"].append(entry)
        return entry

    def option(self, title: str, _description: str, stars: str, score: Any) -> None:
        assert self.section is not None, f"option before any section: {title!r}"
        if self.criterion is None:  # options straight under a section
            self.criterion = self.criterion_entry("a", "a)", self.section["max_points"])
            self.criterion["derived_from_section"] = True
        first, _, rest = title.strip().removeprefix("□").strip().partition("\n")
        text, marker = split_marker(first)
        option: dict[str, Any] = {"text": text, "points": score}
        if rest.strip():
            option["note_verbatim"] = rest.strip()
        if self.case:
            option["case"] = self.case
        self.check_marker(title, marker, stars)
        if marker:
            option["star_marker"] = marker
            option["min_for_stars"] = len(marker)
        self.criterion["options"].append(option)

    def check_marker(self, title: str, marker: str | None, stars: str) -> None:
        column = int(stars) if stars else None
        if (len(marker) if marker else None) != column:
            self.notes.append(
                f"star marker {marker or 'none'} in the text, stars column {stars or 'empty'}: "
                f"{title.strip()[:80]!r}"
            )
