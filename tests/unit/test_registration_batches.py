"""Evaluation batches (đợt), the dossiers sent in them, renewals and returns: the rules,
without storage or broker."""

from datetime import date, timedelta

import pytest

from services.registration import certificates, domain, dossiers
from services.registration.batches import Batch, choose_batch, open_batch
from shared.admin_units import address_from_codes
from shared.errors import Conflict, InvalidInput
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    InvalidEvent,
)

TODAY = date(2026, 6, 15)
LABEL = dossiers.Evidence(kind="label", filename="nhan.pdf", sha256="a" * 64)
STORY = dossiers.Evidence(kind="product_story", filename="cau-chuyen.pdf", sha256="b" * 64)


def product(province: str = "19", ward: str = "01933") -> domain.Product:
    producer, _ = domain.register_producer(
        "pr1",
        name="HTX",
        kind="htx",
        women_led=False,
        tax_code=None,
        address=address_from_codes(province, ward),
    )
    made, _ = domain.register_product(
        "p1", producer, name="Chè", group="food", subgroup="che-tuoi-che-che-bien"
    )
    return made


def batch(number: int = 1, days: tuple[int, int] = (-30, 30), **fields) -> Batch:
    opened, _ = open_batch(
        fields.pop("id", f"b{number}"),
        province_code=fields.pop("province_code", "19"),
        year=fields.pop("year", 2026),
        number=number,
        name=None,
        opens_on=TODAY + timedelta(days=days[0]),
        closes_on=TODAY + timedelta(days=days[1]),
        opened_by="can-bo-19",
    )
    return opened


def earlier(status: str = "submitted", batch_id: str = "b1", **fields) -> dossiers.Dossier:
    return dossiers.Dossier(
        id=fields.pop("id", "d0"),
        product_id="p1",
        producer_id="pr1",
        year=fields.pop("year", 2026),
        evidence=fields.pop("evidence", (LABEL,)),
        submitted_on=fields.pop("submitted_on", TODAY - timedelta(days=20)),
        status=status,
        batch_id=batch_id,
        **fields,
    )


def submit(**given):
    fields = {
        "batch_id": None,
        "year": None,
        "evidence": (LABEL,),
        "batches": [batch()],
        "today": TODAY,
        **given,
    }
    return dossiers.submit_dossier("d1", product(), **fields)


# batches


def test_a_batch_is_opened_with_its_event():
    opened, [event] = open_batch(
        "b1",
        province_code="19",
        year=2026,
        number=2,
        name="Đợt 2",
        opens_on=date(2026, 9, 1),
        closes_on=date(2026, 9, 1),  # one day is enough
        opened_by="can-bo-19",
    )
    assert opened.is_open(date(2026, 9, 1)) and not opened.is_open(date(2026, 9, 2))
    assert (event.batch_id, event.number, event.opened_by) == ("b1", 2, "can-bo-19")
    assert (event.opens_on, event.closes_on) == (date(2026, 9, 1), date(2026, 9, 1))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"opens_on": date(2026, 9, 2), "closes_on": date(2026, 9, 1)}, "closes_on"),
        ({"year": 2030}, "year"),  # opening in 2026 for 2030
        ({"province_code": "99"}, "province_code"),
        ({"closes_on": date(2027, 12, 31)}, "closes_on"),  # more than a year open
    ],
)
def test_a_batch_with_impossible_dates_or_place_is_refused_naming_the_field(fields, field):
    given = {
        "province_code": "19",
        "year": 2026,
        "number": 1,
        "name": None,
        "opens_on": date(2026, 9, 1),
        "closes_on": date(2026, 10, 1),
        "opened_by": "o",
        **fields,
    }
    with pytest.raises(InvalidInput) as refused:
        open_batch("b1", **given)
    assert list(refused.value.fields) == [field]


