"""deploy/k8s: every manifest is valid for Kubernetes (the schemas bundled by the
kubernetes-validate package, strict: an unknown field is an error) or, for KEDA's
resources, for the schema in keda-v1alpha1.schema.json; and each service is wired as
the platform needs (configuration, broker secret, probes, resources, scraping)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from deploy.manifests import BROKER_SECRET, KEDA_AUTHENTICATION, TOKEN_ISSUERS_SECRET, k8s_name
from deploy.topology import SERVICES
from shared.devstack.processes import service_path
from tests.deploy.conftest import K8S
from tests.deploy.service_settings import settings_of

KUBERNETES_VERSION = "1.30"
KEDA_SCHEMA = json.loads((Path(__file__).parent / "keda-v1alpha1.schema.json").read_text())
HELPERS = {"BROKER_ADDRESS", "BROKER_VHOST", "BROKER_PASSWORD"}  # only to build AMQP_URI


def validate(document: dict) -> None:
    if document["apiVersion"].startswith("keda.sh/"):
        jsonschema.Draft202012Validator(KEDA_SCHEMA).validate(document)
    else:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def documents_of(k8s_documents: dict, kind: str) -> list[dict]:
    return [
        document
        for name, documents in k8s_documents.items()
        if name != "kustomization.yaml"
        for document in documents
        if document["kind"] == kind
    ]


def by_service(k8s_documents: dict, service: str, kind: str) -> dict:
    (document,) = [d for d in k8s_documents[f"{k8s_name(service)}.yaml"] if d["kind"] == kind]
    return document


def test_every_manifest_validates(k8s_documents):
    checked = 0
    for name, documents in k8s_documents.items():
        if name == "kustomization.yaml":
            continue
        for document in documents:
            validate(document)
            checked += 1
    assert checked >= 4 * 3 + 3 + 3  # services' objects, ScaledObjects, shared objects


def test_validation_rejects_what_kubernetes_would(k8s_documents):
    """The validators themselves can fail: a misspelt field, a KEDA trigger with no queue."""
    deployment = copy.deepcopy(by_service(k8s_documents, "scoring", "Deployment"))
    deployment["spec"]["replica"] = 2
    with pytest.raises(jsonschema.ValidationError):
        validate(deployment)
    scaled = copy.deepcopy(by_service(k8s_documents, "scoring", "ScaledObject"))
    del scaled["spec"]["triggers"][0]["metadata"]["queueName"]
    with pytest.raises(jsonschema.ValidationError):
        validate(scaled)
    scaled = copy.deepcopy(by_service(k8s_documents, "scoring", "ScaledObject"))
    scaled["spec"]["minReplicas"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate(scaled)


def test_the_keda_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(KEDA_SCHEMA)


def test_kustomization_lists_every_manifest_but_the_secret_template(k8s_documents):
    (kustomization,) = k8s_documents["kustomization.yaml"]
    assert kustomization["namespace"] == "ocop"
    expected = set(k8s_documents) - {"kustomization.yaml", "secret.template.yaml"}
    assert set(kustomization["resources"]) == expected


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl (kustomize) is not installed")
def test_kustomize_builds_valid_manifests_all_in_the_namespace():
    built = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    documents = [document for document in yaml.safe_load_all(built) if document]
    for document in documents:
        validate(document)
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == "ocop"
    kinds = [document["kind"] for document in documents]
    assert kinds.count("Deployment") == len(SERVICES)
    assert kinds.count("ScaledObject") == 4  # every service consumes events since issue 17


def test_secret_template_only_holds_marked_placeholders(k8s_documents):
    secrets = k8s_documents["secret.template.yaml"]
    names = {secret["metadata"]["name"] for secret in secrets}
    assert {BROKER_SECRET, KEDA_AUTHENTICATION, "ocop-signing-keys", TOKEN_ISSUERS_SECRET} == names
    for secret in secrets:
        validate(secret)
        for value in secret["stringData"].values():
            assert "CHANGE-ME" in value
    (broker,) = [s for s in secrets if s["metadata"]["name"] == BROKER_SECRET]
    assert set(broker["stringData"]) == set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_service_deployment(k8s_documents, service):
    deployment = by_service(k8s_documents, service, "Deployment")
    config_map = by_service(k8s_documents, service, "ConfigMap")
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    port = SERVICES[service]

    assert container["command"][-1] == service_path(service)
    assert container["envFrom"] == [{"configMapRef": {"name": config_map["metadata"]["name"]}}]
    settings = set(config_map["data"]) | {env["name"] for env in container["env"]}
    assert settings - HELPERS <= settings_of(service), "a name the service never reads"
    assert config_map["data"]["LOG_FORMAT"] == "json"
    assert config_map["data"][f"{service.upper()}_HTTP"] == f"0.0.0.0:{port}"

    password = next(env for env in container["env"] if env["name"] == "BROKER_PASSWORD")
    assert password["valueFrom"]["secretKeyRef"] == {"name": BROKER_SECRET, "key": service}
    uri = next(env for env in container["env"] if env["name"] == "AMQP_URI")["value"]
    assert uri.startswith(f"pyamqp://{service}:$(BROKER_PASSWORD)@")

    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert set(container["resources"]) == {"requests", "limits"}
    assert pod["metadata"]["annotations"] == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(port),
        "prometheus.io/path": "/metrics",
    }
    service_object = by_service(k8s_documents, service, "Service")
    assert service_object["spec"]["selector"] == pod["metadata"]["labels"]


def test_keda_scales_the_consumers_on_their_queues_with_the_shared_authentication(
    k8s_documents,
):
    (authentication,) = documents_of(k8s_documents, "TriggerAuthentication")
    assert authentication["metadata"]["name"] == KEDA_AUTHENTICATION
    scaled = documents_of(k8s_documents, "ScaledObject")
    assert {document["spec"]["scaleTargetRef"]["name"] for document in scaled} == {
        "registration",
        "scoring",
        "certification",
        "trade-promotion",
    }
    for document in scaled:
        assert document["spec"]["minReplicaCount"] >= 1  # the pods also serve HTTP
        for trigger in document["spec"]["triggers"]:
            assert trigger["type"] == "rabbitmq"
            assert trigger["metadata"]["mode"] == "QueueLength"
            assert trigger["metadata"]["vhostName"] == "ocop"
            assert trigger["authenticationRef"] == {"name": KEDA_AUTHENTICATION}
