"""Log lines as JSON, with the ids that let an operator follow one flow across services."""

import json
import logging
import sys

from shared.logs import FlowFilter, JsonFormatter, _flow


def formatted(record: logging.LogRecord) -> dict:
    FlowFilter().filter(record)
    return json.loads(JsonFormatter(service="scoring").format(record))


def record(message: str, **extra) -> logging.LogRecord:
    line = logging.LogRecord("services.scoring", logging.INFO, __file__, 1, message, (), None)
    line.__dict__.update(extra)
    return line


def test_a_line_names_the_service_and_the_flow_of_the_worker_writing_it():
    token = _flow.set(
        {"correlation_id": "c-1", "event_id": "e-1", "event_type": "dossier.submitted"}
    )
    try:
        line = formatted(record("opened a round for sản phẩm %s"))
    finally:
        _flow.reset(token)
    assert line["service"] == "scoring" and line["level"] == "INFO"
    assert line["message"] == "opened a round for sản phẩm %s"
    assert (line["correlation_id"], line["event_id"], line["event_type"]) == (
        "c-1",
        "e-1",
        "dossier.submitted",
    )


def test_ids_passed_by_the_caller_win_and_empty_ones_are_left_out():
    line = formatted(record("POST /api/v1/producers 201", correlation_id="from-header"))
    assert line["correlation_id"] == "from-header"
    assert "event_id" not in line


def test_an_exception_travels_inside_the_line():
    try:
        raise ValueError("bad sheet")
    except ValueError:
        failing = record("handler failed")
        failing.exc_info = sys.exc_info()
    line = formatted(failing)
    assert "ValueError: bad sheet" in line["error"]
