"""The OCOP map as GeoJSON: a point per listed product, or per ward with its count. Pure.

Coordinates are the ward's (from vietnamadminunits, carried in producer.registered).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.trade_promotion.catalogue import Entry


def by_product(entries: Iterable[Entry]) -> dict[str, Any]:
    features = [
        point(
            entry["longitude"],
            entry["latitude"],
            {
                "product_id": entry["_id"],
                "name": entry["name"],
                "stars": entry["stars"],
                "group": entry["group"],
                "province_name": entry.get("province_name"),
                "ward_name": entry.get("ward_name"),
                "url": f"/products/{entry['_id']}",
            },
        )
        for entry in entries
        if located(entry)
    ]
    return {"type": "FeatureCollection", "features": features}


def by_ward(entries: Iterable[Entry]) -> dict[str, Any]:
    wards: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not located(entry):
            continue
        ward = wards.setdefault(
            entry["ward_code"],
            {
                "lon": entry["longitude"],
                "lat": entry["latitude"],
                "ward_code": entry["ward_code"],
                "ward_name": entry.get("ward_name"),
                "province_name": entry.get("province_name"),
                "products": [],
            },
        )
        ward["products"].append(entry["_id"])
    features = [
        point(ward.pop("lon"), ward.pop("lat"), {**ward, "count": len(ward["products"])})
        for ward in wards.values()
    ]
    return {"type": "FeatureCollection", "features": features}


def located(entry: Entry) -> bool:
    return entry.get("latitude") is not None and entry.get("longitude") is not None


def point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }
