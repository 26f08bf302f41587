"""Registration rules: producers, products and their classification (dossiers and batches:
test_registration_batches.py)."""

from datetime import date

import pytest

from services.registration import domain, dossiers
from services.registration.batches import open_batch
from shared.admin_units import address_from_codes
from shared.errors import InvalidInput
from shared.events import ProductClassified
from shared.product_groups import subgroups_of

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


def test_dossier_event_carries_what_scoring_needs():
    batch, _ = open_batch(
        "b1",
        province_code="19",
        year=2026,
        number=1,
        name=None,
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        opened_by="o",
    )
    evidence = (dossiers.Evidence(kind="label", filename="a.pdf", sha256="0" * 64),)
    _, events = dossiers.submit_dossier(
        "d1", product(), batch_id=None, year=None, evidence=evidence, batches=[batch], today=TODAY
    )
    assert (events[0].group, events[0].subgroup, events[0].province_code) == (
        "food",
        "rau-cu-qua-hat-tuoi",
        "19",
    )
    assert (events[0].batch_id, events[0].year, events[0].renewal_of) == ("b1", 2026, None)


@pytest.mark.parametrize("group", ["food", "handicrafts", "tourism"])
def test_a_product_without_sub_group_is_refused_naming_its_groups_codes(group):
    with pytest.raises(InvalidInput) as error:
        product(group=group, subgroup=None)
    assert list(error.value.fields) == ["subgroup"]
    for code in subgroups_of(group):
        assert code in error.value.fields["subgroup"]


def test_tea_and_coffee_are_food_not_drinks():
    assert product(subgroup="che-tuoi-che-che-bien").group == "food"
    assert product(subgroup="ca-phe-ca-cao").group == "food"
    for subgroup in ("che-tuoi-che-che-bien", "tra-tu-thuc-vat-khac", "ca-phe-ca-cao"):
        with pytest.raises(InvalidInput) as error:
            product(group="drinks", subgroup=subgroup)
        assert "subgroup" in error.value.fields


def test_an_officer_classifies_a_product_and_says_what_it_was():
    registered = product()
    classified, events = domain.classify_product(
        registered, subgroup="do-an-nhanh", group=None, officer="officer-1"
    )
    assert (classified.group, classified.subgroup) == ("food", "do-an-nhanh")
    assert [type(event) for event in events] == [ProductClassified]
    assert (events[0].subgroup, events[0].previous_subgroup, events[0].classified_by) == (
        "do-an-nhanh",
        "rau-cu-qua-hat-tuoi",
        "officer-1",
    )
    assert (events[0].product_id, events[0].group, events[0].province_code) == ("p1", "food", "19")
    moved, events = domain.classify_product(
        classified, subgroup="ruou-trang", group="drinks", officer="officer-1"
    )
    assert (moved.group, moved.subgroup, events[0].group) == ("drinks", "ruou-trang", "drinks")


def test_classifying_again_the_same_way_changes_nothing():
    registered = product()
    assert domain.classify_product(
        registered, subgroup="rau-cu-qua-hat-tuoi", group="food", officer="officer-1"
    ) == (registered, [])


@pytest.mark.parametrize(
    ("subgroup", "group"), [("ruou-trang", None), ("x", None), ("hoa", "snacks")]
)
def test_a_classification_outside_the_group_is_refused(subgroup, group):
    with pytest.raises(InvalidInput) as error:
        domain.classify_product(product(), subgroup=subgroup, group=group, officer="officer-1")
    assert list(error.value.fields) in (["group"], ["subgroup"])
