"""Rebuild the catalogue from its journal and compare it with the live one.

    python -m services.trade_promotion.rebuild [--config CONFIG.yml] [--apply]

Replays every journalled event, in publication order, through the same fold as live
consumption, into memory; prints how many entries differ from the live catalogue (0 is
the expected answer) and, with `--apply`, writes the rebuilt entries over the live ones.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pymongo.database import Database

from services.trade_promotion import catalogue
from shared.config_files import load_config
from shared.documents import Change, Document, change
from shared.events import ProducerRegistered, ProductRegistered
from shared.events.envelope import _split_type
from shared.events.registry import read_stored
from shared.storage import mongo_client

COMPARED = (
    *catalogue.FACTS,
    "listed",
    "name",
    "stars",
    "certificate_number",
    "certificate_status",
    "expires_on",
    "producer_name",
    "province_code",
    "ward_code",
    "search_text",
    "sort_name",
)


def replay(journal: Any) -> dict[str, catalogue.Entry]:
    """The catalogue the journal folds into, as live consumption builds it."""
    entries: dict[str, catalogue.Entry] = {}
    producers: dict[str, tuple[ProducerRegistered, str]] = {}
    for record in journal:
        event = read_stored(*_split_type(record["type"]), record["data"])
        if event is None:
            continue
        if isinstance(event, ProducerRegistered):
            producers[event.producer_id] = (event, record["time"])
            for entry_id, entry in entries.items():
                if entry.get("producer_id") == event.producer_id:
                    entries[entry_id] = catalogue.fold(entry, event, record["time"])
            continue
        product_id = event.product_id  # type: ignore[attr-defined]
        entry = catalogue.fold(
            entries.get(product_id) or catalogue.empty(product_id), event, record["time"]
        )
        if isinstance(event, ProductRegistered) and event.producer_id in producers:
            entry = catalogue.fold(entry, *producers[event.producer_id])
        entries[product_id] = entry
    return entries


def differences(database: Database) -> tuple[dict[str, catalogue.Entry], list[str]]:
    rebuilt = replay(database.journal.find().sort([("time", 1), ("_id", 1)]))
    live = {doc["_id"]: doc for doc in database.catalogue.find()}
    differing = sorted(
        product_id
        for product_id in set(rebuilt) | set(live)
        if product_id not in rebuilt
        or product_id not in live
        or any(rebuilt[product_id].get(key) != live[product_id].get(key) for key in COMPARED)
    )
    return rebuilt, differing


def apply(database: Database, rebuilt: dict[str, catalogue.Entry]) -> None:
    """Write the rebuilt entries over the live ones, keeping their bookkeeping (version,
    applied ids, outbox), with the same versioned write as live consumption."""
    for product_id, entry in rebuilt.items():
        change(database.catalogue, product_id, overwrite_with(entry), create=True)
        stored = database.catalogue.find_one({"_id": product_id}) or {}
        database.catalogue_index.replace_one(
            {"_id": product_id}, catalogue.row(stored), upsert=True
        )


def overwrite_with(entry: catalogue.Entry) -> Change:
    def overwrite(current: Document) -> tuple[Document, list[Document]]:
        return {**current, **entry}, []

    return overwrite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="services/trade_promotion/config.yml")
    parser.add_argument(
        "--apply", action="store_true", help="write the rebuilt entries over the live ones"
    )
    args = parser.parse_args(argv)
    config = load_config(args.config)
    database = mongo_client(config["MONGO_URI"])[config["MONGO_DB"]]
    rebuilt, differing = differences(database)
    print(f"{len(rebuilt)} entries rebuilt from the journal; {len(differing)} differ from live")
    for product_id in differing[:20]:
        print(f"  differs: {product_id}")
    if args.apply:
        apply(database, rebuilt)
        print(f"applied {len(rebuilt)} entries")
    return 0 if not differing else 1


if __name__ == "__main__":
    sys.exit(main())
