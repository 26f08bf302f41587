"""`ocop`: the platform's command line.

    ocop import RECORDS --province 08 [--dry-run]      a province's records, CSV folder or .xlsx
    ocop replay --service S --since TIME --to-queue Q  a service's history to one queue

Exit codes: 0 done, 1 some rows invalid or refused (each reported with its line and field),
2 the input or the platform could not be used at all.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path

from tqdm import tqdm

from cli.importer.client import Client
from cli.importer.plan import Problem, plan
from cli.importer.run import send
from cli.importer.sources import KINDS, SourceError, read_rows

DONE, ROWS_REFUSED, UNUSABLE = 0, 1, 2
SERVICES = ("registration", "scoring", "certification", "trade_promotion")
DEFAULT_URLS = {
    "registration": "http://127.0.0.1:8001",
    "scoring": "http://127.0.0.1:8002",
    "certification": "http://127.0.0.1:8003",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocop", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="load a province's historical records")
    importing.add_argument("records", type=Path, help="a folder of <table>.csv files or a .xlsx")
    importing.add_argument("--province", required=True, help="two-digit code of the province")
    importing.add_argument("--dry-run", action="store_true", help="check every row, send none")
    importing.add_argument("--concurrency", type=int, default=8)
    for service, url in DEFAULT_URLS.items():
        importing.add_argument(f"--{service}", default=url, help=f"{service} API ({url})")
    replaying = commands.add_parser("replay", help="republish a service's events to one queue")
    replaying.add_argument("--service", required=True, choices=SERVICES)
    replaying.add_argument("--since", required=True, type=_moment, help="RFC 3339 time or date")
    replaying.add_argument("--to-queue", required=True, help="the subscriber's (existing) queue")
    replaying.add_argument("--type", action="append", default=[], help="only this routing key")
    arguments = parser.parse_args(argv)
    if arguments.command == "import":
        return import_records(arguments)
    return replay_history(arguments)


def import_records(arguments: argparse.Namespace) -> int:
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
    urls = {service: getattr(arguments, service) for service in DEFAULT_URLS}
    started = time.monotonic()
    with tqdm(total=checked.count(), unit="rows", disable=None) as progress:
        outcome = send(
            checked,
            arguments.province,
            urls,
            client=Client(),
            concurrency=max(1, arguments.concurrency),
            advance=progress.update,
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


def replay_history(arguments: argparse.Namespace) -> int:
    from pymongo import MongoClient

    from shared.config_files import load_config
    from shared.errors import InvalidInput
    from shared.replay import replay

    config = load_config(Path(__file__).parents[1] / "services" / arguments.service / "config.yml")
    client: MongoClient = MongoClient(config["MONGO_URI"], serverSelectionTimeoutMS=5000)
    try:
        count = replay(
            client[config["MONGO_DB"]],
            config["AMQP_URI"],
            arguments.to_queue,
            arguments.since,
            tuple(arguments.type),
        )
    except InvalidInput as error:
        print(error.message, file=sys.stderr)
        return UNUSABLE
    finally:
        client.close()
    print(f"replayed {count} events of {arguments.service} to {arguments.to_queue}")
    return DONE


def _moment(text: str) -> str:
    """An RFC 3339 UTC time as stored with the events (a bare date means its midnight UTC)."""
    from shared.events import rfc3339

    if len(text) == 10:
        return f"{date.fromisoformat(text).isoformat()}T00:00:00.000Z"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-01-01T00:00:00+07:00")
    return rfc3339(moment)


if __name__ == "__main__":
    sys.exit(main())
