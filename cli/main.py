"""`ocop`: the platform's command line.

    ocop import RECORDS --province 08 [--dry-run]       a province's records (CSV folder, .xlsx)
    ocop replay --service S --since TIME --to-queue Q   a service's history to one queue
    ocop parked list|replay|drop --service S [--id ID ... | --all]
    ocop keys create|list|revoke                         API keys of provincial systems
    ocop broker subscriber create|list|delete           broker users of outside subscribers

Exit codes: 0 done, 1 some rows invalid or refused (each reported with its line and field),
2 the input or the platform could not be used at all.
"""

from __future__ import annotations

import argparse
import sys

from cli import broker, importing, keys, operators


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocop", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    importing.add_arguments(commands.add_parser("import", help="load a province's records"))
    operators.add_replay_arguments(
        commands.add_parser("replay", help="republish a service's events to one queue")
    )
    operators.add_parked_arguments(
        commands.add_parser("parked", help="list, replay or drop a service's parked messages")
    )
    keys.add_arguments(commands.add_parser("keys", help="create, list or revoke API keys"))
    broker.add_arguments(commands.add_parser("broker", help="broker users of outside subscribers"))
    arguments = parser.parse_args(argv)
    run = {
        "import": importing.run,
        "replay": operators.replay_history,
        "parked": operators.parked,
        "keys": keys.run,
        "broker": broker.run,
    }[arguments.command]
    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
