"""Who is invited to which fair, and which certificate a listing shows."""

from datetime import date

import pytest

from services.trade_promotion import domain
from shared.errors import InvalidInput
from shared.events import CertificateIssued

TODAY = date(2026, 11, 28)


def certificate(**overrides) -> CertificateIssued:
    fields = dict(
        certificate_number="OCOP-19-2026-00001",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè",
        group="food",
        subgroup=None,
        province_code="19",
        stars=4,
        level="province",
        total=83,
        criteria_set="148-2023",
        evaluation_id="e1",
        issued_on=TODAY,
        expires_on=date(2029, 11, 28),
    )
    return CertificateIssued(**{**fields, **overrides})


def listing(**overrides) -> domain.Listing:
    listed, _ = domain.list_product(certificate(**overrides), None)
    return listed


def fair(**overrides) -> domain.Fair:
    fields = dict(
        name="Hội chợ",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 5),
        province_code=None,
        min_stars=3,
        groups=(),
        today=TODAY,
    )
    created, _ = domain.create_fair("f1", **{**fields, **overrides})
    return created


@pytest.mark.parametrize(
    ("fair_overrides", "listing_overrides", "invited"),
    [
        ({}, {}, True),
        ({"min_stars": 5}, {}, False),
        ({"groups": ("drinks",)}, {}, False),
        ({"groups": ("drinks", "food")}, {}, True),
        ({"province_code": "82"}, {}, False),
        ({"province_code": "19"}, {}, True),
        ({}, {"expires_on": date(2027, 3, 4)}, False),  # certificate lapses during the fair
    ],
)
def test_eligibility(fair_overrides, listing_overrides, invited):
    assert domain.eligible(fair(**fair_overrides), listing(**listing_overrides), TODAY) is invited


def test_a_fair_that_has_ended_invites_no_one():
    assert not domain.eligible(fair(), listing(), date(2027, 3, 6))


def test_the_same_fair_and_product_give_the_same_invitation():
    first, _ = domain.invite(fair(), listing(), TODAY)
    second, _ = domain.invite(fair(), listing(), date(2026, 12, 1))
    assert first.id == second.id


def test_an_older_certificate_does_not_replace_a_newer_listing():
    newer = listing(issued_on=date(2027, 1, 1), expires_on=date(2030, 1, 1))
    assert domain.list_product(certificate(), newer) is None


def test_fair_dates_are_checked():
    with pytest.raises(InvalidInput) as error:
        fair(starts_on=date(2027, 3, 5), ends_on=date(2027, 3, 1))
    assert "ends_on" in error.value.fields
    with pytest.raises(InvalidInput):
        fair(starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))
