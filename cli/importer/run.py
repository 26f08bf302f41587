"""Sending a checked plan: producers, then products, results and certificates, each table
in parallel, parents' ids taken from their answers; what is refused is reported by line.

Scoring and certification learn the products (and producers) this import registers from
registration's events, a moment after registration answers. A result or certificate row
refused only because its product or producer is not known there yet is sent again after
growing waits, for a bounded time (`patience`); only then is it reported as refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cli.importer.client import Answer, Client, idempotency_key
from cli.importer.plan import Plan, Planned, Problem
from shared.origin import awaits_events

ROUTES = {
    "producers": ("registration", "/api/v1/producers"),
    "products": ("registration", "/api/v1/products"),
    "results": ("scoring", "/api/v1/imports/results"),
    "certificates": ("certification", "/api/v1/imports/certificates"),
}
PATIENCE_SECONDS = 120.0  # how long a row may wait for the platform's events
FIRST_WAIT, LONGEST_WAIT = 0.25, 8.0
Sent = tuple[Planned, Answer | None]


@dataclass
class Outcome:
    imported: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def send(
    plan: Plan,
    province: str,
    urls: dict[str, str],
    *,
    client: Client,
    concurrency: int,
    advance: Callable[[int], Any],
    patience: float = PATIENCE_SECONDS,
) -> Outcome:
    outcome = Outcome()
    producers: dict[str, str] = {}  # code -> id
    products: dict[str, dict[str, Any]] = {}  # code -> the product as registered

    def body_of(step: Planned) -> dict[str, Any] | None:
        if step.row.kind == "producers":
            return step.body
        if step.row.kind == "products":
            producer_id = producers.get(step.parent or "")
            return None if producer_id is None else {**step.body, "producer_id": producer_id}
        product = products.get(step.parent or "")
        if product is None:
            return None
        about = {
            "product_id": product["id"],
            "producer_id": product["producer_id"],
            "product_name": product["name"],
            "group": product["group"],
            "subgroup": product["subgroup"],
            "province_code": product["province_code"],
        }
        return {**step.body, **about}

    def one(step: Planned) -> tuple[Planned, Answer | None]:
        body = body_of(step)
        if body is None:
            return step, None
        service, path = ROUTES[step.row.kind]
        key = idempotency_key(province, step.row.kind, step.code)
        return step, client.post(f"{urls[service].rstrip('/')}{path}", body, key)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for kind in ROUTES:
            for step, answer in settled(pool.map, one, plan.steps.get(kind, []), patience):
                advance(1)
                if answer is None:
                    parent = "producer_code" if kind == "products" else "product_code"
                    outcome.problems.append(
                        Problem(kind, step.row.line, parent, f"{step.parent!r} was not imported")
                    )
                elif answer.status in (200, 201):
                    outcome.imported[kind] = outcome.imported.get(kind, 0) + 1
                    if kind == "producers":
                        producers[step.code] = answer.body["id"]
                    elif kind == "products":
                        products[step.code] = answer.body
                else:
                    outcome.problems.extend(refused(step, answer))
    return outcome


def settled(
    send_all: Callable[[Callable[[Planned], Sent], list[Planned]], Iterator[Sent]],
    one: Callable[[Planned], Sent],
    steps: list[Planned],
    patience: float,
    sleep: Callable[[float], Any] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Sent]:
    """Each step with its final answer: a row the service refused only for a product or
    producer it does not know yet is sent again after growing waits, until `patience`
    seconds have passed; then its last answer stands."""
    deadline, wait = clock() + patience, FIRST_WAIT
    while steps:
        again = []
        for step, answer in send_all(one, steps):
            if waiting_for_events(answer) and clock() < deadline:
                again.append(step)
            else:
                yield step, answer
        if again:
            sleep(min(wait, max(0.0, deadline - clock())))
            wait = min(wait * 2, LONGEST_WAIT)
        steps = again


def waiting_for_events(answer: Answer | None) -> bool:
    """A refusal the platform's events may yet cure (the problems say "not known (yet)")."""
    if answer is None or answer.status != 422:
        return False
    fields = answer.body.get("fields")
    return isinstance(fields, dict) and awaits_events(fields)


def refused(step: Planned, answer: Answer) -> list[Problem]:
    fields = answer.body.get("fields") or {}
    message = str(answer.body.get("error") or answer.body)
    if "Idempotency-Key" in fields:
        message = "imported before with other values; correct it in the platform, not by import"
        fields = {}
    if not fields:
        return [Problem(step.row.kind, step.row.line, "row", f"HTTP {answer.status}: {message}")]
    return [
        Problem(step.row.kind, step.row.line, name.rpartition(".")[2], str(problem))
        for name, problem in fields.items()
    ]
