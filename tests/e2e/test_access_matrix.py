"""Every route of the four services × every kind of caller, against the running platform.

The table (access_table.py) is the access policy written down independently of the code's
own declarations: for each route, who gets past the gate (any answer but 401 and 403, never a
5xx), and everyone else must be refused (401 without credentials, 403 with them). A route
missing from the table fails the test, so a new endpoint cannot go unchecked. The walk
prints the size of the matrix.
"""

from __future__ import annotations

import inspect

import pytest
import requests

from tests.e2e.access_table import (
    AUD,
    CEN,
    COM,
    INT,
    INT2,
    MEM,
    MEM9,
    OPS,
    PRD,
    PRD2,
    PRV,
    PRV2,
    SERVICES,
    Route,
    routes,
)
from tests.e2e.personas import known_to_importers, personas, seed
from tests.support.auth import bearer


@pytest.fixture(scope="module")
def world(platform, store_uri):
    http = requests.Session()
    http.headers.update(bearer(platform.key))
    records = seed(http, platform)
    known_to_importers(store_uri, records.unscored, records.producer)
    producer = http.get(f"{platform.api('registration')}/producers/{records.producer}").json()
    return records, personas(records, platform, store_uri), routes(records, producer)


def call(platform, route: Route, credential: str | None) -> requests.Response:
    if route.signs_in:
        form, headers = {"credential": credential or ""}, {}
    else:
        form, headers = route.form, bearer(credential) if credential else {}
    site = platform.urls[route.service]  # a page's form must say it comes from the site
    return requests.request(
        route.method,
        site + route.path,
        json=route.body,
        data=form,
        headers={**headers, "Origin": site},
        allow_redirects=False,
        timeout=30,
    )


def declared(platform) -> set[tuple[str, str, str]]:
    """Every operation in the four OpenAPI documents, and every page."""
    from services.certification.service import CertificationService
    from services.registration.service import RegistrationService
    from services.scoring.service import ScoringService
    from services.trade_promotion.service import TradePromotionService
    from shared.web.pages import Page

    found = {
        (service, method.upper(), path)
        for service in SERVICES
        for path, operations in requests.get(f"{platform.urls[service]}/openapi.json")
        .json()["paths"]
        .items()
        for method in operations
    }
    classes = (RegistrationService, ScoringService, CertificationService, TradePromotionService)
    for service_class in classes:  # the pages of the mixins too
        for _, member in inspect.getmembers(service_class, inspect.isfunction):
            for entrypoint in getattr(member, "nameko_entrypoints", ()):
                if isinstance(entrypoint, Page):
                    path = entrypoint.url.replace("<", "{").replace(">", "}")
                    found.add((service_class.name, entrypoint.method, path))
    return found


def test_every_route_admits_exactly_the_callers_the_policy_names(platform, world):
    _, credentials, table = world
    walked = {(r.service, r.method, r.template.split("?")[0]) for r in table}
    assert declared(platform) - walked == set(), "routes with no row in the access table"
    wrong, succeeded = [], set()
    for route in table:
        for persona, credential in credentials.items():
            status = call(platform, route, credential).status_code
            if status < 400 and route.method != "GET":  # a page's form answers 303
                succeeded.add((route.method, route.template, persona))
            admitted = status not in (401, 403)
            expected = 401 if credential is None else 403
            if (
                status >= 500
                or admitted != (persona in route.allowed)
                or (not admitted and status != expected)
            ):
                wrong.append(f"{route.method} {route.service}{route.path} as {persona}: {status}")
    cells = len(table) * len(credentials)
    admitted_cells = sum(len(route.allowed & credentials.keys()) for route in table)
    print(
        f"\naccess matrix: {len(table)} routes × {len(credentials)} callers = {cells} requests "
        f"({admitted_cells} admitted, {cells - admitted_cells} refused)"
    )
    assert wrong == [], "\n".join(wrong)
    # admitted is not only "not refused": these writes were carried out for these callers
    assert SUCCEEDS - succeeded == set()


