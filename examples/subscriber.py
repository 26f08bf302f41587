#!/usr/bin/env python3
"""Subscribe to OCOP events: a plain pika consumer an integrator can copy.

    python examples/subscriber.py --url amqp://guest:guest@127.0.0.1:5672/%2F \\
        --queue my-province.certificates --bind certification.events:certificate.* \\
        --bind trade_promotion.events:catalogue.listed

- a durable queue of your own, bound to the exchanges and routing keys you choose;
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
    parser.add_argument("--url", default="amqp://guest:guest@127.0.0.1:5672/%2F")
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
        "--idle-exit", type=float, default=0, help="stop after this many idle seconds (0: never)"
    )
    args = parser.parse_args()

    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    channel = connection.channel()
    channel.queue_declare(args.queue, durable=True)
    for binding in args.bind:
        exchange, routing_key = binding.split(":", 1)
        channel.exchange_declare(exchange, exchange_type="topic", durable=True)
        channel.queue_bind(args.queue, exchange, routing_key=routing_key)
    channel.basic_qos(prefetch_count=20)
    seen = Seen(args.seen)
    idle_since = time.monotonic()

    for method, _properties, body in channel.consume(args.queue, inactivity_timeout=1):
        if method is None:
            if args.idle_exit and time.monotonic() - idle_since > args.idle_exit:
                break
            continue
        idle_since = time.monotonic()
        try:
            event = json.loads(body)
            event_id = event["id"]
        except (ValueError, KeyError):
            print(json.dumps({"rejected": body[:200].decode(errors="replace")}), flush=True)
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
