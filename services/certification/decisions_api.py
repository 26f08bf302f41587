"""Certification's entrypoints for the recognition step: proposals waiting for a decision, the
signed decisions officers record, revocation by decision, and the revocation reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from werkzeug.wrappers import Request

from services.certification import issuing
from services.certification.recognition import Decision, Revocation
from services.certification.schemas import (
    CertificateOut,
    DecisionIn,
    DecisionOut,
    ProposalOut,
    ProposalQuery,
    ReasonOut,
    RevokeIn,
    SignedDecisionIn,
)
from services.certification.storage import CertificationStore
from shared.access.caller import Caller, Reach
from shared.access.roles import CENTRAL_OFFICER, OFFICERS, PROVINCE_OFFICER, PUBLIC, allow
from shared.admin_units import province_title
from shared.errors import NotFound
from shared.events import DecisionDocument, Received, RecognitionDecided
from shared.idempotency import request_key
from shared.ids import new_id
from shared.messaging.handlers import on_event
from shared.web import api

DECIDERS = allow(PROVINCE_OFFICER, CENTRAL_OFFICER, scope="decisions:record")
READERS = allow(PROVINCE_OFFICER, CENTRAL_OFFICER, scope="certificates:read")


def authority(level: str, province_code: str | None) -> Reach:
    """Whose decision it is: a province's People's Committee, or the ministry."""
    return Reach(province=province_code, central=level == "central")


class DecisionsApi:
    store: CertificationStore
    clock: Any
    rules: Any
    keys: Any

    @on_event(RecognitionDecided)
    def carry_out_decision(self, event: Received[RecognitionDecided]) -> None:
        """A recorded decision's own event completes what a crash may have left undone."""
        decision = self.store.decision(event.data.decision_id)
        if decision is None:
            raise NotFound("decision", event.data.decision_id)  # retried, then parked
        issuing.carry_out(self.store, decision, self.rules, self.keys)

    @api(
        "GET", "/api/v1/proposals", access=READERS, query=ProposalQuery, response=list[ProposalOut]
    )
    def list_proposals(
        self, request: Request, query: ProposalQuery, caller: Caller
    ) -> list[ProposalOut]:
        """Council results waiting for (or given) the competent authority's decision, oldest
        first: what the next decision may recognise or revoke."""
        found = self.store.proposals(
            status=query.status, province_code=query.province_code, level=query.level
        )
        visible = caller.visible(found, lambda each: authority(each.level, each.province_code))
        return [ProposalOut.of(each) for each in visible]

    @api(
        "POST",
        "/api/v1/decisions",
        access=DECIDERS,
        idempotent=True,
        body=DecisionIn,
        response=DecisionOut,
        status=201,
    )
    def record_decision(
        self, request: Request, body: DecisionIn, caller: Caller
    ) -> tuple[int, DecisionOut]:
        """Record a signed decision covering one or many proposals (or, for a revocation,
        certificates named directly). Certificates are issued or renewed from it moments
        later (`certificates` in GET /api/v1/decisions/{id}), with its number and date and
        the 36 months counted from the day it was signed; a revocation is done at once."""
        caller.require(authority(body.level, body.province_code), "this authority's decision")
        decision = self._decision(
            body,
            kind=body.kind,
            level=body.level,
            province_code=body.province_code,
            evaluation_ids=tuple(body.evaluation_ids),
            revocations=tuple(Revocation(**each.model_dump()) for each in body.revocations),
            recorded_by=caller.actor(body.recorded_by),
        )
        stored = issuing.record_decision(
            self.store,
            decision,
            self.clock.today(),
            self.rules,
            self.keys,
            request_key(request, body, caller),
        )
        return 201, self._decision_out(stored)

    @api("GET", "/api/v1/decisions", access=READERS, response=list[DecisionOut])
    def list_decisions(self, request: Request, caller: Caller) -> list[DecisionOut]:
        """Recorded decisions the caller reaches, newest first."""
        reach = caller.narrowing(province="province_code")
        found = caller.visible(
            self.store.decisions(reach=reach),
            lambda each: authority(each.level, each.province_code),
        )
        return [self._decision_out(each) for each in found]

    @api("GET", "/api/v1/decisions/<decision_id>", access=READERS, response=DecisionOut)
    def get_decision(self, request: Request, decision_id: str, caller: Caller) -> DecisionOut:
        """A recorded decision and the certificates it made or ended."""
        decision = self.store.decision(decision_id)
        if decision is None:
            raise NotFound("decision", decision_id)
        caller.require(authority(decision.level, decision.province_code), "this decision")
        return self._decision_out(decision)

    @api(
        "POST",
        "/api/v1/certificates/<number>/revoke",
        idempotent=True,
        access=allow(*OFFICERS, scope="certificates:revoke"),
        body=RevokeIn,
        response=CertificateOut,
    )
    def revoke(
        self, request: Request, number: str, body: RevokeIn, caller: Caller
    ) -> CertificateOut:
        """Revoke a valid certificate by the competent authority's signed decision, for a
        reason code (GET /api/v1/revocation-reasons) and a note."""
        held = self.store.certificate(number)
        if held is None:
            raise NotFound("certificate", number)
        caller.require(held.reach(), "this certificate")
        caller.require(authority(held.level, held.province_code), "this authority's decision")
        decision = self._decision(
            body.decision,
            kind="revocation",
            level=held.level,
            province_code=held.province_code if held.level == "province" else None,
            revocations=(
                Revocation(
                    certificate_number=number, **body.model_dump(include={"reason_code", "note"})
                ),
            ),
            recorded_by=caller.actor(body.revoked_by),
        )
        issuing.record_decision(
            self.store,
            decision,
            self.clock.today(),
            self.rules,
            self.keys,
            request_key(request, body, caller),
        )
        revoked = self.store.certificate(number)
        assert revoked is not None
        return CertificateOut.of(revoked, self.clock.today())

    @api("GET", "/api/v1/revocation-reasons", access=PUBLIC, response=list[ReasonOut])
    def revocation_reasons(self, request: Request) -> list[ReasonOut]:
        """Why a certificate may be revoked: codes with their legal basis and source."""
        return [ReasonOut(**each.model_dump()) for each in self.rules.revocation_reasons.values()]

    def _decision(self, signed: SignedDecisionIn, **fields: Any) -> Decision:
        level, province = fields["level"], fields.get("province_code")
        body = self.rules.issuing_bodies[level].format(
            province=province_title(province) if province else ""
        )
        today: date = self.clock.today()
        return Decision(
            id=new_id(),
            number=signed.number,
            signed_on=signed.signed_on,
            signer=signed.signer,
            signer_title=signed.signer_title,
            issuing_body=body,
            document=DecisionDocument(**signed.document.model_dump()),
            recorded_on=today,
            **fields,
        )

    def _decision_out(self, decision: Decision) -> DecisionOut:
        made = self.store.numbers_of_decision(decision.id)
        return DecisionOut(**decision.model_dump(), certificates=made)
