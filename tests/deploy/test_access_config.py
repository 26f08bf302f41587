"""What production is given about access: the sign-in service's public key from a Secret,
API keys in the access database, no development key anywhere, no write endpoint open."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml

from deploy.manifests import ISSUERS_DIR, TOKEN_ISSUERS_SECRET, k8s_name
from deploy.topology import SERVICES
from shared.web.openapi import document
from tests.deploy.conftest import K8S

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = [*sorted((ROOT / "deploy").rglob("*.yaml")), *sorted((ROOT / "deploy").rglob("*.json"))]
CONFIGS = sorted((ROOT / "services").glob("*/config.yml"))
API_KEY = re.compile(r"ocop_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}")
WRITES = {"post", "put", "patch", "delete"}


def service_classes() -> list[type]:
    from services.certification.service import CertificationService
    from services.registration.service import RegistrationService
    from services.scoring.service import ScoringService
    from services.trade_promotion.service import TradePromotionService

    return [RegistrationService, ScoringService, CertificationService, TradePromotionService]


@pytest.mark.parametrize("path", DEPLOYED + CONFIGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_deployment_file_carries_an_api_key_or_the_development_key(path):
    text = path.read_text()
    assert not API_KEY.search(text)
    assert "dev-api-key" not in text


@pytest.mark.parametrize("service_class", service_classes(), ids=lambda c: c.name)
def test_no_write_endpoint_is_open(service_class):
    operations = [
        (method, path, operation)
        for path, methods in document(service_class)["paths"].items()
        for method, operation in methods.items()
    ]
    open_writes = [
        f"{method.upper()} {path}"
        for method, path, operation in operations
        if method in WRITES and operation["security"] == []
    ]
    assert operations and open_writes == []
    public = [path for method, path, op in operations if op["security"] == []]
    assert "/health/ready" in public  # the check can tell open from closed


@pytest.mark.parametrize("service_class", service_classes(), ids=lambda c: c.name)
def test_no_page_that_takes_a_form_is_open(service_class):
    from shared.web.pages import Page

    pages = [
        entrypoint
        for _, function in inspect.getmembers(service_class, inspect.isfunction)
        for entrypoint in getattr(function, "nameko_entrypoints", ())
        if isinstance(entrypoint, Page)
    ]
    assert [f"{p.method} {p.url}" for p in pages if p.method != "GET" and p.access.public] == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_checks_tokens_against_the_mounted_issuer_key(service):
    documents = list(yaml.safe_load_all((K8S / f"{k8s_name(service)}.yaml").read_text()))
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    pod = next(d for d in documents if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert config["AUTH_JWT_PUBLIC_KEYS"] == f"{ISSUERS_DIR}/issuer.pem"
    assert config["ACCESS_DB"] == "ocop_access"
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["token-issuers"]["secret"]["secretName"] == TOKEN_ISSUERS_SECRET
    mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["token-issuers"] == {
        "name": "token-issuers",
        "mountPath": ISSUERS_DIR,
        "readOnly": True,
    }


def test_compose_gives_every_service_the_issuer_key():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    for service in SERVICES:
        settings = compose["services"][service]
        assert settings["environment"]["AUTH_JWT_PUBLIC_KEYS"] == "/run/ocop/issuers/issuer.pem"
        assert "./issuers:/run/ocop/issuers:ro" in settings["volumes"]
