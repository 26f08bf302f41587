"""Operators' endpoints every service has: replay its event history to a new subscriber,
and deal with its parked messages (list, replay after a fix, drop)."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from werkzeug.wrappers import Request

from shared.events import rfc3339
from shared.parking import drop_parked, list_parked, replay_parked
from shared.replay import replay
from shared.web.api import api

EventId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime
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


class Admin:
    name: str
    store: Any

    @api("POST", "/admin/replay", body=ReplayIn, response=ReplayOut)
    def replay(self, request: Request, body: ReplayIn) -> ReplayOut:
        """Republish this service's events since a time to one subscriber's queue, in order."""
        count = replay(
            self.store.db, self._amqp_uri(), body.to_queue, rfc3339(body.since), tuple(body.types)
        )
        return ReplayOut(replayed=count)

    @api("GET", "/admin/parked", query=ParkedQuery, response=ParkedList)
    def parked(self, request: Request, query: ParkedQuery) -> ParkedList:
        """The messages this service parked: why, how many attempts, from where."""
        total, messages = list_parked(self._amqp_uri(), self.name, query.limit)
        return ParkedList(
            total=total, messages=[ParkedOut.model_validate(vars(each)) for each in messages]
        )

    @api("POST", "/admin/parked/replay", body=ParkedChoice, response=ParkedTaken)
    def replay_parked(self, request: Request, body: ParkedChoice) -> ParkedTaken:
        """Send parked messages back to their handlers (after the cause is fixed); handlers
        are idempotent on the event id, so a message replayed twice has one effect."""
        ids = replay_parked(self._amqp_uri(), self.name, body.chosen())
        return ParkedTaken(count=len(ids), ids=ids)

    @api("POST", "/admin/parked/drop", body=ParkedChoice, response=ParkedTaken)
    def drop_parked(self, request: Request, body: ParkedChoice) -> ParkedTaken:
        """Remove parked messages for good (ones that can never succeed, once understood)."""
        ids = drop_parked(self._amqp_uri(), self.name, body.chosen())
        return ParkedTaken(count=len(ids), ids=ids)

    def _amqp_uri(self) -> str:
        return str(self.store.probe.amqp_uri)
