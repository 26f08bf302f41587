"""Batch and dossier entrypoints (mixed into `RegistrationService`): a province opens its
evaluation batches (đợt), anyone may read them; dossiers go into an open one."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from services.registration import batches, dossiers
from services.registration.domain import Product
from services.registration.schemas import BatchIn, BatchOut, BatchQuery, DossierIn, DossierOut
from shared.access.caller import Caller, Reach
from shared.access.roles import (
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    PRODUCER,
    PROVINCE_OFFICER,
    PUBLIC,
    allow,
)
from shared.errors import Conflict, NotFound
from shared.idempotency import new_or_keyed_id, request_key
from shared.web import api

REGISTRARS = (COMMUNE_OFFICER, PROVINCE_OFFICER)
READ = allow(PRODUCER, *REGISTRARS, CENTRAL_OFFICER, scope="registration:read")
SUBMIT = allow(PRODUCER, *REGISTRARS, scope="registration:write")


class DossierApi:
    store: Any
    clock: Any

    @api(
        "POST",
        "/api/v1/batches",
        idempotent=True,
        access=allow(PROVINCE_OFFICER, scope="batches:write"),
        body=BatchIn,
        response=BatchOut,
        status=201,
    )
    def open_batch(self, request: Request, body: BatchIn, caller: Caller) -> tuple[int, BatchOut]:
        """Open an evaluation batch (đợt) of a province's year: dossiers are received from
        `opens_on` to `closes_on`; its number is unique in the province's year (409)."""
        caller.require(Reach(province=body.province_code), "the province")
        key = request_key(request, body, caller)
        batch, events = batches.open_batch(
            new_or_keyed_id(key),
            opened_by=caller.actor(body.officer_id),
            **body.model_dump(exclude={"officer_id"}),
        )
        stored = self.store.add_batch(batch, events, key)
        if stored is None:
            raise Conflict(
                f"province {body.province_code} already has batch {body.number} of {body.year}",
                {"number": "taken"},
            )
        return 201, BatchOut.of(stored, self.clock.today())

    @api("GET", "/api/v1/batches", access=PUBLIC, query=BatchQuery, response=list[BatchOut])
    def list_batches(self, request: Request, query: BatchQuery) -> list[BatchOut]:
        """Evaluation batches, of a province and a year if given: a province announces them
        in public, so that producers know when to apply."""
        today = self.clock.today()
        found = self.store.batches(query.province_code, query.year)
        return [BatchOut.of(batch, today) for batch in found]

    @api("GET", "/api/v1/batches/<batch_id>", access=PUBLIC, response=BatchOut)
    def get_batch(self, request: Request, batch_id: str) -> BatchOut:
        """An evaluation batch by id."""
        batch = self.store.batch(batch_id)
        if batch is None:
            raise NotFound("batch", batch_id)
        return BatchOut.of(batch, self.clock.today())

    @api(
        "POST",
        "/api/v1/products/<product_id>/dossiers",
        idempotent=True,
        access=SUBMIT,
        body=DossierIn,
        response=DossierOut,
        status=201,
    )
    def submit_dossier(
        self, request: Request, product_id: str, body: DossierIn, caller: Caller
    ) -> tuple[int, DossierOut]:
        """Submit a product's dossier in an open batch of its province: one per product and
        batch, none while another of the year is under evaluation (a returned one is not);
        a renewal names the certificate it renews (`renewal_of`)."""
        product = self._product(product_id, caller)
        key = request_key(request, body, caller)
        earlier = key and self.store.dossier_sent_with(key)
        if earlier:
            return 201, DossierOut.of(earlier)
        today = self.clock.today()
        named = self.store.batch(body.batch_id) if body.batch_id else None
        renews = self.store.certificate(body.renewal_of) if body.renewal_of else None
        dossier, events = dossiers.submit_dossier(
            new_or_keyed_id(key),
            product,
            **body.model_dump(exclude={"evidence"}),
            evidence=tuple(dossiers.Evidence(**item.model_dump()) for item in body.evidence),
            batches=[named] if named else self.store.open_batches(product.province_code, today),
            certificate=renews,
            earlier=self.store.dossiers_of(product_id),
            today=today,
        )
        stored = self.store.add_dossier(dossier, events, key)
        if stored is None:
            raise Conflict(
                f"product {product_id} has a dossier under evaluation", {"batch_id": "taken"}
            )
        return 201, DossierOut.of(stored)

    @api("GET", "/api/v1/dossiers/<dossier_id>", access=READ, response=DossierOut)
    def get_dossier(self, request: Request, dossier_id: str, caller: Caller) -> DossierOut:
        """A dossier by id, with why it was returned if it was."""
        dossier = self.store.dossier(dossier_id)
        if dossier is None:
            raise NotFound("dossier", dossier_id)
        self._product(dossier.product_id, caller)
        return DossierOut.of(dossier)

    def _product(self, product_id: str, caller: Caller) -> Product:
        """The product, if the caller reaches it (the service's other entrypoints use it too)."""
        product = self.store.product(product_id)
        if product is None:
            raise NotFound("product", product_id)
        caller.require(product.reach(), "this product")
        return product
