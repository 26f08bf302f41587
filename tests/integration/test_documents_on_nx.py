"""Whole-document writes against the real nx-27017: no lost update, no double effect."""

import threading

import pytest
from pymongo import MongoClient

from shared.documents import OUTBOX, apply_once, change, insert


@pytest.fixture
def collection(store_uri, database_name):
    client = MongoClient(store_uri)
    yield client[database_name].things
    client.drop_database(database_name)
    client.close()


def test_concurrent_changes_lose_nothing(collection):
    insert(collection, {"_id": "counter", "hits": []})

    def hit(worker: int) -> None:
        for n in range(25):
            change(
                collection,
                "counter",
                lambda doc, n=n: ({**doc, "hits": [*doc["hits"], f"{worker}-{n}"]}, []),
            )

    threads = [threading.Thread(target=hit, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    hits = collection.find_one({"_id": "counter"})["hits"]
    assert len(hits) == 100 and len(set(hits)) == 100


def test_an_event_applied_twice_has_one_effect(collection):
    def add_one(doc):
        return {**doc, "count": doc.get("count", 0) + 1}, [{"id": "out", "time": "t"}]

    assert apply_once(collection, "listing", "event-1", add_one) is True
    assert apply_once(collection, "listing", "event-1", add_one) is False
    assert apply_once(collection, "listing", "event-2", add_one) is True
    document = collection.find_one({"_id": "listing"})
    assert document["count"] == 2 and document["applied"] == ["event-1", "event-2"]
    assert len(document[OUTBOX]) == 2


def test_concurrent_duplicates_have_one_effect(collection):
    def add_one(doc):
        return {**doc, "count": doc.get("count", 0) + 1}, []

    results: list[bool] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(apply_once(collection, "l", "same-event", add_one))
        )
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert collection.find_one({"_id": "l"})["count"] == 1


def test_insert_reports_a_duplicate_key_instead_of_raising(collection):
    assert insert(collection, {"_id": "x"}) is True
    assert insert(collection, {"_id": "x"}) is False


def test_a_change_that_rebuilds_the_document_keeps_unsent_events(collection):
    """Entities are rebuilt from scratch on every change; pending events must survive that."""
    insert(
        collection,
        {"_id": "e", "status": "open"},
        [{"id": "m0", "time": "2026-01-01T00:00:00.000Z"}],
    )
    for n in (1, 2):
        change(
            collection,
            "e",
            lambda doc, n=n: (
                {"_id": "e", "status": f"step {n}"},
                [{"id": f"m{n}", "time": "2026-01-02T00:00:00.000Z"}],
            ),
        )
    document = collection.find_one({"_id": "e"})
    assert [entry["id"] for entry in document[OUTBOX]] == ["m0", "m1", "m2"]
    assert document["status"] == "step 2" and document["outbox_since"] == "2026-01-01T00:00:00.000Z"


def test_applied_ids_survive_a_rebuilding_change(collection):
    apply_once(collection, "l", "event-1", lambda doc: ({"_id": "l", "v": 1}, []))
    change(collection, "l", lambda doc: ({"_id": "l", "v": 2}, []))
    assert apply_once(collection, "l", "event-1", lambda doc: ({"_id": "l", "v": 3}, [])) is False
    assert collection.find_one({"_id": "l"})["v"] == 2


def test_the_relay_removes_sent_events_in_bulk_without_losing_a_concurrent_change(collection):
    """The relay read the documents, published their events, and meanwhile one document
    changed (a new event too): the bulk write skips it, the retry keeps its change."""
    from shared.outbox import remove_sent

    def entry(n: int) -> dict:
        return {"id": f"e{n}", "time": f"2026-11-28T00:00:0{n}.000Z", "event": {}}

    for n in range(3):
        insert(collection, {"_id": f"d{n}", "state": "old"}, [entry(n)])
    read = list(collection.find().sort("_id", 1))
    change(collection, "d1", lambda doc: ({**doc, "state": "new"}, [entry(9)]))
    remove_sent(collection, [(document, list(document[OUTBOX])) for document in read])
    stored = {doc["_id"]: doc for doc in collection.find()}
    assert [stored[f"d{n}"][OUTBOX] for n in (0, 2)] == [[], []]
    assert stored["d1"]["state"] == "new"
    assert [e["id"] for e in stored["d1"][OUTBOX]] == ["e9"]  # sent e1 gone, new e9 kept
