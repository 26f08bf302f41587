"""Where every instance of every service shares its rate-limit counts: the collection
`rate_limits` of the access database (`ACCESS_DB`), one document a client, class and
window (`{_id: "<class>|<who>|<window>", count, kind, who, window, ends}`)."""

from __future__ import annotations

from collections.abc import Mapping

from pymongo import ReturnDocument, UpdateOne
from pymongo.database import Database

from shared.access.limits import Slot

COLLECTION = "rate_limits"


class LimitStore:
    def __init__(self, database: Database, windows: Mapping[str, int]) -> None:
        self.counts = database[COLLECTION]
        self.windows = dict(windows)  # each class's window, in seconds

    def add_and_read(
        self, counts: Mapping[Slot, int], watched: Mapping[str, tuple[int, int]]
    ) -> dict[Slot, int]:
        """Adds this instance's counts in one bulk write, then reads in one query the totals
        of those slots and of every slot at or over a threshold in the classes `watched`
        (class -> (current window, threshold)): the busy clients, whichever instance they
        came to."""
        if counts:
            self.counts.bulk_write([self._increment(slot, n) for slot, n in counts.items()])
        wanted: list[dict] = [{"_id": {"$in": [slot.id for slot in counts]}}] if counts else []
        wanted += [
            {"kind": kind, "window": window, "count": {"$gte": threshold}}
            for kind, (window, threshold) in watched.items()
        ]
        if not wanted:
            return {}
        return {
            Slot(found["kind"], found["who"], found["window"]): found["count"]
            for found in self.counts.find({"$or": wanted})
        }

    def bump(self, slot: Slot) -> int:
        """One more in `slot`, counted at once: the total after it."""
        found = self.counts.find_one_and_update(
            {"_id": slot.id},
            {"$inc": {"count": 1}, "$set": self._fields(slot)},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(found["count"]) if found else 1

    def forget(self, before: float) -> None:
        """Windows that ended before `before` no longer count."""
        self.counts.delete_many({"ends": {"$lt": before}})

    def _increment(self, slot: Slot, count: int) -> UpdateOne:
        return UpdateOne(
            {"_id": slot.id}, {"$inc": {"count": count}, "$set": self._fields(slot)}, upsert=True
        )

    def _fields(self, slot: Slot) -> dict:
        # set again on every increment (the same values): nx-27017 drops $setOnInsert on
        # an upsert, and a document without `ends` would never be forgotten
        ends = slot.window + self.windows[slot.kind]
        return {"kind": slot.kind, "who": slot.who, "window": slot.window, "ends": ends}
