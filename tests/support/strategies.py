"""Hypothesis strategies for the domain property tests, drawn from the data the services ship
(criteria sets and their sheets, certificate rules, provinces, product groups)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from services.certification.rules import load_rules
from services.scoring.criteria import CriteriaSet, Sheet
from services.scoring.criteria_files import load_criteria_sets
from shared.events import (
    AddressData,
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    Event,
    ProductRanked,
    ProductRegistered,
)
from shared.product_groups import classification
from tests.support.producers import registered

# repeatable in CI, no example database written, no per-example time limit
PROPERTIES = settings(deadline=None, derandomize=True, database=None)

SETS = load_criteria_sets()
SHEETS: tuple[tuple[CriteriaSet, Sheet], ...] = tuple(
    (criteria_set, sheet)
    for criteria_set in SETS
    if criteria_set.status == "in_force"
    for sheet in criteria_set.sheets.values()
)
RULES = load_rules()
PROVINCES = ("01", "19", "79", "82", "96")
GROUPS = tuple(classification().groups)
SUBGROUPS = tuple(classification().subgroups.values())
days = st.dates(date(2019, 1, 1), date(2100, 12, 31))
ADDRESS = AddressData(
    province_code="19", province_name="Thái Nguyên", ward_code="01933", ward_name="Xã Đồng Phúc"
)
TERM = timedelta(days=1096)  # a catalogue history's certificate term (not computed here)


@st.composite
def member_answers(draw: st.DrawFn, sheet: Sheet, skill: float) -> dict[str, str]:
    """One member's complete sheet; `skill` 1 picks the best option everywhere, 0 any option."""
    chosen = {}
    for code, criterion in sheet.criteria().items():
        ranked = sorted(criterion.options, key=lambda option: option.points)
        lowest = round(skill * (len(ranked) - 1))
        chosen[code] = draw(st.sampled_from(ranked[lowest:])).code
    return chosen


@st.composite
def council_sheets(draw: st.DrawFn) -> tuple[CriteriaSet, Sheet, list[dict[str, str]]]:
    """A real sheet and the sheets of 1 to 9 members, of a skill from worst to best."""
    criteria_set, sheet = draw(st.sampled_from(SHEETS))
    skill = draw(st.sampled_from([0.0, 0.5, 0.75, 0.9, 1.0]))
    members = draw(st.lists(member_answers(sheet, skill), min_size=1, max_size=9))
    return criteria_set, sheet, members


def ranked(**fields: Any) -> ProductRanked:
    base: dict[str, Any] = dict(
        evaluation_id="e1",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè",
        group="food",
        province_code="19",
        criteria_set="148-2023",
        total=80.0,
        band_stars=4,
        stars=4,
        level="province",
        council_level="province",
        ranked_on=date(2026, 1, 1),
    )
    return ProductRanked(**{**base, **fields})


@st.composite
def rankings(draw: st.DrawFn, evaluation_id: str = "e1") -> ProductRanked:
    """Any council result, recognised or not (the caller filters with `recognises`)."""
    return ranked(
        evaluation_id=evaluation_id,
        stars=draw(st.integers(1, 5)),
        level=draw(st.sampled_from(["province", "central"])),
        council_level=draw(st.sampled_from(["province", "central"])),
        total=draw(st.floats(0, 100)),
        province_code=draw(st.sampled_from(PROVINCES)),
    )


@st.composite
def recognised_rankings(draw: st.DrawFn, evaluation_id: str = "e1") -> ProductRanked:
    """A result the rules recognise: stars of its level, by a council of that level or above."""
    level = draw(st.sampled_from(sorted(RULES.stars_by_level)))
    councils = ["central"] if level == "central" else ["province", "central"]
    return ranked(
        evaluation_id=evaluation_id,
        stars=draw(st.sampled_from(RULES.stars_by_level[level])),
        level=level,
        council_level=draw(st.sampled_from(councils)),
        province_code=draw(st.sampled_from(PROVINCES)),
    )


# -- catalogue histories: what happened to a product, as ground truth -------------------


