"""Rate limits at the door (`limits.py` says what they are). `Guarded` calls `before` ahead
of the gate, so guessing credentials is throttled too; `admitted` once the caller is known;
`answered` with the answer. Writes and public reads are decided in memory, on this
instance's counts plus the totals every instance last shared; every `SHARE_SECONDS` each
instance stores its counts in one bulk write and reads the totals back in one query.
Sign-in attempts and failed authentications are counted in the store one by one (exact);
a client at the sign-in limit is refused before its credential is read, by this instance
at once and by the others from their next look at the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from nameko.extensions import SharedExtension
from pymongo.errors import PyMongoError
from werkzeug.wrappers import Request, Response

from shared.access.api_keys import DEFAULT_DB
from shared.access.caller import Caller
from shared.access.client_address import ClientAddresses
from shared.access.credentials import UNVERIFIED_ENVIRON, Presented, identity_of, presented_if_any
from shared.access.limit_store import LimitStore
from shared.access.limits import (
    PUBLIC_READS,
    SIGN_IN,
    WRITES,
    RateLimited,
    Slot,
    Tally,
    rates_from_config,
    watched,
)
from shared.access.roles import Access
from shared.metrics import count_rate_limited
from shared.storage import DEFAULT_MONGO_URI, mongo_client

SHARE_SECONDS = 1.0
FORGET_SECONDS = 60  # how often an instance deletes the documents of ended windows
READING = frozenset({"GET", "HEAD", "OPTIONS"})
ADDRESS_ENVIRON = "ocop.client_address"
LIMITED_ENVIRON = "ocop.retry_after"
log = logging.getLogger(__name__)


class Throttle(SharedExtension):
    def setup(self) -> None:
        config = self.container.config
        self.rates = rates_from_config(config)
        self.addresses = ClientAddresses.from_config(config)
        self.client = mongo_client(config.get("MONGO_URI") or DEFAULT_MONGO_URI)
        windows = {kind: rate.seconds for kind, rate in self.rates.items()}
        self.store = LimitStore(self.client[config.get("ACCESS_DB") or DEFAULT_DB], windows)
        self.tally = Tally()
        self.blocked: dict[str, float] = {}  # sign-in class: who -> until (epoch seconds)
        self.stopped = threading.Event()
        self.clock = time.time
        self.forgotten_at = 0.0
        self.shared_at = 0.0  # when this instance last shared its counts (tests wait on it)

    def start(self) -> None:
        self.container.spawn_managed_thread(self.keep_sharing, identifier="rate-limits")

    def stop(self) -> None:
        self.stopped.set()
        self.share()  # the last counts, so the other instances see them
        self.client.close()

    def kill(self) -> None:
        self.stopped.set()
        self.client.close()

    def keep_sharing(self) -> None:
        while not self.stopped.wait(SHARE_SECONDS):
            try:
                self.share()
            except Exception:  # a managed thread that dies stops the whole service
                log.exception("rate-limit counts not shared; trying again")

    def share(self) -> None:
        """Hands this instance's counts to the store and learns the totals of every client
        it counted, of every client at half a limit or more (wherever they called), and
        who reached the sign-in limit."""
        now = self.clock()
        handed = self.tally.hand_over()
        windows = watched(self.rates, now)
        try:
            totals = self.store.add_and_read(handed, windows)
            if now - self.forgotten_at >= FORGET_SECONDS:
                self.store.forget(now)
                self.forgotten_at = now
        except PyMongoError as exc:
            self.tally.take_back(handed)  # decided locally meanwhile; shared next time
            log.warning("rate-limit counts not shared: %s", exc)
            return
        busy = {slot: total for slot, total in totals.items() if slot.kind != SIGN_IN}
        self.tally.learn(busy, {kind: window for kind, (window, _) in windows.items()})
        self.blocked = {who: until for who, until in self.blocked.items() if until > now}
        for slot, total in totals.items():
            if slot.kind == SIGN_IN and total >= self.rates[SIGN_IN].count:
                self._block(slot.who, now)
        self.shared_at = now

    def before(
        self, request: Request, access: Access, *, signs_in: bool, cookie: bool, form: str | None
    ) -> None:
        """429 when the client's address, or the identity its credential claims, is over
        a limit; counts the request otherwise."""
        now = self.clock()
        address = request.environ[ADDRESS_ENVIRON] = f"ip:{self.addresses.of(request)}"
        credential = None if access.public else presented_if_any(request, cookie, form)
        reading = request.method in READING
        try:
            if access.public:
                self._take(PUBLIC_READS if reading else WRITES, address, now)
            else:
                self._before_gate(reading, signs_in, address, credential, now)
        except RateLimited as limited:
            self._refused(request, limited, credential)
            raise

    def _before_gate(
        self, reading: bool, signs_in: bool, address: str, credential: Presented | None, now: float
    ) -> None:
        identity = credential.identity() if credential else None
        self._refuse_if_blocked((address, identity), now)
        if signs_in:
            self._attempt((address, identity), now)
        elif not reading:
            self._take(WRITES, address, now)
            if identity and self.tally.full(self._slot(WRITES, identity, now), self.rates[WRITES]):
                raise self._limited(WRITES, now)  # decided only: counted once verified

    def admitted(self, request: Request, caller: Caller) -> None:
        """A write counts against the credential once it is verified (a forged one counts
        only against its address, so nobody can spend another's allowance)."""
        if request.method in READING or caller.via == "none":
            return
        identity = f"key:{caller.key_id}" if caller.via == "api_key" else f"sub:{caller.subject}"
        try:
            self._take(WRITES, identity, self.clock())
        except RateLimited as limited:
            self._refused(request, limited, None)
            raise

    def answered(self, request: Request, answer: Response, *, signs_in: bool) -> None:
        """`Retry-After` on a refusal; a failed authentication counted (a sign-in attempt
        was counted already)."""
        if LIMITED_ENVIRON in request.environ:
            answer.headers["Retry-After"] = str(request.environ[LIMITED_ENVIRON])
        elif answer.status_code == 401 and UNVERIFIED_ENVIRON in request.environ and not signs_in:
            identity = identity_of(request.environ[UNVERIFIED_ENVIRON])
            self._count_sign_in((request.environ.get(ADDRESS_ENVIRON), identity), self.clock())

    def _count_sign_in(self, whos: Iterable[str | None], now: float) -> list[int]:
        """Counted in the store at once; who reaches the limit is blocked for the window."""
        totals = []
        for who in (who for who in whos if who):
            totals.append(self._bump(self._slot(SIGN_IN, who, now)))
            if totals[-1] >= self.rates[SIGN_IN].count:
                self._block(who, now)
        return totals

    def _attempt(self, whos: Iterable[str | None], now: float) -> None:
        if any(total > self.rates[SIGN_IN].count for total in self._count_sign_in(whos, now)):
            raise self._limited(SIGN_IN, now)

    def _refuse_if_blocked(self, whos: Iterable[str | None], now: float) -> None:
        if any(who and self.blocked.get(who, 0) > now for who in whos):
            raise self._limited(SIGN_IN, now)

    def _take(self, kind: str, who: str, now: float) -> None:
        if not self.tally.admit(self._slot(kind, who, now), self.rates[kind]):
            raise self._limited(kind, now)

    def _bump(self, slot: Slot) -> int:
        try:
            return self.store.bump(slot)
        except PyMongoError as exc:  # counted here, and shared with the next bulk write
            log.warning("sign-in count kept locally: %s", exc)
            self.tally.pending[slot] += 1
            return self.tally.total(slot)

    def _block(self, who: str, now: float) -> None:
        rate = self.rates[SIGN_IN]
        self.blocked[who] = rate.window(now) + rate.seconds

    def _slot(self, kind: str, who: str, now: float) -> Slot:
        return Slot(kind, who, self.rates[kind].window(now))

    def _limited(self, kind: str, now: float) -> RateLimited:
        return RateLimited(kind, self.rates[kind].retry_after(now))

    def _refused(self, request: Request, limited: RateLimited, claimed: Presented | None) -> None:
        request.environ[LIMITED_ENVIRON] = limited.retry_after
        if claimed is not None:
            request.environ.setdefault(UNVERIFIED_ENVIRON, claimed.claims())
        count_rate_limited(self.container.service_name, limited.kind)
