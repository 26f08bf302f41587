"""The public catalogue: a read model folded from events only. Pure.

Each product's entry keeps the facts the events told (the product, its producer, each
certificate with its renewals and how it ended) and derives the public fields from them.
Facts are merged so that the order events arrive in does not matter: set-once values,
renewals kept by evaluation, the earliest ending kept. So replaying the journal in any
order rebuilds the same catalogue as live consumption (see `rebuild.py`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from services.trade_promotion.certificates_shown import (
    current_certificate,
    expires_of,
    latest_ended,
    stars_of,
)
from shared.admin_units import known_province, province_name
from shared.events import (
    CatalogueDelisted,
    CatalogueListed,
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    Event,
    InvalidEvent,
    ProducerRegistered,
    ProductRegistered,
)

Entry = dict[str, Any]
HOUSEHOLD = "household"
FACTS = ("product", "producer", "certificates")
BOOKKEEPING = ("applied", "outbox", "outbox_since")


def empty(product_id: str) -> Entry:
    return {"_id": product_id, "product": None, "producer": None, "certificates": {}}


def fold(entry: Entry, event: Event, at: str) -> Entry:
    """`entry` with the facts `event` (published at time `at`) adds; derived fields redone."""
    facts: dict[str, Any] = {key: entry.get(key) for key in FACTS}
    facts["certificates"] = dict(facts["certificates"] or {})
    match event:
        case ProductRegistered():
            facts["product"] = facts["product"] or event.model_dump(mode="json")
        case ProducerRegistered():
            facts["producer"] = facts["producer"] or producer_facts(event)
        case CertificateIssued():
            if not known_province(event.province_code):
                raise InvalidEvent(
                    f"province_code {event.province_code!r} is not one of the 34 provinces"
                )
            number = event.certificate_number
            update_certificate(
                facts, number, **event.model_dump(mode="json"), **tail(facts, number)
            )
        case CertificateRenewed():
            renewals = {
                r["evaluation_id"]: r for r in tail(facts, event.certificate_number)["renewals"]
            }
            renewals[event.evaluation_id] = event.model_dump(
                mode="json", include={"evaluation_id", "stars", "renewed_on", "expires_on"}
            )
            ordered = sorted(renewals.values(), key=lambda r: (r["renewed_on"], r["evaluation_id"]))
            update_certificate(facts, event.certificate_number, renewals=ordered)
        case CertificateRenewalDue():
            due = sorted(
                {*tail(facts, event.certificate_number)["renewal_due"], str(event.expires_on)}
            )
            update_certificate(facts, event.certificate_number, renewal_due=due)
        case CertificateRevoked() | CertificateExpired() | CertificateSuperseded():
            ending = {"status": event.event_type.split(".")[1], "at": at}
            if isinstance(event, CertificateSuperseded):
                ending["by"] = event.superseded_by
            current = tail(facts, event.certificate_number)["ended"]
            if current is None or (ending["at"], ending["status"]) < (
                current["at"],
                current["status"],
            ):
                update_certificate(facts, event.certificate_number, ended=ending)
    return {**entry, **facts, **derive(entry["_id"], facts)}


def row(entry: Entry) -> Entry:
    """The entry's search row: its public, derived fields and version, without the facts."""
    return {key: value for key, value in entry.items() if key not in (*FACTS, *BOOKKEEPING)}


def producer_facts(event: ProducerRegistered) -> dict[str, Any]:
    return {**event.model_dump(mode="json", exclude={"address"}), **event.address.model_dump()}


def tail(facts: dict[str, Any], number: str) -> dict[str, Any]:
    """The parts of a certificate's facts that later events add."""
    known = facts["certificates"].get(number) or {}
    return {
        key: known.get(key, default)
        for key, default in (("renewals", []), ("renewal_due", []), ("ended", None))
    }


def update_certificate(facts: dict[str, Any], number: str, **changes: Any) -> None:
    facts["certificates"][number] = {**(facts["certificates"].get(number) or {}), **changes}


