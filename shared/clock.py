"""Time, injectable: services read it only through a `Clock`, never inside the domain.

OCOP's calendar dates (certificate issue and expiry, fair dates) are Vietnam dates, so
`today()` is the date in UTC+7 (Vietnam has no daylight saving time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
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


class FileClock:
    """The system clock shifted by the number of days written in a file, read on every
    call: tests (and demos) move every service's time forward by writing one file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def now(self) -> datetime:
        try:
            days = float(self.path.read_text().strip() or 0)
        except (OSError, ValueError):
            days = 0.0
        return datetime.now(UTC) + timedelta(days=days)

    def today(self) -> date:
        return self.now().astimezone(VIETNAM).date()


def clock_from_config(config: dict) -> Clock:
    """`CLOCK_FILE` (a file holding an offset in days) or `CLOCK_OFFSET_DAYS`; default the
    system clock."""
    if config.get("CLOCK_FILE"):
        return FileClock(Path(str(config["CLOCK_FILE"])))
    days = float(config.get("CLOCK_OFFSET_DAYS") or 0)
    return SystemClock(timedelta(days=days))
