"""`ocop import`: check a province's records, then send them with a progress bar."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from tqdm import tqdm

from cli.exits import DONE, ROWS_REFUSED, UNUSABLE
from cli.importer.client import Client
from cli.importer.plan import Problem, plan
from cli.importer.run import PATIENCE_SECONDS, send
from cli.importer.sources import KINDS, SourceError, read_rows
from shared.devstack.credentials import local_key

DEFAULT_URLS = {
    "registration": "http://127.0.0.1:8001",
    "scoring": "http://127.0.0.1:8002",
    "certification": "http://127.0.0.1:8003",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("records", type=Path, help="a folder of <table>.csv files or a .xlsx")
    parser.add_argument("--province", required=True, help="two-digit code of the province")
    parser.add_argument("--dry-run", action="store_true", help="check every row, send none")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--wait-for-events",
        type=float,
        default=PATIENCE_SECONDS,
        metavar="SECONDS",
        help="how long a row may wait for scoring and certification to learn its product"
        f" from registration's events ({PATIENCE_SECONDS:.0f})",
    )
    parser.add_argument(
        "--api-key", help="the province's API key (default: OCOP_API_KEY, or var/dev-api-key)"
    )
    for service, url in DEFAULT_URLS.items():
        parser.add_argument(f"--{service}", default=url, help=f"{service} API ({url})")


def run(arguments: argparse.Namespace) -> int:
    if not (len(arguments.province) == 2 and arguments.province.isdigit()):
        print("--province: two digits, e.g. 08", file=sys.stderr)
        return UNUSABLE
    try:
        rows = read_rows(arguments.records)
    except SourceError as error:
        print(error, file=sys.stderr)
        return UNUSABLE
    checked = plan(rows, date.today())
    print(f"{checked.count()} valid rows, {len(checked.problems)} problems")
    for kind, names in checked.ignored_columns.items():
        print(f"{kind}: ignored columns {', '.join(sorted(names))} (not part of the format)")
    if arguments.dry_run:
        report(checked.problems)
        return ROWS_REFUSED if checked.problems else DONE
    api_key = arguments.api_key or local_key()
    if not api_key:
        print("--api-key: needed to send (or OCOP_API_KEY; `make run` writes var/dev-api-key)")
        return UNUSABLE
    urls = {service: getattr(arguments, service) for service in DEFAULT_URLS}
    started = time.monotonic()
    with tqdm(total=checked.count(), unit="rows", disable=None) as progress:
        outcome = send(
            checked,
            arguments.province,
            urls,
            client=Client(api_key),
            concurrency=max(1, arguments.concurrency),
            advance=progress.update,
            patience=max(0.0, arguments.wait_for_events),
        )
    seconds = time.monotonic() - started
    imported = sum(outcome.imported.values())
    counts = ", ".join(f"{kind} {count}" for kind, count in outcome.imported.items())
    print(f"accepted {imported} rows ({counts}) in {seconds:.1f} s: {imported / seconds:.0f}/s")
    print("(a row imported before is answered with its first record: nothing is stored twice)")
    report([*checked.problems, *outcome.problems])
    return ROWS_REFUSED if checked.problems or outcome.problems else DONE


def report(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=lambda each: (KINDS.index(each.kind), each.line)):
        print(problem)
