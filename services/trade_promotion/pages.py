"""The public portal's pages (mixed into `TradePromotionService`): catalogue, product, map,
statistics.

Server-rendered (Jinja2), Vietnamese, one column for a 360 px phone, no JavaScript. The
map is an SVG drawn here from the catalogue's coordinates: the portal must work where
there is no internet (a province's intranet, a fair's kiosk), so no tiles, no scripts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from vietnam_provinces import Province
from werkzeug.wrappers import Request, Response

from services.trade_promotion import geo
from services.trade_promotion.domain import Fair, Invitation
from services.trade_promotion.schemas import (
    CatalogueQuery,
    ListingOut,
    StatsQuery,
    normal_province,
)
from services.trade_promotion.stats import statistics
from shared.access.roles import PUBLIC
from shared.admin_units import ward_count
from shared.errors import InvalidInput, NotFound
from shared.product_groups import classification
from shared.web.api import validate
from shared.web.pages import html, page

PAGE_SIZE = 20
SORT_KEYS = {"name": "sort_name", "stars": "sort_stars", "newest": "sort_newest"}
FIELD_LABELS = {
    "q": "từ khóa",
    "group": "nhóm sản phẩm",
    "province_code": "tỉnh/thành phố",
    "stars": "hạng sao",
    "sort": "cách sắp xếp",
    "cursor": "trang",
    "limit": "số dòng",
}
# The map: a plain longitude/latitude grid over Vietnam, in SVG units. It reaches east to
# 118°E and south to 6°N so that the Hoàng Sa and Trường Sa archipelagos are on it, as a
# map of Vietnam must show them.
WEST, EAST, SOUTH, NORTH = 102.0, 118.0, 6.0, 23.5
UNIT = 40  # SVG units per degree of latitude
SQUEEZE = 0.96  # cos 16°N: mid-country, a degree of longitude is this much of one of latitude
LEFT, TOP, RIGHT, BOTTOM = 32, 12, 20, 26  # room for the graticule's labels
RADIUS = {3: 6, 4: 8, 5: 10}  # more stars, a bigger point
LANDMARKS = (("Hà Nội", 105.85, 21.03), ("Đà Nẵng", 108.22, 16.05), ("TP.HCM", 106.70, 10.78))
ARCHIPELAGOS = (
    ("Quần đảo Hoàng Sa (Việt Nam)", 112.0, 16.5),
    ("Quần đảo Trường Sa (Việt Nam)", 114.2, 9.8),
)


def form_args(request: Request) -> dict[str, str]:
    """The query string without blank fields: a GET form sends every select, chosen or not."""
    return {key: value.strip() for key, value in request.args.items() if value.strip()}


def problem_text(problem: InvalidInput) -> str:
    """A short Vietnamese message naming the filters at fault (the English detail stays out)."""
    names = [FIELD_LABELS.get(field.split(".")[0], field) for field in problem.fields]
    return "Bộ lọc chưa hợp lệ: " + (", ".join(dict.fromkeys(names)) or "tham số lạ") + "."


def provinces() -> dict[str, str]:
    """The 34 provinces in the official (code) order, code "01" -> name."""
    return {f"{p.code.value:02d}": p.name for p in Province.iter_all()}


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular, squeezed east-west; Vietnam spans few degrees, so this is enough."""
    return round(LEFT + (lon - WEST) * UNIT * SQUEEZE, 1), round(TOP + (NORTH - lat) * UNIT, 1)


def graticule() -> dict[str, Any]:
    """Lines every degree, labelled every two, and the frame's size."""
    width = round(LEFT + (EAST - WEST) * UNIT * SQUEEZE + RIGHT)
    height = round(TOP + (NORTH - SOUTH) * UNIT + BOTTOM)
    meridians = [(project(lon, NORTH)[0], lon) for lon in range(int(WEST), int(EAST) + 1)]
    parallels = [(project(WEST, lat)[1], lat) for lat in range(int(SOUTH), int(NORTH) + 1)]
    return {"width": width, "height": height, "meridians": meridians, "parallels": parallels}


