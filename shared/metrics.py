"""The platform's Prometheus metrics, one set per process, labelled by service.

Counters and histograms are updated where things happen (handlers, relay, failures, HTTP);
the gauges that describe a backlog (outbox, parked queue) are read when Prometheus scrapes,
so an idle service costs nothing. Names follow Prometheus conventions; dashboards and
alerts in `deploy/` depend on them, so they are part of the operations contract.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

EVENTS_CONSUMED = Counter(
    "ocop_events_consumed",
    "Events a handler finished with, by outcome: ok, retry (will be tried again), parked.",
    ["service", "event_type", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "ocop_event_handler_seconds",
    "Time an event handler took, from delivery to its outcome.",
    ["service", "event_type"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_PUBLISHED = Counter(
    "ocop_events_published",
    "Events the outbox relay published and the broker confirmed.",
    ["service", "event_type"],
)
RETRIES = Counter(
    "ocop_event_retries",
    "Messages sent to a delay queue after their handler failed.",
    ["service", "queue"],
)
PARKED = Counter(
    "ocop_events_parked",
    "Messages parked: undecodable, invalid (never retried) or failed (retries used up).",
    ["service", "queue", "reason"],
)
RATE_LIMITED = Counter(
    "ocop_rate_limited",
    "Requests refused with 429 by class: writes, sign_in, public_reads.",
    ["service", "class"],
)
HTTP_SECONDS = Histogram(
    "ocop_http_request_duration_seconds",
    "HTTP requests by route (the URL rule, not the path) and status.",
    ["service", "method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)


class Backlog:
    """How to read one service's backlog: the outbox (count, oldest age) and parked queue."""

    def __init__(
        self,
        service: str,
        outbox: Callable[[], tuple[int, float | None]],
        parked: Callable[[], int],
    ) -> None:
        self.service = service
        self.outbox = outbox
        self.parked = parked


class BacklogCollector(Collector):
    """Gauges read at scrape time, for every service running in this process (one in
    production; tests run several). A failing read leaves its sample out (Prometheus then
    shows a gap) rather than failing the whole scrape."""

    def __init__(self) -> None:
        self.backlogs: dict[str, Backlog] = {}  # by service: instances of one share a store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        backlog = self._family("ocop_outbox_backlog", "Events stored, not yet published.")
        oldest = self._family(
            "ocop_outbox_oldest_age_seconds",
            "Age of the oldest event not yet published (0 when none waits).",
        )
        parked = self._family("ocop_parked_messages", "Messages in the parked queue.")
        for service, source in list(self.backlogs.items()):
            try:
                count, age = source.outbox()
                backlog.add_metric([service], count)
                oldest.add_metric([service], age or 0.0)
            except Exception as exc:
                log.warning("outbox backlog not readable for metrics: %s", exc)
            try:
                parked.add_metric([service], source.parked())
            except Exception as exc:
                log.warning("parked queue not readable for metrics: %s", exc)
        yield from (backlog, oldest, parked)

    def _family(self, name: str, documentation: str) -> GaugeMetricFamily:
        return GaugeMetricFamily(name, documentation, labels=["service"])


BACKLOGS = BacklogCollector()
REGISTRY.register(BACKLOGS)


def register_backlog(backlog: Backlog) -> None:
    BACKLOGS.backlogs.setdefault(backlog.service, backlog)


def unregister_backlog(backlog: Backlog) -> None:
    if BACKLOGS.backlogs.get(backlog.service) is backlog:
        del BACKLOGS.backlogs[backlog.service]


def exposition() -> tuple[bytes, str]:
    """The body and content type of `GET /metrics`."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.started


def observe_handler(service: str, event_type: str, outcome: str, watch: Stopwatch) -> None:
    EVENTS_CONSUMED.labels(service, event_type, outcome).inc()
    HANDLER_SECONDS.labels(service, event_type).observe(watch.seconds())


def observe_request(service: str, method: str, route: str, status: int, seconds: float) -> None:
    HTTP_SECONDS.labels(service, method, route, str(status)).observe(seconds)


def count_published(service: str, event_type: str, count: int = 1) -> None:
    EVENTS_PUBLISHED.labels(service, event_type).inc(count)


def count_retry(service: str, queue: str) -> None:
    RETRIES.labels(service, queue).inc()


def count_parked(service: str, queue: str, reason: str) -> None:
    PARKED.labels(service, queue, reason).inc()


def count_rate_limited(service: str, kind: str) -> None:
    RATE_LIMITED.labels(service, kind).inc()
