"""The five faults, each injected while a stream of flows runs.

A scenario creates a trade fair for its own province, drives its flows, breaks something
when a given share of them has started, lets the platform drain, and counts. Drain time is
from the last flow's last HTTP step to the moment every started flow is listed and invited.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.devstack.processes import SERVICES
from tests.chaos.bus import Duplicator, Tap, parked_counts, poison
from tests.chaos.counting import as_row, completed, count
from tests.chaos.flows import Calls, Client, create_fair, run_flows
from tests.chaos.platform import ChaosPlatform

DRAIN_LIMIT = 600.0
Fault = Callable[["Run"], str]  # injects the fault, returns a note for the table


@dataclass
class Run:
    platform: ChaosPlatform
    calls: Calls
    started: int = 0
    total: int = 0
    extra_parked: int = 0  # parked on purpose (poison), not a loss
    violations: list[str] = field(default_factory=list)  # a promise broken during the fault

    def reached(self, share: float) -> None:
        """Block the fault until `share` of the flows have started (their dossier accepted);
        a fault after the last one started would test nothing mid-stream, so it is a failure."""
        while self.started < share * self.total:
            time.sleep(0.05)
        if self.started >= self.total:
            self.violations.append(f"the fault at {share:.0%} came after every flow had started")


def kill_each_service(run: Run) -> str:
    for step, name in enumerate(SERVICES):
        run.reached(0.1 + 0.15 * step)
        run.platform.kill(name)
        time.sleep(1)
        run.platform.restart(name)
    return "kill -9 " + ", ".join(SERVICES)


def restart_broker(run: Run) -> str:
    run.reached(0.4)
    run.platform.broker.stop_app()
    down = time.monotonic()
    time.sleep(10)
    run.platform.broker.start_app()
    answers = run.calls.between(down, time.monotonic())
    failed = [status for status in answers if not 200 <= status < 300]
    if failed:
        run.violations.append(f"{len(failed)} HTTP answers during the broker outage not 2xx")
    outage = time.monotonic() - down
    return f"broker down {outage:.0f} s: {len(answers)} HTTP answers, {len(failed)} not 2xx"


def stop_store(run: Run) -> str:
    run.reached(0.4)
    run.platform.stop_store()
    down = time.monotonic()
    time.sleep(10)
    run.platform.start_store()
    answers = run.calls.between(down, time.monotonic())
    return f"store down {time.monotonic() - down:.0f} s: {answers.count(503)} answers 503 (retried)"


def duplicate_everything(run: Run) -> str:
    return "every event published twice (same id)"  # the duplicator runs the whole scenario


def mix_in_poison(run: Run) -> str:
    expected = 0
    for share in (0.3, 0.6):
        run.reached(share)
        expected += sum(poison(run.platform.bus).values())
    run.extra_parked = expected
    return f"{expected} poison messages expected parked"


SCENARIOS: dict[str, tuple[str, Fault]] = {
    "kill-services": ("04", kill_each_service),
    "restart-broker": ("08", restart_broker),
    "stop-store": ("11", stop_store),
    "duplicate-events": ("12", duplicate_everything),
    "poison-messages": ("14", mix_in_poison),
}


def run_scenario(
    name: str, platform: ChaosPlatform, tap: Tap, flows: int, concurrency: int, pace: float
) -> dict:
    province, fault = SCENARIOS[name]
    tag = f"{name}-{uuid.uuid4().hex[:4]}"
    calls = Calls()
    client = Client(platform.urls, calls, platform.key)
    fair_id = create_fair(client, province, tag)
    parked_before = sum(parked_counts(platform.bus).values())
    duplicator = Duplicator(platform.bus) if name == "duplicate-events" else None
    if duplicator:
        duplicator.start()
    run = Run(platform, calls, total=flows)
    note: list[str] = []
    injector = threading.Thread(target=lambda: note.append(fault(run)), daemon=True)
    injector.start()

    def started(n: int) -> None:
        run.started = n

    driven = run_flows(client, flows, province, tag, concurrency, started, pace)
    injector.join()
    driven_at = time.monotonic()
    wanted = {flow.product_id for flow in driven if flow.submitted}
    while not wanted <= completed(platform.store_uri, province, fair_id):
        if time.monotonic() - driven_at > DRAIN_LIMIT:
            break
        time.sleep(1)
    drain = time.monotonic() - driven_at
    time.sleep(3)  # the last events on their way to the outside subscriber
    if duplicator:
        duplicator.stop()
    result = count(platform.store_uri, province, fair_id, driven, tap.snapshot())
    parked = sum(parked_counts(platform.bus).values()) - parked_before
    if name == "poison-messages":
        note.append(clear_poison(platform, run.extra_parked))
    failures = [flow.error for flow in driven if flow.error]
    if failures:
        note.append(f"{len(failures)} flows failed to start: {failures[0]}")
    row = as_row(name, result, parked, drain, "; ".join(note))
    row["unexpected_parked"] = parked - run.extra_parked
    row["violations"] = run.violations
    row["detail"] = result.lost_detail[:5] + result.duplicated_detail[:5]
    return row


def clear_poison(platform: ChaosPlatform, expected: int) -> str:
    """What an operator does: list the parked messages, then drop them (they can never succeed)."""
    listed = 0
    for service in ("registration", "scoring", "trade_promotion"):
        env = {**os.environ, **platform.env(service)}  # the service's own login
        command = [sys.executable, "-m", "cli.main", "parked"]
        shown = subprocess.run(
            [*command, "list", "--service", service, "--json", "--limit", "1000"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        listed += len(shown.stdout.splitlines())
        subprocess.run(
            [*command, "drop", "--service", service, "--all"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return f"`ocop parked list` showed {listed} of {expected}, then dropped them"
