"""Fairs: who is invited, booths first come first served, answers and withdrawals."""

from datetime import date

import pytest

from services.trade_promotion import catalogue, domain
from shared.errors import Conflict, InvalidInput
from shared.events import (
    CertificateIssued,
    InvitationAccepted,
    InvitationDeclined,
    InvitationWithdrawn,
)

TODAY = date(2026, 11, 28)
AT = "2026-11-28T01:00:00.000Z"


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


def entry(**overrides) -> catalogue.Entry:
    return catalogue.fold(catalogue.empty("p1"), certificate(**overrides), AT)


def fair(**overrides) -> domain.Fair:
    fields = dict(name="Hội chợ", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 5), min_stars=3)
    created, _ = domain.create_fair("f1", today=TODAY, **{**fields, **overrides})
    return created


@pytest.mark.parametrize(
    ("fair_overrides", "entry_overrides", "invited"),
    [
        ({}, {}, True),
        ({"min_stars": 5}, {}, False),
        ({"groups": ("drinks",)}, {}, False),
        ({"groups": ("drinks", "food")}, {}, True),
        ({"provinces": ("82",)}, {}, False),
        ({"provinces": ("19", "82")}, {}, True),
        ({}, {"expires_on": date(2027, 3, 4)}, False),  # the certificate lapses during the fair
        ({}, {"expires_on": date(2027, 3, 5)}, True),  # valid through the last day
    ],
)
def test_eligibility(fair_overrides, entry_overrides, invited):
    assert domain.eligible(fair(**fair_overrides), entry(**entry_overrides), TODAY) is invited


def test_a_fair_that_has_ended_invites_no_one():
    assert not domain.eligible(fair(), entry(), date(2027, 3, 6))


def test_the_same_fair_and_product_give_the_same_invitation():
    first, _ = domain.invite(fair(), entry(), TODAY)
    second, _ = domain.invite(fair(), entry(), date(2026, 12, 1))
    assert first.id == second.id


def test_fair_dates_are_checked():
    with pytest.raises(InvalidInput) as error:
        fair(starts_on=date(2027, 3, 5), ends_on=date(2027, 3, 1))
    assert "ends_on" in error.value.fields
    with pytest.raises(InvalidInput):
        fair(starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))


def test_booths_go_first_come_first_served_within_capacity():
    two = fair(capacity=2)
    invitations = [domain.invite(two, entry() | {"_id": f"p{n}"}, TODAY)[0] for n in range(3)]
    two, _ = domain.take_booth(two, invitations[0])
    two, _ = domain.take_booth(two, invitations[1])
    assert domain.take_booth(two, invitations[0]) == (two, [])  # taking twice holds one booth
    with pytest.raises(Conflict):
        domain.take_booth(two, invitations[2])
    freed, _ = domain.free_booth(two, invitations[0].id)
    assert domain.take_booth(freed, invitations[2])[0].accepted == (
        invitations[1].id,
        invitations[2].id,
    )


def test_answers_and_withdrawal():
    invitation, _ = domain.invite(fair(), entry(), TODAY)
    accepted, events = domain.answer(invitation, True, TODAY)
    assert accepted.status == "accepted" and isinstance(events[0], InvitationAccepted)
    assert domain.answer(accepted, True, TODAY) == (accepted, [])
    declined, events = domain.answer(accepted, False, TODAY)
    assert declined.status == "declined" and isinstance(events[0], InvitationDeclined)
    with pytest.raises(Conflict):
        domain.answer(declined, True, TODAY)
    withdrawn, events = domain.withdraw(accepted, "certificate revoked")
    assert withdrawn.status == "withdrawn" and isinstance(events[0], InvitationWithdrawn)
    assert domain.withdraw(withdrawn, "again") == (withdrawn, [])
    assert domain.withdraw(declined, "x") == (declined, [])
