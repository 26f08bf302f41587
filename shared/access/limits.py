"""Rate limits: how many requests of a class one client may make in a window (pure: no
I/O, the time is passed in). `Throttle` (throttle.py) applies them to HTTP requests.

Three classes (docs/access.md): `writes`, per credential and per client address;
`sign_in`, sign-in attempts and failed authentications, per address and per claimed
identity; `public_reads`, per address. A limit is "N/S": N requests in a window of S
seconds. Windows are fixed: the window a moment falls in starts at a multiple of S seconds
since the epoch, so every instance agrees on it without asking the others, and one stored
document counts a client's window for all of them. The price: across a window's edge a
client may get up to 2N through in S seconds.

`Tally` keeps the counts of the busy classes (writes, public reads) so that a decision
costs no store command: what this instance admitted since it last shared its counts, on
top of the totals all instances had stored when it last looked.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import DomainError

WRITES = "writes"
SIGN_IN = "sign_in"
PUBLIC_READS = "public_reads"
CLASSES = (WRITES, SIGN_IN, PUBLIC_READS)
# what a province would run (docs/operations.md): N requests in S seconds
DEFAULTS = {WRITES: "300/10", SIGN_IN: "20/300", PUBLIC_READS: "1200/60"}
SETTINGS = {
    WRITES: "RATE_LIMIT_WRITES",
    SIGN_IN: "RATE_LIMIT_SIGN_IN",
    PUBLIC_READS: "RATE_LIMIT_PUBLIC_READS",
}
WHAT = {
    WRITES: "writes",
    SIGN_IN: "sign-in attempts and failed authentications",
    PUBLIC_READS: "public reads",
}


@dataclass(frozen=True)
class Rate:
    """At most `count` requests in each window of `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, setting: str) -> Rate:
        """`"600/60"`: 600 requests a window of 60 seconds; ValueError naming the setting."""
        count, slash, seconds = str(text).strip().partition("/")
        if not (slash and count.strip().isdigit() and seconds.strip().isdigit()):
            raise ValueError(f"{setting}: {text!r} is not N/S (N requests in S seconds)")
        rate = cls(int(count), int(seconds))
        if rate.count < 1 or rate.seconds < 1:
            raise ValueError(f"{setting}: {text!r}: N and S must be at least 1")
        return rate

    def window(self, now: float) -> int:
        """Where the window holding `now` starts (seconds since the epoch)."""
        return int(now // self.seconds) * self.seconds

    def retry_after(self, now: float) -> int:
        """Whole seconds until the window holding `now` ends (at least 1)."""
        return max(1, math.ceil(self.window(now) + self.seconds - now))


def rates_from_config(config: Mapping[str, Any]) -> dict[str, Rate]:
    """Each class's rate from its setting, else its default; ValueError naming a bad one."""
    return {
        kind: Rate.parse(str(config.get(SETTINGS[kind]) or DEFAULTS[kind]), SETTINGS[kind])
        for kind in CLASSES
    }


def watched(rates: Mapping[str, Rate], now: float) -> dict[str, tuple[int, int]]:
    """Per class, its window now and the count from which every instance wants to know a
    client's total, whichever instance it called: the sign-in limit itself (to refuse the
    client before its credential is read), half the limit of the others (busy clients)."""
    return {
        kind: (rate.window(now), rate.count if kind == SIGN_IN else max(1, rate.count // 2))
        for kind, rate in rates.items()
    }


@dataclass(frozen=True)
class Slot:
    """One client's count in one class and window: `who` is `ip:<address>`,
    `key:<API key id>` or `sub:<token subject>`."""

    kind: str
    who: str
    window: int

    @property
    def id(self) -> str:
        return f"{self.kind}|{self.who}|{self.window}"


class RateLimited(DomainError):
    """429: over a limit; `retry_after` seconds until the window ends."""

    status = 429

    def __init__(self, kind: str, retry_after: int) -> None:
        super().__init__(f"too many {WHAT[kind]}: try again in {retry_after} s")
        self.kind, self.retry_after = kind, retry_after


class Tally:
    """Counts of the busy classes in this instance: `pending` (admitted here, not yet shared)
    and `shared` (the stored totals of every instance when last read, plus what this
    instance has since handed over for storing). Decisions take no store command; green
    threads switch only on I/O, so each method runs whole."""

    def __init__(self) -> None:
        self.pending: Counter[Slot] = Counter()
        self.shared: dict[Slot, int] = {}

    def total(self, slot: Slot) -> int:
        return self.shared.get(slot, 0) + self.pending[slot]

    def admit(self, slot: Slot, rate: Rate) -> bool:
        """Count one more and say yes, or say no (a refusal is not counted)."""
        if self.total(slot) >= rate.count:
            return False
        self.pending[slot] += 1
        return True

    def full(self, slot: Slot, rate: Rate) -> bool:
        return self.total(slot) >= rate.count

    def hand_over(self) -> dict[Slot, int]:
        """The pending counts, to be stored; meanwhile decisions still see them."""
        handed, self.pending = dict(self.pending), Counter()
        for slot, count in handed.items():
            self.shared[slot] = self.shared.get(slot, 0) + count
        return handed

    def take_back(self, handed: Mapping[Slot, int]) -> None:
        """The store did not take them: pending again, for the next try."""
        for slot, count in handed.items():
            self.shared[slot] = max(0, self.shared.get(slot, 0) - count)
            self.pending[slot] += count

    def learn(self, totals: Mapping[Slot, int], current: Mapping[str, int]) -> None:
        """The stored totals; slots of windows no longer current (`current`: each class's
        window now) are forgotten."""
        self.shared = {
            slot: max(count, totals.get(slot, 0))
            for slot, count in {**self.shared, **totals}.items()
            if current.get(slot.kind) == slot.window
        }
        for slot in [slot for slot in self.pending if current.get(slot.kind) != slot.window]:
            del self.pending[slot]  # a past window: its count no longer decides anything
