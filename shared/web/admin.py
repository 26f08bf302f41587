"""Operators' endpoints every service has: replay its event history to a new subscriber,
and deal with its parked messages (list, replay after a fix, drop)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from werkzeug.wrappers import Request

from shared.access.audit import AuditTrail
from shared.access.roles import OPERATOR, allow
from shared.events import rfc3339
from shared.parking import drop_parked, list_parked, replay_parked
from shared.replay import replay
from shared.web.api import api

OPERATORS = allow(OPERATOR)
RFC3339_START = re.compile(r"^\d{4}-\d{2}-\d{2}T")
EventId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def in_utc(moment: datetime) -> datetime:
    """`moment` in UTC; 0001-01-01T00:00+00:01 has no UTC time (it would be year 0)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC") from None


Moment = Annotated[AwareDatetime, AfterValidator(in_utc)]


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: Moment
    to_queue: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    types: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_]+$")]] = []


class ReplayOut(BaseModel):
    replayed: int


class ParkedQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: Annotated[int, Field(ge=1, le=1000)] = 100


class ParkedOut(BaseModel):
    id: str
    type: str | None
    reason: str
    attempts: int
    queue: str
    sender: str | None = Field(
        default=None, description="the broker user that first published it, as the broker vouched"
    )
    parked_at: str
    original_exchange: str
    original_routing_key: str
    body_preview: str


class ParkedList(BaseModel):
    total: int
    messages: list[ParkedOut]


class ParkedChoice(BaseModel):
    """Some parked messages by id, or `all`; never both, never neither."""

    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[EventId], Field(max_length=10_000)] = []
    all: bool = False

    @model_validator(mode="after")
    def one_way(self) -> Self:
        if bool(self.ids) == self.all:
            raise ValueError("give either ids or all: true")
        return self

    def chosen(self) -> set[str] | None:
        return None if self.all else set(self.ids)


class ParkedTaken(BaseModel):
    count: int
    ids: list[str]


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: Moment | None = None  # RFC 3339 only (not a bare number of seconds)
    subject: Annotated[str, StringConstraints(max_length=200)] | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = 100

    @field_validator("since", mode="before")
    @classmethod
    def rfc3339_only(cls, value: Any) -> Any:
        if isinstance(value, str) and not RFC3339_START.match(value):
            raise ValueError("an RFC 3339 time, e.g. 2026-11-01T00:00:00Z")
        return value


class AuditCaller(BaseModel):
    subject: str
    name: str
    via: str
    key_id: str | None
    roles: list[str]


class AuditEntryOut(BaseModel):
    at: str
    method: str
    route: str
    path: str
    query: str = ""
    idempotency_key: str | None = None
    status: int
    correlation_id: str
    caller: AuditCaller | None
    claimed: dict[str, str] | None = None
    remote_addr: str | None
    forwarded_for: str | None = None


class Admin:
    name: str
    store: Any

    @api("POST", "/admin/replay", access=OPERATORS, body=ReplayIn, response=ReplayOut)
    def replay(self, request: Request, body: ReplayIn) -> ReplayOut:
        """Republish this service's events since a time to one subscriber's queue, in order."""
        count = replay(
            self.store.db,
            self._amqp_uri(),
            body.to_queue,
            rfc3339(body.since),
            tuple(body.types),
            service=self.name,
        )
        return ReplayOut(replayed=count)

    @api("GET", "/admin/parked", access=OPERATORS, query=ParkedQuery, response=ParkedList)
    def parked(self, request: Request, query: ParkedQuery) -> ParkedList:
        """The messages this service parked: why, how many attempts, from where."""
        total, messages = list_parked(self._amqp_uri(), self.name, query.limit)
        return ParkedList(
            total=total, messages=[ParkedOut.model_validate(vars(each)) for each in messages]
        )

    @api("POST", "/admin/parked/replay", access=OPERATORS, body=ParkedChoice, response=ParkedTaken)
    def replay_parked(self, request: Request, body: ParkedChoice) -> ParkedTaken:
        """Send parked messages back to their handlers (after the cause is fixed); handlers
        are idempotent on the event id, so a message replayed twice has one effect."""
        ids = replay_parked(self._amqp_uri(), self.name, body.chosen())
        return ParkedTaken(count=len(ids), ids=ids)

    @api("POST", "/admin/parked/drop", access=OPERATORS, body=ParkedChoice, response=ParkedTaken)
    def drop_parked(self, request: Request, body: ParkedChoice) -> ParkedTaken:
        """Remove parked messages for good (ones that can never succeed, once understood)."""
        ids = drop_parked(self._amqp_uri(), self.name, body.chosen())
        return ParkedTaken(count=len(ids), ids=ids)

    @api("GET", "/admin/audit", access=OPERATORS, query=AuditQuery, response=list[AuditEntryOut])
    def audit_trail(self, request: Request, query: AuditQuery) -> list[AuditEntryOut]:
        """Writes to this service, newest first: who (or which key), what, and the answer;
        refused attempts included."""
        since = rfc3339(query.since) if query.since else None
        entries = AuditTrail(self.store.db).read(since, query.subject, query.limit)
        return [AuditEntryOut.model_validate(each) for each in entries]

    def _amqp_uri(self) -> str:
        return str(self.store.probe.amqp_uri)
