#!/usr/bin/env python3
"""Subscribe to OCOP events: a plain pika consumer an integrator can copy.

    python examples/subscriber.py --url amqp://so-cong-thuong:PASSWORD@127.0.0.1:5672/ocop \\
        --queue so-cong-thuong.certificates --bind certification.events:certificate.* \\
        --bind trade_promotion.events:catalogue.listed

- your broker user (`ocop broker subscriber create so-cong-thuong --read ...` makes it) may
  read the exchanges it was allowed and use queues named `<user>.<anything>`;
- a durable queue of your own, bound to the exchanges and routing keys you choose;
- the sender is checked: every event carries the AMQP `user_id` of the service that
  published it, which RabbitMQ verified; an event whose `user_id` is not the user of the
  service its CloudEvents `source` names (`/ocop/certification` -> `certification`) is
  rejected, whatever its body says;
- manual acks, after the event is handled (a crash redelivers, never loses);
- delivery is at least once: the CloudEvents `id` of every handled event is kept (in a
  small SQLite file) and a repeated id is acked and skipped;
- unknown fields are ignored; the event's `type` ends in `.v<N>`: handle the versions
  you know and log the others.
Needs only `pika` (pip install pika). Prints one JSON line per handled event.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time

import pika


def handle(event: dict) -> None:
    """Your code goes here. This example prints what it received."""
    print(
        json.dumps(
            {
                "handled": event["type"],
                "id": event["id"],
                "subject": event.get("subject"),
                "data": event["data"],
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def forged(event: dict, user_id: str | None, publisher_prefix: str) -> str | None:
    """Why the event cannot be from the service it names, or None if it is."""
    source = str(event.get("source", ""))
    if not source.startswith("/ocop/"):
        return f"unknown source {source!r}"
    expected = publisher_prefix + source.removeprefix("/ocop/")
    if user_id != expected:
        return f"sent by {user_id or 'an unnamed user'}, not by {expected}"
    return None


class Seen:
    """Ids of handled events, kept across restarts."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)")

    def __contains__(self, event_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM seen WHERE id = ?", (event_id,)).fetchone() is not None
        )

    def add(self, event_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (event_id,))
        self.db.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description="Consume OCOP events from RabbitMQ.")
    parser.add_argument("--url", required=True, help="amqp://USER:PASSWORD@HOST:5672/ocop")
    parser.add_argument("--queue", required=True, help="your durable queue's name")
    parser.add_argument(
        "--bind",
        action="append",
        required=True,
        metavar="EXCHANGE:ROUTING_KEY",
        help="e.g. certification.events:certificate.issued (repeatable; # and * allowed)",
    )
    parser.add_argument("--seen", default="seen-events.sqlite3", help="where handled ids are kept")
    parser.add_argument(
        "--publisher-prefix",
        default="",
        help="the platform's broker users are <prefix><service> (empty in production)",
    )
    parser.add_argument(
        "--idle-exit", type=float, default=0, help="stop after this many idle seconds (0: never)"
    )
    args = parser.parse_args()

    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    channel = connection.channel()
    channel.queue_declare(args.queue, durable=True)
    for binding in args.bind:
        exchange, routing_key = binding.split(":", 1)
        channel.exchange_declare(exchange, passive=True)  # it exists; you may only read it
        channel.queue_bind(args.queue, exchange, routing_key=routing_key)
    channel.basic_qos(prefetch_count=20)
    seen = Seen(args.seen)
    idle_since = time.monotonic()

    for method, properties, body in channel.consume(args.queue, inactivity_timeout=1):
        if method is None:
            if args.idle_exit and time.monotonic() - idle_since > args.idle_exit:
                break
            continue
        idle_since = time.monotonic()
        try:
            event = json.loads(body)
            event_id = event["id"]
            why = forged(event, properties.user_id, args.publisher_prefix)
        except (ValueError, KeyError, TypeError, AttributeError):
            event_id, why = None, "not a CloudEvent"
        if why is not None:
            preview = body[:200].decode(errors="replace")
            print(json.dumps({"rejected": event_id or preview, "reason": why}), flush=True)
            channel.basic_nack(
                method.delivery_tag, requeue=False
            )  # dead-letter it if you configured one
            continue
        if event_id in seen:
            print(json.dumps({"duplicate": event_id}), flush=True)
        else:
            handle(event)
            seen.add(event_id)
        channel.basic_ack(method.delivery_tag)
    channel.cancel()
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
