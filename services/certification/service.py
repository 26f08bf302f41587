"""Certification service: certificates issued, renewed, swept and revoked; verification."""

from __future__ import annotations

from nameko.timer import timer
from werkzeug.wrappers import Request, Response

from services.certification import domain, issuing
from services.certification.certificate import Certificate
from services.certification.decisions_api import DecisionsApi
from services.certification.keys import keys_from_config
from services.certification.pdf import render_certificate
from services.certification.rules import rules_from_config
from services.certification.schemas import (
    CertificateOut,
    CertificateQuery,
    ImportedCertificateIn,
    KeyOut,
    KeysOut,
    SweepOut,
    VerifyQuery,
)
from services.certification.signing import public_key_text, verification_url
from services.certification.storage import CertificationStore
from services.certification.verification import Verification, province_label, verify
from shared import origin
from shared.access.caller import Caller, Reach
from shared.access.roles import (
    CENTRAL_OFFICER,
    OFFICERS,
    OPERATOR,
    PRODUCER,
    PUBLIC,
    allow,
)
from shared.admin_units import province_title
from shared.clock import clock_from_config
from shared.errors import NotFound
from shared.events import (
    ProducerIdentified,
    ProductNotRanked,
    ProductRanked,
    ProductRegistered,
    Received,
)
from shared.idempotency import request_key
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api, parse_query
from shared.web.operations import Operations
from shared.web.pages import html, page
from shared.web.templates import templates_in

SWEEP_SECONDS = 3600
READ = allow(PRODUCER, *OFFICERS, scope="certificates:read")


