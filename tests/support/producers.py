"""`producer.registered` as registration publishes it, from what a producer registers."""

from __future__ import annotations

from shared.events import AddressData, ProducerRegistered, PublicAddress, public_producer_name


def registered(
    producer_id: str, name: str, kind: str, women_led: bool, address: AddressData
) -> ProducerRegistered:
    return ProducerRegistered(
        producer_id=producer_id,
        public_name=public_producer_name(kind, name, address.ward_name),
        kind=kind,
        women_led=women_led,
        address=PublicAddress.model_validate(address.model_dump()),
    )
