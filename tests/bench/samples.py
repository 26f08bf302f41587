"""The event every baseline sends: a real `producer.registered`, made by registration's own
domain and wrapped by the outbox writer, so each transport carries the same bytes."""

from __future__ import annotations

import uuid

from services.registration.domain import register_producer
from shared.admin_units import address_from_codes
from shared.clock import SystemClock
from shared.documents import Document, to_document
from shared.events import ProducerRegistered
from shared.outbox import OutboxWriter
from tests.support.province_records import wards_of

PROVINCE = "19"


def producer(index: int, ward: str) -> tuple[Document, ProducerRegistered]:
    """A producer's document and the public event its registration causes (not its
    `producer.identified`, which goes to the private exchange)."""
    entity, (event, _) = register_producer(
        f"bench-{index:07d}-{uuid.uuid4().hex[:6]}",
        name=f"HTX Chè Bench {index}",
        kind="htx",
        women_led=index % 2 == 0,
        tax_code=None,
        address=address_from_codes(PROVINCE, ward),
    )
    assert isinstance(event, ProducerRegistered)
    return to_document(entity), event


def cloud_event() -> dict:
    """One CloudEvent as the relay publishes it (envelope of a real producer.registered)."""
    _, event = producer(0, wards_of(PROVINCE)[0])
    (entry,) = OutboxWriter(SystemClock(), "bench").entries([event])
    return dict(entry["event"])
