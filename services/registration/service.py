"""Registration service: producers, products and dossiers over HTTP; events out."""

from __future__ import annotations

from werkzeug.wrappers import Request

from services.registration import domain
from services.registration.schemas import (
    DossierIn,
    DossierOut,
    ProducerIn,
    ProducerOut,
    ProductIn,
    ProductOut,
)
from services.registration.storage import RegistrationStore
from shared.clock import clock_from_config
from shared.errors import Conflict, InvalidInput, NotFound
from shared.ids import new_id
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api, health_response, parse_body


class RegistrationService:
    name = "registration"

    store: RegistrationStore = Storage(RegistrationStore)
    clock = Loaded(clock_from_config)

    @api("POST", "/api/v1/producers")
    def register_producer(self, request: Request) -> tuple[int, ProducerOut]:
        body = parse_body(request, ProducerIn)
        address = domain.locate(body.address_codes(), body.legacy_address)
        producer, events = domain.register_producer(
            new_id(),
            name=body.name,
            kind=body.kind,
            women_led=body.women_led,
            tax_code=body.tax_code,
            address=address,
        )
        self.store.add_producer(producer, events)
        return 201, ProducerOut.of(producer)

    @api("GET", "/api/v1/producers/<producer_id>")
    def get_producer(self, request: Request, producer_id: str) -> ProducerOut:
        producer = self.store.producer(producer_id)
        if producer is None:
            raise NotFound("producer", producer_id)
        return ProducerOut.of(producer)

    @api("POST", "/api/v1/products")
    def register_product(self, request: Request) -> tuple[int, ProductOut]:
        body = parse_body(request, ProductIn)
        producer = self.store.producer(body.producer_id)
        if producer is None:
            raise InvalidInput.field("producer_id", f"no producer with id {body.producer_id!r}")
        product, events = domain.register_product(
            new_id(), producer, name=body.name, group=body.group, subgroup=body.subgroup
        )
        self.store.add_product(product, events)
        return 201, ProductOut.of(product)

    @api("GET", "/api/v1/products/<product_id>")
    def get_product(self, request: Request, product_id: str) -> ProductOut:
        return ProductOut.of(self._product(product_id))

    @api("POST", "/api/v1/products/<product_id>/dossiers")
    def submit_dossier(self, request: Request, product_id: str) -> tuple[int, DossierOut]:
        product = self._product(product_id)
        body = parse_body(request, DossierIn)
        dossier, events = domain.submit_dossier(
            new_id(),
            product,
            year=body.year,
            evidence=tuple(
                domain.Evidence.model_validate(item.model_dump()) for item in body.evidence
            ),
            today=self.clock.today(),
            years_submitted=self.store.dossier_years(product_id),
        )
        if not self.store.add_dossier(dossier, events):
            raise Conflict(
                f"product {product_id} already has a dossier for {body.year}", {"year": "taken"}
            )
        return 201, DossierOut.of(dossier)

    @api("GET", "/api/v1/dossiers/<dossier_id>")
    def get_dossier(self, request: Request, dossier_id: str) -> DossierOut:
        dossier = self.store.dossier(dossier_id)
        if dossier is None:
            raise NotFound("dossier", dossier_id)
        return DossierOut.of(dossier)

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        return health_response(self.store.probe)

    def _product(self, product_id: str) -> domain.Product:
        product = self.store.product(product_id)
        if product is None:
            raise NotFound("product", product_id)
        return product