class CertificationService(DecisionsApi, Operations):
    """OCOP certificates: proposed, recognised by recorded decisions, renewed, expired,
    revoked; signed; verifiable by anyone."""

    name = "certification"

    store: CertificationStore = Storage(CertificationStore)
    clock = Loaded(clock_from_config)
    rules = Loaded(rules_from_config)
    keys = Loaded(keys_from_config)
    templates = Loaded(templates_in(__file__))
    base_url = Loaded(lambda config: str(config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8003"))

    @on_event(ProductRanked)
    def record_ranking(self, event: Received[ProductRanked]) -> None:
        """A ranked result waits as a proposal for the competent authority's decision."""
        issuing.propose_recognition(self.store, event.data, self.rules)

    @on_event(ProductNotRanked)
    def record_failed_re_evaluation(self, event: Received[ProductNotRanked]) -> None:
        """A re-evaluation that ended unranked proposes the end of its certificate."""
        issuing.propose_revocation(self.store, event.data, self.clock.today())

    @on_event(ProducerIdentified)
    def remember_producer(self, event: Received[ProducerIdentified]) -> None:
        """Who the producer is, to print on its certificates (from the exchange for personal
        data, which certification may read)."""
        producer = event.data
        self.store.remember_producer(
            producer.producer_id, producer.name, producer.kind, producer.province_code
        )

    @on_event(ProductRegistered)
    def remember_product(self, event: Received[ProductRegistered]) -> None:
        """What an import is checked against: the product's producer and place."""
        product = event.data
        self.store.remember_product(
            product.product_id, product.producer_id, product.province_code, product.ward_code
        )

    @timer(interval=SWEEP_SECONDS)
    def daily_sweep(self) -> None:
        issuing.sweep(self.store, self.clock.today(), self.rules)

    @api("POST", "/api/v1/sweeps", access=allow(OPERATOR, CENTRAL_OFFICER), response=SweepOut)
    def sweep_now(self, request: Request) -> dict:
        """Run the daily sweep now: renewal notices 30 days ahead, expiry after the last day."""
        return {"changed": issuing.sweep(self.store, self.clock.today(), self.rules)}

    @api(
        "GET",
        "/api/v1/certificates",
        access=READ,
        query=CertificateQuery,
        response=list[CertificateOut],
    )
    def list_certificates(
        self, request: Request, query: CertificateQuery, caller: Caller
    ) -> list[CertificateOut]:
        """Certificates the caller reaches, newest first, of one product or all."""
        today = self.clock.today()
        reach = caller.narrowing(province="province_code", producer="producer_id")
        stored = self.store.certificates(query.product_id, reach=reach)
        found = caller.visible(stored, lambda c: c.reach())
        return [CertificateOut.of(each, today) for each in found]

    @api("GET", "/api/v1/certificates/<number>", access=READ, response=CertificateOut)
    def get_certificate(self, request: Request, number: str, caller: Caller) -> CertificateOut:
        """A certificate by number."""
        return CertificateOut.of(self._certificate(number, caller), self.clock.today())

    @api("GET", "/api/v1/certificates/<number>.pdf", access=READ, produces="application/pdf")
    def certificate_pdf(self, request: Request, number: str, caller: Caller) -> Response:
        """The printable certificate, with a QR code of its verification URL and signature."""
        certificate = self._certificate(number, caller)
        facts = {**certificate.facts(), "province_name": province_label(certificate.province_code)}
        pdf = render_certificate(
            facts, verification_url(self.base_url, number, certificate.payload)
        )
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{number}.pdf"'},
        )

    @api(
        "GET",
        "/api/v1/certificates/<number>/verification",
        access=PUBLIC,
        query=VerifyQuery,
        response=Verification,
    )
    def verification(self, request: Request, number: str, query: VerifyQuery) -> Verification:
        """Status and public facts of a certificate; with `q`, whether a printout is genuine."""
        return self._verify(number, query.q)

    @api(
        "POST",
        "/api/v1/imports/certificates",
        idempotent=True,
        access=allow(*OFFICERS, scope="certificates:import"),
        body=ImportedCertificateIn,
        response=CertificateOut,
        status=201,
    )
    def import_certificate(
        self, request: Request, body: ImportedCertificateIn, caller: Caller
    ) -> tuple[int, CertificateOut]:
        """Load a certificate from a province's records, with its own number, dates and level;
        send an `Idempotency-Key` so that a resumed import stores nothing twice."""
        today = self.clock.today()
        level = "central" if body.level == "central" else "province"
        caller.require(Reach(province=body.province_code, central=level == "central"), "it")
        origin.check(
            body, self.store.product(body.product_id), self.store.producer(body.producer_id)
        )
        certificate, events = domain.import_certificate(
            body.model_dump(),
            province_title(body.province_code),
            today,
            self.rules,
            issuing.signer(self.keys, level),
        )
        stored = self.store.add_imported(certificate, events, request_key(request, body, caller))
        return 201, CertificateOut.of(stored, today)

    @api("GET", "/api/v1/keys", access=PUBLIC, response=KeysOut)
    def published_keys(self, request: Request) -> KeysOut:
        """The issuing levels' public keys, to check signatures offline."""
        keys = self.keys.public_keys()
        return KeysOut(
            keys=[
                KeyOut(kid=kid, level=level, public_key=public_key_text(key))
                for kid, (level, key) in keys.items()
            ]
        )

    @page("GET", "/verify/<number>", access=PUBLIC)
    def verify_page(self, request: Request, number: str) -> Response:
        query = parse_query(request, VerifyQuery)
        result = self._verify(number, query.q)
        if query.format == "json" or "application/json" in request.headers.get("Accept", ""):
            return Response(result.model_dump_json(), mimetype="application/json")
        return html(self.templates.get_template("verify.html").render(result=result))

    def _certificate(self, number: str, caller: Caller) -> Certificate:
        certificate = self.store.certificate(number)
        if certificate is None:
            raise NotFound("certificate", number)
        caller.require(certificate.reach(), "this certificate")
        return certificate

    def _verify(self, number: str, payload: str | None) -> Verification:
        keys = {kid: key for kid, (_, key) in self.keys.public_keys().items()}
        return verify(number, self.store.certificate(number), self.clock.today(), payload, keys)
