"""The public event contract: CloudEvents envelope and one frozen model per event."""

from shared.events.base import Event, exchange_of, source_of
from shared.events.certification import CertificateIssued
from shared.events.envelope import (
    CONTENT_TYPE,
    CloudEvent,
    InvalidEvent,
    Received,
    envelope,
    parse,
    rfc3339,
)
from shared.events.registration import (
    AddressData,
    DossierSubmitted,
    EvidenceData,
    ProducerRegistered,
    ProductRegistered,
)
from shared.events.registry import ALL_EVENTS
from shared.events.scoring import (
    CapByCriterion,
    EvaluationOpened,
    PartScore,
    ProductRanked,
    ScoresheetSubmitted,
)
from shared.events.trade_promotion import CatalogueListed, InvitationSent, TradeFairCreated

__all__ = [
    "ALL_EVENTS",
    "CONTENT_TYPE",
    "AddressData",
    "CapByCriterion",
    "CatalogueListed",
    "CertificateIssued",
    "CloudEvent",
    "DossierSubmitted",
    "EvaluationOpened",
    "Event",
    "EvidenceData",
    "InvalidEvent",
    "InvitationSent",
    "PartScore",
    "ProducerRegistered",
    "ProductRanked",
    "ProductRegistered",
    "Received",
    "ScoresheetSubmitted",
    "TradeFairCreated",
    "envelope",
    "exchange_of",
    "parse",
    "rfc3339",
    "source_of",
]
