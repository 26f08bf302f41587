"""A certificate's 36-month term, from the rules file, across month ends and leap years
(counted from the day the recognising decision was signed: see test_recognition.py)."""

from datetime import date

import pytest
import yaml

from services.certification.certificate import add_months
from services.certification.domain import expiry
from services.certification.rules import DATA, load_rules

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


def test_the_term_length_is_read_from_the_rules_file(tmp_path):
    raw = yaml.safe_load(DATA.read_text("utf-8"))
    raw["validity"]["months"] = 24
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    assert expiry(date(2026, 11, 28), load_rules(path)) == date(2028, 11, 28)
