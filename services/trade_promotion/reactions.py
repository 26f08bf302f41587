"""What trade promotion does when events arrive: fold them into the catalogue, then invite,
withdraw and update sales points. Each step is idempotent on its own."""

from __future__ import annotations

from datetime import date

from services.trade_promotion import catalogue, domain, sales_points
from services.trade_promotion.storage import TradePromotionStore
from shared.errors import Conflict
from shared.events import Event, ProducerRegistered, ProductRegistered
from shared.events.registry import read_stored


def product_event(
    store: TradePromotionStore, event_id: str, product_id: str, event: Event, time: str, today: date
) -> None:
    """Journal the event, fold it into the product's entry, react to the entry's change."""
    store.journal(event_id, event, time)
    _, after = store.fold(event_id, product_id, event, time)
    if isinstance(event, ProductRegistered):
        known = store.producer(event.producer_id)
        if known is not None:
            producer = stored_producer(known["data"])
            _, after = store.fold(known["event_id"], product_id, producer, known["time"])
    react(store, after, today)


def stored_producer(data: dict) -> ProducerRegistered:
    """A remembered producer; one kept before version 2 has the shape of version 1."""
    version = ProducerRegistered.version if "public_name" in data else 1
    event = read_stored(ProducerRegistered.event_type, version, data)
    assert isinstance(event, ProducerRegistered)
    return event


def producer_event(
    store: TradePromotionStore, event_id: str, event: ProducerRegistered, time: str, today: date
) -> None:
    """A producer's facts go into every entry of its products (which may arrive before or after)."""
    store.journal(event_id, event, time)
    store.remember_producer(event_id, event.model_dump(mode="json"), time)
    for product_id in store.product_ids_of(event.producer_id):
        store.fold(event_id, product_id, event, time)


def react(store: TradePromotionStore, after: catalogue.Entry, today: date) -> None:
    """Bring invitations and sales points in line with the entry as it now is, not with
    what this event changed: a redelivery after a crash between the fold and these steps
    changes nothing in the entry, yet must finish them. Every step is idempotent."""
    if after.get("listed"):
        for invitation, events in domain.invitations_due(
            store.fairs(open_on=today), [after], today
        ):
            store.add_invitation(invitation, events)
    elif after.get("certificate_number"):  # it was listed once: nothing may stay behind
        reason = f"certificate {after['certificate_number']} {after['certificate_status']}"
        withdraw_all(store, after["_id"], reason)
        for point in store.sales_points(after["_id"]):
            store.update_sales_point(
                point.id, lambda each: sales_points.drop(each, after["_id"], "delisted")
            )


def withdraw_all(store: TradePromotionStore, product_id: str, reason: str) -> None:
    for invitation in store.invitations(product_id=product_id):
        withdraw_one(store, invitation, reason)


def withdraw_one(store: TradePromotionStore, invitation: domain.Invitation, reason: str) -> None:
    """Withdraw, then free its booth; freeing is a no-op when it held none, so a redelivery
    after a crash between the two still frees it."""
    store.update_invitation(invitation.id, lambda each: domain.withdraw(each, reason))
    store.update_fair(invitation.fair_id, lambda fair: domain.free_booth(fair, invitation.id))


def invite_to_new_fair(store: TradePromotionStore, fair_id: str, today: date) -> None:
    fair = store.fair(fair_id)
    if fair is None:
        return
    candidates = store.entries({"listed": True, "stars": {"$gte": fair.min_stars}})
    for invitation, events in domain.invitations_due([fair], candidates, today):
        store.add_invitation(invitation, events)


def answer(
    store: TradePromotionStore, invitation_id: str, accept: bool, today: date
) -> domain.Invitation:
    """Accept (taking a booth first, so capacity holds under concurrent accepts) or decline."""
    invitation = store.invitation(invitation_id)
    assert invitation is not None
    if accept and invitation.status == "sent":
        store.update_fair(invitation.fair_id, lambda fair: domain.take_booth(fair, invitation))
    try:
        answered = store.update_invitation(
            invitation_id, lambda each: domain.answer(each, accept, today)
        )
    except Conflict:
        store.update_fair(invitation.fair_id, lambda fair: domain.free_booth(fair, invitation_id))
        raise
    if answered.status != "accepted":
        store.update_fair(invitation.fair_id, lambda fair: domain.free_booth(fair, invitation_id))
    return answered
