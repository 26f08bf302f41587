"""What a raw case's answer must be, and the counts of what was sent and answered.

Every case: an answer within the timeout, well-formed HTTP/1.x responses (or a closed
connection), no 5xx. A case that names `statuses` must be answered with one of them (a
closed connection only where `may_close`); one that names `naming` must be answered in
JSON whose `fields` name one of them; one that sent a correlation id it expects refused
must get a fresh one back, never its own.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from tests.support.raw_cases import Case
from tests.support.raw_http import Exchange, Malformed, Response, read_answers

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Verdict:
    statuses: tuple[str, ...]  # of every response, in order, or how the exchange ended
    problem: str | None


def judge(case: Case, exchanged: Exchange) -> Verdict:
    if exchanged.timed_out:
        return Verdict(("timeout",), "no answer, and the connection still open, after the timeout")
    try:
        answers = read_answers(exchanged, head=case.request.startswith(b"HEAD "))
    except Malformed as exc:
        return Verdict(("malformed",), f"not well-formed HTTP: {exc}")
    statuses = tuple(str(answer.status) for answer in answers) or ("closed",)
    return Verdict(statuses, problem_with(case, answers))


def problem_with(case: Case, answers: list[Response]) -> str | None:
    if server_errors := [status for status in (a.status for a in answers) if status >= 500]:
        return f"answered {server_errors}"
    final = next((a for a in answers if a.status >= 200), None)
    if final is None:
        return None if not case.statuses or case.may_close else "closed without an answer"
    if case.statuses and final.status not in case.statuses:
        return f"answered {final.status}, not one of {sorted(case.statuses)}: {final.body[:200]!r}"
    if case.naming and not names_one(final, case.naming):
        return f"the error does not name one of {sorted(case.naming)}: {final.body[:300]!r}"
    if case.correlation_id is not None:
        echoed = final.headers.get("x-correlation-id", "")
        if echoed == case.correlation_id.strip() or not UUID.fullmatch(echoed):
            return f"X-Correlation-Id {echoed!r} is not a fresh one"
    return None


def names_one(response: Response, naming: frozenset[str]) -> bool:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(response.body)
    except ValueError:
        return False
    fields = body.get("fields") if isinstance(body, dict) else None
    return isinstance(fields, dict) and bool(naming & set(fields)) and "error" in body


@dataclass
class Tally:
    """Per kind: cases sent, statuses answered ("closed" when none came, "malformed" when
    what came was no HTTP response, "timeout"), failures."""

    sent: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, case: Case, verdict: Verdict) -> None:
        self.sent[case.kind] += 1
        seen = self.statuses.setdefault(case.kind, Counter())
        seen.update(verdict.statuses)
        if verdict.problem:
            self.failures.append(
                f"[{case.kind}] {case.service}: {verdict.problem}\n  sent: {case.request[:300]!r}"
            )

    def table(self) -> Iterator[str]:
        yield f"{'kind':<18} {'sent':>6} {'failed':>6}  statuses answered"
        failed = Counter(line.split("]")[0][1:] for line in self.failures)
        for kind, count in self.sent.items():
            answered = " ".join(f"{s}x{n}" for s, n in sorted(self.statuses[kind].items()))
            yield f"{kind:<18} {count:>6} {failed[kind]:>6}  {answered}"
        yield f"{'total':<18} {sum(self.sent.values()):>6} {len(self.failures):>6}"
