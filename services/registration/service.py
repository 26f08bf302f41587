"""Registration service: producers, products and dossiers over HTTP; events out."""

from __future__ import annotations

from werkzeug.wrappers import Request

from services.registration import domain
from services.registration.schemas import (
    ClassificationIn,
    DossierIn,
    DossierOut,
    ProducerIn,
    ProducerOut,
    ProductIn,
    ProductOut,
)
from services.registration.storage import RegistrationStore
from shared.access.caller import Caller, Reach
from shared.access.roles import (
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    PRODUCER,
    PROVINCE_OFFICER,
    allow,
)
from shared.clock import clock_from_config
from shared.errors import Conflict, InvalidInput, NotFound
from shared.idempotency import new_or_keyed_id, request_key
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api
from shared.web.operations import Operations

WRITE = "registration:write"
REGISTRARS = (COMMUNE_OFFICER, PROVINCE_OFFICER)
READ = allow(PRODUCER, *REGISTRARS, CENTRAL_OFFICER, scope="registration:read")


class RegistrationService(Operations):
    """Producers (chủ thể OCOP), their products and yearly dossiers."""

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

    @api(
        "POST",
        "/api/v1/products/<product_id>/dossiers",
        idempotent=True,
        access=allow(PRODUCER, *REGISTRARS, scope=WRITE),
        body=DossierIn,
        response=DossierOut,
        status=201,
    )
    def submit_dossier(
        self, request: Request, product_id: str, body: DossierIn, caller: Caller
    ) -> tuple[int, DossierOut]:
        """Submit a product's dossier for a year's evaluation (one per product and year)."""
        product = self._product(product_id, caller)
        key = request_key(request, body, caller)
        earlier = key and self.store.dossier_sent_with(product_id, body.year, key)
        if earlier:
            return 201, DossierOut.of(earlier)
        dossier, events = domain.submit_dossier(
            new_or_keyed_id(key),
            product,
            year=body.year,
            evidence=tuple(
                domain.Evidence.model_validate(item.model_dump()) for item in body.evidence
            ),
            today=self.clock.today(),
            years_submitted=self.store.dossier_years(product_id),
        )
        stored = self.store.add_dossier(dossier, events, key)
        if stored is None:
            raise Conflict(
                f"product {product_id} already has a dossier for {body.year}", {"year": "taken"}
            )
        return 201, DossierOut.of(stored)

    @api(
        "GET",
        "/api/v1/dossiers/<dossier_id>",
        access=READ,
        response=DossierOut,
    )
    def get_dossier(self, request: Request, dossier_id: str, caller: Caller) -> DossierOut:
        """A dossier by id."""
        dossier = self.store.dossier(dossier_id)
        if dossier is None:
            raise NotFound("dossier", dossier_id)
        self._product(dossier.product_id, caller)
        return DossierOut.of(dossier)

    def _product(self, product_id: str, caller: Caller) -> domain.Product:
        product = self.store.product(product_id)
        if product is None:
            raise NotFound("product", product_id)
        caller.require(product.reach(), "this product")
        return product
