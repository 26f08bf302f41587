"""Events published by the trade_promotion service on `trade_promotion.events`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from shared.events.base import Event


class CatalogueListed(Event):
    """A certified product appears in the public OCOP catalogue."""

    event_type: ClassVar[str] = "catalogue.listed"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    product_id: str
    certificate_number: str
    stars: int
    group: str
    province_code: str

    def subject(self) -> str:
        return f"product/{self.product_id}"


class TradeFairCreated(Event):
    """A trade fair (hội chợ) open to OCOP products was announced."""

    event_type: ClassVar[str] = "tradefair.created"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    fair_id: str
    name: str
    starts_on: date
    ends_on: date
    province_code: str | None = None
    min_stars: int
    groups: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    place: str | None = None
    organiser: str | None = None
    capacity: int | None = None

    def subject(self) -> str:
        return f"tradefair/{self.fair_id}"


class InvitationSent(Event):
    """A producer was invited to exhibit a product at a trade fair."""

    event_type: ClassVar[str] = "invitation.sent"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    invitation_id: str
    fair_id: str
    product_id: str
    producer_id: str

    def subject(self) -> str:
        return f"tradefair/{self.fair_id}"


class CatalogueDelisted(Event):
    """A product left the public catalogue: its certificate was revoked or expired."""

    event_type: ClassVar[str] = "catalogue.delisted"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    product_id: str
    certificate_number: str
    reason: Literal["revoked", "expired"]

    def subject(self) -> str:
        return f"product/{self.product_id}"


class InvitationWithdrawn(Event):
    """A fair invitation was withdrawn because the product's certificate no longer holds."""

    event_type: ClassVar[str] = "invitation.withdrawn"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    invitation_id: str
    fair_id: str
    product_id: str
    producer_id: str
    reason: str

    def subject(self) -> str:
        return f"tradefair/{self.fair_id}"


class InvitationAnswered(Event):
    """Fields of a producer's answer to an invitation."""

    invitation_id: str
    fair_id: str
    product_id: str
    producer_id: str

    def subject(self) -> str:
        return f"tradefair/{self.fair_id}"


class InvitationAccepted(InvitationAnswered):
    """The producer took a booth (first come, within the fair's capacity)."""

    event_type: ClassVar[str] = "invitation.accepted"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"


class InvitationDeclined(InvitationAnswered):
    """The producer declined (freeing the booth if one was taken)."""

    event_type: ClassVar[str] = "invitation.declined"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"


class SalesPointProductAdded(Event):
    """A display or sales point now carries an OCOP product."""

    event_type: ClassVar[str] = "salespoint.product_added"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    sales_point_id: str
    product_id: str

    def subject(self) -> str:
        return f"salespoint/{self.sales_point_id}"


class SalesPointProductRemoved(Event):
    """A point no longer carries a product: its operator removed it, or it was delisted."""

    event_type: ClassVar[str] = "salespoint.product_removed"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "trade_promotion"

    sales_point_id: str
    product_id: str
    reason: Literal["operator", "delisted"]

    def subject(self) -> str:
        return f"salespoint/{self.sales_point_id}"
