"""Time, injectable: services read it only through a `Clock`, never inside the domain.

OCOP's calendar dates (certificate issue and expiry, fair dates) are Vietnam dates, so
`today()` is the date in UTC+7 (Vietnam has no daylight saving time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

VIETNAM = timezone(timedelta(hours=7), "ICT")


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """The real time, optionally shifted by a fixed offset (for demos and tests)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return self.now().astimezone(VIETNAM).date()


class FixedClock:
    """A clock that shows one moment until moved; for tests."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(VIETNAM).date()

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


def clock_from_config(config: dict) -> Clock:
    """`CLOCK_OFFSET_DAYS` (may be negative) shifts the system clock; default none."""
    days = float(config.get("CLOCK_OFFSET_DAYS") or 0)
    return SystemClock(timedelta(days=days))
