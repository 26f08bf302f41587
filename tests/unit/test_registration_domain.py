"""Registration rules: classification, one dossier per product and year."""

from datetime import date

import pytest

from services.registration import domain
from shared.admin_units import address_from_codes
from shared.errors import Conflict, InvalidInput

TODAY = date(2026, 11, 28)


def producer() -> domain.Producer:
    registered, _ = domain.register_producer(
        "pr1",
        name="HTX",
        kind="htx",
        women_led=True,
        tax_code=None,
        address=address_from_codes("19", "01933"),
    )
    return registered


def product(**overrides) -> domain.Product:
    fields = dict(name="Chè", group="food", subgroup="rau-cu-qua-hat-tuoi")
    registered, _ = domain.register_product("p1", producer(), **{**fields, **overrides})
    return registered


def test_product_takes_its_producers_place():
    registered = product()
    assert (registered.province_code, registered.ward_code) == ("19", "01933")


@pytest.mark.parametrize(
    ("group", "subgroup", "field"),
    [
        ("snacks", None, "group"),
        ("drinks", "rau-cu-qua-hat-tuoi", "subgroup"),
        ("food", "x", "subgroup"),
    ],
)
def test_unknown_or_mismatched_classification_is_refused(group, subgroup, field):
    with pytest.raises(InvalidInput) as error:
        product(group=group, subgroup=subgroup)
    assert field in error.value.fields


def test_one_dossier_per_product_and_year():
    with pytest.raises(Conflict):
        domain.submit_dossier(
            "d1", product(), year=2026, evidence=(), today=TODAY, years_submitted={2026}
        )


def test_a_dossier_for_a_far_future_year_is_refused():
    with pytest.raises(InvalidInput) as error:
        domain.submit_dossier(
            "d1", product(), year=2030, evidence=(), today=TODAY, years_submitted=set()
        )
    assert "year" in error.value.fields


def test_dossier_event_carries_what_scoring_needs():
    _, events = domain.submit_dossier(
        "d1", product(), year=2026, evidence=(), today=TODAY, years_submitted=set()
    )
    assert (events[0].group, events[0].subgroup, events[0].province_code) == (
        "food",
        "rau-cu-qua-hat-tuoi",
        "19",
    )
