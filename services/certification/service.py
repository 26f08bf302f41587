"""Certification service: issues certificates on rankings; lists them over HTTP."""

from __future__ import annotations

from werkzeug.wrappers import Request

from services.certification import domain
from services.certification.rules import rules_from_config
from services.certification.schemas import CertificateOut, CertificateQuery
from services.certification.storage import CertificationStore
from shared.clock import clock_from_config
from shared.errors import NotFound
from shared.events import ProductRanked, Received
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api, health_response, parse_query


class CertificationService:
    name = "certification"

    store: CertificationStore = Storage(CertificationStore)
    clock = Loaded(clock_from_config)
    rules = Loaded(rules_from_config)

    @on_event(ProductRanked)
    def issue_certificate(self, event: Received[ProductRanked]) -> None:
        ranked = event.data
        if not domain.recognises(ranked, self.rules) or self.store.issued_for(ranked.evaluation_id):
            return
        today = self.clock.today()
        issuer = domain.issuer(ranked, self.rules)
        number = domain.certificate_number(
            issuer, today.year, self.store.next_sequence(issuer, today.year), self.rules
        )
        certificate, events = domain.issue_certificate(ranked, number, today, self.rules)
        self.store.add_certificate(certificate, events)

    @api("GET", "/api/v1/certificates")
    def list_certificates(self, request: Request) -> list[CertificateOut]:
        query = parse_query(request, CertificateQuery)
        return [CertificateOut.of(each) for each in self.store.certificates(query.product_id)]

    @api("GET", "/api/v1/certificates/<number>")
    def get_certificate(self, request: Request, number: str) -> CertificateOut:
        certificate = self.store.certificate(number)
        if certificate is None:
            raise NotFound("certificate", number)
        return CertificateOut.of(certificate)

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        return health_response(self.store.probe)
