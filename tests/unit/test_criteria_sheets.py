"""Criteria sheets are validated on load: every sheet in use adds up, withheld ones still do not,
and a broken copy of the data stops loading, naming the file and the criterion."""

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from services.scoring.criteria import CriteriaError, CriteriaSet, find_set
from services.scoring.criteria_files import DATA, load_criteria_sets
from shared.product_groups import classification

INDEX = yaml.safe_load((DATA / "criteria-sets.yaml").read_text("utf-8"))
SETS = load_criteria_sets()
SET_148 = find_set(SETS, "148-2023")
FRESH = "148-2023/rau-cu-qua-hat-tuoi.yaml"
STARS = {"***": 3, "****": 4, "*****": 5}

# (set code, index entry) of every sheet file the index names, used or withheld
USED = [(each["code"], entry) for each in INDEX["sets"] for entry in each["sheets"]]
WITHHELD = [(each["code"], entry) for each in INDEX["sets"] for entry in each.get("withheld", [])]


def loaded_set(code: str) -> CriteriaSet:
    found = find_set(SETS, code)
    assert found is not None, code
    return found


def raw_criteria(raw: dict) -> Iterator[tuple[str, dict]]:
    """(part code, criterion) of a sheet file, read directly: the loader's work is not reused."""
    for part in raw["parts"]:
        for section in part["sections"]:
            for criterion in section["criteria"]:
                yield part["part"], criterion


def code_of(criterion: dict) -> str:
    return str(criterion.get("code") or criterion["code_derived"])


def best_per_part(raw: dict) -> dict[str, float]:
    sums: dict[str, float] = {}
    for part, criterion in raw_criteria(raw):
        best = max(option["points"] for option in criterion["options"])
        sums[part] = sums.get(part, 0) + best
    return sums


# --- the shipped data -------------------------------------------------------------------


def test_decision_148_has_22_usable_sheets_and_4_withheld_covering_its_26_product_sets():
    assert SET_148.part_maxima == {"A": 40, "B": 25, "C": 35}
    assert loaded_set("1048-2019").part_maxima == {"A": 35, "B": 25, "C": 40}
    assert len(SET_148.sheets) == 22 and len(SET_148.withheld) == 4
    assert set(SET_148.sheets) | set(SET_148.withheld) == set(classification().subgroups)
    assert not hasattr(SET_148, "group_defaults")  # no fallback across groups any more


@pytest.mark.parametrize(("set_code", "entry"), USED, ids=[entry["file"] for _, entry in USED])
def test_every_used_sheet_loads_adds_up_and_reaches_100(set_code, entry):
    criteria_set = loaded_set(set_code)
    sheet = criteria_set.sheets[entry["subgroup"]]
    raw = yaml.safe_load((DATA / entry["file"]).read_text("utf-8"))
    assert sheet.id == f"{set_code}/{entry['subgroup']}" and sheet.group == entry["group"]
    assert sheet.provisional_reasons == tuple(entry.get("provisional", ()))
    if set_code == "148-2023":
        assert criteria_set.part_maxima == {"A": 40, "B": 25, "C": 35}
    # the parts, as loaded and as read from the file, sum to the set's part maxima
    sums = {part.code: sum(c.max_points for c in part.criteria) for part in sheet.parts}
    assert sums == criteria_set.part_maxima == best_per_part(raw)
    assert {part.code: part.max_points for part in sheet.parts} == criteria_set.part_maxima
    # the maximum is reachable: the best option everywhere scores exactly 100
    assert sum(max(o.points for o in c.options) for c in sheet.criteria().values()) == 100
    for _, criterion in raw_criteria(raw):
        code, options = code_of(criterion), criterion["options"]
        best = max(option["points"] for option in options)
        if isinstance(criterion.get("max_points"), int | float):
            assert criterion["max_points"] == best, code
        # star markers name 3 to 5 stars
        markers = [o["star_marker"] for o in options if "star_marker" in o]
        markers += [criterion["heading_star_marker"]] if "heading_star_marker" in criterion else []
        assert all(marker in STARS for marker in markers), (code, markers)
    for code, criterion in sheet.criteria().items():
        levels = sorted(criterion.min_points_for_stars.items())
        assert {stars for stars, _ in levels} <= {3, 4, 5}, code
        minimums = [points for _, points in levels]
        assert minimums == sorted(minimums), code  # never falls as stars rise
        assert set(minimums) <= {option.points for option in criterion.options}, code


