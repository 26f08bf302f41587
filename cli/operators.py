"""`ocop replay` and `ocop parked`: operators' commands, straight to the store and broker
named in the service's own `config.yml` (with the same environment overrides), so they
work while the service is down too."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cli.exits import DONE, UNUSABLE

SERVICES = ("registration", "scoring", "certification", "trade_promotion")


def add_replay_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--service", required=True, choices=SERVICES)
    parser.add_argument("--since", required=True, type=moment, help="RFC 3339 time or a date")
    parser.add_argument("--to-queue", required=True, help="the subscriber's (existing) queue")
    parser.add_argument("--type", action="append", default=[], help="only this routing key")


def add_parked_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "replay", "drop"))
    parser.add_argument("--service", required=True, choices=SERVICES)
    parser.add_argument("--id", action="append", default=[], help="a parked message's id")
    parser.add_argument("--all", action="store_true", help="every parked message")
    parser.add_argument("--limit", type=int, default=100, help="how many to list")
    parser.add_argument("--json", action="store_true", help="list as JSON lines")


def replay_history(arguments: argparse.Namespace) -> int:
    from pymongo import MongoClient

    from shared.errors import InvalidInput
    from shared.replay import replay

    config = service_config(arguments.service)
    client: MongoClient = MongoClient(config["MONGO_URI"], serverSelectionTimeoutMS=5000)
    try:
        count = replay(
            client[config["MONGO_DB"]],
            config["AMQP_URI"],
            arguments.to_queue,
            arguments.since,
            tuple(arguments.type),
            service=arguments.service,
        )
    except InvalidInput as error:
        print(error.message, file=sys.stderr)
        return UNUSABLE
    finally:
        client.close()
    print(f"replayed {count} events of {arguments.service} to {arguments.to_queue}")
    return DONE


def parked(arguments: argparse.Namespace) -> int:
    from shared.parking import drop_parked, list_parked, replay_parked

    amqp_uri = service_config(arguments.service)["AMQP_URI"]
    if arguments.action == "list":
        total, messages = list_parked(amqp_uri, arguments.service, arguments.limit)
        for each in messages:
            print(json.dumps(vars(each), ensure_ascii=False) if arguments.json else _line(each))
        print(f"{total} parked in {arguments.service}.parked", file=sys.stderr)
        return DONE
    if bool(arguments.id) == arguments.all:
        print("give --id (repeatable) or --all", file=sys.stderr)
        return UNUSABLE
    chosen = None if arguments.all else set(arguments.id)
    take = replay_parked if arguments.action == "replay" else drop_parked
    done = take(amqp_uri, arguments.service, chosen)
    verb = "replayed" if arguments.action == "replay" else "dropped"
    print(f"{verb} {len(done)}: {' '.join(done)}".rstrip(": "))
    missing = sorted((chosen or set()) - set(done))
    if missing:
        print(f"not parked (replayed or dropped already?): {' '.join(missing)}", file=sys.stderr)
    return DONE


def _line(each: Any) -> str:
    return f"{each.id}  {each.type or '-'}  {each.attempts}×  {each.queue}  {each.reason}"


def service_config(service: str) -> dict[str, Any]:
    """The service's configuration; without AMQP_URI in the environment, the service's own
    login to the development broker that `make run` set up (var/broker/)."""
    from shared.config_files import load_config
    from shared.devstack.credentials import BROKER_DIR, dev_amqp_uri

    config = load_config(Path(__file__).parents[1] / "services" / service / "config.yml")
    if not os.environ.get("AMQP_URI") and (BROKER_DIR / f"{service}.password").exists():
        config["AMQP_URI"] = dev_amqp_uri(service)
    return config


def moment(text: str) -> str:
    """An RFC 3339 UTC time as stored with the events (a bare date means its midnight UTC)."""
    from shared.events import rfc3339

    if len(text) == 10:
        return f"{date.fromisoformat(text).isoformat()}T00:00:00.000Z"
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-01-01T00:00:00+07:00")
    return rfc3339(when)
