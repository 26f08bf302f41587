"""Addresses: today's codes are checked; pre-2025 addresses are converted, never guessed."""

import pytest

from shared.admin_units import address_from_codes, address_from_legacy
from shared.errors import InvalidInput


def test_legacy_address_of_bac_kan_comes_back_in_thai_nguyen():
    address = address_from_legacy("Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn")
    assert (address.province_code, address.province_name) == ("19", "Thái Nguyên")
    assert (address.ward_code, address.ward_name) == ("01933", "Xã Đồng Phúc")
    assert address.legacy_address == "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn"
    assert address.latitude and address.longitude


def test_legacy_address_that_converts_only_to_a_province_is_refused():
    with pytest.raises(InvalidInput) as error:
        address_from_legacy("Xã Bản Xen, Huyện Mường Khương, Tỉnh Lào Cai")
    assert "Lào Cai" in error.value.fields["legacy_address"]
    assert "no ward" in error.value.fields["legacy_address"]


def test_unrecognisable_legacy_address_is_refused():
    with pytest.raises(InvalidInput) as error:
        address_from_legacy("nowhere at all")
    assert "legacy_address" in error.value.fields


@pytest.mark.parametrize(("province", "ward"), [("19", "1933"), (19, 1933), ("19", "01933")])
def test_codes_are_normalised(province, ward):
    address = address_from_codes(province, ward)
    assert (address.province_code, address.ward_code) == ("19", "01933")


@pytest.mark.parametrize(
    ("province", "ward", "field"),
    [
        ("99", "01933", "address.province_code"),
        ("19", "99999", "address.ward_code"),
        ("19", "26740", "address.ward_code"),  # a Hồ Chí Minh City ward
        ("x", "1", "address.province_code"),
    ],
)
def test_bad_codes_name_the_field(province, ward, field):
    with pytest.raises(InvalidInput) as error:
        address_from_codes(province, ward)
    assert field in error.value.fields
