"""The public event contract: CloudEvents envelope and one frozen model per event."""

from shared.events.base import Event, exchange_of, source_of
from shared.events.certification import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
)
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
    EvaluationClosed,
    EvaluationOpened,
    PartScore,
    ProductEscalated,
    ProductNotRanked,
    ProductRanked,
    ScoresheetAmended,
    ScoresheetSubmitted,
)
from shared.events.trade_promotion import (
    CatalogueDelisted,
    CatalogueListed,
    InvitationSent,
    InvitationWithdrawn,
    TradeFairCreated,
)

__all__ = [
    "ALL_EVENTS",
    "CONTENT_TYPE",
    "AddressData",
    "CapByCriterion",
    "CatalogueDelisted",
    "CatalogueListed",
    "CertificateExpired",
    "CertificateIssued",
    "CertificateRenewalDue",
    "CertificateRenewed",
    "CertificateRevoked",
    "CertificateSuperseded",
    "CloudEvent",
    "DossierSubmitted",
    "EvaluationClosed",
    "EvaluationOpened",
    "Event",
    "EvidenceData",
    "InvalidEvent",
    "InvitationSent",
    "InvitationWithdrawn",
    "PartScore",
    "ProducerRegistered",
    "ProductEscalated",
    "ProductNotRanked",
    "ProductRanked",
    "ProductRegistered",
    "Received",
    "ScoresheetAmended",
    "ScoresheetSubmitted",
    "TradeFairCreated",
    "envelope",
    "exchange_of",
    "parse",
    "rfc3339",
    "source_of",
]
