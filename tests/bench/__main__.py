"""`python -m tests.bench [flow] [baselines] [catalogue] [-n N]`: measurements, never a
verdict (exit 0 whatever the figures). No part named: all three, in that order. Prints
each part's figures and writes them into docs/performance.md (`--no-write` to skip)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from tests.bench import baselines, catalogue, flow, report

PARTS = ("flow", "baselines", "catalogue")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("parts", nargs="*", help=f"some of {', '.join(PARTS)} (default: all)")
    parser.add_argument("-n", type=int, default=int(os.environ.get("N", "15000")))
    parser.add_argument("--concurrency", type=int, default=64, help="flow: HTTP clients")
    parser.add_argument("--events", type=int, default=baselines.DEFAULT_EVENTS, help="baselines: E")
    parser.add_argument("--rate", type=float, default=200.0, help="catalogue: requests/s")
    parser.add_argument("--seconds", type=float, default=30.0, help="catalogue: open loop")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    a = parser.parse_args(argv)
    if unknown := set(a.parts) - set(PARTS):
        parser.error(f"unknown part {', '.join(sorted(unknown))}")
    runs: dict[str, tuple[Callable[[], dict[str, Any]], Callable[[dict], str], str]] = {
        "flow": (lambda: flow.run(a.n, a.concurrency), flow.show, f"N={a.n}"),
        "baselines": (
            lambda: baselines.run(a.events),
            baselines.show,
            f"E={a.events}, a fixed count, not the flow's",
        ),
        "catalogue": (
            lambda: catalogue.run(a.n, rate=a.rate, seconds=a.seconds),
            catalogue.show,
            f"N={a.n}",
        ),
    }
    info = report.machine()
    print("\n".join(f"{key}: {value}" for key, value in info.items()), flush=True)
    blocks = {"machine": report.machine_block(info)}
    for part in a.parts or PARTS:
        measure, show, note = runs[part]
        started = time.monotonic()
        print(f"\n== {part} ({note}) ==", file=sys.stderr, flush=True)
        text = show(measure())
        text += f"\n  (this part took {time.monotonic() - started:.0f} s)"
        print(f"\n{text}", flush=True)
        blocks[part] = report.part_block(text, info, note)
        if not a.no_write:  # as each part ends, so a later failure keeps what was measured
            report.write(blocks)
    if not a.no_write:
        print(f"\nwritten to {report.DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
