"""The trade promotion JSON and CSV entrypoints (mixed into `TradePromotionService`)."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from services.trade_promotion import feed, geo, sales_points
from services.trade_promotion.schemas import (
    CarryIn,
    CataloguePage,
    CatalogueQuery,
    ListingOut,
    MapQuery,
    SalesPointIn,
    SalesPointOut,
    SalesPointQuery,
    StatsQuery,
    normal_province,
)
from services.trade_promotion.stats import statistics
from shared.access.caller import Caller, Reach
from shared.access.roles import PROVINCE_OFFICER, PUBLIC, allow
from shared.admin_units import address_from_codes, ward_count
from shared.errors import NotFound
from shared.ids import new_id
from shared.web import api

SALES_POINT_KEEPERS = allow(PROVINCE_OFFICER, scope="sales-points:write")


class TradePromotionApi:
    store: Any
    clock: Any
    urls: Any
    answers: Any

    @api("GET", "/api/v1/catalogue", access=PUBLIC, query=CatalogueQuery, response=CataloguePage)
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

    @api("GET", "/api/v1/catalogue/<product_id>", access=PUBLIC, response=ListingOut)
    def get_listing(self, request: Request, product_id: str) -> ListingOut:
        """A listed product."""
        return ListingOut.of(self._listed(product_id))

    @api(
        "GET",
        "/api/v1/map.geojson",
        access=PUBLIC,
        query=MapQuery,
        produces="application/geo+json",
    )
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

    @api("GET", "/api/v1/feed.json", access=PUBLIC, response=list[dict])
    def feed_json(self, request: Request) -> list[dict]:
        """The e-commerce feed: one row per listed product."""
        return feed.rows(
            self.store.entries({"listed": True}), self.urls["portal"], self.urls["verify"]
        )

    @api("GET", "/api/v1/feed.csv", access=PUBLIC, produces="text/csv")
    def feed_csv(self, request: Request) -> Response:
        """The e-commerce feed as CSV."""
        rows = feed.rows(
            self.store.entries({"listed": True}), self.urls["portal"], self.urls["verify"]
        )
        return Response(feed.as_csv(rows), mimetype="text/csv")

    @api("GET", "/api/v1/stats", access=PUBLIC, query=StatsQuery, response=dict)
    def stats(self, request: Request, query: StatsQuery) -> dict:
        """Provincial statistics computed from the catalogue."""
        filters = (
            {"province_code": normal_province(query.province_code)} if query.province_code else {}
        )
        return statistics(self.store.entries(filters), ward_count)

    @api(
        "POST",
        "/api/v1/sales-points",
        access=SALES_POINT_KEEPERS,
        body=SalesPointIn,
        response=SalesPointOut,
        status=201,
    )
    def register_sales_point(
        self, request: Request, body: SalesPointIn, caller: Caller
    ) -> tuple[int, SalesPointOut]:
        """Register a display or sales point."""
        address = address_from_codes(body.province_code, body.ward_code, field="")
        caller.require(Reach(province=address.province_code), "this province")
        point = sales_points.SalesPoint(
            id=new_id(),
            **body.model_dump(exclude={"province_code", "ward_code"}),
            **address.model_dump(
                include={"province_code", "province_name", "ward_code", "ward_name"}
            ),
        )
        self.store.add_sales_point(point)
        return 201, SalesPointOut.of(point)

    @api(
        "GET",
        "/api/v1/sales-points",
        access=PUBLIC,
        query=SalesPointQuery,
        response=list[SalesPointOut],
    )
    def list_sales_points(self, request: Request, query: SalesPointQuery) -> list[SalesPointOut]:
        """Sales points, or those carrying a product."""
        return [SalesPointOut.of(point) for point in self.store.sales_points(query.product_id)]

    @api("GET", "/api/v1/sales-points/<point_id>", access=PUBLIC, response=SalesPointOut)
    def get_sales_point(self, request: Request, point_id: str) -> SalesPointOut:
        """A sales point and the products it carries."""
        return SalesPointOut.of(self._point(point_id))

    @api(
        "POST",
        "/api/v1/sales-points/<point_id>/products",
        access=SALES_POINT_KEEPERS,
        body=CarryIn,
        response=SalesPointOut,
    )
    def carry_product(
        self, request: Request, point_id: str, body: CarryIn, caller: Caller
    ) -> SalesPointOut:
        """The point now carries a listed product."""
        self._kept_point(point_id, caller)
        listed = bool((self.store.entry(body.product_id) or {}).get("listed"))
        point = self.store.update_sales_point(
            point_id, lambda each: sales_points.carry(each, body.product_id, listed)
        )
        return SalesPointOut.of(point)

    @api(
        "DELETE",
        "/api/v1/sales-points/<point_id>/products/<product_id>",
        access=SALES_POINT_KEEPERS,
        response=SalesPointOut,
    )
    def drop_product(
        self, request: Request, point_id: str, product_id: str, caller: Caller
    ) -> SalesPointOut:
        """The point no longer carries the product."""
        self._kept_point(point_id, caller)
        point = self.store.update_sales_point(
            point_id, lambda each: sales_points.drop(each, product_id, "operator")
        )
        return SalesPointOut.of(point)

    def _listed(self, product_id: str) -> dict:
        entry = self.store.entry(product_id)
        if entry is None or not entry.get("listed"):
            raise NotFound("listed product", product_id)
        return entry

    def _kept_point(self, point_id: str, caller: Caller) -> sales_points.SalesPoint:
        """A sales point whose province the caller keeps points for."""
        point = self._point(point_id)
        caller.require(Reach(province=point.province_code), "this sales point")
        return point

    def _point(self, point_id: str) -> sales_points.SalesPoint:
        point = self.store.sales_point(point_id)
        if point is None:
            raise NotFound("sales point", point_id)
        return point
