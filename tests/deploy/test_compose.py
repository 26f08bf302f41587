"""deploy/compose.yaml and the image it builds: every part of the platform is there, and
each service is configured through the environment names its config.yml reads."""

from __future__ import annotations

import re

import pytest

from deploy.topology import SERVICES, service_class
from shared.devstack.processes import service_path
from tests.deploy.conftest import DEPLOY
from tests.deploy.service_settings import settings_of

INFRASTRUCTURE = ("rabbitmq", "mongodb", "prometheus", "grafana")


def test_names_the_services_and_the_infrastructure(compose):
    assert set(SERVICES) | set(INFRASTRUCTURE) <= set(compose["services"])


@pytest.mark.parametrize("service", SERVICES)
def test_service_runs_its_nameko_class_from_the_one_image(compose, service):
    spec = compose["services"][service]
    assert spec["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert spec["image"] == "ocop-platform:local"
    class_name = service_path(service).split(":")[1]
    assert spec["command"] == [
        "nameko",
        "run",
        "--config",
        f"services/{service}/config.yml",
        service_path(service),
    ]
    assert service_class(service).__name__ == class_name


@pytest.mark.parametrize("service", SERVICES)
def test_service_environment_uses_only_its_own_settings(compose, service):
    environment = compose["services"][service]["environment"]
    prefix = service.upper()
    assert {"AMQP_URI", "MONGO_URI", f"{prefix}_DB", f"{prefix}_HTTP", "LOG_LEVEL"} <= set(
        environment
    )
    assert environment["LOG_FORMAT"] == "json"
    assert set(environment) <= settings_of(service), "a name the service never reads"
    assert environment[f"{prefix}_HTTP"] == f"0.0.0.0:{SERVICES[service]}"
    # its own broker user, on the platform's vhost
    assert re.fullmatch(
        rf"pyamqp://{service}:\$\{{OCOP_BROKER_PASSWORD_{prefix}:\?[^}}]+\}}@rabbitmq:5672/ocop",
        environment["AMQP_URI"],
    )
    assert "replicaSet=rs0" in environment["MONGO_URI"]


@pytest.mark.parametrize("service", SERVICES)
def test_service_health_is_its_readiness_endpoint(compose, service):
    spec = compose["services"][service]
    check = " ".join(spec["healthcheck"]["test"])
    assert f"http://127.0.0.1:{SERVICES[service]}/health/ready" in check
    assert spec["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    assert spec["depends_on"]["mongodb"]["condition"] == "service_healthy"


def test_every_container_has_a_health_check(compose):
    for name, spec in compose["services"].items():
        if spec.get("restart") != "no":  # one-shots finish instead
            assert spec["healthcheck"]["test"], name


def test_mongodb_is_a_replica_set_initiated_by_its_health_check(compose):
    mongodb = compose["services"]["mongodb"]
    assert mongodb["command"][:3] == ["mongod", "--replSet", "rs0"]
    assert "rs.initiate" in " ".join(mongodb["healthcheck"]["test"])


def test_rabbitmq_loads_the_definitions_with_passwords_filled_in(compose):
    rabbitmq = compose["services"]["rabbitmq"]
    assert rabbitmq["image"].startswith("rabbitmq:3.10") and "management" in rabbitmq["image"]
    assert "./rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro" in rabbitmq["volumes"]
    rendered = compose["services"]["broker-definitions"]
    assert rendered["command"][-2:] == ["/rabbitmq/definitions.json", "/rendered/definitions.json"]
    conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    assert "load_definitions = /etc/rabbitmq/definitions/definitions.json" in conf
    assert "broker-definitions:/etc/rabbitmq/definitions:ro" in rabbitmq["volumes"]


def test_every_required_variable_is_in_the_env_example():
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", (DEPLOY / "compose.yaml").read_text()))
    example = (DEPLOY / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert required and required <= documented


def test_grafana_is_provisioned_with_the_dashboard(compose):
    volumes = compose["services"]["grafana"]["volumes"]
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in volumes
    assert "./grafana/ocop.json:/etc/grafana/dashboards/ocop.json:ro" in volumes


def test_image_is_python_311_slim_with_the_project_installed():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^RUN pip install \. ", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^USER 10001", dockerfile, flags=re.MULTILINE)
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert "deploy/.env" in ignored and ".venv" in ignored
