"""Trade fairs and their invitations. Pure.

A fair states who may exhibit (stars, groups, provinces, a certificate valid to the fair's
last day) and how many booths it has. Listed products that qualify are invited; a
producer accepts (first come, while booths remain) or declines; an invitation is withdrawn
when the product's certificate is revoked or expires. Invitation ids derive from the fair
and the product, so inviting twice is the same invitation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import Conflict, InvalidInput
from shared.events import (
    Event,
    InvitationAccepted,
    InvitationDeclined,
    InvitationSent,
    InvitationWithdrawn,
    TradeFairCreated,
)

INVITATION_NAMESPACE = uuid.UUID("6f1c1b9e-4a39-4c59-9a0c-0c6d0d5f6a11")
Entry = dict[str, Any]  # a catalogue entry, see catalogue.py


class Fair(BaseModel):
    """A trade fair (hội chợ) and who may exhibit at it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    starts_on: date
    ends_on: date
    place: str | None = None
    organiser: str | None = None
    provinces: tuple[str, ...] = ()  # empty: every province
    min_stars: int
    groups: tuple[str, ...] = ()  # empty: every group
    capacity: int | None = None  # booths; None: no limit
    accepted: tuple[str, ...] = ()  # invitation ids holding a booth, first come first served

    @property
    def province_code(self) -> str | None:
        """The single province of a one-province fair (the v1 contract's field)."""
        return self.provinces[0] if len(self.provinces) == 1 else None


class Invitation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    fair_id: str
    product_id: str
    producer_id: str
    status: Literal["sent", "accepted", "declined", "withdrawn"] = "sent"
    sent_on: date
    answered_on: date | None = None
    withdrawn_because: str | None = None


def create_fair(fair_id: str, *, today: date, **fields: Any) -> tuple[Fair, list[TradeFairCreated]]:
    fair = Fair(id=fair_id, **fields)
    if fair.ends_on < fair.starts_on:
        raise InvalidInput.field("ends_on", f"{fair.ends_on} is before starts_on {fair.starts_on}")
    if fair.ends_on < today:
        raise InvalidInput.field("ends_on", f"{fair.ends_on} is in the past")
    event = TradeFairCreated(
        fair_id=fair.id,
        province_code=fair.province_code,
        **fair.model_dump(exclude={"id", "accepted"}),
    )
    return fair, [event]


def eligible(fair: Fair, entry: Entry, today: date) -> bool:
    """Open fair; listed; enough stars; group and province accepted; certificate valid through
    the fair's last day."""
    return bool(
        entry.get("listed")
        and fair.ends_on >= today
        and entry["stars"] >= fair.min_stars
        and (not fair.groups or entry["group"] in fair.groups)
        and (not fair.provinces or entry["province_code"] in fair.provinces)
        and entry["expires_on"] >= fair.ends_on.isoformat()
    )


def invitations_due(
    fairs: Iterable[Fair], entries: Iterable[Entry], today: date
) -> list[tuple[Invitation, list[Event]]]:
    """Every invitation the pairs of fairs and listed products call for."""
    entries = list(entries)
    return [
        invite(fair, entry, today)
        for fair in fairs
        for entry in entries
        if eligible(fair, entry, today)
    ]


def invite(fair: Fair, entry: Entry, today: date) -> tuple[Invitation, list[Event]]:
    invitation = Invitation(
        id=str(uuid.uuid5(INVITATION_NAMESPACE, f"{fair.id}/{entry['_id']}")),
        fair_id=fair.id,
        product_id=entry["_id"],
        producer_id=entry["producer_id"],
        sent_on=today,
    )
    return invitation, [
        InvitationSent(invitation_id=invitation.id, **invitation.model_dump(exclude={"id"}))
    ]


def take_booth(fair: Fair, invitation: Invitation) -> tuple[Fair, list[Event]]:
    """The fair with a booth held for `invitation`; Conflict when none is left."""
    if invitation.id in fair.accepted:
        return fair, []
    if fair.capacity is not None and len(fair.accepted) >= fair.capacity:
        raise Conflict(f"all {fair.capacity} booths of {fair.name} are taken", {"capacity": "full"})
    return fair.model_copy(update={"accepted": (*fair.accepted, invitation.id)}), []


def free_booth(fair: Fair, invitation_id: str) -> tuple[Fair, list[Event]]:
    if invitation_id not in fair.accepted:
        return fair, []
    return fair.model_copy(
        update={"accepted": tuple(i for i in fair.accepted if i != invitation_id)}
    ), []


def answer(invitation: Invitation, accept: bool, today: date) -> tuple[Invitation, list[Event]]:
    """A producer's answer: accept a sent invitation; decline a sent or accepted one."""
    target = "accepted" if accept else "declined"
    if invitation.status == target:
        return invitation, []
    allowed = ("sent",) if accept else ("sent", "accepted")
    if invitation.status not in allowed:
        raise Conflict(f"invitation is {invitation.status}", {"status": invitation.status})
    answered = invitation.model_copy(update={"status": target, "answered_on": today})
    event_type = InvitationAccepted if accept else InvitationDeclined
    return answered, [
        event_type(invitation_id=invitation.id, **invitation.model_dump(exclude={"id"}))
    ]


def withdraw(invitation: Invitation, reason: str) -> tuple[Invitation, list[Event]]:
    """A sent or accepted invitation is withdrawn once; answered-no and withdrawn ones stay."""
    if invitation.status not in ("sent", "accepted"):
        return invitation, []
    withdrawn = invitation.model_copy(update={"status": "withdrawn", "withdrawn_because": reason})
    return withdrawn, [
        InvitationWithdrawn(
            invitation_id=invitation.id, reason=reason, **invitation.model_dump(exclude={"id"})
        )
    ]