@pytest.mark.parametrize(
    ("set_code", "entry"),
    USED,
    ids=[entry["file"] for _, entry in USED],
)
def test_the_options_of_every_criterion_differ_in_points_per_case(set_code, entry):
    raw = yaml.safe_load((DATA / entry["file"]).read_text("utf-8"))
    ties = []
    for _, criterion in raw_criteria(raw):
        cases: dict[str | None, list[float]] = {}
        for option in criterion["options"]:
            cases.setdefault(option.get("case"), []).append(option["points"])
        ties += [
            (code_of(criterion), case, points)
            for case, points in cases.items()
            if len(set(points)) != len(points)
        ]
    assert ties == []


@pytest.mark.parametrize(("set_code", "entry"), USED, ids=[entry["file"] for _, entry in USED])
def test_known_issues_list_only_the_star_minimums_no_option_falls_below(set_code, entry):
    sheet = loaded_set(set_code).sheets[entry["subgroup"]]
    unfailable = {
        (code, stars)
        for code, criterion in sheet.criteria().items()
        for stars, required in criterion.min_points_for_stars.items()
        if required <= min(option.points for option in criterion.options)
    }
    pattern = re.compile(r"^(\S+): the ([345])-star minimum is its lowest option; ")
    listed = set()
    for issue in sheet.known_issues:
        found = pattern.match(issue)
        assert found, issue
        listed.add((found[1], int(found[2])))
    assert listed == unfailable


@pytest.mark.parametrize(("set_code", "entry"), USED, ids=[entry["file"] for _, entry in USED])
def test_every_sheet_has_the_common_disqualifications_and_those_it_names(set_code, entry):
    sheet = loaded_set(set_code).sheets[entry["subgroup"]]
    rules = next(each for each in INDEX["sets"] if each["code"] == set_code).get(
        "disqualifications", {}
    )
    common = [rule["code"] for rule in rules.get("common", [])]
    assert [rule.code for rule in sheet.disqualifications] == [
        *common,
        *entry.get("disqualifications", []),
    ]


@pytest.mark.parametrize(
    ("set_code", "entry"), WITHHELD, ids=[entry["file"] for _, entry in WITHHELD]
)
def test_every_withheld_sheet_still_fails_and_its_problems_are_listed(set_code, entry):
    criteria_set = loaded_set(set_code)
    withheld = criteria_set.withheld[entry["subgroup"]]
    assert entry["subgroup"] not in criteria_set.sheets
    assert withheld.reason == entry["reason"] and withheld.problems
    raw = yaml.safe_load((DATA / entry["file"]).read_text("utf-8"))
    short = {
        part: points
        for part, points in best_per_part(raw).items()
        if points != criteria_set.part_maxima[part]
    }
    assert short, "a withheld sheet whose parts add up"
    for part, points in short.items():
        stated = criteria_set.part_maxima[part]
        assert f"part {part}: sum {points:g} != stated {stated:g}" in withheld.problems


def test_the_processed_vegetables_sheet_is_withheld_for_its_6d():
    withheld = SET_148.withheld["che-bien-tu-rau-cu-qua-hat"]
    assert withheld.problems == (
        "6.d: best option 3 != stated 4",
        "section 6: sum 15 != stated 16",
        "part C: sum 34 != stated 35",
    )


def test_each_of_the_six_groups_has_a_usable_148_sheet():
    groups = set(classification().groups)
    assert set(SET_148.groups) == groups
    assert {sheet.group for sheet in SET_148.sheets.values()} == groups


def test_no_sheet_puts_its_sub_group_in_another_group_than_the_classification():
    subgroups = classification().subgroups
    for criteria_set in SETS:
        for sheet in criteria_set.sheets.values():
            assert sheet.group == subgroups[sheet.subgroup].group, sheet.id
        for withheld in criteria_set.withheld.values():
            assert withheld.group == subgroups[withheld.subgroup].group, withheld.subgroup
    for subgroup, sheet in SET_148.sheets.items():
        assert sheet.set_number == subgroups[subgroup].set_number, subgroup
    for subgroup in ("che-tuoi-che-che-bien", "tra-tu-thuc-vat-khac", "ca-phe-ca-cao"):
        assert SET_148.withheld[subgroup].group == "food"  # tea and coffee: food, not drinks


def test_star_markers_on_options_become_minimums_per_level():
    fresh = SET_148.sheets["rau-cu-qua-hat-tuoi"]
    story = fresh.criteria()["5.b"]  # *** at 3 points, **** at 5 points
    assert story.mandatory and not story.marked_whole
    assert story.required_for(3) == 3
    assert story.required_for(4) == 5
    assert story.required_for(5) == 5
    assert fresh.criteria()["6.c"].required_for(5) is None


