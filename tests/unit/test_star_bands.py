"""Star bands at every boundary, from the criteria data the service ships."""

from fractions import Fraction

import pytest

from services.scoring.criteria import find_set
from services.scoring.criteria_files import load_criteria_sets
from services.scoring.ranking import band_stars

SETS = load_criteria_sets()


@pytest.mark.parametrize("criteria_set", ["148-2023", "1048-2019"])
@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_band_boundaries(criteria_set, total, stars):
    bands = find_set(SETS, criteria_set).star_bands
    assert band_stars(bands, Fraction(total)) == stars


def test_an_average_just_under_a_boundary_is_not_rounded_up():
    bands = find_set(SETS, "148-2023").star_bands
    # three members: 89 + 90 + 90 averages 89.666..., which is 4 stars, not 5
    assert band_stars(bands, Fraction(89 + 90 + 90, 3)) == 4
