"""Properties of trade promotion: the catalogue folds any arrival order of a product's events
into one entry that shows its best valid certificate; fairs invite only eligible products and
never hold more booths than they have; invitations follow their lifecycle."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from services.trade_promotion import catalogue, domain
from shared.errors import Conflict, InvalidInput
from tests.support.strategies import (
    GROUPS,
    PROPERTIES,
    PROVINCES,
    history_events,
    product_histories,
)

TODAY = date(2026, 11, 28)


def fold_all(product_id: str, events: list) -> catalogue.Entry:
    entry = catalogue.empty(product_id)
    for each, at in events:
        entry = catalogue.fold(entry, each, at)
    return entry


def final(certificate: dict[str, Any]) -> tuple[int, date]:
    """Stars and expiry after the certificate's latest renewal."""
    latest = max(certificate["renewals"], key=lambda r: r["on"], default=None)
    return (
        (latest["stars"], latest["to"])
        if latest
        else (certificate["stars"], certificate["expires_on"])
    )


def in_force(certificate: dict[str, Any]) -> bool:
    """Not ended, or (first) superseded by a certificate not seen yet: the histories name
    the successor "x", never issued, so such a certificate is still the one to show."""
    if not certificate["endings"]:
        return True
    return min(certificate["endings"], key=lambda e: (e[1], e[0]))[0] == "superseded"


def best_valid(product: dict[str, Any]) -> dict[str, Any] | None:
    """The certificate a buyer should see: in force, most stars, then the latest term."""
    valid = [c for c in product["certificates"] if in_force(c)]
    return max(valid, key=lambda c: (*final(c), c["number"]), default=None)


@settings(PROPERTIES, max_examples=150)
@given(product_histories(), st.randoms(use_true_random=False))
def test_any_arrival_order_and_any_redelivery_fold_to_the_same_entry(product, random):
    events = history_events(product)
    redelivered = events + [random.choice(events) for _ in events if random.random() < 0.5]
    random.shuffle(redelivered)
    entry = catalogue.empty("p1")
    for each, at in redelivered:
        entry = catalogue.fold(entry, each, at)
        assert catalogue.fold(entry, each, at) == entry  # applying twice is applying once
    assert entry == fold_all("p1", events)


@settings(PROPERTIES, max_examples=150)
@given(product_histories(), st.randoms(use_true_random=False))
def test_the_listing_shows_the_valid_certificate_with_most_stars(product, random):
    events = history_events(product)
    entry = fold_all("p1", random.sample(events, len(events)))
    best = best_valid(product)
    event(f"{len(product['certificates'])} certificate(s), listed: {best is not None}")
    if best is None:
        assert not entry.get("listed") and entry.get("certificate_status") != "valid"
        if product["certificates"]:
            latest = max(product["certificates"], key=lambda c: (c["issued_on"], c["number"]))
            first_end = min(latest["endings"], key=lambda e: (e[1], e[0]))
            assert entry["certificate_number"] == latest["number"]
            assert entry["certificate_status"] == first_end[0]
        return
    stars, expires = final(best)
    assert entry["listed"] and entry["certificate_status"] == "valid"
    assert entry["certificate_number"] == best["number"]
    assert (entry["stars"], entry["expires_on"]) == (stars, expires.isoformat())
    assert entry["province_code"] == product["province_code"] and entry["group"] == product["group"]


@st.composite
def fairs(draw: st.DrawFn, n: int) -> domain.Fair:
    starts_on = TODAY + timedelta(days=draw(st.integers(-10, 1200)))
    fair, _ = domain.create_fair(
        f"f{n}",
        today=TODAY,
        name="Hội chợ",
        starts_on=starts_on,
        ends_on=max(starts_on + timedelta(days=draw(st.integers(0, 10))), TODAY),
        min_stars=draw(st.integers(3, 5)),
        groups=tuple(draw(st.just(set()) | st.sets(st.sampled_from(GROUPS), max_size=3))),
        provinces=tuple(draw(st.just(set()) | st.sets(st.sampled_from(PROVINCES), max_size=3))),
    )
    return fair


