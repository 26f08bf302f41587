"""Prometheus scrapes every service; the Grafana dashboard queries only metrics the
services expose, and is provisioned with the datasource it names."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from deploy.topology import SERVICES
from tests.deploy.conftest import DEPLOY

# What the services expose (every ocop_* metric has a `service` label), with the series a
# histogram adds, and prometheus-client's process collector.
EXPOSED = {
    "ocop_events_consumed_total",
    "ocop_events_published_total",
    "ocop_event_retries_total",
    "ocop_events_parked_total",
    "ocop_parked_messages",
    "ocop_outbox_backlog",
    "ocop_outbox_oldest_age_seconds",
    *(
        f"{histogram}{suffix}"
        for histogram in ("ocop_event_handler_seconds", "ocop_http_request_duration_seconds")
        for suffix in ("_bucket", "_sum", "_count")
    ),
}
PROCESS_METRIC = re.compile(r"process_[a-z_]+")
PROMQL_WORDS = {
    "sum", "max", "min", "avg", "count", "by", "without", "rate", "irate", "increase",
    "histogram_quantile", "label_values", "on", "ignoring", "group_left", "and", "or",
}  # fmt: skip


def metrics_in(expression: str) -> set[str]:
    """The metric names a PromQL expression reads (label matchers, ranges, strings,
    grouping labels and numbers removed; what is left are functions and metrics)."""
    stripped = re.sub(r'"[^"]*"', "", expression)
    stripped = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", stripped)
    stripped = re.sub(r"\b(by|without)\s*\([^)]*\)", "", stripped)
    stripped = re.sub(r"\blabel_values\(([a-z_:]+)\s*,\s*[a-z_]+\)", r"\1", stripped)
    words = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", stripped))
    return words - PROMQL_WORDS


def dashboard_queries(dashboard: dict) -> list[str]:
    queries = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    for variable in dashboard["templating"]["list"]:
        query = variable["query"]
        queries.append(query["query"] if isinstance(query, dict) else query)
    return queries


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads((DEPLOY / "grafana" / "ocop.json").read_text())


def test_dashboard_queries_only_exposed_metrics(dashboard):
    queries = dashboard_queries(dashboard)
    assert len(queries) >= 10
    for query in queries:
        metrics = metrics_in(query)
        assert metrics, query
        unknown = {m for m in metrics if m not in EXPOSED and not PROCESS_METRIC.fullmatch(m)}
        assert not unknown, f"{unknown} in {query}"


def test_the_metric_check_can_fail():
    assert metrics_in('sum by (le) (rate(ocop_event_handler_second_bucket{a="b"}[5m]))') == {
        "ocop_event_handler_second_bucket"
    }
    assert metrics_in("max by (service) (up)") == {"up"}


def test_dashboard_has_the_panels_operators_need(dashboard):
    text = json.dumps([panel["targets"] for panel in dashboard["panels"]])
    for needed in (
        "ocop_events_consumed_total",
        "ocop_events_published_total",
        "histogram_quantile(0.5, sum by (le, service, event_type) "
        "(rate(ocop_event_handler_seconds_bucket",
        "histogram_quantile(0.99, sum by (le, service, event_type) "
        "(rate(ocop_event_handler_seconds_bucket",
        "histogram_quantile(0.99, sum by (le, service, route) "
        "(rate(ocop_http_request_duration_seconds_bucket",
        "ocop_outbox_backlog",
        "ocop_outbox_oldest_age_seconds",
        "ocop_event_retries_total",
        "ocop_events_parked_total",
        "ocop_parked_messages",
    ):
        assert needed in text, needed
    panel_ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(panel_ids) == len(set(panel_ids))


def test_dashboard_datasource_is_the_provisioned_one(dashboard):
    provisioned = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )
    (datasource,) = provisioned["datasources"]
    assert datasource["url"] == "http://prometheus:9090"
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == datasource["uid"]
    providers = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "ocop.yml").read_text()
    )["providers"]
    assert providers[0]["options"]["path"] == "/etc/grafana/dashboards"


def test_prometheus_scrapes_every_service_metrics_endpoint():
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "ocop"]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    targets = {target for group in job["static_configs"] for target in group["targets"]}
    assert targets == {f"{service}:{port}" for service, port in SERVICES.items()}
    # the services label their metrics with `service`: a target label of that name would
    # be renamed exported_service and break every query
    for group in job["static_configs"]:
        assert "service" not in group.get("labels", {})
