"""The Grafana dashboard `deploy/grafana/ocop.json`, built here so that its queries are
plain data a test can check against the metrics the services expose."""

from __future__ import annotations

from dataclasses import dataclass

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}  # provisioned with this uid
SELECTED = 'service=~"$service"'
RATE = "[$__rate_interval]"
HANDLER = "ocop_event_handler_seconds"


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    queries: tuple[tuple[str, str], ...]  # (PromQL, legend)
    description: str = ""


def _quantile(q: float, histogram: str, by: str) -> str:
    buckets = f"rate({histogram}_bucket{{{SELECTED}}}{RATE})"
    return f"histogram_quantile({q}, sum by (le, {by}) ({buckets}))"


PANELS = (
    Panel(
        "Events consumed /s by type and outcome",
        "ops",
        (
            (
                f"sum by (service, event_type, outcome) "
                f"(rate(ocop_events_consumed_total{{{SELECTED}}}{RATE}))",
                "{{service}} {{event_type}} {{outcome}}",
            ),
        ),
        "outcome: ok, retry (failed, will be tried again) or parked (given up on)",
    ),
    Panel(
        "Events published /s by type",
        "ops",
        (
            (
                f"sum by (service, event_type) "
                f"(rate(ocop_events_published_total{{{SELECTED}}}{RATE}))",
                "{{service}} {{event_type}}",
            ),
        ),
        "what the outbox relays put on the events exchanges",
    ),
    Panel(
        "Event handler latency p50 / p99",
        "s",
        (
            (_quantile(0.5, HANDLER, "service, event_type"), "p50 {{service}} {{event_type}}"),
            (_quantile(0.99, HANDLER, "service, event_type"), "p99 {{service}} {{event_type}}"),
        ),
    ),
    Panel(
        "HTTP latency p99 by route",
        "s",
        (
            (
                _quantile(0.99, "ocop_http_request_duration_seconds", "service, route"),
                "{{service}} {{route}}",
            ),
        ),
    ),
    Panel(
        "HTTP requests /s by status",
        "reqps",
        (
            (
                f"sum by (service, status) "
                f"(rate(ocop_http_request_duration_seconds_count{{{SELECTED}}}{RATE}))",
                "{{service}} {{status}}",
            ),
        ),
    ),
    Panel(
        "Outbox backlog (events not yet published)",
        "short",
        ((f"max by (service) (ocop_outbox_backlog{{{SELECTED}}})", "{{service}}"),),
        # max, not sum: every replica reads the same outbox in the service's database
        "every replica reports the same outbox, so the panel shows the largest report",
    ),
    Panel(
        "Outbox oldest event age",
        "s",
        ((f"max by (service) (ocop_outbox_oldest_age_seconds{{{SELECTED}}})", "{{service}}"),),
        "growing while the broker is unreachable; back to zero once the relay catches up",
    ),
    Panel(
        "Retries /s by queue",
        "ops",
        (
            (
                f"sum by (service, queue) (rate(ocop_event_retries_total{{{SELECTED}}}{RATE}))",
                "{{queue}}",
            ),
        ),
    ),
    Panel(
        "Parked: messages waiting and newly parked /s",
        "short",
        (
            (f"max by (service) (ocop_parked_messages{{{SELECTED}}})", "waiting {{service}}"),
            (
                f"sum by (service, reason) (rate(ocop_events_parked_total{{{SELECTED}}}{RATE}))",
                "parked/s {{service}} {{reason}}",
            ),
        ),
        "parked messages wait for an operator: `ocop parked list|replay|drop`",
    ),
)

WIDTH, HEIGHT = 12, 8


def dashboard() -> dict:
    return {
        "uid": "ocop-platform",
        "title": "OCOP platform",
        "tags": ["ocop"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [_service_variable()]},
        "panels": [_panel(number, panel) for number, panel in enumerate(PANELS)],
        "annotations": {"list": []},
    }


def _service_variable() -> dict:
    # every service answers HTTP, so this metric names them all (not all consume events)
    query = "label_values(ocop_http_request_duration_seconds_count, service)"
    return {
        "name": "service",
        "label": "service",
        "type": "query",
        "datasource": DATASOURCE,
        "query": {"query": query, "refId": "service"},
        "definition": query,
        "refresh": 2,
        "multi": True,
        "includeAll": True,
        "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
    }


def _panel(number: int, panel: Panel) -> dict:
    return {
        "id": number + 1,
        "type": "timeseries",
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {
            "x": (number % 2) * WIDTH,
            "y": (number // 2) * HEIGHT,
            "w": WIDTH,
            "h": HEIGHT,
        },
        "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True}},
        "targets": [
            {
                "refId": chr(ord("A") + index),
                "datasource": DATASOURCE,
                "expr": expr,
                "legendFormat": legend,
            }
            for index, (expr, legend) in enumerate(panel.queries)
        ],
    }
