"""Properties of registration: any producer, product or dossier input gives a valid entity or
an InvalidInput (or Conflict) naming the field at fault, never another exception."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st
from vietnam_provinces import Ward, WardCode

from services.registration import domain, dossiers
from services.registration.batches import Batch
from shared.admin_units import address_from_codes, known_province
from shared.errors import Conflict, InvalidInput
from shared.product_groups import classification
from tests.support.strategies import GROUPS, PROPERTIES, SUBGROUPS

TODAY = date(2026, 11, 28)
EVIDENCE = dossiers.Evidence(kind="label", filename="a.pdf", sha256="0" * 64)
PRODUCER = domain.register_producer(
    "pr1",
    name="HTX Chè",
    kind="htx",
    women_led=True,
    tax_code=None,
    address=address_from_codes("19", "01933"),
)[0]

# codes as the API accepts them (1-5 digits): real pairs, real codes mixed up, any digits
WARDS = [(str(ward.province_code.value), str(ward.code.value)) for ward in Ward.iter_all()]
digits = st.from_regex(r"\d{1,5}", fullmatch=True)
codes = st.one_of(
    st.sampled_from(WARDS),
    st.tuples(st.sampled_from([p for p, _ in WARDS]), st.sampled_from([w for _, w in WARDS])),
    st.tuples(digits, digits),
)
# legacy addresses: words of real places in any order, or any text
WORDS = ["Xã", "Phường", "Huyện", "Quận", "Tỉnh", "Thành phố", "Quảng Khê", "Ba Bể", "Bắc Kạn"]
PLACES = ["Hà Nội", "Hồ Chí Minh", "Đồng Phúc", "Thái Nguyên", "1", "3", ","]
REAL_LEGACY = ["Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn", "Phường 1, Quận 3, TP Hồ Chí Minh"]
legacy = (
    st.sampled_from(REAL_LEGACY)
    | st.lists(st.sampled_from([*WORDS, *PLACES]), min_size=1, max_size=8).map(" ".join)
    | st.text(min_size=3, max_size=80)
)
inputs = st.one_of(
    st.tuples(codes, st.none()),
    st.tuples(st.none(), legacy),
    st.tuples(codes, legacy),
    st.just((None, None)),
)


@settings(PROPERTIES, max_examples=300)
@given(inputs)
def test_an_address_is_found_or_the_field_at_fault_is_named(given_address):
    address_codes, legacy_address = given_address
    try:
        address = domain.locate(address_codes, legacy_address)
    except InvalidInput as error:
        event(f"refused: {sorted(error.fields)}")
        assert len(error.fields) == 1
        field = next(iter(error.fields))
        if address_codes is None and legacy_address is None:
            assert field == "address"
        elif address_codes is None:  # the words, or the codes they convert to
            assert field.partition(".")[0] == "legacy_address"
        else:
            assert field == "legacy_address" if legacy_address else field.startswith("address.")
        return
    event("found")
    assert (address_codes is None) != (legacy_address is None)
    ward = Ward.from_code(WardCode(int(address.ward_code)))  # the ward lies in the province
    assert known_province(address.province_code) and len(address.ward_code) == 5
    assert ward.province_code.value == int(address.province_code)
    assert address.legacy_address == legacy_address


@settings(PROPERTIES, max_examples=200)
@given(
    st.sampled_from([(each.group, each.code) for each in SUBGROUPS])
    | st.tuples(
        st.sampled_from(GROUPS) | st.text(max_size=12),
        st.none() | st.sampled_from([each.code for each in SUBGROUPS]) | st.text(max_size=12),
    ),
    st.text(min_size=1, max_size=40),
)
def test_a_product_has_a_known_classification_or_the_field_is_named(classified, name):
    group, subgroup = classified
    try:
        product, events = domain.register_product(
            "p1", PRODUCER, name=name, group=group, subgroup=subgroup
        )
    except InvalidInput as error:
        event(f"refused: {sorted(error.fields)}")
        assert list(error.fields) in (["group"], ["subgroup"])
        if subgroup is None and group in classification().groups:
            assert list(error.fields) == ["subgroup"]  # every product names its product set
        return
    event("registered")
    known = classification()
    assert product.group in known.groups
    assert product.subgroup is not None
    assert known.subgroups[product.subgroup].group == product.group
    assert (product.province_code, product.ward_code) == ("19", "01933")
    assert events[0].product_id == "p1" and events[0].group == product.group


@settings(PROPERTIES, max_examples=200)
@given(
    st.dates(date(2022, 1, 1), date(2099, 12, 31)),
    st.integers(-40, 40),  # the batch opens this many days from today
    st.integers(0, 80),  # and receives dossiers this many days
    st.sampled_from([None, "same", "other"]),  # the year the request gives
    st.lists(st.sampled_from(["submitted", "returned"]), max_size=3),  # earlier in the batch
)
def test_a_dossier_goes_only_into_an_open_batch_with_nothing_else_under_evaluation(
    today, starts, days, year_given, earlier_statuses
):
    opens_on = today + timedelta(days=starts)
    batch = Batch(
        id="b1",
        province_code="19",
        year=opens_on.year,
        number=1,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=days),
        opened_by="o",
    )
    year = {None: None, "same": batch.year, "other": batch.year + 1}[year_given]
    product, _ = domain.register_product(
        "p1", PRODUCER, name="Chè", group="food", subgroup="che-tuoi-che-che-bien"
    )
    earlier = [
        dossiers.Dossier(
            id=f"d0{n}",
            product_id="p1",
            producer_id=PRODUCER.id,
            year=batch.year,
            evidence=(EVIDENCE,),
            submitted_on=opens_on,
            status=status,
            batch_id="b1",
            attempt=n + 1,
        )
        for n, status in enumerate(earlier_statuses)
    ]
    try:
        dossier, events = dossiers.submit_dossier(
            "d1",
            product,
            batch_id="b1",
            year=year,
            evidence=(EVIDENCE,),
            batches=[batch],
            earlier=earlier,
            today=today,
        )
    except InvalidInput as error:
        event(f"refused: {list(error.fields)}")
        assert list(error.fields) in (["batch_id"], ["year"])
        assert not batch.is_open(today) or year not in (None, batch.year)
        return
    except Conflict as error:
        event("refused: under evaluation")
        assert list(error.fields) == ["batch_id"] and "submitted" in earlier_statuses
        return
    assert batch.is_open(today) and year in (None, batch.year)
    assert "submitted" not in earlier_statuses  # only returned ones were there
    assert dossier.attempt == len(earlier) + 1 and dossier.batch_id == "b1"
    assert dossier.submitted_on == today and dossier.status == "submitted"
    assert events[0].year == batch.year and events[0].product_id == "p1"
