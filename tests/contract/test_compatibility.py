"""Today's event and HTTP schemas against the recorded contract: nothing breaks a consumer
unless the event's version was bumped; additive changes pass."""

import copy
import json
from pathlib import Path

import pytest

from tests.contract import snapshot
from tests.contract.compat import breaking

SNAPSHOTS = Path(__file__).parent / "snapshots"
RECORDED_EVENTS = json.loads((SNAPSHOTS / "events.json").read_text())
CURRENT_EVENTS = snapshot.event_schemas()


@pytest.mark.parametrize("event_type", sorted(RECORDED_EVENTS))
def test_no_recorded_event_version_is_broken(event_type):
    assert event_type in CURRENT_EVENTS, (
        f"{event_type} disappeared: keep old versions, consumers upcast them"
    )
    old, new = RECORDED_EVENTS[event_type], CURRENT_EVENTS[event_type]
    assert breaking(old, new, "event", old, new) == [], (
        f"breaking change to {event_type}: bump its version"
    )


@pytest.mark.parametrize("service", ["registration", "scoring", "certification", "trade_promotion"])
def test_no_recorded_endpoint_is_broken(service):
    old = json.loads((SNAPSHOTS / f"http-{service}.json").read_text())
    new = snapshot.http_schemas()[service]
    problems = []
    for path, methods in old["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            current = new["paths"].get(path, {}).get(method)
            if current is None:
                problems.append(f"{where}: removed")
                continue
            problems += endpoint_changes(where, operation, current, old, new)
    assert problems == []


def endpoint_changes(where, old_op, new_op, old_root, new_root):
    problems = []
    old_params = {p["name"]: p for p in old_op.get("parameters", [])}
    new_params = {p["name"]: p for p in new_op.get("parameters", [])}
    problems += [
        f"{where}: parameter {name} removed" for name in old_params.keys() - new_params.keys()
    ]
    problems += [
        f"{where}: parameter {name} newly required"
        for name, p in new_params.items()
        if p.get("required") and not old_params.get(name, {}).get("required")
    ]
    if "requestBody" in old_op:
        old_body = old_op["requestBody"]["content"]["application/json"]["schema"]
        new_body = (
            new_op.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema", {})
        )
        problems += [
            f"{where} body{p}" for p in breaking(old_body, new_body, "writer", old_root, new_root)
        ]
    for status, answer in old_op["responses"].items():
        for media, content in answer.get("content", {}).items():
            new_content = new_op["responses"].get(status, {}).get("content", {}).get(media)
            if new_content is None:
                problems.append(f"{where}: {status} {media} response removed")
                continue
            problems += [
                f"{where} {status}{p}"
                for p in breaking(
                    content["schema"], new_content["schema"], "reader", old_root, new_root
                )
            ]
    return problems


# The detector itself, on copies of real schemas: what breaks is caught, what adds passes.

ISSUED = RECORDED_EVENTS["vn.ocop.certificate.issued.v1"]


def changed(schema, change):
    new = copy.deepcopy(schema)
    change(new)
    return new


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s["properties"].pop("stars"), ".stars: removed"),
        (
            lambda s: s["properties"].__setitem__("stars", {"type": "string"}),
            ".stars: may now be ['string']",
        ),
        (
            lambda s: (
                s["properties"].__setitem__("region", {"type": "string"}),
                s["required"].append("region"),
            ),
            ".region: newly required",
        ),
        (lambda s: s["required"].remove("expires_on"), ".expires_on: no longer always present"),
        (
            lambda s: s["properties"].__setitem__(
                "issued_on", {"anyOf": [{"type": "string"}, {"type": "null"}]}
            ),
            ".issued_on: may now be ['null']",
        ),
    ],
)
def test_a_breaking_change_to_an_event_is_detected(change, expected):
    new = changed(ISSUED, change)
    found = breaking(ISSUED, new, "event", ISSUED, new)
    assert any(problem.startswith(expected) for problem in found), found


def test_an_additive_change_to_an_event_passes():
    new = changed(ISSUED, lambda s: s["properties"].__setitem__("brand", {"type": "string"}))
    assert breaking(ISSUED, new, "event", ISSUED, new) == []


def test_a_request_schema_that_refuses_what_clients_send_is_detected():
    registration = json.loads((SNAPSHOTS / "http-registration.json").read_text())
    producer_in = registration["components"]["schemas"]["ProducerIn"]
    narrowed = changed(
        registration,
        lambda d: d["components"]["schemas"]["ProducerIn"]["properties"]["kind"].__setitem__(
            "enum", ["htx", "enterprise"]
        ),
    )
    new_in = narrowed["components"]["schemas"]["ProducerIn"]
    found = breaking(producer_in, new_in, "writer", registration, narrowed)
    assert found and "no longer accepts values" in found[0]
    optional = changed(
        registration,
        lambda d: d["components"]["schemas"]["ProducerIn"]["properties"].__setitem__(
            "website", {"type": "string"}
        ),
    )
    assert (
        breaking(
            producer_in,
            optional["components"]["schemas"]["ProducerIn"],
            "writer",
            registration,
            optional,
        )
        == []
    )
