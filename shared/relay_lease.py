"""One publishing relay per service, however many instances run.

Every instance runs a relay, but only the holder of the lease publishes; the others stand
by and take over when the holder stops (it gives the lease back) or dies (the lease runs
out after `ttl` seconds unrenewed). Without it, two instances would find the same pending
events and both publish them: no effect happens twice (consumers dedupe on the event id),
but every message would. The lease is a single document, taken and renewed by a
conditional update, so the store arbitrates and no clock but the holder's own matters
beyond the `ttl` margin.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

LEASES = "relay_lease"
DEFAULT_TTL = 15.0


def instance_name() -> str:
    return f"{socket.gethostname()}/{uuid.uuid4().hex[:8]}"


class RelayLease:
    def __init__(
        self,
        collection: Collection,
        *,
        owner: str | None = None,
        ttl: float = DEFAULT_TTL,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.collection = collection
        self.owner = owner or instance_name()
        self.ttl = ttl
        self.now = now
        self.held = False
        self.renewed_at = 0.0

    def hold(self) -> bool:
        """Take or renew the lease; True while this instance is the one to publish. A lease
        renewed less than a third of `ttl` ago is not written again: the relay asks before
        every batch, and a write each time was measurable load on the store."""
        now = self.now()
        if self.held and now - self.renewed_at < self.ttl / 3:
            return True
        renewed = self.collection.update_one(
            {"_id": "relay", "$or": [{"owner": self.owner}, {"until": {"$lt": now}}]},
            {"$set": {"owner": self.owner, "until": now + self.ttl}},
        )
        if renewed.matched_count == 0:
            try:
                self.collection.insert_one(
                    {"_id": "relay", "owner": self.owner, "until": now + self.ttl}
                )
            except DuplicateKeyError:  # another instance holds it
                self.held = False
                return False
        self.held, self.renewed_at = True, now
        return True

    def release(self) -> None:
        """Give the lease back so a standby takes over at once, not after `ttl`."""
        if self.held:
            self.collection.update_one(
                {"_id": "relay", "owner": self.owner}, {"$set": {"until": 0.0}}
            )
            self.held = False

    def holder(self) -> str | None:
        document = self.collection.find_one({"_id": "relay"})
        return None if document is None else str(document["owner"])