def test_a_star_marker_on_a_criterion_heading_is_a_minimum_at_its_lowest_option():
    fresh = SET_148.sheets["rau-cu-qua-hat-tuoi"]
    ip = fresh.criteria()["3.e"]  # "e) Sở hữu trí tuệ****": options of 1 and 2 points
    assert ip.marked_whole and ip.min_points_for_stars == {4: 1}
    assert not ip.mandatory and ip.required_for(3) is None
    assert ip.required_for(4) == ip.required_for(5) == min(o.points for o in ip.options) == 1
    assert any(issue.startswith("3.e: the 4-star minimum") for issue in fresh.known_issues)


# --- broken copies of the data ----------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, change: Callable[[dict], object]) -> None:
    raw = yaml.safe_load(path.read_text("utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")


def criterion(raw: dict, code: str) -> dict:
    return next(each for _, each in raw_criteria(raw) if code_of(each) == code)


def refused(directory: Path) -> str:
    with pytest.raises(CriteriaError) as error:
        load_criteria_sets(directory)
    return str(error.value)


def first_criterion(raw: dict) -> dict:
    return raw["parts"][0]["sections"][0]["criteria"][0]


def test_a_broken_copy_loads_before_it_is_broken(data_copy):
    assert load_criteria_sets(data_copy) == SETS


def test_a_changed_option_point_stops_loading_naming_file_and_criterion(data_copy):
    edit(data_copy / FRESH, lambda raw: first_criterion(raw)["options"][-1].update(points=4))
    message = refused(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in message
    assert "1.a: best option 4 != stated 5" in message


def test_a_changed_point_that_only_breaks_the_section_sum_stops_loading(data_copy):
    def raise_1a(raw):
        first_criterion(raw)["options"][-1]["points"] = 6
        first_criterion(raw)["max_points"] = 6

    edit(data_copy / FRESH, raise_1a)
    message = refused(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in message and "sum" in message and "!= stated" in message


def test_a_declared_mismatch_is_no_longer_accepted_on_a_used_sheet(data_copy):
    def break_and_declare(raw):
        first_criterion(raw)["options"][-1]["points"] = 4
        raw["arithmetic_check"]["mismatches"] = ["1.a: best option 4 != stated 5"]

    edit(data_copy / FRESH, break_and_declare)
    assert "1.a: best option 4 != stated 5" in refused(data_copy)


def test_a_withheld_sheet_put_to_use_stops_loading_naming_its_criterion(data_copy):
    def use_it(raw):
        entry = raw["sets"][0]["withheld"].pop(0)
        raw["sets"][0]["sheets"].append({key: entry[key] for key in ("file", "group", "subgroup")})

    edit(data_copy / "criteria-sets.yaml", use_it)
    message = refused(data_copy)
    assert "che-bien-tu-rau-cu-qua-hat.yaml" in message
    assert "6.d: best option 3 != stated 4" in message


def test_two_options_with_equal_points_stop_loading(data_copy):
    # 1.a: 1, 3, 5 points -> 1, 1, 5 (the best option and the sums are untouched)
    edit(data_copy / FRESH, lambda raw: first_criterion(raw)["options"][1].update(points=1))
    message = refused(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in message and "1.a" in message


def test_two_options_of_one_case_with_equal_points_stop_loading(data_copy):
    tourism = data_copy / "148-2023" / "du-lich-cong-dong-sinh-thai-diem-du-lich.yaml"
    # 8.a, case 1: 1, 2, 3 points -> 1, 1, 3 (case 2 keeps its 1, 2, 3)
    edit(tourism, lambda raw: criterion(raw, "8.a")["options"][1].update(points=1))
    message = refused(data_copy)
    assert "du-lich-cong-dong-sinh-thai-diem-du-lich.yaml" in message and "8.a" in message


def test_two_cases_may_score_alike():
    tourism = SET_148.sheets["du-lich-cong-dong-sinh-thai-diem-du-lich"].criteria()["8.a"]
    assert sorted(option.points for option in tourism.options) == [1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize(
    ("code", "change"),
    [
        ("1.b", lambda c: c["options"][-1].update(star_marker="***")),  # its level stays 5
        ("1.b", lambda c: c["options"][-1].update(star_marker="**", min_for_stars=2)),
        ("6.c", lambda c: c["options"][-1].update(star_marker="**")),  # no level given
        ("6.c", lambda c: c["options"][-1].update(min_for_stars=4)),  # a level, no marker
        ("6.c", lambda c: c.update(heading_star_marker="**")),
        ("6.c", lambda c: c.update(heading_star_marker="*****", heading_min_for_stars=4)),
    ],
    ids=["level-5-marker-3", "two-stars", "bare-two-stars", "no-marker", "heading-two", "heading"],
)
def test_a_star_marker_that_is_not_3_to_5_stars_or_disagrees_stops_loading(data_copy, code, change):
    edit(data_copy / FRESH, lambda raw: change(criterion(raw, code)))
    message = refused(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in message and f"criterion {code}" in message
    assert "star marker" in message


def test_one_level_marked_on_the_heading_and_on_an_option_stops_loading(data_copy):
    edit(data_copy / FRESH, lambda raw: criterion(raw, "5.b").update(heading_star_marker="****"))
    message = refused(data_copy)
    assert "criterion 5.b" in message and "marked twice" in message


def test_a_heading_marker_added_to_a_criterion_is_a_minimum_at_its_lowest_option(data_copy):
    edit(data_copy / FRESH, lambda raw: criterion(raw, "6.c").update(heading_star_marker="*****"))
    fresh = find_set(load_criteria_sets(data_copy), "148-2023").sheets["rau-cu-qua-hat-tuoi"]
    colour = fresh.criteria()["6.c"]
    assert colour.marked_whole and colour.min_points_for_stars == {
        5: min(option.points for option in colour.options)
    }
    assert colour.required_for(4) is None
    assert any(issue.startswith("6.c: the 5-star minimum") for issue in fresh.known_issues)


def test_a_star_minimum_that_falls_as_stars_rise_stops_loading(data_copy):
    def swap(raw):
        _, _, three, four = criterion(raw, "5.b")["options"]  # *** at 3, **** at 5
        three.update(star_marker="****", min_for_stars=4)
        four.update(star_marker="***", min_for_stars=3)

    edit(data_copy / FRESH, swap)
    message = refused(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in message
    assert "5.b: star minimums fall as stars rise" in message


def test_a_withheld_sheet_that_no_longer_has_a_problem_stops_loading(data_copy):
    withheld = data_copy / "148-2023" / "withheld" / "che-bien-tu-rau-cu-qua-hat.yaml"
    edit(withheld, lambda raw: criterion(raw, "6.d")["options"][-1].update(points=4))
    message = refused(data_copy)
    assert "che-bien-tu-rau-cu-qua-hat.yaml" in message and "passes every check" in message


def test_an_unknown_disqualification_code_stops_loading(data_copy):
    def name_unknown(raw):
        raw["sets"][0]["sheets"][0]["disqualifications"] = ["attp", "khong-co"]

    edit(data_copy / "criteria-sets.yaml", name_unknown)
    message = refused(data_copy)
    assert "rau-cu-qua-hat-tuoi.yaml" in message and "khong-co" in message


def test_a_disqualification_code_given_twice_stops_loading(data_copy):
    def repeat(raw):
        rules = raw["sets"][0]["disqualifications"]
        rules["rules"].append({"code": rules["common"][0]["code"], "text": "again"})

    edit(data_copy / "criteria-sets.yaml", repeat)
    assert "disqualification codes repeat" in refused(data_copy)


def test_a_sub_group_both_used_and_withheld_stops_loading(data_copy):
    def both(raw):
        entry = raw["sets"][0]["withheld"][0]
        entry["subgroup"] = "rau-cu-qua-hat-tuoi"

    edit(data_copy / "criteria-sets.yaml", both)
    assert "both used and withheld" in refused(data_copy)


def test_a_sheet_in_no_group_of_its_set_stops_loading(data_copy):
    edit(
        data_copy / "criteria-sets.yaml", lambda raw: raw["sets"][0]["sheets"][0].update(group="x")
    )
    assert "148-2023/rau-cu-qua-hat-tuoi names no group" in refused(data_copy)


def test_two_sheets_for_one_sub_group_stop_loading(data_copy):
    def twice(raw):
        raw["sets"][0]["sheets"][1]["subgroup"] = raw["sets"][0]["sheets"][0]["subgroup"]

    edit(data_copy / "criteria-sets.yaml", twice)
    assert "two sheets for sub-group rau-cu-qua-hat-tuoi" in refused(data_copy)


def test_repeated_criterion_codes_are_refused(data_copy):
    def repeat(raw):
        raw["parts"][0]["sections"][0]["criteria"][1]["code"] = "1.a"

    edit(data_copy / FRESH, repeat)
    assert "criterion codes repeat: ['1.a']" in refused(data_copy)


def test_parts_that_do_not_sum_to_100_are_refused(data_copy):
    edit(data_copy / "criteria-sets.yaml", lambda raw: raw["sets"][0]["part_maxima"].update(A=45))
    assert "not 100" in refused(data_copy)
