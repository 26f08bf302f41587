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
from shared.web import api, health_response, parse_body, parse_query


class TradePromotionApi:
    store: Any
    clock: Any
    urls: Any

    @api("GET", "/api/v1/catalogue")
    def catalogue(self, request: Request) -> CataloguePage:
        query = parse_query(request, CatalogueQuery)
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

    @api("GET", "/api/v1/catalogue/<product_id>")
    def get_listing(self, request: Request, product_id: str) -> ListingOut:
        return ListingOut.of(self._listed(product_id))

    @api("GET", "/api/v1/map.geojson")
    def map_geojson(self, request: Request) -> Response:
        query = parse_query(request, MapQuery)
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

    @api("GET", "/api/v1/feed.json")
    def feed_json(self, request: Request) -> list[dict]:
        return feed.rows(
            self.store.entries({"listed": True}), self.urls["portal"], self.urls["verify"]
        )

    @api("GET", "/api/v1/feed.csv")
    def feed_csv(self, request: Request) -> Response:
        rows = feed.rows(
            self.store.entries({"listed": True}), self.urls["portal"], self.urls["verify"]
        )
        return Response(feed.as_csv(rows), mimetype="text/csv")

    @api("GET", "/api/v1/stats")
    def stats(self, request: Request) -> dict:
        query = parse_query(request, StatsQuery)
        filters = (
            {"province_code": normal_province(query.province_code)} if query.province_code else {}
        )
        return statistics(self.store.entries(filters), ward_count)

    @api("POST", "/api/v1/trade-fairs")
    def create_fair(self, request: Request) -> tuple[int, FairOut]:
        body = parse_body(request, FairIn)
        fair, events = domain.create_fair(new_id(), today=self.clock.today(), **body.fair_fields())
        self.store.add_fair(fair, events)
        return 201, FairOut.of(fair)

    @api("GET", "/api/v1/trade-fairs")
    def list_fairs(self, request: Request) -> list[FairOut]:
        return [FairOut.of(fair) for fair in self.store.fairs()]

    @api("GET", "/api/v1/trade-fairs/<fair_id>")
    def get_fair(self, request: Request, fair_id: str) -> FairOut:
        return FairOut.of(self._fair(fair_id))

    @api("GET", "/api/v1/trade-fairs/<fair_id>/invitations")
    def list_invitations(self, request: Request, fair_id: str) -> list[InvitationOut]:
        self._fair(fair_id)
        return [InvitationOut.of(each) for each in self.store.invitations(fair_id=fair_id)]

    @api("GET", "/api/v1/trade-fairs/<fair_id>/exhibitors.csv")
    def exhibitors(self, request: Request, fair_id: str) -> Response:
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

    @api("POST", "/api/v1/invitations/<invitation_id>/accept")
    def accept_invitation(self, request: Request, invitation_id: str) -> InvitationOut:
        self._invitation(invitation_id)
        return InvitationOut.of(
            reactions.answer(self.store, invitation_id, True, self.clock.today())
        )

    @api("POST", "/api/v1/invitations/<invitation_id>/decline")
    def decline_invitation(self, request: Request, invitation_id: str) -> InvitationOut:
        self._invitation(invitation_id)
        return InvitationOut.of(
            reactions.answer(self.store, invitation_id, False, self.clock.today())
        )

    @api("POST", "/api/v1/sales-points")
    def register_sales_point(self, request: Request) -> tuple[int, SalesPointOut]:
        body = parse_body(request, SalesPointIn)
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

    @api("GET", "/api/v1/sales-points")
    def list_sales_points(self, request: Request) -> list[SalesPointOut]:
        query = parse_query(request, SalesPointQuery)
        return [SalesPointOut.of(point) for point in self.store.sales_points(query.product_id)]

    @api("GET", "/api/v1/sales-points/<point_id>")
    def get_sales_point(self, request: Request, point_id: str) -> SalesPointOut:
        return SalesPointOut.of(self._point(point_id))

    @api("POST", "/api/v1/sales-points/<point_id>/products")
    def carry_product(self, request: Request, point_id: str) -> SalesPointOut:
        body = parse_body(request, CarryIn)
        self._point(point_id)
        listed = bool((self.store.entry(body.product_id) or {}).get("listed"))
        point = self.store.update_sales_point(
            point_id, lambda each: sales_points.carry(each, body.product_id, listed)
        )
        return SalesPointOut.of(point)

    @api("DELETE", "/api/v1/sales-points/<point_id>/products/<product_id>")
    def drop_product(self, request: Request, point_id: str, product_id: str) -> SalesPointOut:
        self._point(point_id)
        point = self.store.update_sales_point(
            point_id, lambda each: sales_points.drop(each, product_id, "operator")
        )
        return SalesPointOut.of(point)

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        return health_response(self.store.probe)

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