def derive(product_id: str, facts: dict[str, Any]) -> Entry:
    """The public, queryable fields of an entry, from its facts alone."""
    product, producer = facts["product"] or {}, facts["producer"] or {}
    current = current_certificate(facts["certificates"], product.get("province_code"))
    shown = current or latest_ended(facts["certificates"]) or {}
    name = product.get("name") or shown.get("product_name") or ""
    province = product.get("province_code") or shown.get("province_code")
    place = province_name(province) if province and known_province(province) else None
    public_producer = producer_label(producer)
    return {
        "listed": current is not None,
        "name": name,
        "group": product.get("group") or shown.get("group"),
        "subgroup": product.get("subgroup") or shown.get("subgroup"),
        "producer_id": product.get("producer_id") or shown.get("producer_id"),
        "producer_name": public_producer,
        "producer_kind": producer.get("kind"),
        "women_led": producer.get("women_led"),
        "province_code": province,
        "province_name": place,
        "ward_code": product.get("ward_code") or producer.get("ward_code"),
        "ward_name": producer.get("ward_name"),
        "latitude": producer.get("latitude"),
        "longitude": producer.get("longitude"),
        "search_text": searchable(name, public_producer, place),
        **certificate_fields(shown, current is not None),
        **sort_keys(product_id, name, shown),
    }


def certificate_fields(shown: dict, valid: bool) -> Entry:
    ended = (shown.get("ended") or {}).get("status")
    return {
        "stars": stars_of(shown) if shown else None,
        "certificate_number": shown.get("certificate_number"),
        "certificate_status": "valid" if valid else ended,
        "issued_on": shown.get("issued_on"),
        "expires_on": expires_of(shown) if shown else None,
        "sheet": shown.get("sheet"),
    }


def sort_keys(product_id: str, name: str, shown: dict) -> Entry:
    """Single-field keys for each sort, unique by the id suffix: a cursor is one `$gt`."""
    stars = stars_of(shown) if shown else 0
    issued = int((shown.get("issued_on") or "0000-00-00").replace("-", ""))
    return {
        "sort_name": f"{searchable(name)}|{product_id}",
        "sort_stars": f"{9 - stars}|{searchable(name)}|{product_id}",
        "sort_newest": f"{99999999 - issued:08d}|{product_id}",
    }


def producer_label(producer: dict[str, Any]) -> str | None:
    """Public name: a household business is a person, so its name is not shown (since
    `producer.registered` v2 registration sends only the public name; entries folded from
    earlier events still hold the name, and are shown by the same rule)."""
    if not producer:
        return None
    if producer.get("public_name"):
        return str(producer["public_name"])
    if producer.get("kind") == HOUSEHOLD:
        return (
            f"Hộ kinh doanh tại {producer.get('ward_name')}"
            if producer.get("ward_name")
            else "Hộ kinh doanh"
        )
    return producer.get("name")


def searchable(*texts: str | None) -> str:
    """Lower case without Vietnamese diacritics: "Chè Shan tuyết" -> "che shan tuyet"."""
    joined = " ".join(text for text in texts if text).replace("đ", "d").replace("Đ", "D")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", joined) if unicodedata.category(ch) != "Mn"
    )
    return " ".join(stripped.lower().split())


def changes(before: Entry, after: Entry) -> list[Event]:
    """catalogue.listed when a product enters or its shown certificate changes; delisted
    when it leaves."""
    if after["listed"] and (not before.get("listed") or public_part(before) != public_part(after)):
        return [
            CatalogueListed(
                product_id=after["_id"],
                certificate_number=after["certificate_number"],
                stars=after["stars"],
                group=after["group"],
                province_code=after["province_code"],
            )
        ]
    if before.get("listed") and not after["listed"]:
        reason = "revoked" if after["certificate_status"] == "revoked" else "expired"
        return [
            CatalogueDelisted(
                product_id=after["_id"],
                certificate_number=before["certificate_number"],
                reason=reason,
            )
        ]
    return []


def public_part(entry: Entry) -> tuple:
    return tuple(entry.get(key) for key in ("certificate_number", "stars", "expires_on"))
