"""`python -m tests.chaos [--flows N] [--concurrency C] [scenario ...]`: see the package doc."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tests.chaos.bus import Tap
from tests.chaos.platform import ChaosPlatform
from tests.chaos.scenarios import SCENARIOS, run_scenario

COLUMNS = ("scenario", "flows", "events", "lost", "duplicated", "parked", "drain_s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos")
    parser.add_argument("scenarios", nargs="*", help=f"some of {', '.join(SCENARIOS)} (all)")
    parser.add_argument("--flows", type=int, default=1000, help="flows per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pace", type=float, default=0.0, help="seconds between flow starts")
    parser.add_argument("--report", type=Path, default=Path("tests/artifacts/chaos.json"))
    arguments = parser.parse_args(argv)
    unknown = set(arguments.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario {', '.join(sorted(unknown))}")
    names = arguments.scenarios or list(SCENARIOS)
    rows = run(names, arguments.flows, arguments.concurrency, arguments.pace)
    print(table(rows))
    arguments.report.parent.mkdir(parents=True, exist_ok=True)
    arguments.report.write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    return 0 if passed(rows) else 1


def run(names: list[str], flows: int, concurrency: int, pace: float = 0.0) -> list[dict]:
    platform = ChaosPlatform()
    started = time.monotonic()
    platform.start()
    tap = Tap(platform.bus)
    tap.start()
    rows = []
    try:
        for name in names:
            print(f"{name}: {flows} flows…", file=sys.stderr, flush=True)
            rows.append(run_scenario(name, platform, tap, flows, concurrency, pace))
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        tap.stop()
        platform.stop()
    print(
        f"(platform logs were in {platform.folder}; {time.monotonic() - started:.0f} s)",
        file=sys.stderr,
    )
    return rows


def passed(rows: list[dict]) -> bool:
    return all(
        row["lost"] == 0
        and row["duplicated"] == 0
        and row["unexpected_parked"] == 0
        and not row["violations"]
        for row in rows
    )


def table(rows: list[dict]) -> str:
    widths = {c: max(len(c), *(len(str(row[c])) for row in rows)) for c in COLUMNS}
    lines = [" | ".join(c.ljust(widths[c]) for c in COLUMNS) + " | note"]
    lines.append("-|-".join("-" * widths[c] for c in COLUMNS) + "-|-----")
    for row in rows:
        cells = " | ".join(str(row[c]).ljust(widths[c]) for c in COLUMNS)
        lines.append(f"{cells} | {row['note']}")
        lines += [f"    {detail}" for detail in [*row["violations"], *row["detail"]]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
