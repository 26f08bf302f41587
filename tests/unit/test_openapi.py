"""Each service's OpenAPI document is generated from its declared models and is valid 3.1."""

import pytest
from openapi_spec_validator import validate

from services.certification.service import CertificationService
from services.registration.service import RegistrationService
from services.scoring.service import ScoringService
from services.trade_promotion.service import TradePromotionService
from shared.web.openapi import document, entrypoints

SERVICES = [RegistrationService, ScoringService, CertificationService, TradePromotionService]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_every_route_is_documented_and_the_document_is_valid_openapi_3_1(service):
    doc = document(service)
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    documented = {
        (method.upper(), path) for path, methods in doc["paths"].items() for method in methods
    }
    routes = {
        (e.method, e.url.replace("<", "{").replace(">", "}")) for _, e in entrypoints(service)
    }
    assert documented == routes
    assert ("GET", "/health") in documented and ("GET", "/openapi.json") in documented
    for path, methods in doc["paths"].items():
        for operation in methods.values():
            assert operation["summary"], f"{path} has no summary (a docstring)"


def test_request_and_response_models_are_the_declared_ones():
    doc = document(RegistrationService)
    post = doc["paths"]["/api/v1/producers"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProducerIn"
    }
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProducerOut"
    }
    assert post["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert set(doc["components"]["schemas"]["ProducerIn"]["required"]) == {
        "name",
        "kind",
        "women_led",
    }
    dossier = doc["paths"]["/api/v1/products/{product_id}/dossiers"]["post"]
    assert dossier["parameters"][0] == {
        "name": "product_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }


def test_query_models_become_query_parameters():
    doc = document(TradePromotionService)
    names = {p["name"] for p in doc["paths"]["/api/v1/catalogue"]["get"]["parameters"]}
    assert {"q", "group", "province_code", "min_stars", "sort", "cursor", "limit"} <= names
    pdf = document(CertificationService)["paths"]["/api/v1/certificates/{number}.pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]


def test_the_creations_that_honour_an_idempotency_key_declare_it():
    declaring = {
        (service.name, path)
        for service in SERVICES
        for path, methods in document(service)["paths"].items()
        for operation in methods.values()
        if "Idempotency-Key" in {p["name"] for p in operation.get("parameters", [])}
    }
    assert declaring == {
        ("registration", "/api/v1/producers"),
        ("registration", "/api/v1/products"),
        ("registration", "/api/v1/batches"),
        ("registration", "/api/v1/products/{product_id}/dossiers"),
        ("registration", "/api/v1/products/{product_id}/subgroup"),
        ("certification", "/api/v1/decisions"),
        ("certification", "/api/v1/certificates/{number}/revoke"),
        ("scoring", "/api/v1/imports/results"),
        ("certification", "/api/v1/imports/certificates"),
    }


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_every_operation_documents_the_malformed_request_answers(service):
    """400 (the front check) on every operation; 411 where a body is taken."""
    for methods in document(service)["paths"].values():
        for operation in methods.values():
            codes = set(operation["responses"])
            assert "400" in codes
            assert ("411" in codes) == ("requestBody" in operation)
