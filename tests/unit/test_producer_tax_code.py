"""A producer's tax code: 10 or 10-3 digits for an organisation; since 1 July 2025 a
household business may give its representative's 12-digit personal identification number
(Thông tư 86/2024/TT-BTC), which no cooperative or enterprise has."""

import pytest

from services.registration.schemas import ProducerIn
from shared.errors import InvalidInput
from shared.web.api import validate

ADDRESS = {"province_code": "19", "ward_code": "01933"}


def producer(kind: str, tax_code: str) -> dict:
    return {"name": "Lò Thị Mai", "kind": kind, "women_led": True, "tax_code": tax_code}


@pytest.mark.parametrize(
    ("kind", "tax_code"),
    [
        ("household", "019186001234"),  # a personal identification number
        ("household", "4700000001"),  # issued before 1 July 2025
        ("htx", "4700000001"),
        ("enterprise", "0101234567-001"),  # a branch
    ],
)
def test_accepted_tax_codes(kind, tax_code):
    assert (
        validate(ProducerIn, {**producer(kind, tax_code), "address": ADDRESS}).tax_code == tax_code
    )


@pytest.mark.parametrize(
    ("kind", "tax_code"),
    [
        ("htx", "019186001234"),
        ("enterprise", "019186001234"),
        ("coop_group", "019186001234"),
        ("household", "01918600123"),  # 11 digits
        ("household", "0191860012345"),  # 13 digits without the branch dash
        ("household", "019186-001234"),
    ],
)
def test_refused_tax_codes_name_the_field(kind, tax_code):
    with pytest.raises(InvalidInput) as refused:
        validate(ProducerIn, {**producer(kind, tax_code), "address": ADDRESS})
    assert list(refused.value.fields) == ["tax_code"]
