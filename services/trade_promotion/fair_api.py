"""Trade fair entrypoints (mixed into `TradePromotionService`): fairs are announced in
public; invitations and exhibitor lists belong to the organisers and the invited."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from services.trade_promotion import domain, reactions
from services.trade_promotion.schemas import FairIn, FairOut, InvitationOut
from shared.access.caller import Caller, Reach
from shared.access.roles import OFFICERS, PRODUCER, PROVINCE_OFFICER, PUBLIC, allow
from shared.csv_export import csv_text
from shared.errors import NotFound
from shared.ids import new_id
from shared.web import api

EXHIBITOR_COLUMNS = (
    "booth",
    "product_id",
    "product",
    "stars",
    "certificate_number",
    "producer",
    "province",
)
# the catalogue entry's fields behind the columns after booth and product_id
EXHIBITOR_FIELDS = ("name", "stars", "certificate_number", "producer_name", "province_name")


ANSWERERS = allow(PRODUCER, PROVINCE_OFFICER, scope="invitations:answer")


def invitation_reach(invitation: domain.Invitation, province_code: str | None) -> Reach:
    """An invitation belongs to its producer, and to the province of its listed product."""
    return Reach(province=province_code, producer_id=invitation.producer_id)


def fair_reaches(fair: domain.Fair) -> list[Reach]:
    """A fair open to every province is the central office's; else its provinces'."""
    if not fair.provinces:
        return [Reach(central=True)]
    return [Reach(province=code) for code in fair.provinces]


class FairApi:
    store: Any
    clock: Any

    @api(
        "POST",
        "/api/v1/trade-fairs",
        access=allow(*OFFICERS, scope="fairs:write"),
        body=FairIn,
        response=FairOut,
        status=201,
    )
    def create_fair(self, request: Request, body: FairIn, caller: Caller) -> tuple[int, FairOut]:
        """Announce a trade fair; listed products that qualify are invited."""
        fair, events = domain.create_fair(new_id(), today=self.clock.today(), **body.fair_fields())
        for reach in fair_reaches(fair):
            caller.require(reach, "a fair for these provinces")
        self.store.add_fair(fair, events)
        return 201, FairOut.of(fair)

    @api("GET", "/api/v1/trade-fairs", access=PUBLIC, response=list[FairOut])
    def list_fairs(self, request: Request) -> list[FairOut]:
        """Every trade fair."""
        return [FairOut.of(fair) for fair in self.store.fairs()]

    @api("GET", "/api/v1/trade-fairs/<fair_id>", access=PUBLIC, response=FairOut)
    def get_fair(self, request: Request, fair_id: str) -> FairOut:
        """A trade fair, with the booths taken."""
        return FairOut.of(self._fair(fair_id))

    @api(
        "GET",
        "/api/v1/trade-fairs/<fair_id>/invitations",
        access=allow(*OFFICERS, PRODUCER, scope="fairs:read"),
        response=list[InvitationOut],
    )
    def list_invitations(
        self, request: Request, fair_id: str, caller: Caller
    ) -> list[InvitationOut]:
        """The fair's invitations the caller reaches, and their answers."""
        self._fair(fair_id)
        invitations = self.store.invitations(fair_id=fair_id)
        listed = self.store.entries({"_id": {"$in": [each.product_id for each in invitations]}})
        provinces = {entry["_id"]: entry.get("province_code") for entry in listed}
        found = caller.visible(
            invitations, lambda each: invitation_reach(each, provinces.get(each.product_id))
        )
        return [InvitationOut.of(each) for each in found]

    @api(
        "GET",
        "/api/v1/trade-fairs/<fair_id>/exhibitors.csv",
        access=allow(*OFFICERS, scope="fairs:read"),
        produces="text/csv",
    )
    def exhibitors(self, request: Request, fair_id: str, caller: Caller) -> Response:
        """The fair's exhibitors (accepted invitations, in booth order) as CSV."""
        fair = self._fair(fair_id)
        caller.require_any(fair_reaches(fair), "this fair's exhibitors")
        rows = []
        for booth, invitation_id in enumerate(fair.accepted, start=1):
            invitation = self.store.invitation(invitation_id)
            entry = self.store.entry(invitation.product_id) or {}
            rows.append(
                [booth, invitation.product_id, *(entry.get(key) for key in EXHIBITOR_FIELDS)]
            )
        return Response(
            csv_text(EXHIBITOR_COLUMNS, rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="exhibitors-{fair_id}.csv"'},
        )

    @api(
        "POST",
        "/api/v1/invitations/<invitation_id>/accept",
        access=ANSWERERS,
        response=InvitationOut,
    )
    def accept_invitation(
        self, request: Request, invitation_id: str, caller: Caller
    ) -> InvitationOut:
        """Accept an invitation, taking a booth while any is left (first come)."""
        self._invitation(invitation_id, caller)
        return InvitationOut.of(
            reactions.answer(self.store, invitation_id, True, self.clock.today())
        )

    @api(
        "POST",
        "/api/v1/invitations/<invitation_id>/decline",
        access=ANSWERERS,
        response=InvitationOut,
    )
    def decline_invitation(
        self, request: Request, invitation_id: str, caller: Caller
    ) -> InvitationOut:
        """Decline an invitation, freeing its booth if it held one."""
        self._invitation(invitation_id, caller)
        return InvitationOut.of(
            reactions.answer(self.store, invitation_id, False, self.clock.today())
        )

    def _fair(self, fair_id: str) -> domain.Fair:
        fair = self.store.fair(fair_id)
        if fair is None:
            raise NotFound("trade fair", fair_id)
        return fair

    def _invitation(self, invitation_id: str, caller: Caller) -> domain.Invitation:
        invitation = self.store.invitation(invitation_id)
        if invitation is None:
            raise NotFound("invitation", invitation_id)
        entry = self.store.entry(invitation.product_id) or {}
        caller.require(invitation_reach(invitation, entry.get("province_code")), "this invitation")
        return invitation
