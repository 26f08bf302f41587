"""Registration service: producers, products, batches and dossiers over HTTP; events out,
and in: certificates (for renewals) and returned dossiers."""

from __future__ import annotations

from werkzeug.wrappers import Request

from services.registration import certificates, domain, dossiers
from services.registration.dossier_api import READ, REGISTRARS, DossierApi
from services.registration.schemas import (
    ClassificationIn,
    ProducerIn,
    ProducerOut,
    ProductIn,
    ProductOut,
)
from services.registration.storage import RegistrationStore
from shared.access.caller import Caller, Reach
from shared.access.roles import CENTRAL_OFFICER, PRODUCER, PROVINCE_OFFICER, allow
from shared.clock import clock_from_config
from shared.errors import InvalidInput, NotFound
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    DossierReturned,
    InvalidEvent,
    ProductNotRanked,
    ProductRanked,
    Received,
)
from shared.idempotency import new_or_keyed_id, request_key
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api
from shared.web.operations import Operations

WRITE = "registration:write"


class RegistrationService(DossierApi, Operations):
    """Producers (chủ thể OCOP), their products, the provinces' evaluation batches and the
    products' dossiers; what certification says of certificates, what scoring of returns."""

    name = "registration"

    store: RegistrationStore = Storage(RegistrationStore)
    clock = Loaded(clock_from_config)

    @api(
        "POST",
        "/api/v1/producers",
        idempotent=True,
        access=allow(*REGISTRARS, scope=WRITE),
        body=ProducerIn,
        response=ProducerOut,
        status=201,
    )
    def register_producer(
        self, request: Request, body: ProducerIn, caller: Caller
    ) -> tuple[int, ProducerOut]:
        """Register a producer; a pre-2025 address in words is converted to today's units."""
        key = request_key(request, body, caller)
        address = domain.locate(body.address_codes(), body.legacy_address)
        caller.require(Reach(province=address.province_code, ward=address.ward_code), "the ward")
        producer, events = domain.register_producer(
            new_or_keyed_id(key),
            name=body.name,
            kind=body.kind,
            women_led=body.women_led,
            tax_code=body.tax_code,
            address=address,
        )
        return 201, ProducerOut.of(self.store.add_producer(producer, events, key))

    @api(
        "GET",
        "/api/v1/producers/<producer_id>",
        access=READ,
        response=ProducerOut,
    )
    def get_producer(self, request: Request, producer_id: str, caller: Caller) -> ProducerOut:
        """A producer by id."""
        producer = self.store.producer(producer_id)
        if producer is None:
            raise NotFound("producer", producer_id)
        caller.require(producer.reach(), "this producer")
        return ProducerOut.of(producer)

    @api(
        "POST",
        "/api/v1/products",
        idempotent=True,
        access=allow(PRODUCER, *REGISTRARS, scope=WRITE),
        body=ProductIn,
        response=ProductOut,
        status=201,
    )
    def register_product(
        self, request: Request, body: ProductIn, caller: Caller
    ) -> tuple[int, ProductOut]:
        """Register a producer's product in one of the six groups (and a product set)."""
        producer = self.store.producer(body.producer_id)
        if producer is None:
            raise InvalidInput.field("producer_id", f"no producer with id {body.producer_id!r}")
        caller.require(producer.reach(), "this producer")
        key = request_key(request, body, caller)
        product, events = domain.register_product(
            new_or_keyed_id(key),
            producer,
            name=body.name,
            group=body.group,
            subgroup=body.subgroup,
            imported=body.imported,
        )
        return 201, ProductOut.of(self.store.add_product(product, events, key))

    @api(
        "GET",
        "/api/v1/products/<product_id>",
        access=READ,
        response=ProductOut,
    )
    def get_product(self, request: Request, product_id: str, caller: Caller) -> ProductOut:
        """A product by id."""
        return ProductOut.of(self._product(product_id, caller))

    @api(
        "PUT",
        "/api/v1/products/<product_id>/subgroup",
        idempotent=True,
        access=allow(PROVINCE_OFFICER, CENTRAL_OFFICER, scope=WRITE),
        body=ClassificationIn,
        response=ProductOut,
    )
    def classify_product(
        self, request: Request, product_id: str, body: ClassificationIn, caller: Caller
    ) -> ProductOut:
        """Set or correct a product's sub-group (its product set): rounds waiting for it open
        on that sheet (`product.classified`). For records imported without one."""
        found = self.store.product(product_id)
        if found is None:
            raise NotFound("product", product_id)
        # a province officer in the product's province; the central office in every province
        caller.require_any((found.reach(), Reach(central=True)), "this product")
        product = self.store.update_product(
            product_id,
            lambda current: domain.classify_product(
                current,
                subgroup=body.subgroup,
                group=body.group,
                officer=caller.actor(body.officer_id),
            ),
        )
        return ProductOut.of(product)

    @on_event(CertificateIssued)
    def certificate_issued(self, event: Received[CertificateIssued]) -> None:
        self._learn(event)

    @on_event(CertificateRenewed)
    def certificate_renewed(self, event: Received[CertificateRenewed]) -> None:
        self._learn(event)

    @on_event(CertificateExpired)
    def certificate_expired(self, event: Received[CertificateExpired]) -> None:
        self._learn(event)

    @on_event(CertificateRevoked)
    def certificate_revoked(self, event: Received[CertificateRevoked]) -> None:
        self._learn(event)

    @on_event(CertificateSuperseded)
    def certificate_superseded(self, event: Received[CertificateSuperseded]) -> None:
        self._learn(event)

    @on_event(DossierReturned)
    def dossier_returned(self, event: Received[DossierReturned]) -> None:
        """The dossier goes back to its producer: it no longer counts as under evaluation."""
        fact = event.data
        if fact.dossier_id is None:  # a round without a dossier (a renewal due): none here
            return
        returned = dossiers.Returned(
            evaluation_id=fact.evaluation_id,
            by_level=fact.returned_by_level,
            by=fact.returned_by,
            reasons=fact.reasons,
            on=fact.returned_on,
        )
        found = self.store.update_dossier(
            fact.dossier_id,
            event.id,
            lambda dossier: dossiers.return_dossier(dossier, fact.product_id, returned),
        )
        if not found:
            raise InvalidEvent(f"no dossier {fact.dossier_id} was submitted here")

    @on_event(ProductRanked)
    def dossier_ranked(self, event: Received[ProductRanked]) -> None:
        """The dossier's evaluation is over: it no longer counts as under evaluation."""
        fact = event.data
        self._evaluated(
            event.id,
            fact.dossier_id,
            fact.product_id,
            dossiers.Evaluated(
                evaluation_id=fact.evaluation_id,
                outcome="ranked",
                stars=fact.stars,
                on=fact.ranked_on,
            ),
        )

    @on_event(ProductNotRanked)
    def dossier_not_ranked(self, event: Received[ProductNotRanked]) -> None:
        fact = event.data
        self._evaluated(
            event.id,
            fact.dossier_id,
            fact.product_id,
            dossiers.Evaluated(
                evaluation_id=fact.evaluation_id, outcome="not_ranked", on=fact.decided_on
            ),
        )

    def _evaluated(
        self, event_id: str, dossier_id: str | None, product_id: str, result: dossiers.Evaluated
    ) -> None:
        if dossier_id is None:  # an imported or older round without a dossier: none here
            return
        found = self.store.update_dossier(
            dossier_id, event_id, lambda each: dossiers.record_result(each, product_id, result)
        )
        if not found:
            raise InvalidEvent(f"no dossier {dossier_id} was submitted here")

    def _learn(self, event: Received) -> None:
        """Which certificates a product holds, for its renewal dossiers (`renewal_of`)."""
        fact = event.data
        self.store.learn_certificate(
            fact.certificate_number, event.id, lambda known: certificates.learn(known, fact)
        )