@pytest.mark.parametrize(
    ("days", "is_open"),
    [((0, 0), True), ((-10, 0), True), ((0, 10), True), ((1, 10), False), ((-10, -1), False)],
)
def test_a_batch_receives_dossiers_from_its_first_day_to_its_last(days, is_open):
    assert batch(days=days).is_open(TODAY) is is_open


def test_the_named_batch_must_be_the_products_provinces_and_open_today():
    assert choose_batch("b1", [batch()], "19", TODAY).id == "b1"
    for candidates, province in (
        ([], "19"),  # no such batch
        ([batch(province_code="08")], "19"),  # another province's
        ([batch(days=(1, 30))], "19"),  # not open yet
        ([batch(days=(-30, -1))], "19"),  # closed
    ):
        with pytest.raises(InvalidInput) as refused:
            choose_batch("b1", candidates, province, TODAY)
        assert list(refused.value.fields) == ["batch_id"]


def test_without_a_batch_the_provinces_one_open_batch_is_taken():
    assert choose_batch(None, [batch(1), batch(2, days=(1, 9))], "19", TODAY).id == "b1"
    with pytest.raises(InvalidInput) as none:
        choose_batch(None, [batch(2, days=(1, 9)), batch(3, province_code="08")], "19", TODAY)
    said = none.value.fields["batch_id"]
    assert "không có đợt đánh giá" in said and "no evaluation batch" in said
    with pytest.raises(InvalidInput) as several:
        choose_batch(None, [batch(1), batch(2)], "19", TODAY)
    assert "b1" in several.value.fields["batch_id"] and "b2" in several.value.fields["batch_id"]


# dossiers in batches


def test_the_dossier_takes_the_batchs_year_and_a_different_one_is_refused():
    dossier, [event] = submit(year=2026)
    assert (dossier.year, dossier.batch_id, event.batch_id) == (2026, "b1", "b1")
    with pytest.raises(InvalidInput) as refused:
        submit(year=2027)
    assert list(refused.value.fields) == ["year"]


def test_one_dossier_per_product_and_batch():
    with pytest.raises(Conflict) as refused:
        submit(earlier=[earlier()])
    assert refused.value.fields == {"batch_id": "taken"}


def test_no_second_dossier_while_one_of_the_year_is_under_evaluation():
    later_batch = batch(2, id="b2")
    with pytest.raises(Conflict) as refused:
        submit(batches=[later_batch], earlier=[earlier(batch_id="b1")])
    assert (
        list(refused.value.fields) == ["batch_id"] and "under evaluation" in refused.value.message
    )
    assert "d0" not in refused.value.message  # perhaps another caller's: its id is not told
    last_year = earlier(year=2025, submitted_on=date(2025, 5, 1))  # not counted: another year
    dossier, _ = submit(batches=[later_batch], earlier=[last_year])
    assert dossier.attempt == 1


def test_a_returned_dossier_does_not_count_in_its_batch_or_its_year():
    returned = earlier("returned")
    again, _ = submit(earlier=[returned])  # the same batch, still open
    assert (again.batch_id, again.attempt) == ("b1", 2)
    in_next_batch, _ = submit(batches=[batch(2, id="b2")], earlier=[returned])
    assert (in_next_batch.batch_id, in_next_batch.attempt) == ("b2", 2)


def test_a_dossier_without_evidence_is_refused_unless_some_is_carried_over():
    with pytest.raises(InvalidInput) as refused:
        submit(evidence=())
    assert list(refused.value.fields) == ["evidence"]
    carried, [event] = submit(evidence=(), carry_over_evidence=True, earlier=[earlier("returned")])
    assert carried.evidence == (LABEL,) and event.evidence[0].sha256 == LABEL.sha256


