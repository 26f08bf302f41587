"""The access policy as a table, written independently of the code's own declarations:
for each route of the four services, which kinds of caller get past the gate.
(tests/e2e/test_access_matrix.py walks it.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.clock import VIETNAM
from tests.e2e.personas import (
    HOME,
    MEMBER,
    Records,
    council_body,
    fair_body,
    sales_point_body,
)
from tests.e2e.test_happy_path import SHA
from tests.support.assessment import assessment, opening
from tests.support.batches import batch_body

SERVICES = ("registration", "scoring", "certification", "trade_promotion")
PRD, PRD2 = "producer", "another producer"
COM, COM2 = "commune officer", "another commune's officer"
PRV, PRV2 = "province officer", "another province's officer"
MEM, MEM9 = "council member", "member of no such council"
CEN, AUD, OPS = "central officer", "auditor", "operator"
INT, INT2, INT0 = "integrator", "integrator elsewhere", "integrator without scopes"
ANONYMOUS = "anonymous"
EVERYONE = {ANONYMOUS, PRD, PRD2, COM, COM2, PRV, PRV2, MEM, MEM9, CEN, INT, INT2, INT0, AUD, OPS}
# who reads a producer's records in its own province and ward
OWNERS = {PRD, COM, PRV, CEN, INT, AUD}


@dataclass(frozen=True)
class Route:
    service: str
    method: str
    template: str  # as in the service's OpenAPI document, or a page's URL
    allowed: frozenset[str]
    path: str = ""  # the template filled in (records are known only at run time)
    body: Any = None
    form: dict | None = None
    signs_in: bool = False  # the credential goes in the sign-in form, not a header


def next_years_batch() -> dict:
    year = date.today().year + 1
    return batch_body(
        HOME, date(year, 1, 1), number=7, opens_on=f"{year}-01-01", closes_on=f"{year}-01-31"
    )


# fmt: off
def routes(r: Records, producer: dict) -> list[Route]:
    """The policy. Writes come after reads of the same record, and the ones that end a
    record's life (decline, revoke) last."""

    def route(service, method, template, allowed, body=None, form=None, **values):
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        signs_in = template == "/sign-in" and method == "POST"
        return Route(service, method, template, frozenset(allowed), path, body, form, signs_in)

    reg, sco, cer, tra = SERVICES
    ev = "/api/v1/evaluations/{evaluation_id}"
    fairs, points = "/api/v1/trade-fairs", "/api/v1/sales-points"
    open_round, closed_round = {"evaluation_id": r.open_round}, {"evaluation_id": r.closed_round}
    evidence = [{"kind": "label", "filename": "nhan.pdf", "sha256": SHA}]
    household = {"name": "Hộ Chè Quảng Khê", "kind": "household", "women_led": False,
                 "address": {"province_code": HOME, "ward_code": r.ward}}
    assessed = {**assessment(), "officer_id": "xa-quang-khe"}  # the commune proposes it
    past = {"product_id": r.unscored, "producer_id": r.producer, "product_name": "Chè",
            "group": "food", "province_code": HOME, "total": 61.5, "stars": 3}
    result = {**past, "code": "KQ-MATRIX-1", "criteria_set": "148-2023",
              "scored_at_level": "district", "evaluated_on": "2024-09-12"}
    certificate = {**past, "number": "19-MATRIX-001", "level": "district",
                   "issued_on": "2024-10-01", "expires_on": "2027-09-30",
                   "decision_number": "1/QĐ-UBND"}
    signed = {"number": "MATRIX/QĐ-UBND", "signed_on": str(datetime.now(VIETNAM).date()),
              "signer": "A", "document": {"url": "https://example.gov.vn/qd.pdf"}}
    revocation = {"revoked_by": "o", "reason_code": "false_declaration",
                  "note": "Kiểm thử quyền truy cập", "decision": signed}
    # names no proposal: the gate lets the decider through to a 422
    decision = {**signed, "level": "province", "province_code": HOME, "evaluation_ids": ["none"]}
    public_trade = ("/api/v1/catalogue", "/api/v1/map.geojson", "/api/v1/feed.json",
                    "/api/v1/feed.csv", "/api/v1/stats", fairs, points, "/catalogue", "/map",
                    "/stats")
    operations = ("/health", "/health/ready", "/health/live", "/metrics", "/openapi.json", "/docs")
    return [
        route(reg, "POST", "/api/v1/producers", {COM, PRV, INT}, household),
        route(reg, "GET", "/api/v1/producers/{producer_id}", OWNERS, producer_id=r.producer),
        route(reg, "POST", "/api/v1/products", {PRD, COM, PRV, INT},
              {"producer_id": r.producer, "name": "Chè vàng", "group": "food",
               "subgroup": "che-tuoi-che-che-bien"}),
        route(reg, "GET", "/api/v1/products/{product_id}", OWNERS, product_id=r.product),
        # a product's sub-group names the sheet it is scored on: officers set it, the
        # province's in its province, the central office anywhere; a system for a province
        route(reg, "PUT", "/api/v1/products/{product_id}/subgroup", {PRV, CEN, INT},
              {"subgroup": "che-tuoi-che-che-bien"}, product_id=r.unscored),
        route(reg, "POST", "/api/v1/products/{product_id}/dossiers", {PRD, COM, PRV, INT},
              {"batch_id": r.batch, "year": date.today().year, "evidence": evidence},
              product_id=r.product),
        route(reg, "GET", "/api/v1/dossiers/{dossier_id}", OWNERS, dossier_id=r.dossier),
        # a province announces its batches in public; its officers and systems open them
        # (next year's, so that this year's stays the only one open for the other tests)
        route(reg, "POST", "/api/v1/batches", {PRV, INT}, next_years_batch()),
        route(reg, "GET", "/api/v1/batches", EVERYONE),
        route(reg, "GET", "/api/v1/batches/{batch_id}", EVERYONE, batch_id=r.batch),

        route(sco, "GET", "/api/v1/criteria", EVERYONE),
        route(sco, "GET", "/api/v1/criteria/{criteria_set}", EVERYONE, criteria_set="148-2023"),
        route(sco, "GET", "/criteria", EVERYONE),  # which product sets have a sheet in use
        route(sco, "POST", "/api/v1/councils", {PRV, INT}, council_body()),
        route(sco, "GET", "/api/v1/councils", {PRV, PRV2, CEN, MEM, MEM9, INT, INT2, AUD}),
        route(sco, "GET", "/api/v1/councils/{council_id}", {PRV, CEN, MEM, INT, AUD},
              council_id=r.council),
        route(sco, "GET", "/api/v1/evaluations", EVERYONE - {ANONYMOUS, INT0, OPS}),
        route(sco, "GET", ev, OWNERS | {MEM}, **open_round),
        route(sco, "GET", f"{ev}/sheet", OWNERS | {MEM}, **open_round),
        route(sco, "GET", f"{ev}/audit", {AUD}, **open_round),  # totals stay private till close
        route(sco, "POST", f"{ev}/assessment", {COM, INT}, assessed, **open_round),
        route(sco, "POST", f"{ev}/opening", {PRV, INT}, opening(), **open_round),
        route(sco, "POST", f"{ev}/scoresheets", {MEM}, {"member_id": MEMBER, "answers": {}},
              **open_round),
        # before close a member's sheet is theirs alone, whoever else asks
        route(sco, "GET", f"{ev}/scoresheets?member_id={MEMBER}", {MEM, AUD}, **open_round),
        route(sco, "GET", f"{ev}/scoresheets?member_id=member-1", {AUD}, **open_round),
        route(sco, "GET", f"{ev}/scoresheets", {PRV, CEN, MEM, AUD}, **closed_round),
        route(sco, "GET", f"{ev}/audit", {PRV, CEN, MEM, AUD}, **closed_round),
        route(sco, "POST", f"{ev}/close", {PRV, INT}, {"closed_by": "o"}, **open_round),
        route(sco, "POST", "/api/v1/imports/results", {PRV, INT}, result),
        # the central council's business: the central office only, not the province's
        route(sco, "POST", "/api/v1/imports/results", {CEN},
              {**result, "code": "KQ-MATRIX-TW", "scored_at_level": "central", "stars": 5,
               "total": 93.0}),
        route(sco, "GET", "/sign-in", EVERYONE),
        route(sco, "POST", "/sign-in", {MEM, MEM9}),
        route(sco, "POST", "/sign-out", {MEM, MEM9}, form={}),
        route(sco, "GET", "/score", {MEM, MEM9}),
        route(sco, "GET", "/score/{evaluation_id}", {MEM}, **open_round),
        route(sco, "POST", "/score/{evaluation_id}", {MEM}, form={}, **open_round),

        route(cer, "GET", "/api/v1/certificates", {PRD, PRD2, PRV, PRV2, CEN, INT, INT2, AUD}),
        route(cer, "GET", "/api/v1/certificates/{number}", {PRD, PRV, CEN, INT, AUD},
              number=r.certificate),
        route(cer, "GET", "/api/v1/certificates/{number}.pdf", {PRD, PRV, CEN, INT, AUD},
              number=r.certificate),
        route(cer, "GET", "/api/v1/certificates/{number}/verification", EVERYONE,
              number=r.certificate),
        route(cer, "GET", "/verify/{number}", EVERYONE, number=r.certificate),
        route(cer, "GET", "/api/v1/keys", EVERYONE),
        route(cer, "POST", "/api/v1/sweeps", {CEN, OPS}),
        route(cer, "POST", "/api/v1/imports/certificates", {PRV, INT}, certificate),
        route(cer, "GET", "/api/v1/proposals", {PRV, PRV2, CEN, INT, INT2, AUD}),
        route(cer, "GET", "/api/v1/decisions", {PRV, PRV2, CEN, INT, INT2, AUD}),
        route(cer, "GET", "/api/v1/decisions/{decision_id}", {PRV, CEN, INT, AUD},
              decision_id=r.decision),
        route(cer, "POST", "/api/v1/decisions", {PRV, INT}, decision),
        route(cer, "GET", "/api/v1/revocation-reasons", EVERYONE),

        *[route(tra, "GET", path, EVERYONE) for path in public_trade],
        route(tra, "GET", "/api/v1/catalogue/{product_id}", EVERYONE, product_id=r.product),
        route(tra, "GET", "/products/{product_id}", EVERYONE, product_id=r.product),
        route(tra, "POST", fairs, {PRV, INT}, fair_body()),
        route(tra, "GET", fairs + "/{fair_id}", EVERYONE, fair_id=r.fair),
        route(tra, "GET", fairs + "/{fair_id}/invitations",
              {PRD, PRD2, PRV, PRV2, CEN, INT, INT2, AUD}, fair_id=r.fair),
        route(tra, "GET", fairs + "/{fair_id}/exhibitors.csv", {PRV, CEN, INT, AUD},
              fair_id=r.fair),
        route(tra, "POST", "/api/v1/invitations/{invitation_id}/accept", {PRD, PRV, INT},
              invitation_id=r.invitation),
        route(tra, "POST", points, {PRV, INT}, sales_point_body(producer)),
        route(tra, "GET", points + "/{point_id}", EVERYONE, point_id=r.sales_point),
        route(tra, "POST", points + "/{point_id}/products", {PRV, INT},
              {"product_id": r.product}, point_id=r.sales_point),
        route(tra, "DELETE", points + "/{point_id}/products/{product_id}", {PRV, INT},
              point_id=r.sales_point, product_id=r.product),
        route(tra, "POST", "/api/v1/invitations/{invitation_id}/decline", {PRD, PRV, INT},
              invitation_id=r.invitation),
        route(cer, "POST", "/api/v1/certificates/{number}/revoke", {PRV, INT}, revocation,
              number=r.certificate),

        *[each for service in SERVICES for each in (
            *[route(service, "GET", path, EVERYONE) for path in operations],
            route(service, "GET", "/admin/parked", {OPS, AUD}),
            route(service, "GET", "/admin/audit", {OPS, AUD}),
            *[route(service, "POST", path, {OPS}, {})
              for path in ("/admin/replay", "/admin/parked/replay", "/admin/parked/drop")],
        )],
    ]
# fmt: on