def map_points(entries: list[dict]) -> list[dict[str, Any]]:
    """One point per ward: a ward with one product links to it, a ward with several to the
    catalogue of its province (the catalogue has no ward filter); biggest drawn last."""
    by_id = {entry["_id"]: entry for entry in entries}
    points = []
    for feature in geo.by_ward(entries)["features"]:
        ward = feature["properties"]
        products = sorted((by_id[p] for p in ward["products"]), key=lambda e: e["sort_name"])
        stars = max(int(e["stars"] or 3) for e in products)
        x, y = project(*feature["geometry"]["coordinates"])
        alone = len(products) == 1
        points.append(
            {
                "x": x,
                "y": y,
                "r": RADIUS.get(stars, 6),
                "stars": stars,
                "count": len(products),
                "ward_code": ward["ward_code"],
                "href": f"/products/{quote(products[0]['_id'])}"
                if alone
                else "/catalogue?" + urlencode({"province_code": products[0]["province_code"]}),
                "place": f"{ward['ward_name']}, {ward['province_name']}",
                "names": [f"{e['name']} ({e['stars']}★)" for e in products],
            }
        )
    return sorted(points, key=lambda p: (p["r"], p["y"]))


class TradePromotionPages:
    store: Any
    templates: Any
    clock: Any
    urls: Any

    @page("GET", "/catalogue", access=PUBLIC)
    def catalogue_page(self, request: Request) -> Response:
        """Filters as a GET form, so a result is a link to share; a bad one is said, not a 500."""
        args = form_args(request)
        try:
            query = validate(CatalogueQuery, {"limit": str(PAGE_SIZE), **args})
            found = self.store.search(
                query.filters(), query.text(), query.sort, query.cursor, query.limit + 1
            )
        except InvalidInput as problem:
            return self._render("catalogue.html", 422, args=args, error=problem_text(problem))
        shown = found[: query.limit]
        more = None
        if len(found) > query.limit:
            following = {**args, "cursor": shown[-1][SORT_KEYS[query.sort]]}
            more = "/catalogue?" + urlencode(following)
        items = [ListingOut.of(entry) for entry in shown]
        return self._render("catalogue.html", args=args, items=items, more=more)

    @page("GET", "/products/<product_id>", access=PUBLIC)
    def product_page(self, request: Request, product_id: str) -> Response:
        """Only listed products have a page: a revoked or expired one is no longer OCOP."""
        entry = self.store.entry(product_id)
        if entry is None or not entry.get("listed"):
            raise NotFound("listed product", product_id)
        product = ListingOut.of(entry)
        return self._render(
            "product.html",
            product=product,
            verify_url=f"{self.urls['verify']}/verify/{quote(product.certificate_number or '')}",
            points=self.store.sales_points(product_id),
            fairs=self._upcoming_fairs(product_id),
        )

    @page("GET", "/map", access=PUBLIC)
    def map_page(self, request: Request) -> Response:
        entries = self.store.entries({"listed": True})
        points = map_points(entries)
        unplaced = sum(1 for entry in entries if not geo.located(entry))
        return self._render(
            "map.html",
            grid=graticule(),
            points=points,
            landmarks=[(name, *project(lon, lat)) for name, lon, lat in LANDMARKS],
            archipelagos=[(name, *project(lon, lat)) for name, lon, lat in ARCHIPELAGOS],
            listed=len(entries),
            unplaced=unplaced,
        )

    @page("GET", "/stats", access=PUBLIC)
    def stats_page(self, request: Request) -> Response:
        args = form_args(request)
        try:
            query = validate(StatsQuery, args)
            code = normal_province(query.province_code) if query.province_code else None
        except InvalidInput as problem:
            return self._render("stats.html", 422, args=args, error=problem_text(problem))
        entries = self.store.entries({"province_code": code} if code else {})
        return self._render(
            "stats.html", args={"province_code": code}, stats=statistics(entries, ward_count)
        )

    def _upcoming_fairs(self, product_id: str) -> list[tuple[Fair, Invitation]]:
        """Fairs the product is still invited to (sent or accepted) that have not ended."""
        today = self.clock.today()
        fairs = []
        for invitation in self.store.invitations(product_id=product_id):
            fair = self.store.fair(invitation.fair_id)
            if invitation.status in ("sent", "accepted") and fair and fair.ends_on >= today:
                fairs.append((fair, invitation))
        return sorted(fairs, key=lambda pair: (pair[0].starts_on, pair[0].name))

    def _render(self, template: str, status: int = 200, **context: Any) -> Response:
        """Every page gets the filter choices: the six groups and the 34 provinces."""
        body = self.templates.get_template(template).render(
            groups=classification().groups, provinces=provinces(), **context
        )
        return html(body, status)
