"""Scoring service: evaluation rounds opened by events, scored over HTTP and on the phone page."""

from __future__ import annotations

from nameko.timer import timer

from services.scoring import domain, imports
from services.scoring.api import ScoringApi
from services.scoring.councils import default_councils
from services.scoring.criteria_files import criteria_from_config
from services.scoring.pages import ScoringPages
from services.scoring.procedure import procedure_from_config
from services.scoring.rounds_api import RoundsApi
from services.scoring.storage import ScoringStore
from shared.clock import clock_from_config
from shared.events import (
    DossierSubmitted,
    ProductClassified,
    ProductEscalated,
    ProductRegistered,
    Received,
)
from shared.ids import new_id
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web.operations import Operations
from shared.web.templates import templates_in

SHEET_RETRY_SECONDS = 3600


def assessment_required(config: dict) -> bool:
    """The commune assesses a dossier and the province opens its round before members score
    (Decision 1489/QĐ-TTg); `ASSESSMENT_REQUIRED`, or its former name `PRECHECK_REQUIRED`."""
    setting = config.get("ASSESSMENT_REQUIRED") or config.get("PRECHECK_REQUIRED") or "true"
    return str(setting).lower() not in ("false", "0", "no")


class ScoringService(ScoringApi, RoundsApi, ScoringPages, Operations):
    """Criteria sets, councils, evaluation rounds and score sheets; stars decided here."""

    name = "scoring"

    store: ScoringStore = Storage(ScoringStore)
    clock = Loaded(clock_from_config)
    criteria_sets = Loaded(criteria_from_config)
    defaults = Loaded(default_councils)
    assessment_required = Loaded(assessment_required)
    procedure = Loaded(procedure_from_config)
    templates = Loaded(templates_in(__file__))
    level_ends = Loaded(lambda config: imports.level_ends())

    @on_event(DossierSubmitted)
    def open_for_dossier(self, event: Received[DossierSubmitted]) -> None:
        """A new or renewal dossier: a round on its sheet, waiting for the commune."""
        dossier = event.data
        council = (
            self.store.council_for("province", dossier.province_code) or self.defaults["province"]
        )
        self.store.open_round(
            *domain.open_for_dossier(
                new_id(),
                dossier,
                self.criteria_sets,
                council,
                self.clock.now(),
                self.assessment_required,
                self.store.returned_rounds(dossier.dossier_id),
            )
        )

    @on_event(ProductClassified)
    def open_waiting_rounds(self, event: Received[ProductClassified]) -> None:
        """An officer set the product's sub-group: its waiting rounds open on that sheet."""
        for waiting in self.store.evaluations(
            product_id=event.data.product_id, status="awaiting_sheet"
        ):
            self.store.update(
                waiting.id,
                lambda current: domain.classify(
                    current, event.data, self.criteria_sets, self.clock.now()
                ),
            )

    @timer(interval=SHEET_RETRY_SECONDS, eager=True)
    def open_rounds_whose_sheet_arrived(self) -> None:
        """At start and hourly: rounds that waited for a sheet missing from the data open
        once it is there (the data changes with a deployment, so a restart brings it)."""
        for waiting in self.store.evaluations(status="awaiting_sheet", limit=10_000):
            if waiting.waiting is not None and waiting.waiting.waiting_for == "sheet":
                self.store.update(
                    waiting.id,
                    lambda current: domain.retry_sheet(
                        current, self.criteria_sets, self.clock.now()
                    ),
                )

    @on_event(ProductRegistered)
    def remember_product(self, event: Received[ProductRegistered]) -> None:
        """What a result import is checked against: the product's producer and place."""
        product = event.data
        self.store.remember_product(
            product.product_id, product.producer_id, product.province_code, product.ward_code
        )

    @on_event(ProductEscalated)
    def open_central_round(self, event: Received[ProductEscalated]) -> None:
        council = self.store.council_for("central", None) or self.defaults["central"]
        self.store.open_round(
            *domain.open_central_round(
                new_id(), event.data, self.criteria_sets, council, self.clock.now()
            )
        )
