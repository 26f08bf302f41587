"""The base of every event model: the payload (`data`) of one CloudEvent.

An event is a fact that already happened, named in the past tense. Its wire name
(`event_type`, also the routing key) and `version` are chosen and stable, never derived
from the Python class path. A breaking change to a payload is a new class with
`version + 1`, and consumers upcast the old version when they read it.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

EVENT_TYPE_PREFIX = "vn.ocop."


class Event(BaseModel):
    """A frozen event payload; unknown fields from newer producers are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    version: ClassVar[int]
    source_service: ClassVar[str]
    # the source's exchange it goes out on: `events` (`<service>.events`) for every event
    # any subscriber may read; `private` for personal data, readable only by users allowed it
    exchange_kind: ClassVar[str] = "events"

    @classmethod
    def cloudevents_type(cls) -> str:
        """The CloudEvents `type`, e.g. `vn.ocop.certificate.issued.v1`."""
        return f"{EVENT_TYPE_PREFIX}{cls.event_type}.v{cls.version}"

    @classmethod
    def source(cls) -> str:
        """The CloudEvents `source` of every event this service publishes."""
        return source_of(cls.source_service)

    @classmethod
    def exchange(cls) -> str:
        """The topic exchange the event is published on (nameko's naming)."""
        return f"{cls.source_service}.{cls.exchange_kind}"

    def subject(self) -> str:
        """The aggregate the event is about, e.g. `product/<id>`."""
        raise NotImplementedError


def source_of(service: str) -> str:
    return f"/ocop/{service}"


def exchange_of(service: str) -> str:
    return f"{service}.events"