@st.composite
def certificate_history(draw: st.DrawFn, number: str) -> dict[str, Any]:
    """One certificate: its issue, renewals (stars, new expiry) and endings, if any."""
    issued_on = draw(st.dates(date(2023, 1, 1), date(2028, 12, 31)))
    renewals, on = [], issued_on
    for n, stars in enumerate(draw(st.lists(st.integers(3, 5), max_size=3))):
        on += timedelta(days=draw(st.integers(900, 1095)))
        renewals.append(
            {"evaluation_id": f"{number}/r{n}", "on": on, "stars": stars, "to": on + TERM}
        )
    endings = st.tuples(
        st.sampled_from(["expired", "revoked", "superseded"]),
        st.sampled_from(["2031-01-01T00:00:00.000Z", "2032-06-01T00:00:00.000Z"]),
    )
    return {
        "number": number,
        "stars": draw(st.integers(3, 5)),
        "issued_on": issued_on,
        "expires_on": issued_on + TERM,
        "renewals": renewals,
        "endings": draw(st.lists(endings, max_size=2)),
    }


@st.composite
def product_histories(draw: st.DrawFn) -> dict[str, Any]:
    """A product of one province and group, with up to three certificates."""
    province = draw(st.sampled_from(PROVINCES))
    count = draw(st.integers(0, 3))
    return {
        "province_code": province,
        "group": draw(st.sampled_from(GROUPS)),
        "registered": draw(st.booleans()),
        "certificates": [
            draw(certificate_history(f"OCOP-{province}-2026-{n:05d}")) for n in range(count)
        ],
    }


def history_events(product: dict[str, Any]) -> list[tuple[Event, str]]:
    """The events a product's history publishes, each with its publication time."""
    place = {"province_code": product["province_code"], "group": product["group"]}
    events: list[tuple[Event, str]] = []
    if product["registered"]:
        product_registered = ProductRegistered(
            product_id="p1", producer_id="pr1", name="Chè", ward_code="01933", **place
        )
        producer = registered(
            producer_id="pr1", name="HTX Chè", kind="htx", women_led=True, address=ADDRESS
        )
        at = "2020-01-01T00:00:00.000Z"
        events += [(product_registered, at), (producer, at)]
    for certificate in product["certificates"]:
        events += certificate_events(certificate, place)
    return events


def certificate_events(certificate: dict[str, Any], place: dict) -> list[tuple[Event, str]]:
    ids = {"certificate_number": certificate["number"], "product_id": "p1", "producer_id": "pr1"}
    issued_at = f"{certificate['issued_on']}T00:00:00.000Z"
    issued = CertificateIssued(
        **ids,
        **place,
        product_name="Chè",
        stars=certificate["stars"],
        level="province",
        total=80,
        criteria_set="148-2023",
        evaluation_id=f"e-{certificate['number']}",
        issued_on=certificate["issued_on"],
        expires_on=certificate["expires_on"],
    )
    due = CertificateRenewalDue(
        **ids,
        **place,
        product_name="Chè",
        stars=certificate["stars"],
        expires_on=certificate["expires_on"],
    )
    events: list[tuple[Event, str]] = [(issued, issued_at), (due, issued_at)]
    previous = certificate["expires_on"]
    for renewal in certificate["renewals"]:
        renewed = CertificateRenewed(
            **ids,
            stars=renewal["stars"],
            renewed_on=renewal["on"],
            expires_on=renewal["to"],
            previous_expires_on=previous,
            evaluation_id=renewal["evaluation_id"],
        )
        events.append((renewed, f"{renewal['on']}T00:00:00.000Z"))
        previous = renewal["to"]
    for status, at in certificate["endings"]:
        on = date.fromisoformat(at[:10])
        ending: Event
        if status == "expired":
            ending = CertificateExpired(**ids, expired_on=on)
        elif status == "revoked":
            ending = CertificateRevoked(
                **ids, revoked_on=on, reason="r", legal_basis="b", revoked_by="o"
            )
        else:
            ending = CertificateSuperseded(**ids, superseded_by="x", superseded_on=on)
        events.append((ending, at))
    return events
