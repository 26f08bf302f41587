"""Trade promotion: the public catalogue of certified products, trade fairs, invitations.

Pure. A certified product is listed; it is invited to every open fair whose stars,
groups, province and dates it meets, and a new fair invites the products already listed.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.admin_units import known_province
from shared.errors import InvalidInput
from shared.events import (
    CatalogueDelisted,
    CatalogueListed,
    CertificateIssued,
    CertificateRenewed,
    InvalidEvent,
    InvitationSent,
    InvitationWithdrawn,
    TradeFairCreated,
)

INVITATION_NAMESPACE = uuid.UUID("6f1c1b9e-4a39-4c59-9a0c-0c6d0d5f6a11")


class Listing(BaseModel):
    """A product's entry in the public OCOP catalogue."""

    model_config = ConfigDict(frozen=True)

    id: str  # the product id
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    stars: int
    certificate_number: str
    issued_on: date
    expires_on: date
    status: Literal["listed", "delisted"] = "listed"
    delisted_because: str | None = None


class Fair(BaseModel):
    """A trade fair (hội chợ) and who may exhibit at it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    starts_on: date
    ends_on: date
    province_code: str | None
    min_stars: int
    groups: tuple[str, ...]


class Invitation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    fair_id: str
    product_id: str
    producer_id: str
    status: Literal["sent", "withdrawn"] = "sent"
    sent_on: date
    withdrawn_because: str | None = None


def list_product(
    certificate: CertificateIssued, current: Listing | None
) -> tuple[Listing, list[CatalogueListed]] | None:
    """The listing for a new certificate; None if a newer certificate is already listed."""
    if not known_province(certificate.province_code):
        raise InvalidEvent(
            f"province_code {certificate.province_code!r} is not one of the 34 provinces"
        )
    if current is not None and current.issued_on > certificate.issued_on:
        return None
    listing = Listing(id=certificate.product_id, **certificate.model_dump())
    event = CatalogueListed(product_id=listing.id, **listing.model_dump(exclude={"id"}))
    return listing, [event]


def create_fair(
    fair_id: str,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    province_code: str | None,
    min_stars: int,
    groups: tuple[str, ...],
    today: date,
) -> tuple[Fair, list[TradeFairCreated]]:
    if ends_on < starts_on:
        raise InvalidInput.field("ends_on", f"{ends_on} is before starts_on {starts_on}")
    if ends_on < today:
        raise InvalidInput.field("ends_on", f"{ends_on} is in the past")
    fair = Fair(
        id=fair_id,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        province_code=province_code,
        min_stars=min_stars,
        groups=groups,
    )
    event = TradeFairCreated(fair_id=fair.id, **fair.model_dump(exclude={"id"}))
    return fair, [event]


def eligible(fair: Fair, listing: Listing, today: date) -> bool:
    """Open fair; enough stars; group and province accepted; certificate valid to the end."""
    return (
        listing.status == "listed"
        and fair.ends_on >= today
        and listing.stars >= fair.min_stars
        and (not fair.groups or listing.group in fair.groups)
        and (fair.province_code is None or fair.province_code == listing.province_code)
        and listing.expires_on >= fair.ends_on
    )


def invite(fair: Fair, listing: Listing, today: date) -> tuple[Invitation, list[InvitationSent]]:
    """The invitation's id derives from fair and product: inviting twice is the same invitation."""
    invitation = Invitation(
        id=str(uuid.uuid5(INVITATION_NAMESPACE, f"{fair.id}/{listing.id}")),
        fair_id=fair.id,
        product_id=listing.id,
        producer_id=listing.producer_id,
        sent_on=today,
    )
    event = InvitationSent(invitation_id=invitation.id, **invitation.model_dump(exclude={"id"}))
    return invitation, [event]


def invitations_due(
    fairs: list[Fair], listings: list[Listing], today: date
) -> list[tuple[Invitation, list[InvitationSent]]]:
    """Every invitation the pairs of fairs and listings call for."""
    return [
        invite(fair, listing, today)
        for fair in fairs
        for listing in listings
        if eligible(fair, listing, today)
    ]


def delist(
    listing: Listing | None, certificate_number: str, reason: Literal["revoked", "expired"]
) -> tuple[Listing, list[CatalogueDelisted]] | None:
    """Off the catalogue when the certificate it shows ends; an older certificate ending
    (one already replaced) leaves the listing alone."""
    if (
        listing is None
        or listing.certificate_number != certificate_number
        or listing.status != "listed"
    ):
        return None
    delisted = listing.model_copy(update={"status": "delisted", "delisted_because": reason})
    return delisted, [
        CatalogueDelisted(
            product_id=listing.id, certificate_number=certificate_number, reason=reason
        )
    ]


def relist(
    listing: Listing | None, renewed: CertificateRenewed
) -> tuple[Listing, list[CatalogueListed]] | None:
    """A renewed certificate keeps (or puts back) the product in the catalogue, new term."""
    if listing is None or listing.certificate_number != renewed.certificate_number:
        return None
    updated = listing.model_copy(
        update={
            "stars": renewed.stars,
            "expires_on": renewed.expires_on,
            "status": "listed",
            "delisted_because": None,
        }
    )
    return updated, [CatalogueListed(product_id=updated.id, **updated.model_dump(exclude={"id"}))]


def withdraw(invitation: Invitation, reason: str) -> tuple[Invitation, list[InvitationWithdrawn]]:
    """A pending invitation is withdrawn once; others stay as they are."""
    if invitation.status != "sent":
        return invitation, []
    withdrawn = invitation.model_copy(update={"status": "withdrawn", "withdrawn_because": reason})
    return withdrawn, [
        InvitationWithdrawn(
            invitation_id=invitation.id, **invitation.model_dump(exclude={"id"}), reason=reason
        )
    ]
