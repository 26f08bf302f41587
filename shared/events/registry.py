"""Every event model the platform knows, by wire name and version, and their upcasters.

An upcaster turns version N's payload into version N+1's; consumers read old events
through the chain and so only ever handle the newest shape. `producer.registered` v2 (no
personal data on the public exchange) is the first, `product.not_ranked` v2 (a
disqualification reason) the second, `evaluation.closed` v2 (a returned dossier) the third.
"""

from __future__ import annotations

from collections.abc import Callable

from shared.events.base import Event
from shared.events.certification import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    RecognitionDecided,
    RecognitionProposed,
)
from shared.events.dossiers import DossierAssessed, DossierReturned
from shared.events.registration import (
    BatchOpened,
    DossierSubmitted,
    ProducerIdentified,
    ProducerRegistered,
    ProducerRegisteredV1,
    ProductClassified,
    ProductRegistered,
    producer_registered_v1_to_v2,
)
from shared.events.scoring import (
    EvaluationClosed,
    EvaluationOpened,
    EvaluationWaiting,
    ProductEscalated,
    ProductNotRanked,
    ProductRanked,
    ResultImported,
    ScoresheetAmended,
    ScoresheetSubmitted,
)
from shared.events.scoring_versions import (
    EvaluationClosedV1,
    ProductNotRankedV1,
    evaluation_closed_v1_to_v2,
    product_not_ranked_v1_to_v2,
)
from shared.events.trade_promotion import (
    CatalogueDelisted,
    CatalogueListed,
    InvitationAccepted,
    InvitationDeclined,
    InvitationSent,
    InvitationWithdrawn,
    SalesPointProductAdded,
    SalesPointProductRemoved,
    TradeFairCreated,
)

ALL_EVENTS: tuple[type[Event], ...] = (
    ProducerRegisteredV1,
    ProducerRegistered,
    ProducerIdentified,
    ProductRegistered,
    ProductClassified,
    BatchOpened,
    DossierSubmitted,
    EvaluationWaiting,
    EvaluationOpened,
    DossierAssessed,
    DossierReturned,
    ScoresheetSubmitted,
    ScoresheetAmended,
    EvaluationClosedV1,
    EvaluationClosed,
    ProductRanked,
    ProductNotRankedV1,
    ProductNotRanked,
    ProductEscalated,
    ResultImported,
    RecognitionProposed,
    RecognitionDecided,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateExpired,
    CertificateRevoked,
    CertificateSuperseded,
    CatalogueListed,
    CatalogueDelisted,
    TradeFairCreated,
    InvitationSent,
    InvitationAccepted,
    InvitationDeclined,
    InvitationWithdrawn,
    SalesPointProductAdded,
    SalesPointProductRemoved,
)

Upcaster = Callable[[dict], dict]
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("producer.registered", 1): producer_registered_v1_to_v2,
    ("product.not_ranked", 1): product_not_ranked_v1_to_v2,
    ("evaluation.closed", 1): evaluation_closed_v1_to_v2,
}

_BY_NAME_AND_VERSION = {(model.event_type, model.version): model for model in ALL_EVENTS}


def model_for(name: str, version: int) -> type[Event] | None:
    return _BY_NAME_AND_VERSION.get((name, version))


def current(name: str) -> type[Event] | None:
    """The newest version's model of an event name."""
    versions = [model for model in ALL_EVENTS if model.event_type == name]
    return max(versions, key=lambda model: model.version) if versions else None


def read_stored(name: str, version: int, data: dict) -> Event | None:
    """A stored payload of any known version as the newest model (None if unknown)."""
    model = current(name)
    if model is None or model_for(name, version) is None:
        return None
    return model.model_validate(upcast(name, version, model.version, data))


def upcast(name: str, version: int, target: int, data: dict) -> dict:
    """Apply upcasters from `version` up to `target`; the payload is not changed in place."""
    for step in range(version, target):
        data = UPCASTERS[(name, step)](data)
    return data
