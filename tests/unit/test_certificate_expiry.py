"""A certificate's 36-month term, from the rules file, across month ends and leap years."""

from datetime import date

import pytest

from services.certification.certificate import add_months
from services.certification.domain import expiry
from services.certification.rules import load_rules

RULES = load_rules()


def test_validity_and_notice_come_from_the_rules_file():
    assert (RULES.validity_months, RULES.renewal_notice_days) == (36, 30)


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (date(2026, 11, 28), date(2029, 11, 28)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # no 29 February in 2027
        (date(2025, 2, 28), date(2028, 2, 28)),  # 2028 has a 29th, the term is still 36 months
        (date(2023, 1, 31), date(2026, 1, 31)),
        (date(2025, 12, 31), date(2028, 12, 31)),
        (date(2025, 3, 1), date(2028, 3, 1)),
    ],
)
def test_expiry_is_36_months_later(issued, expires):
    assert expiry(issued, RULES) == expires


def test_a_leap_day_lands_on_the_leap_day_when_the_target_year_has_one():
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)


def test_month_ends_are_clamped():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 10, 31), 1) == date(2025, 11, 30)
