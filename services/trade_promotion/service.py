"""Trade promotion service: the public catalogue folded from events, the map, fairs and
invitations, sales points, the e-commerce feed, statistics and the public pages."""

from __future__ import annotations

from services.trade_promotion import reactions
from services.trade_promotion.api import TradePromotionApi
from services.trade_promotion.fair_api import FairApi
from services.trade_promotion.pages import TradePromotionPages
from services.trade_promotion.storage import TradePromotionStore
from shared.answers_cache import cache_from_config
from shared.clock import clock_from_config
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    ProducerRegistered,
    ProductRegistered,
    Received,
    TradeFairCreated,
    rfc3339,
)
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web.operations import Operations
from shared.web.templates import templates_in


def urls_from_config(config: dict) -> dict[str, str]:
    return {
        "portal": str(config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8004"),
        "verify": str(config.get("VERIFY_BASE_URL") or "http://127.0.0.1:8003"),
    }


class TradePromotionService(TradePromotionApi, FairApi, TradePromotionPages, Operations):
    """The public catalogue, the OCOP map, trade fairs, sales points, the feed, statistics."""

    name = "trade_promotion"

    store: TradePromotionStore = Storage(TradePromotionStore)
    clock = Loaded(clock_from_config)
    answers = Loaded(cache_from_config)
    urls = Loaded(urls_from_config)
    templates = Loaded(templates_in(__file__))

    @on_event(ProducerRegistered)
    def producer_registered(self, event: Received[ProducerRegistered]) -> None:
        reactions.producer_event(
            self.store, event.id, event.data, rfc3339(event.time), self.clock.today()
        )

    @on_event(ProductRegistered)
    def product_registered(self, event: Received[ProductRegistered]) -> None:
        self._fold(event)

    @on_event(CertificateIssued)
    def certificate_issued(self, event: Received[CertificateIssued]) -> None:
        self._fold(event)

    @on_event(CertificateRenewed)
    def certificate_renewed(self, event: Received[CertificateRenewed]) -> None:
        self._fold(event)

    @on_event(CertificateRenewalDue)
    def certificate_renewal_due(self, event: Received[CertificateRenewalDue]) -> None:
        self._fold(event)

    @on_event(CertificateRevoked)
    def certificate_revoked(self, event: Received[CertificateRevoked]) -> None:
        self._fold(event)

    @on_event(CertificateExpired)
    def certificate_expired(self, event: Received[CertificateExpired]) -> None:
        self._fold(event)

    @on_event(CertificateSuperseded)
    def certificate_superseded(self, event: Received[CertificateSuperseded]) -> None:
        self._fold(event)

    @on_event(TradeFairCreated)
    def invite_to_new_fair(self, event: Received[TradeFairCreated]) -> None:
        reactions.invite_to_new_fair(self.store, event.data.fair_id, self.clock.today())

    def _fold(self, event: Received) -> None:
        reactions.product_event(
            self.store,
            event.id,
            event.data.product_id,
            event.data,
            rfc3339(event.time),
            self.clock.today(),
        )
