"""Log lines that follow a flow: each names the service, the CloudEvents id being handled
and the correlation id that every event of one flow carries, across services.

`WorkerLogContext` (a dependency of every service) puts the worker's ids in a context
variable; each greenlet has its own, so concurrent workers never mix them. `FlowFilter`
copies them onto every record (or keeps ids a caller passed in `extra=`), and
`JsonFormatter` writes one JSON object per line, for log collectors; the `plain` format
of `config.yml` is for people at a terminal (`LOG_FORMAT=plain`).
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from nameko.containers import WorkerContext
from nameko.extensions import DependencyProvider

from shared.events import Received

FLOW_FIELDS = ("correlation_id", "event_id", "event_type")
_flow: ContextVar[dict[str, str]] = ContextVar("ocop_flow", default={})  # noqa: B039 (read-only)


def worker_flow(worker_ctx: WorkerContext) -> dict[str, str]:
    """The ids a worker's log lines carry: its correlation id, and the event it handles."""
    flow = {"correlation_id": str(worker_ctx.context_data.get("correlation_id") or "")}
    event = worker_ctx.args[0] if worker_ctx.args else None
    if isinstance(event, Received):
        flow.update(event_id=event.id, event_type=event.data.event_type)
    return flow


class WorkerLogContext(DependencyProvider):
    def worker_setup(self, worker_ctx: WorkerContext) -> None:
        _flow.set(worker_flow(worker_ctx))

    def worker_teardown(self, worker_ctx: WorkerContext) -> None:
        _flow.set({})


class FlowFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        flow = _flow.get()
        for field in FLOW_FIELDS:
            if not getattr(record, field, ""):
                setattr(record, field, flow.get(field, ""))
        if expected_error(record):
            # the line names the error and its answer is a 4xx: a traceback per refused
            # request would bury the tracebacks of real faults
            record.exc_info = record.exc_text = None
        return True


def expected_error(record: logging.LogRecord) -> bool:
    """nameko's line for an error the entrypoint declared expected (`expected_exceptions`),
    which it logs with the traceback."""
    return record.name == "nameko.containers" and str(record.msg).startswith("(expected)")


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FLOW_FIELDS:
            if value := getattr(record, field, ""):
                line[field] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
