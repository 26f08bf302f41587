"""Provincial OCOP statistics, computed from the catalogue read model on request. Pure.

What provinces report by hand each year: products by stars, year and province; by group;
producers by kind and the share led by women; the share of a province's wards (communes)
with at least one listed product; certificates due for renewal, renewed and expired.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from services.trade_promotion.catalogue import Entry
from services.trade_promotion.certificates_shown import expires_of


def statistics(entries: Iterable[Entry], wards_in: Callable[[str], int]) -> dict[str, Any]:
    entries = list(entries)
    listed = [entry for entry in entries if entry.get("listed")]
    return {
        "listed_products": len(listed),
        "products_by_stars_year_province": stars_year_province(listed),
        "products_by_group": dict(sorted(Counter(e["group"] for e in listed).items())),
        "products_by_stars": {
            str(k): v for k, v in sorted(Counter(e["stars"] for e in listed).items())
        },
        "producers": producers(listed),
        "wards_with_products": ward_shares(listed, wards_in),
        "certificates": renewals(entries),
    }


def stars_year_province(listed: list[Entry]) -> list[dict[str, Any]]:
    counts = Counter(
        (e["province_code"], e["province_name"], int(e["issued_on"][:4]), e["stars"])
        for e in listed
    )
    return [
        {"province_code": code, "province_name": name, "year": year, "stars": stars, "products": n}
        for (code, name, year, stars), n in sorted(counts.items())
    ]


def producers(listed: list[Entry]) -> dict[str, Any]:
    """Producers with at least one listed product, by kind; the women-led share among them."""
    by_id = {e["producer_id"]: e for e in listed}
    known = [e for e in by_id.values() if e.get("women_led") is not None]
    women = sum(1 for e in known if e["women_led"])
    return {
        "total": len(by_id),
        "by_kind": dict(
            sorted(Counter(e.get("producer_kind") or "unknown" for e in by_id.values()).items())
        ),
        "women_led": women,
        "women_led_share": round(women / len(known), 4) if known else None,
    }


def ward_shares(listed: list[Entry], wards_in: Callable[[str], int]) -> list[dict[str, Any]]:
    wards: dict[str, set[str]] = {}
    for entry in listed:
        if entry.get("ward_code"):
            wards.setdefault(entry["province_code"], set()).add(entry["ward_code"])
    return [
        {
            "province_code": code,
            "wards_with_products": len(found),
            "wards": wards_in(code),
            "share": round(len(found) / wards_in(code), 4),
        }
        for code, found in sorted(wards.items())
    ]


def renewals(entries: list[Entry]) -> dict[str, int]:
    """Renewal notices outstanding for the current term, renewals done, expiries."""
    certificates = [
        c for e in entries for c in (e.get("certificates") or {}).values() if "issued_on" in c
    ]
    due = sum(
        1
        for c in certificates
        if c.get("ended") is None and expires_of(c) in c.get("renewal_due", [])
    )
    return {
        "renewal_due": due,
        "renewed": sum(len(c.get("renewals", [])) for c in certificates),
        "expired": sum(
            1 for c in certificates if (c.get("ended") or {}).get("status") == "expired"
        ),
        "revoked": sum(
            1 for c in certificates if (c.get("ended") or {}).get("status") == "revoked"
        ),
    }
