"""The trade promotion JSON and CSV entrypoints (mixed into `TradePromotionService`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from werkzeug.wrappers import Request, Response

from services.trade_promotion import domain, feed, geo, reactions, sales_points
from services.trade_promotion.schemas import (
    CarryIn,
    CataloguePage,
    CatalogueQuery,
    FairIn,
    FairOut,
    InvitationOut,
    ListingOut,
    MapQuery,
    SalesPointIn,
    SalesPointOut,
    SalesPointQuery,
    StatsQuery,
    normal_province,
)
from services.trade_promotion.stats import statistics
from shared.admin_units import address_from_codes, ward_count
from shared.errors import NotFound
from shared.ids import new_id
from shared.web import api


class TradePromotionApi:
    store: Any
    clock: Any
    urls: Any
    answers: Any

    @api("GET", "/api/v1/catalogue", query=CatalogueQuery, response=CataloguePage)
    def catalogue(self, request: Request, query: CatalogueQuery) -> CataloguePage:
        """Listed products, filtered, searched without diacritics, sorted, a page at a time
        (an answer may be up to `PUBLIC_CACHE_SECONDS` old)."""
        return self.answers.answer(query.model_dump_json(), lambda: self._catalogue(query))

    def _catalogue(self, query: CatalogueQuery) -> CataloguePage:
        found = self.store.search(
            query.filters(), query.text(), query.sort, query.cursor, query.limit + 1
        )
        page = found[: query.limit]
        key = {"name": "sort_name", "stars": "sort_stars", "newest": "sort_newest"}[query.sort]
        more = len(found) > query.limit
        return CataloguePage(
            items=[ListingOut.of(entry) for entry in page],
            next_cursor=page[-1][key] if more else None,
        )

    @api("GET", "/api/v1/catalogue/<product_id>", response=ListingOut)
    def get_listing(self, request: Request, product_id: str) -> ListingOut:
        """A listed product."""
        return ListingOut.of(self._listed(product_id))

    @api("GET", "/api/v1/map.geojson", query=MapQuery, produces="application/geo+json")
    def map_geojson(self, request: Request, query: MapQuery) -> Response:
        """The OCOP map: a GeoJSON point per listed product, or per ward with its count."""
        filters: dict[str, Any] = {"listed": True}
        if query.group:
            filters["group"] = query.group
        if query.province_code:
            filters["province_code"] = normal_province(query.province_code)
        if query.min_stars:
            filters["stars"] = {"$gte": query.min_stars}
        entries = self.store.entries(filters)
        collection = geo.by_ward(entries) if query.by == "ward" else geo.by_product(entries)
        return Response(json.dumps(collection, ensure_ascii=False), mimetype="application/geo+json")

    @api("GET", "/api/v1/feed.json", response=list[dict])
    def feed_json(self, request: Request) -> list[dict]:
        """The e-commerce feed: one row per listed product."""
        return feed.rows(
            self.store.entries({"listed": True}), self.urls["portal"], self.urls["verify"]
        )

    @api("GET", "/api/v1/feed.csv", produces="text/csv")
    def feed_csv(self, request: Request) -> Response:
        """The e-commerce feed as CSV."""
        rows = feed.rows(
            self.store.entries({"listed": True}), self.urls["portal"], self.urls["verify"]
        )
        return Response(feed.as_csv(rows), mimetype="text/csv")

    @api("GET", "/api/v1/stats", query=StatsQuery, response=dict)
    def stats(self, request: Request, query: StatsQuery) -> dict:
        """Provincial statistics computed from the catalogue."""
        filters = (
            {"province_code": normal_province(query.province_code)} if query.province_code else {}
        )
        return statistics(self.store.entries(filters), ward_count)

    @api("POST", "/api/v1/trade-fairs", body=FairIn, response=FairOut, status=201)
    def create_fair(self, request: Request, body: FairIn) -> tuple[int, FairOut]:
        """Announce a trade fair; listed products that qualify are invited."""
        fair, events = domain.create_fair(new_id(), today=self.clock.today(), **body.fair_fields())
        self.store.add_fair(fair, events)
        return 201, FairOut.of(fair)

    @api("GET", "/api/v1/trade-fairs", response=list[FairOut])
    def list_fairs(self, request: Request) -> list[FairOut]:
        """Every trade fair."""
        return [FairOut.of(fair) for fair in self.store.fairs()]

    @api("GET", "/api/v1/trade-fairs/<fair_id>", response=FairOut)
    def get_fair(self, request: Request, fair_id: str) -> FairOut:
        """A trade fair, with the booths taken."""
        return FairOut.of(self._fair(fair_id))

    @api("GET", "/api/v1/trade-fairs/<fair_id>/invitations", response=list[InvitationOut])
    def list_invitations(self, request: Request, fair_id: str) -> list[InvitationOut]:
        """A fair's invitations and their answers."""
        self._fair(fair_id)
        return [InvitationOut.of(each) for each in self.store.invitations(fair_id=fair_id)]

    @api("GET", "/api/v1/trade-fairs/<fair_id>/exhibitors.csv", produces="text/csv")
    def exhibitors(self, request: Request, fair_id: str) -> Response:
        """The fair's exhibitors (accepted invitations, in booth order) as CSV."""
        fair = self._fair(fair_id)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "booth",
                "product_id",
                "product",
                "stars",
                "certificate_number",
                "producer",
                "province",
            ]
        )
        for booth, invitation_id in enumerate(fair.accepted, start=1):
            invitation = self.store.invitation(invitation_id)
            entry = self.store.entry(invitation.product_id) or {}
            writer.writerow(
                [
                    booth,
                    invitation.product_id,
                    entry.get("name"),
                    entry.get("stars"),
                    entry.get("certificate_number"),
                    entry.get("producer_name"),
                    entry.get("province_name"),
                ]
            )
        return Response(
            out.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="exhibitors-{fair_id}.csv"'},
        )

    @api("POST", "/api/v1/invitations/<invitation_id>/accept", response=InvitationOut)
    def accept_invitation(self, request: Request, invitation_id: str) -> InvitationOut:
        """Accept an invitation, taking a booth while any is left (first come)."""
        self._invitation(invitation_id)
        return InvitationOut.of(
            reactions.answer(self.store, invitation_id, True, self.clock.today())
        )

    @api("POST", "/api/v1/invitations/<invitation_id>/decline", response=InvitationOut)
    def decline_invitation(self, request: Request, invitation_id: str) -> InvitationOut:
        """Decline an invitation, freeing its booth if it held one."""
        self._invitation(invitation_id)
        return InvitationOut.of(
            reactions.answer(self.store, invitation_id, False, self.clock.today())
        )

    @api("POST", "/api/v1/sales-points", body=SalesPointIn, response=SalesPointOut, status=201)
    def register_sales_point(
        self, request: Request, body: SalesPointIn
    ) -> tuple[int, SalesPointOut]:
        """Register a display or sales point."""
        address = address_from_codes(body.province_code, body.ward_code, field="")
        point = sales_points.SalesPoint(
            id=new_id(),
            **body.model_dump(exclude={"province_code", "ward_code"}),
            **address.model_dump(
                include={"province_code", "province_name", "ward_code", "ward_name"}
            ),
        )
        self.store.add_sales_point(point)
        return 201, SalesPointOut.of(point)

    @api("GET", "/api/v1/sales-points", query=SalesPointQuery, response=list[SalesPointOut])
    def list_sales_points(self, request: Request, query: SalesPointQuery) -> list[SalesPointOut]:
        """Sales points, or those carrying a product."""
        return [SalesPointOut.of(point) for point in self.store.sales_points(query.product_id)]

    @api("GET", "/api/v1/sales-points/<point_id>", response=SalesPointOut)
    def get_sales_point(self, request: Request, point_id: str) -> SalesPointOut:
        """A sales point and the products it carries."""
        return SalesPointOut.of(self._point(point_id))

    @api("POST", "/api/v1/sales-points/<point_id>/products", body=CarryIn, response=SalesPointOut)
    def carry_product(self, request: Request, point_id: str, body: CarryIn) -> SalesPointOut:
        """The point now carries a listed product."""
        self._point(point_id)
        listed = bool((self.store.entry(body.product_id) or {}).get("listed"))
        point = self.store.update_sales_point(
            point_id, lambda each: sales_points.carry(each, body.product_id, listed)
        )
        return SalesPointOut.of(point)

    @api("DELETE", "/api/v1/sales-points/<point_id>/products/<product_id>", response=SalesPointOut)
    def drop_product(self, request: Request, point_id: str, product_id: str) -> SalesPointOut:
        """The point no longer carries the product."""
        self._point(point_id)
        point = self.store.update_sales_point(
            point_id, lambda each: sales_points.drop(each, product_id, "operator")
        )
        return SalesPointOut.of(point)

    def _listed(self, product_id: str) -> dict:
        entry = self.store.entry(product_id)
        if entry is None or not entry.get("listed"):
            raise NotFound("listed product", product_id)
        return entry

    def _fair(self, fair_id: str) -> domain.Fair:
        fair = self.store.fair(fair_id)
        if fair is None:
            raise NotFound("trade fair", fair_id)
        return fair

    def _invitation(self, invitation_id: str) -> domain.Invitation:
        invitation = self.store.invitation(invitation_id)
        if invitation is None:
            raise NotFound("invitation", invitation_id)
        return invitation

    def _point(self, point_id: str) -> sales_points.SalesPoint:
        point = self.store.sales_point(point_id)
        if point is None:
            raise NotFound("sales point", point_id)
        return point
