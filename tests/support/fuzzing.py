"""Fuzzing a running service from its own OpenAPI document (schemathesis + hypothesis).

Every operation gets schemathesis' coverage cases (boundaries, each constraint broken in
turn) and hypothesis' generated cases, valid by the document (positive) and not (negative),
with known ids and codes mixed in to get past "not found". Each response is checked: no 5xx,
the status and body the document promises, the content type it names, invalid input
refused, and no Python internals in the body. Failures are collected across operations, so
one run reports every bug, not just the first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.strategies import SearchStrategy, one_of
from schemathesis import Case, GenerationMode, Response
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 30  # per operation and mode: the four services stay within ~3 minutes
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# what refuses invalid input: schemathesis' defaults (less 429 and 5xx, never right here)
# and the server's size limits
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428"]
ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "fuzz-cases.txt"
REPORTS = pytest.StashKey[list["Report"]]()  # on the pytest config, for the terminal summary

# what a leaked exception looks like: a traceback, a frame, a dotted exception class,
# a repr of a Python object
INTERNALS = re.compile(
    r"Traceback \(most recent call last\)"
    r"|File \""
    r"|site-packages"
    r"|\b(?:[a-z_][a-z0-9_]*\.)+[A-Z]\w*(?:Error|Exception)\b"
    r"|<class '"
    r"| object at 0x[0-9a-f]+"
)


def no_internals(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """No stack trace or Python internals in a response body (unless the request sent it)."""
    media_type = response.headers.get("content-type", [""])[0]
    if "pdf" in media_type:  # binary: any pattern found in it is an accident
        return None
    found = INTERNALS.search(response.content.decode("utf-8", "replace"))
    if found and found.group(0) not in sent(case):
        raise AssertionError(f"response body leaks internals: {found.group(0)!r}")
    return None


def sent(case: Case) -> str:
    """Everything the case sent, as text: an echo of its own input is not a leak."""
    return repr((case.path_parameters, case.query, case.headers, case.body))


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,  # an operation that declares `bearer` refuses the same request without it
    no_internals,
]


@dataclass(frozen=True)
class Known:
    """What exists: ids of seeded resources for path parameters, and real ids and codes for
    body fields (by name, at any depth). Cases that use them get past the 404 of an unknown
    id or the 422 of an unknown code, into the code behind."""

    path: dict[str, list[str]]
    fields: dict[str, Any]

    def paths(self, operation: Any) -> list[dict[str, str]]:
        """Ways to fill the operation's path with known ids (the n-th of each)."""
        names = [p.name for p in operation.path_parameters if p.name in self.path]
        ways = max((len(self.path[name]) for name in names), default=0)
        return [
            {name: self.path[name][n % len(self.path[name])] for name in names} for n in range(ways)
        ]


@dataclass
class Report:
    """Cases run per operation (`"POST /api/v1/producers"`), the statuses they got and the
    failures found."""

    service: str
    cases: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.cases.values())


def load(document: dict) -> Any:
    """The schemathesis schema of a service's OpenAPI document, with the checks configured:
    413 and 414 (a body or URL over the server's limit) refuse invalid data too."""
    config = schemathesis.Config.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}}
    )
    return schemathesis.openapi.from_dict(document, config=config)


def fuzz(
    service: str,
    schema: Any,
    base_url: str,
    session: requests.Session,
    known: Known,
) -> Report:
    """Every operation: schemathesis' coverage cases (each boundary, each constraint broken
    in turn), then hypothesis' generated cases in every mode that applies, with generated
    values and known ones."""
    report = Report(service)
    for operation in in_order(schema):
        statuses = report.statuses.setdefault(operation.label, Counter())
        send = sender(base_url, session, statuses)
        runs = [cover(schema, operation, send)] + [
            generate(operation, cases(operation, mode, known), mode, send)
            for mode in modes(operation)
        ]
        report.cases[operation.label] = sum(count for count, _ in runs)
        report.failures += [failure for _, failure in runs if failure]
    return report


def in_order(schema: Any) -> list[Any]:
    """The API first, the operators' endpoints (/admin) last: they act on the broker, and
    replaying parked messages before the outbox relay's first publish breaks the relay
    (see test_parked_replay_leaves_the_outbox_relay_working)."""
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda operation: operation.path.startswith("/admin/"))


def modes(operation: Any) -> tuple[GenerationMode, ...]:
    """Negative cases need something to make invalid: a body or a query parameter (a path
    parameter is any string, so every value of it is valid)."""
    negatable = bool(operation.body) or bool(operation.query)
    return MODES if negatable else MODES[:1]