# (method, route, caller): a write the walk must see succeed, one per kind of caller that
# writes, so that "admitted" is seen to mean "done" and not only "not 401 or 403"
SUCCEEDS = {
    ("POST", "/api/v1/producers", COM),
    ("POST", "/api/v1/products", PRD),
    ("POST", "/api/v1/batches", PRV),
    ("PUT", "/api/v1/products/{product_id}/subgroup", PRV),
    ("POST", "/api/v1/councils", PRV),
    ("POST", "/api/v1/evaluations/{evaluation_id}/assessment", COM),
    ("POST", "/api/v1/evaluations/{evaluation_id}/opening", PRV),
    ("POST", "/api/v1/imports/results", CEN),  # the central council's result
    ("POST", "/api/v1/imports/certificates", PRV),
    ("POST", "/api/v1/trade-fairs", PRV),
    ("POST", "/api/v1/sales-points", INT),
    ("POST", "/api/v1/invitations/{invitation_id}/accept", PRD),
    ("POST", "/api/v1/certificates/{number}/revoke", PRV),
    ("POST", "/api/v1/sweeps", OPS),
    ("POST", "/sign-in", MEM),
}


def listed(platform, service: str, path: str, credential: str) -> list[dict]:
    response = requests.get(f"{platform.api(service)}{path}", headers=bearer(credential))
    assert response.status_code == 200, response.text
    return response.json()


def test_lists_show_only_the_records_the_caller_reaches(platform, world):
    records, credentials, _ = world
    certificates = "/certificates"
    invitations = f"/trade-fairs/{records.fair}/invitations"
    rounds = "/evaluations"
    for persona in (PRD, PRV, INT, AUD):
        assert records.certificate in numbers(
            listed(platform, "certification", certificates, credentials[persona])
        ), persona
        assert records.invitation in ids(
            listed(platform, "trade_promotion", invitations, credentials[persona])
        ), persona
        assert records.open_round in ids(
            listed(platform, "scoring", rounds, credentials[persona])
        ), persona
    for persona in (PRD2, PRV2, INT2):
        assert records.certificate not in numbers(
            listed(platform, "certification", certificates, credentials[persona])
        ), persona
        assert records.invitation not in ids(
            listed(platform, "trade_promotion", invitations, credentials[persona])
        ), persona
        assert records.open_round not in ids(
            listed(platform, "scoring", rounds, credentials[persona])
        ), persona
    assert records.council in ids(listed(platform, "scoring", "/councils", credentials[MEM]))
    assert records.council not in ids(listed(platform, "scoring", "/councils", credentials[MEM9]))
    assert records.council not in ids(listed(platform, "scoring", "/councils", credentials[PRV2]))


def numbers(found: list[dict]) -> set[str]:
    return {each["number"] for each in found}


def ids(found: list[dict]) -> set[str]:
    return {each["id"] for each in found}


def test_every_write_is_in_the_audit_trail_with_its_caller(platform, world):
    """After the walk: each attempt to register a producer, refused or not, names its
    caller (the token's subject, or the API key's client and id)."""
    _, credentials, _ = world
    trail = requests.get(
        f"{platform.urls['registration']}/admin/audit",
        params={"limit": 1000},
        headers=bearer(credentials[AUD]),
    ).json()
    producers = [e for e in trail if e["route"] == "/api/v1/producers"]
    by_subject = {(e["caller"] or {}).get("subject"): e["status"] for e in producers}
    assert by_subject["o"] == 201 and by_subject["c"] == 201  # the province, the commune
    assert by_subject["o2"] == 403 and by_subject["a"] == 403  # another province, the auditor
    assert None in by_subject and by_subject[None] == 401  # no credentials: still recorded
    keys = {
        e["caller"]["key_id"]: e["status"]
        for e in producers
        if e["caller"] and e["caller"]["subject"] == "matrix"  # the integrators' keys
    }
    assert sorted(keys.values()) == [201, 403, 403]  # its province; elsewhere; no scope
    assert all(e["correlation_id"] and e["at"] for e in producers)


def test_a_signed_in_person_is_recorded_as_themselves_whatever_the_body_says(platform, world):
    """The walk's commune officer (token subject `c`) assessed the open round with a body
    naming `xa-quang-khe`; the round records `c`."""
    records, credentials, _ = world
    round_ = requests.get(
        f"{platform.api('scoring')}/evaluations/{records.open_round}",
        headers=bearer(credentials[AUD]),
        timeout=10,
    ).json()
    assert round_["assessment"]["officer_id"] == "c"
