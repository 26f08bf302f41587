"""The scoring service's JSON entrypoints for criteria, councils and imported results
(mixed into `ScoringService`; the rounds are in rounds_api.py)."""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.wrappers import Request

from services.scoring import imports
from services.scoring.councils import Council, check_council
from services.scoring.criteria import find_set
from services.scoring.schemas import (
    CouncilIn,
    CouncilOut,
    ImportedResultIn,
    ImportedResultOut,
)
from services.scoring.sheet_schemas import CriteriaSetOut, CriteriaSetSummary
from shared import origin
from shared.access.caller import Caller, Reach
from shared.access.roles import (
    COUNCIL_MEMBER,
    OFFICERS,
    PUBLIC,
    allow,
)
from shared.errors import NotFound
from shared.events import rfc3339
from shared.idempotency import NAMESPACE, request_key
from shared.ids import new_id
from shared.web import api


class ScoringApi:
    store: Any
    clock: Any
    criteria_sets: Any
    level_ends: Any

    @api("GET", "/api/v1/criteria", access=PUBLIC, response=list[CriteriaSetSummary])
    def list_criteria_sets(self, request: Request) -> list[CriteriaSetSummary]:
        """The criteria sets known, in force or draft."""
        return [CriteriaSetSummary.model_validate(each.model_dump()) for each in self.criteria_sets]

    @api("GET", "/api/v1/criteria/<criteria_set>", access=PUBLIC, response=CriteriaSetOut)
    def get_criteria_set(self, request: Request, criteria_set: str) -> CriteriaSetOut:
        """A criteria set whole: groups, part maxima, star bands, sheets, known issues."""
        found = find_set(self.criteria_sets, criteria_set)
        if found is None:
            raise NotFound("criteria set", criteria_set)
        return CriteriaSetOut.of(found)

    @api(
        "POST",
        "/api/v1/councils",
        access=allow(*OFFICERS, scope="councils:write"),
        body=CouncilIn,
        response=CouncilOut,
        status=201,
    )
    def register_council(
        self, request: Request, body: CouncilIn, caller: Caller
    ) -> tuple[int, CouncilOut]:
        """Register a province or the central council, with its members and quorum."""
        council = Council(id=new_id(), registered_at=rfc3339(self.clock.now()), **body.model_dump())
        check_council(council)
        caller.require(council.reach(), "this council")
        self.store.add_council(council)
        return 201, CouncilOut.model_validate(council.model_dump())

    @api(
        "GET",
        "/api/v1/councils",
        access=allow(*OFFICERS, COUNCIL_MEMBER, scope="councils:read"),
        response=list[CouncilOut],
    )
    def list_councils(self, request: Request, caller: Caller) -> list[CouncilOut]:
        """The registered councils the caller reaches."""
        councils = caller.visible(self.store.councils(), lambda council: council.reach())
        return [CouncilOut.model_validate(each.model_dump()) for each in councils]

    @api(
        "GET",
        "/api/v1/councils/<council_id>",
        access=allow(*OFFICERS, COUNCIL_MEMBER, scope="councils:read"),
        response=CouncilOut,
    )
    def get_council(self, request: Request, council_id: str, caller: Caller) -> CouncilOut:
        """A council by id."""
        council = self.store.council(council_id)
        caller.require(council.reach(), "this council")
        return CouncilOut.model_validate(council.model_dump())

    @api(
        "POST",
        "/api/v1/imports/results",
        idempotent=True,
        access=allow(*OFFICERS, scope="results:import"),
        body=ImportedResultIn,
        response=ImportedResultOut,
        status=201,
    )
    def import_result(
        self, request: Request, body: ImportedResultIn, caller: Caller
    ) -> tuple[int, ImportedResultOut]:
        """Load a past result from a province's records (history: it certifies nothing). The
        record `code` identifies it: loading it again is a 409, or with the same
        `Idempotency-Key` the first answer."""
        central = body.scored_at_level == "central"
        caller.require(Reach(province=body.province_code, central=central), "this province")
        # scoring keeps products, not producers: registration places a product in its
        # producer's province, so the product's province is the producer's too
        origin.refuse_problems(origin.product_problems(body, self.store.product(body.product_id)))
        fields = body.model_dump(exclude={"code"})
        record_id = str(uuid.uuid5(NAMESPACE, f"result {body.province_code} {body.code}"))
        result, events = imports.import_result(
            imports.ImportedResult(id=record_id, record_code=body.code, **fields),
            self.criteria_sets,
            self.level_ends,
            self.clock.today(),
        )
        stored = self.store.add_imported_result(result, events, request_key(request, body, caller))
        return 201, ImportedResultOut.model_validate(stored.model_dump())