def cases(operation: Any, mode: GenerationMode, known: Known) -> SearchStrategy:
    """Generated cases, and as many again with the known values in place: in the path, and
    in valid bodies (in an invalid one, a known value might make it valid)."""
    generated = operation.as_strategy(generation_mode=mode)
    paths = known.paths(operation)
    informed = one_of(
        operation.as_strategy(generation_mode=mode, path_parameters=path)
        for path in paths or [None]
    )
    if mode == GenerationMode.POSITIVE and operation.body:
        informed = informed.map(lambda case: with_known_body(case, known.fields))
    elif not paths:
        return distinct_on_the_wire(generated, mode)
    return distinct_on_the_wire(generated | informed, mode)


def distinct_on_the_wire(strategy: SearchStrategy, mode: GenerationMode) -> SearchStrategy:
    """A negative case whose only fault is a query value made a one-item list is not one:
    `?member_id=x` is the same query string whether x was a string or `[x]`."""
    if mode != GenerationMode.NEGATIVE:
        return strategy
    return strategy.filter(lambda case: not one_item_lists(case.query))


def one_item_lists(query: dict[str, Any] | None) -> bool:
    return any(isinstance(value, list) and len(value) == 1 for value in (query or {}).values())


def with_known_body(case: Case, known: dict[str, Any]) -> Case:
    case.body = with_known(case.body, known)
    return case


def with_known(value: Any, known: dict[str, Any]) -> Any:
    """`value` with every field named in `known` (at any depth) set to the known value."""
    if isinstance(value, dict):
        return {
            key: known[key] if key in known else with_known(v, known) for key, v in value.items()
        }
    if isinstance(value, list):
        return [with_known(each, known) for each in value]
    return value


def sender(
    base_url: str, session: requests.Session, statuses: Counter[int]
) -> Callable[[Case], None]:
    """Send a case and check its response (raising what a check finds); count the status."""

    def send(case: Case) -> None:
        response = case.call(base_url=base_url, session=session, timeout=30)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, transport_kwargs={"base_url": base_url})

    return send


def cover(schema: Any, operation: Any, send: Callable[[Case], None]) -> tuple[int, str | None]:
    """(cases run, the first failure or None) of the coverage cases, each sent once."""
    config = schema.config.generation_for(operation=operation, phase="coverage")
    count, failure = 0, None
    for case in schema.iter_coverage_cases(
        operation, generation_modes=list(MODES), generation_config=config
    ):
        count += 1
        try:
            send(case)
        except (Exception, BaseExceptionGroup) as exc:
            failure = failure or describe(f"{operation.label} [coverage]", exc, [case])
    return count, failure


def generate(
    operation: Any, strategy: SearchStrategy, mode: GenerationMode, send: Callable[[Case], None]
) -> tuple[int, str | None]:
    """(cases run, the failure found or None) for one operation in one generation mode."""
    count = 0
    failing: list[Case] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same cases every run: a failure here is reproducible
        database=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        nonlocal count
        count += 1
        try:
            send(case)
        except BaseException:
            failing.append(case)  # the last one is hypothesis' shrunk example
            raise

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:
        return count, describe(f"{operation.label} [{mode.value}]", exc, failing)
    return count, None


def describe(where: str, exc: BaseException, failing: list[Case]) -> str:
    """A failure in a few lines: what went wrong and the (shrunk) request that did it."""
    if isinstance(exc, FailureGroup):
        problems = [f"{failure.title}: {failure.message}" for failure in exc.exceptions]
    else:
        problems = [f"{type(exc).__name__}: {exc}"]
    lines = [where, *(f"  - {short(problem, 600)}" for problem in problems)]
    if failing:
        case = failing[-1]
        lines.append(f"  request: {case.method} {short(case.formatted_path, 200)}")
        lines += [
            f"  {name}: {short(repr(value), 300)}"
            for name, value in (("query", case.query), ("body", case.body))
            if value and not isinstance(value, NotSet)
        ]
    return "\n".join(lines)


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def table(reports: list[Report]) -> Iterator[str]:
    """The case counts, one line per operation with the statuses answered, a subtotal per
    service and the total."""
    yield f"{'service':<16} {'operation':<62} {'cases':>6}  statuses answered"
    for report in reports:
        for label, count in report.cases.items():
            answered = " ".join(
                f"{status}x{times}" for status, times in sorted(report.statuses[label].items())
            )
            yield f"{report.service:<16} {label:<62} {count:>6}  {answered}"
        yield f"{report.service:<16} {'(service total)':<62} {report.total:>6}"
    yield f"{'total':<16} {'':<62} {sum(report.total for report in reports):>6}"


def write_artifact(reports: list[Report]) -> Path:
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text("\n".join(table(reports)) + "\n", "utf-8")
    return ARTIFACT
