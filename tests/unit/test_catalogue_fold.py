"""The catalogue read model: the same entry whatever order the events arrive in."""

import itertools
from datetime import date

import pytest

from services.trade_promotion import catalogue
from shared.events import (
    AddressData,
    CertificateExpired,
    CertificateIssued,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    ProducerRegistered,
    ProductRegistered,
)
from tests.support.producers import registered

ISSUED = date(2026, 1, 10)
ADDRESS = AddressData(
    province_code="19",
    province_name="Thái Nguyên",
    ward_code="01933",
    ward_name="Xã Đồng Phúc",
    latitude=22.3,
    longitude=105.7,
)


def producer(kind="htx") -> ProducerRegistered:
    return registered(
        producer_id="pr1", name="HTX Chè Shan tuyết", kind=kind, women_led=True, address=ADDRESS
    )


def product() -> ProductRegistered:
    return ProductRegistered(
        product_id="p1",
        producer_id="pr1",
        name="Chè Shan tuyết Tân Cương",
        group="drinks",
        subgroup="che-tuoi-che-che-bien",
        province_code="19",
        ward_code="01933",
    )


def issued(number="OCOP-19-2026-00001", stars=3, on=ISSUED) -> CertificateIssued:
    return CertificateIssued(
        certificate_number=number,
        product_id="p1",
        producer_id="pr1",
        product_name="Chè Shan tuyết Tân Cương",
        group="drinks",
        province_code="19",
        stars=stars,
        level="province",
        total=60,
        criteria_set="148-2023",
        evaluation_id=f"e-{number}",
        issued_on=on,
        expires_on=date(on.year + 3, on.month, on.day),
    )


def fold_all(events: list[tuple]) -> catalogue.Entry:
    entry = catalogue.empty("p1")
    for event, at in events:
        entry = catalogue.fold(entry, event, at)
    return entry


def test_an_entry_merges_product_producer_and_certificate():
    entry = fold_all([(product(), "t1"), (producer(), "t2"), (issued(), "t3")])
    assert entry["listed"] and entry["stars"] == 3 and entry["certificate_status"] == "valid"
    assert (entry["name"], entry["producer_name"], entry["ward_name"]) == (
        "Chè Shan tuyết Tân Cương",
        "HTX Chè Shan tuyết",
        "Xã Đồng Phúc",
    )
    assert entry["search_text"] == "che shan tuyet tan cuong htx che shan tuyet thai nguyen"


def test_a_household_producers_name_is_not_public():
    entry = fold_all([(product(), "t1"), (producer(kind="household"), "t2"), (issued(), "t3")])
    assert entry["producer_name"] == "Hộ kinh doanh tại Xã Đồng Phúc"
    assert "shan tuyet htx" not in entry["search_text"]


HISTORY = [
    (product(), "2026-01-01T00:00:00.000Z"),
    (producer(), "2026-01-01T00:00:01.000Z"),
    (issued(), "2026-01-10T00:00:00.000Z"),
    (issued("OCOP-19-2026-00007", stars=4, on=date(2026, 6, 1)), "2026-06-01T00:00:00.000Z"),
    (
        CertificateSuperseded(
            certificate_number="OCOP-19-2026-00001",
            product_id="p1",
            producer_id="pr1",
            superseded_by="OCOP-19-2026-00007",
            superseded_on=date(2026, 6, 1),
        ),
        "2026-06-01T00:00:01.000Z",
    ),
    (
        CertificateRenewed(
            certificate_number="OCOP-19-2026-00007",
            product_id="p1",
            producer_id="pr1",
            stars=4,
            renewed_on=date(2029, 5, 20),
            expires_on=date(2032, 5, 20),
            previous_expires_on=date(2029, 6, 1),
            evaluation_id="e-again",
        ),
        "2029-05-20T00:00:00.000Z",
    ),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(HISTORY))))[::37])
def test_any_arrival_order_folds_to_the_same_entry(order):
    expected = fold_all(HISTORY)
    assert fold_all([HISTORY[i] for i in order]) == expected
    assert expected["certificate_number"] == "OCOP-19-2026-00007"
    assert (expected["stars"], expected["expires_on"]) == (4, "2032-05-20")


def test_the_earliest_ending_counts_whatever_arrives_first():
    revoked = (
        CertificateRevoked(
            certificate_number="OCOP-19-2026-00001",
            product_id="p1",
            producer_id="pr1",
            revoked_on=date(2026, 3, 1),
            reason="r",
            legal_basis="b",
            revoked_by="o",
        ),
        "2026-03-01T00:00:00.000Z",
    )
    expired = (
        CertificateExpired(
            certificate_number="OCOP-19-2026-00001",
            product_id="p1",
            producer_id="pr1",
            expired_on=date(2029, 1, 10),
        ),
        "2029-01-11T00:00:00.000Z",
    )
    one = fold_all([(issued(), "t"), revoked, expired])
    two = fold_all([(issued(), "t"), expired, revoked])
    assert one == two and one["certificate_status"] == "revoked" and not one["listed"]


def test_listing_and_delisting_events():
    before = catalogue.empty("p1")
    listed = catalogue.fold(before, issued(), "t1")
    assert [e.event_type for e in catalogue.changes(before, listed)] == ["catalogue.listed"]
    revoked = catalogue.fold(
        listed,
        CertificateRevoked(
            certificate_number="OCOP-19-2026-00001",
            product_id="p1",
            producer_id="pr1",
            revoked_on=ISSUED,
            reason="r",
            legal_basis="b",
            revoked_by="o",
        ),
        "t2",
    )
    delisted = catalogue.changes(listed, revoked)
    assert [e.event_type for e in delisted] == ["catalogue.delisted"] and delisted[
        0
    ].reason == "revoked"
    assert catalogue.changes(revoked, revoked) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chè Shan tuyết", "che shan tuyet"),
        ("ĐẶC SẢN Đồng Tháp", "dac san dong thap"),
        ("  Mật   ong  ", "mat ong"),
        ("Nước mắm Phú Quốc", "nuoc mam phu quoc"),
    ],
)
def test_search_text_ignores_diacritics_and_case(text, expected):
    assert catalogue.searchable(text) == expected


def test_a_supersession_arriving_before_its_successor_does_not_delist():
    """Issued and superseded travel through different queues: the old certificate stays
    shown until the one that supersedes it is here, then the new one is."""
    old, new = "OCOP-19-2026-00001", "OCOP-19-2026-00002"
    superseded = CertificateSuperseded(
        certificate_number=old,
        product_id="p1",
        producer_id="pr1",
        superseded_by=new,
        superseded_on=ISSUED,
    )
    early = fold_all([(product(), "t1"), (issued(old, stars=3), "t2"), (superseded, "t4")])
    assert early["listed"] and early["certificate_number"] == old and early["stars"] == 3
    later = catalogue.fold(early, issued(new, stars=4), "t3")
    assert later["listed"] and later["certificate_number"] == new and later["stars"] == 4
    expired_too = CertificateExpired(
        certificate_number=new, product_id="p1", producer_id="pr1", expired_on=ISSUED
    )
    ended = catalogue.fold(later, expired_too, "t5")
    assert not ended["listed"]  # the old one is superseded for good once the new one is known
