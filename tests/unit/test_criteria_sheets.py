"""Criteria sheets are validated on load; known inconsistencies are reported, not hidden."""

import shutil
from pathlib import Path

import pytest
import yaml

from services.scoring.criteria import CriteriaError, find_set
from services.scoring.criteria_files import DATA, load_criteria_sets


def test_shipped_sets_load_with_their_part_maxima():
    sets = load_criteria_sets()
    by_code = {each.code: each for each in sets}
    assert by_code["148-2023"].part_maxima == {"A": 40, "B": 25, "C": 35}
    assert by_code["1048-2019"].part_maxima == {"A": 35, "B": 25, "C": 40}
    fresh = by_code["148-2023"].sheets["rau-cu-qua-hat-tuoi"]
    sums = {part.code: sum(c.max_points for c in part.criteria) for part in fresh.parts}
    assert sums == {"A": 40, "B": 25, "C": 35}
    assert fresh.known_issues == ()
    assert len(fresh.criteria()) == 32


def test_known_inconsistency_of_processed_sheet_is_reported():
    processed = find_set(load_criteria_sets(), "148-2023").sheets["che-bien-tu-rau-cu-qua-hat"]
    assert "6.d: best option 3 != stated 4" in processed.known_issues
    assert "part C: sum 34 != stated 35" in processed.known_issues
    part_c = next(part for part in processed.parts if part.code == "C")
    assert sum(c.max_points for c in part_c.criteria) == 34


def test_star_markers_become_minimums_per_level():
    fresh = find_set(load_criteria_sets(), "148-2023").sheets["rau-cu-qua-hat-tuoi"]
    story = fresh.criteria()["5.b"]  # *** at 3 points, **** at 5 points
    assert story.mandatory
    assert story.required_for(3) == 3
    assert story.required_for(4) == 5
    assert story.required_for(5) == 5
    assert fresh.criteria()["6.c"].required_for(5) is None


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text("utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")


def first_criterion(raw: dict) -> dict:
    return raw["parts"][0]["sections"][0]["criteria"][0]


def test_an_undeclared_mismatch_stops_loading_naming_file_and_criterion(data_copy):
    sheet = data_copy / "148-2023" / "rau-cu-qua-hat-tuoi.yaml"
    edit(sheet, lambda raw: first_criterion(raw)["options"][-1].update(points=4))
    with pytest.raises(CriteriaError) as error:
        load_criteria_sets(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in str(error.value)
    assert "1.a: best option 4 != stated 5" in str(error.value)


def test_a_declared_inconsistency_that_no_longer_holds_is_an_error(data_copy):
    sheet = data_copy / "148-2023" / "che-bien-tu-rau-cu-qua-hat.yaml"

    def fix_6d(raw):
        for part in raw["parts"]:
            for section in part["sections"]:
                for criterion in section["criteria"]:
                    if criterion.get("code") == "6.d":
                        criterion["options"][-1]["points"] = 4

    edit(sheet, fix_6d)
    with pytest.raises(CriteriaError, match="no longer holds"):
        load_criteria_sets(data_copy)


def test_repeated_criterion_codes_are_refused(data_copy):
    sheet = data_copy / "148-2023" / "rau-cu-qua-hat-tuoi.yaml"

    def repeat(raw):
        raw["parts"][0]["sections"][0]["criteria"][1]["code"] = "1.a"

    edit(sheet, repeat)
    with pytest.raises(CriteriaError, match="repeat"):
        load_criteria_sets(data_copy)


def test_parts_that_do_not_sum_to_100_are_refused(data_copy):
    edit(data_copy / "criteria-sets.yaml", lambda raw: raw["sets"][0]["part_maxima"].update(A=45))
    with pytest.raises(CriteriaError, match="not 100"):
        load_criteria_sets(data_copy)


def test_a_star_marker_that_disagrees_with_its_level_is_refused(data_copy):
    sheet = data_copy / "148-2023" / "rau-cu-qua-hat-tuoi.yaml"

    def break_marker(raw):
        option = raw["parts"][0]["sections"][0]["criteria"][1]["options"][-1]
        option["star_marker"] = "***"  # its min_for_stars stays 5

    edit(sheet, break_marker)
    with pytest.raises(CriteriaError, match="star marker"):
        load_criteria_sets(data_copy)
