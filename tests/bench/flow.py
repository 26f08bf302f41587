"""The bulk flow: N products through registration → scoring → certification → catalogue
listing and a fair invitation, the four services as `nameko run` processes on the embedded
store (on disk), driven over HTTP the way the chaos suite drives them (no faults here).

A flow is done when the outside subscriber has seen its `catalogue.listed` and its
`invitation.sent`. Wall time runs from the first flow's first request to the last flow
done; latency from the `dossier.submitted` event's time to `catalogue.listed` seen outside.
"""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from typing import Any

from tests.bench.platform import BenchPlatform
from tests.bench.progress import Progress, percentile
from tests.bench.tap import INVITED, LISTED, FlowTap
from tests.chaos.broker import OBSERVER
from tests.chaos.flows import Calls, Client, create_fair, run_flows

PROVINCE = "19"  # Thái Nguyên: the fair and every producer are there
DRAIN_LIMIT = 900.0  # seconds after the last HTTP step for the last events to arrive


def run(n: int, concurrency: int = 64) -> dict[str, Any]:
    platform = BenchPlatform()
    try:
        platform.start()
        tap = FlowTap(platform.bus.amqp_uri(OBSERVER))
        tap.start()
        try:
            return drive(platform, tap, n, concurrency)
        finally:
            tap.stop()
    finally:
        platform.stop()  # also what started before a failure; the vhost goes too
        shutil.rmtree(platform.folder / "store", ignore_errors=True)
        print(f"(the services' logs are in {platform.folder / 'logs'})", file=sys.stderr)


def drive(platform: BenchPlatform, tap: FlowTap, n: int, concurrency: int) -> dict[str, Any]:
    calls = Calls()
    client = Client(platform.urls, calls, platform.key)
    tag = f"bench-{uuid.uuid4().hex[:4]}"
    create_fair(client, PROVINCE, tag)
    time.sleep(1)  # the fair reaches trade_promotion before the first product
    tap.reset()
    submitted = [0]

    def state() -> tuple[int, int, str]:
        done = min(len(tap.seen[LISTED]), len(tap.seen[INVITED]))
        rate = done / max(time.monotonic() - begin, 1e-9)
        return done, n, f"done · {submitted[0]} submitted · {tap.events} events · {rate:.1f}/s"

    begin, begin_epoch = time.monotonic(), time.time()
    cpu = platform.cpu_meter().start()
    progress = Progress("flows", state)
    progress.start()
    try:
        flows = run_flows(
            client, n, PROVINCE, tag, concurrency, lambda k: submitted.__setitem__(0, k)
        )
        driven = time.monotonic()
        wanted = {flow.product_id for flow in flows if flow.submitted}
        while not (wanted <= tap.seen[LISTED].keys() and wanted <= tap.seen[INVITED].keys()):
            if time.monotonic() - driven > DRAIN_LIMIT:
                break
            time.sleep(0.2)
    finally:
        progress.stop()
    cpu_s = cpu.stop()
    memory = platform.peak_memory()  # before the services stop
    done = wanted & tap.seen[LISTED].keys() & tap.seen[INVITED].keys()
    ends = [tap.seen[LISTED][p] for p in done] + [tap.seen[INVITED][p] for p in done]
    last = max(ends, default=time.time())
    wall = last - begin_epoch
    latencies = tap.latencies(LISTED)
    return {
        "n": n,
        "concurrency": concurrency,
        "submitted": len(wanted),
        "completed": len(done),
        "failed": [flow.error for flow in flows if flow.error][:3],
        "wall_s": wall,
        "http_phase_s": driven - begin,
        "flows_per_s": len(done) / wall,
        "events": tap.events,
        "events_per_s": tap.events / wall,
        "http_requests": len(calls.seen),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p99_s": percentile(latencies, 99),
        "latency_max_s": max(latencies, default=0.0),
        "tenths_per_s": tenths(sorted(tap.seen[LISTED][p] for p in done), begin_epoch),
        "stages_p50_s": {k: percentile(v, 50) for k, v in tap.stage_gaps().items()},
        "stages_p99_s": {k: percentile(v, 99) for k, v in tap.stage_gaps().items()},
        "events_by_type": dict(tap.by_type.most_common()),
        "peak_memory_kb": memory,
        "cpu_s": cpu_s,
    }


def tenths(times: list[float], begin: float) -> list[float]:
    """Listings per second in each tenth of the wall time (does the pace hold as the store
    fills?); the first tenth includes the pipeline filling up, the last its draining."""
    if not times:
        return []
    step = (times[-1] - begin) / 10
    counts = [0] * 10
    for moment in times:
        counts[min(9, int((moment - begin) / step))] += 1
    return [count / step for count in counts]


def show(result: dict[str, Any]) -> str:
    r = result
    lines = [
        f"bulk flow: N={r['n']} products, {r['concurrency']} HTTP clients",
        f"  completed (listed and invited): {r['completed']} of {r['submitted']} submitted",
        f"  wall time:  {r['wall_s']:.1f} s (target: 15,000 products in < 300 s)",
        f"  flows/s:    {r['flows_per_s']:.1f} (last HTTP step after {r['http_phase_s']:.0f} s)",
        "  flows/s in each tenth of the wall time: "
        + " ".join(f"{rate:.1f}" for rate in r["tenths_per_s"]),
        f"  events/s:   {r['events_per_s']:.0f} ({r['events']} events on the four exchanges)",
        f"  HTTP:       {r['http_requests']} requests, {r['http_requests'] / r['wall_s']:.0f}/s",
        "  latency dossier.submitted → catalogue.listed seen outside: "
        f"p50 {r['latency_p50_s']:.2f} s, p99 {r['latency_p99_s']:.2f} s",
        "  by stage (p50 / p99 s):",
    ]
    lines += [
        f"    {stage:45} {p50:7.2f} {r['stages_p99_s'][stage]:7.2f}"
        for stage, p50 in r["stages_p50_s"].items()
    ]
    lines.append("  peak memory (VmHWM):")
    lines += [f"    {name:18} {kb / 1024:7.1f} MiB" for name, kb in r["peak_memory_kb"].items()]
    lines.append(f"  CPU during the flows (s, and share of one core over {r['wall_s']:.0f} s):")
    lines += [
        f"    {name:28} {seconds:8.1f} s {seconds / r['wall_s']:6.0%}"
        for name, seconds in sorted(r["cpu_s"].items(), key=lambda item: -item[1])
    ]
    if r["failed"]:
        lines.append(f"  failed flows, e.g.: {r['failed'][0]}")
    return "\n".join(lines)
