"""The e-commerce product feed: one row per listed product, in the shape marketplaces take
(id, title, description, brand, category, link, image, availability), plus OCOP stars, the
certificate number and its public verification link. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.trade_promotion.catalogue import Entry
from shared.csv_export import csv_text
from shared.product_groups import classification

COLUMNS = (
    "id",
    "title",
    "description",
    "brand",
    "category",
    "link",
    "image_link",
    "availability",
    "ocop_stars",
    "certificate_number",
    "verification_link",
    "province",
)


def rows(entries: Iterable[Entry], portal_url: str, verify_url: str) -> list[dict[str, Any]]:
    groups = classification().groups
    return [
        row(entry, groups, portal_url.rstrip("/"), verify_url.rstrip("/"))
        for entry in entries
        if entry.get("listed")
    ]


def row(entry: Entry, groups: dict[str, str], portal_url: str, verify_url: str) -> dict[str, Any]:
    place = ", ".join(part for part in (entry.get("ward_name"), entry.get("province_name")) if part)
    return {
        "id": entry["_id"],
        "title": entry["name"],
        "description": f"{entry['name']}: sản phẩm OCOP {entry['stars']} sao"
        + (f" của {entry['producer_name']}" if entry.get("producer_name") else "")
        + (f", {place}" if place else "")
        + ".",
        "brand": entry.get("producer_name") or "",
        "category": groups.get(entry.get("group") or "", entry.get("group") or ""),
        "link": f"{portal_url}/products/{entry['_id']}",
        "image_link": "",
        "availability": "in stock",
        "ocop_stars": entry["stars"],
        "certificate_number": entry["certificate_number"],
        "verification_link": f"{verify_url}/verify/{entry['certificate_number']}",
        "province": entry.get("province_name") or "",
    }


def as_csv(feed: list[dict[str, Any]]) -> str:
    """The feed as CSV, a column per field; a name a spreadsheet would run as a formula
    is written as text (`shared.csv_export`)."""
    return csv_text(COLUMNS, ([row.get(column, "") for column in COLUMNS] for row in feed))