def test_carry_over_copies_the_latest_dossiers_evidence_and_adds_the_new():
    older = earlier("returned", id="d-old", submitted_on=TODAY - timedelta(days=300), year=2025)
    latest = earlier("returned", id="d-new", evidence=(LABEL, STORY))
    relabelled = LABEL.model_copy(update={"filename": "nhan-moi.pdf"})  # same document again
    photo = dossiers.Evidence(kind="photo", filename="anh.jpg", sha256="c" * 64)
    dossier, _ = submit(
        evidence=(relabelled, photo), carry_over_evidence=True, earlier=[latest, older]
    )
    assert dossier.evidence == (STORY, relabelled, photo)
    with pytest.raises(InvalidInput) as nothing:
        submit(carry_over_evidence=True, earlier=[])
    assert list(nothing.value.fields) == ["carry_over_evidence"]


# renewals


def known(status="valid", expires_on=TODAY + timedelta(days=20), product_id="p1"):
    return certificates.KnownCertificate(
        number="OCOP-19-2023-00001", product_id=product_id, status=status, expires_on=expires_on
    )


def test_a_renewal_names_a_valid_certificate_of_its_own_product():
    dossier, [event] = submit(renewal_of="OCOP-19-2023-00001", certificate=known())
    assert dossier.renewal_of == event.renewal_of == "OCOP-19-2023-00001"


@pytest.mark.parametrize(
    "certificate",
    [
        None,  # never heard of
        known(product_id="p2"),  # another product's
        known(status="revoked"),
        known(status="expired"),
        known(status="superseded"),
        known(expires_on=TODAY - timedelta(days=1)),  # its term is over, not yet swept
    ],
)
def test_a_renewal_of_a_certificate_not_the_products_or_not_valid_is_refused(certificate):
    with pytest.raises(InvalidInput) as refused:
        submit(renewal_of="OCOP-19-2023-00001", certificate=certificate)
    assert list(refused.value.fields) == ["renewal_of"]


def test_certificate_events_in_any_order_leave_an_ended_certificate_ended():
    change = {"certificate_number": "N1", "product_id": "p1", "producer_id": "pr1"}
    issued = CertificateIssued(
        **change,
        product_name="Chè",
        group="food",
        province_code="19",
        stars=4,
        level="province",
        total=80,
        criteria_set="148-2023",
        evaluation_id="e1",
        issued_on=date(2023, 7, 1),
        expires_on=date(2026, 7, 1),
    )
    renewed = CertificateRenewed(
        **change,
        stars=4,
        renewed_on=date(2026, 6, 1),
        expires_on=date(2029, 7, 1),
        previous_expires_on=date(2026, 7, 1),
        evaluation_id="e2",
    )
    ends = {
        "expired": CertificateExpired(**change, expired_on=date(2029, 7, 1)),
        "revoked": CertificateRevoked(
            **change, revoked_on=TODAY, reason="x", legal_basis="y", revoked_by="o"
        ),
        "superseded": CertificateSuperseded(**change, superseded_by="N2", superseded_on=TODAY),
    }
    held = certificates.learn(certificates.learn(None, renewed), issued)  # renewal heard first
    assert (held.status, held.expires_on) == ("valid", date(2029, 7, 1))
    for status, end in ends.items():
        ended = certificates.learn(certificates.learn(None, end), issued)  # the end first
        assert (ended.status, ended.expires_on) == (status, date(2026, 7, 1))
        assert certificates.learn(held, end).status == status


# returns


def test_a_returned_dossier_says_why_and_a_second_return_changes_nothing():
    why = dossiers.Returned(
        evaluation_id="e1",
        by_level="commune",
        by="xa-dong-phuc",
        reasons=("Thiếu phiếu kiểm nghiệm",),
        on=TODAY,
    )
    returned, events = dossiers.return_dossier(earlier(), "p1", why)
    assert (returned.status, returned.returned, events) == ("returned", why, [])
    assert not returned.under_evaluation()
    later = why.model_copy(update={"by_level": "province", "on": TODAY + timedelta(days=1)})
    assert dossiers.return_dossier(returned, "p1", later) == (returned, [])
    with pytest.raises(InvalidEvent):
        dossiers.return_dossier(earlier(), "p2", why)  # another product's dossier
