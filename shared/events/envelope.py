"""CloudEvents 1.0 structured-mode envelope: the one shape every message has on the wire.

Publishing wraps an `Event` payload in an envelope (`envelope`); consuming validates the
envelope, checks it came from the exchange it arrived on, picks the payload model by type
and version, and upcasts older versions (`parse`). Anything that fails here can never
succeed on retry, so the consumer parks it at once with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from shared.events.base import EVENT_TYPE_PREFIX, Event
from shared.events.registry import model_for, upcast

CONTENT_TYPE = "application/cloudevents+json"

E = TypeVar("E", bound=Event)
_TYPE = re.compile(
    rf"^{re.escape(EVENT_TYPE_PREFIX)}(?P<name>[a-z_]+\.[a-z_]+)\.v(?P<version>\d+)$"
)


class CloudEvent(BaseModel):
    """The envelope's attributes; extension attributes are allowed and kept."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"]
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    time: AwareDatetime
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str | None = Field(
        default=None, description="extension: the id shared by every event of one business flow"
    )
    data: dict[str, Any]


class InvalidEvent(Exception):
    """A message that can never be handled: unparseable, wrong source, unknown version."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Received(Generic[E]):
    """An event as a consumer sees it: the envelope's identity and the typed payload."""

    id: str
    time: datetime
    subject: str | None
    correlation_id: str | None
    data: E


def rfc3339(moment: datetime) -> str:
    """UTC, millisecond precision, `Z` suffix: sortable as text."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def envelope(event: Event, *, event_id: str, now: datetime, correlation_id: str) -> dict:
    """The JSON-ready CloudEvent carrying `event`."""
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": event.source(),
        "type": event.cloudevents_type(),
        "time": rfc3339(now),
        "subject": event.subject(),
        "datacontenttype": "application/json",
        "correlationid": correlation_id,
        "data": event.model_dump(mode="json"),
    }


def parse(body: object, expected: type[E]) -> Received[E]:
    """Validate a received body as a CloudEvent carrying `expected` (any older version)."""
    if not isinstance(body, dict):
        raise InvalidEvent(f"body is not a JSON object but {type(body).__name__}")
    try:
        cloud_event = CloudEvent.model_validate(body)
    except ValidationError as exc:
        raise InvalidEvent(f"not a CloudEvent: {_describe(exc)}") from exc
    if cloud_event.source != expected.source():
        raise InvalidEvent(
            f"source {cloud_event.source!r} does not match exchange {expected.exchange()!r}"
        )
    name, version = _split_type(cloud_event.type)
    if name != expected.event_type:
        raise InvalidEvent(f"type {cloud_event.type!r} is not a {expected.event_type} event")
    model = model_for(name, version)
    if model is None or version > expected.version:
        raise InvalidEvent(f"unknown version {version} of {name}")
    try:
        model.model_validate(cloud_event.data)
        data = expected.model_validate(upcast(name, version, expected.version, cloud_event.data))
    except ValidationError as exc:
        raise InvalidEvent(f"data does not match {cloud_event.type}: {_describe(exc)}") from exc
    return Received(
        id=cloud_event.id,
        time=cloud_event.time,
        subject=cloud_event.subject,
        correlation_id=cloud_event.correlationid,
        data=data,
    )


def _split_type(type_: str) -> tuple[str, int]:
    match = _TYPE.match(type_)
    if match is None:
        raise InvalidEvent(f"type {type_!r} is not of the form {EVENT_TYPE_PREFIX}<name>.v<N>")
    return match["name"], int(match["version"])


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or '(root)'}: {error['msg']}"
        for error in exc.errors()
    )
