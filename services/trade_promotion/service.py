"""Trade promotion service: lists certified products, runs fairs and their invitations."""

from __future__ import annotations

from typing import Literal

from werkzeug.wrappers import Request

from services.trade_promotion import domain
from services.trade_promotion.schemas import (
    CataloguePage,
    CatalogueQuery,
    FairIn,
    FairOut,
    InvitationOut,
    ListingOut,
)
from services.trade_promotion.storage import TradePromotionStore
from shared.clock import clock_from_config
from shared.errors import NotFound
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewed,
    CertificateRevoked,
    Received,
    TradeFairCreated,
)
from shared.ids import new_id
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api, health_response, parse_body, parse_query


class TradePromotionService:
    name = "trade_promotion"

    store: TradePromotionStore = Storage(TradePromotionStore)
    clock = Loaded(clock_from_config)

    @on_event(CertificateIssued)
    def list_certified_product(self, event: Received[CertificateIssued]) -> None:
        certificate = event.data
        self.store.apply_to_listing(
            event.id,
            certificate.product_id,
            lambda current: domain.list_product(certificate, current),
        )
        listing = self.store.listing(certificate.product_id)
        if listing is not None:
            today = self.clock.today()
            for invitation, events in domain.invitations_due(
                self.store.fairs(open_on=today), [listing], today
            ):
                self.store.add_invitation(invitation, events)

    @on_event(CertificateRevoked)
    def delist_revoked(self, event: Received[CertificateRevoked]) -> None:
        self._delist(event.id, event.data.product_id, event.data.certificate_number, "revoked")

    @on_event(CertificateExpired)
    def delist_expired(self, event: Received[CertificateExpired]) -> None:
        self._delist(event.id, event.data.product_id, event.data.certificate_number, "expired")

    @on_event(CertificateRenewed)
    def relist_renewed(self, event: Received[CertificateRenewed]) -> None:
        self.store.apply_to_listing(
            event.id, event.data.product_id, lambda current: domain.relist(current, event.data)
        )

    @on_event(TradeFairCreated)
    def invite_listed_products(self, event: Received[TradeFairCreated]) -> None:
        fair = self.store.fair(event.data.fair_id)
        if fair is not None:
            candidates = self.store.listings(
                groups=fair.groups, province_code=fair.province_code, min_stars=fair.min_stars
            )
            for invitation, events in domain.invitations_due(
                [fair], candidates, self.clock.today()
            ):
                self.store.add_invitation(invitation, events)

    @api("POST", "/api/v1/trade-fairs")
    def create_fair(self, request: Request) -> tuple[int, FairOut]:
        body = parse_body(request, FairIn).normalised()
        fair, events = domain.create_fair(
            new_id(),
            name=body.name,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            province_code=body.province_code,
            min_stars=body.min_stars,
            groups=tuple(body.groups),
            today=self.clock.today(),
        )
        self.store.add_fair(fair, events)
        return 201, FairOut.of(fair)

    @api("GET", "/api/v1/trade-fairs")
    def list_fairs(self, request: Request) -> list[FairOut]:
        return [FairOut.of(fair) for fair in self.store.fairs()]

    @api("GET", "/api/v1/trade-fairs/<fair_id>")
    def get_fair(self, request: Request, fair_id: str) -> FairOut:
        return FairOut.of(self._fair(fair_id))

    @api("GET", "/api/v1/trade-fairs/<fair_id>/invitations")
    def list_invitations(self, request: Request, fair_id: str) -> list[InvitationOut]:
        self._fair(fair_id)
        return [InvitationOut.of(each) for each in self.store.invitations(fair_id)]

    @api("GET", "/api/v1/catalogue")
    def catalogue(self, request: Request) -> CataloguePage:
        query = parse_query(request, CatalogueQuery).normalised()
        listings = self.store.listings(
            group=query.group,
            province_code=query.province_code,
            min_stars=query.min_stars,
            after=query.cursor,
            limit=query.limit + 1,
        )
        page = listings[: query.limit]
        more = len(listings) > query.limit
        return CataloguePage(
            items=[ListingOut.of(listing) for listing in page],
            next_cursor=page[-1].id if more else None,
        )

    @api("GET", "/api/v1/catalogue/<product_id>")
    def get_listing(self, request: Request, product_id: str) -> ListingOut:
        listing = self.store.listing(product_id)
        if listing is None or listing.status != "listed":
            raise NotFound("listed product", product_id)
        return ListingOut.of(listing)

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        return health_response(self.store.probe)

    def _fair(self, fair_id: str) -> domain.Fair:
        fair = self.store.fair(fair_id)
        if fair is None:
            raise NotFound("trade fair", fair_id)
        return fair

    def _delist(
        self, event_id: str, product_id: str, number: str, reason: Literal["revoked", "expired"]
    ) -> None:
        """Delist the product and withdraw its pending invitations (each step idempotent)."""
        self.store.apply_to_listing(
            event_id, product_id, lambda current: domain.delist(current, number, reason)
        )
        listing = self.store.listing(product_id)
        if listing is not None and listing.status == "delisted":
            for invitation in self.store.invitations_of_product(product_id):
                self.store.update_invitation(
                    invitation.id,
                    lambda each: domain.withdraw(each, f"certificate {number} {reason}"),
                )