@settings(PROPERTIES, max_examples=100)
@given(
    st.lists(product_histories(), max_size=4),
    st.integers(1, 3).flatmap(lambda k: st.tuples(*(fairs(n) for n in range(k)))),
    st.integers(0, 60),
)
def test_only_eligible_products_are_invited_and_every_eligible_one_is(products, fairs, later):
    today = TODAY + timedelta(days=later)
    entries = [fold_all(f"p{n}", history_events(p)) for n, p in enumerate(products)]
    invited = domain.invitations_due(fairs, entries, today)
    pairs = {(i.fair_id, i.product_id) for i, _ in invited}
    assert len({i.id for i, _ in invited}) == len(invited) == len(pairs)
    for fair in fairs:
        for n, product in enumerate(products):
            best = best_valid(product)
            should = (
                best is not None
                and fair.ends_on >= today
                and final(best)[0] >= fair.min_stars
                and final(best)[1] >= fair.ends_on
                and product["group"] in (fair.groups or GROUPS)
                and product["province_code"] in (fair.provinces or PROVINCES)
            )
            assert ((fair.id, f"p{n}") in pairs) == should
    event(f"{len(pairs)} invitation(s)")


@settings(PROPERTIES, max_examples=150)
@given(
    st.none() | st.integers(1, 4),
    st.lists(st.tuples(st.booleans(), st.integers(0, 6)), max_size=30),
)
def test_a_fair_never_holds_more_booths_than_it_has(capacity, moves):
    fair, _ = domain.create_fair(
        "f1", today=TODAY, name="Hội chợ", starts_on=TODAY, ends_on=TODAY, min_stars=3
    )
    fair = fair.model_copy(update={"capacity": capacity})
    for take, n in moves:
        invitation = domain.Invitation(
            id=f"i{n}", fair_id="f1", product_id=f"p{n}", producer_id="pr1", sent_on=TODAY
        )
        before = fair
        if take:
            try:
                fair, _ = domain.take_booth(fair, invitation)
            except Conflict:
                assert capacity is not None and len(before.accepted) >= capacity
                assert invitation.id not in before.accepted
                continue
            assert invitation.id in fair.accepted
        else:
            fair, _ = domain.free_booth(fair, invitation.id)
            assert invitation.id not in fair.accepted
        assert set(fair.accepted) - {invitation.id} == set(before.accepted) - {invitation.id}
        assert len(set(fair.accepted)) == len(fair.accepted)
        assert capacity is None or len(fair.accepted) <= capacity


NEXT = {  # where an invitation may go from each status
    "sent": {"accepted", "declined", "withdrawn"},
    "accepted": {"declined", "withdrawn"},
    "declined": set(),
    "withdrawn": set(),
}


@settings(PROPERTIES, max_examples=150)
@given(st.lists(st.sampled_from(["accept", "decline", "withdraw"]), max_size=8))
def test_an_invitation_only_moves_along_its_lifecycle(moves):
    invitation = domain.Invitation(
        id="i1", fair_id="f1", product_id="p1", producer_id="pr1", sent_on=TODAY
    )
    for n, move in enumerate(moves):
        before, day = invitation, TODAY + timedelta(days=n)
        try:
            if move == "withdraw":
                invitation, events = domain.withdraw(invitation, "certificate revoked")
            else:
                invitation, events = domain.answer(invitation, move == "accept", day)
        except Conflict:
            assert (move == "accept" and before.status in ("declined", "withdrawn")) or (
                move == "decline" and before.status == "withdrawn"
            )
            continue
        changed = invitation.status != before.status
        assert not changed or invitation.status in NEXT[before.status]
        assert bool(events) == changed
        assert (invitation.answered_on is not None) == (
            invitation.status in ("accepted", "declined")
            or (invitation.status == "withdrawn" and before.answered_on is not None)
        )
        assert (invitation.withdrawn_because is not None) == (invitation.status == "withdrawn")


@settings(PROPERTIES, max_examples=100)
@given(st.integers(-400, 400), st.integers(-30, 30))
def test_a_fair_is_created_only_with_an_end_after_its_start_and_not_past(start, length):
    starts_on = TODAY + timedelta(days=start)
    ends_on = starts_on + timedelta(days=length)
    try:
        fair, events = domain.create_fair(
            "f1", today=TODAY, name="Hội chợ", starts_on=starts_on, ends_on=ends_on, min_stars=3
        )
    except InvalidInput as error:
        assert list(error.fields) == ["ends_on"]
        assert ends_on < starts_on or ends_on < TODAY
        return
    assert fair.starts_on <= fair.ends_on and fair.ends_on >= TODAY
    assert events[0].ends_on == fair.ends_on
