"""Addresses in Vietnam's administrative units since 1 July 2025: 34 provinces, wards.

Two inputs are accepted: today's codes (checked against `vietnam-provinces`), or a
pre-2025 three-tier address in words ("Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn"),
converted with `vietnamadminunits`. Both libraries use the official GSO codes. A legacy
address that converts only to a province is refused, naming what was found: a ward is
never guessed. Coordinates (for the OCOP map) come from `vietnamadminunits`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode
from vietnamadminunits import convert_address, parse_address

from shared.errors import InvalidInput


class Address(BaseModel):
    """A place in today's units; `legacy_address` keeps the words it was converted from."""

    model_config = ConfigDict(frozen=True)

    province_code: str
    province_name: str
    ward_code: str
    ward_name: str
    legacy_address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def province_name(code: str) -> str:
    """The province's name, or InvalidInput naming `province_code`."""
    return _province(code, "province_code").name


def province_title(code: str) -> str:
    """How the province is named in a title: "tỉnh Thái Nguyên", "Thành phố Hà Nội"."""
    province = _province(code, "province_code")
    return province.name if province.name.startswith("Thành phố") else f"tỉnh {province.name}"


@lru_cache(maxsize=64)
def ward_count(province_code: str) -> int:
    """How many wards (xã, phường, đặc khu) the province has today."""
    province = _province(province_code, "province_code")
    return sum(1 for _ in Ward.iter_by_province(province.code))


def known_province(code: str) -> bool:
    try:
        _province(code, "province_code")
    except InvalidInput:
        return False
    return True


def address_from_codes(province_code: str, ward_code: str, field: str = "address") -> Address:
    province = _province(province_code, f"{field}.province_code")
    ward = _ward(ward_code, f"{field}.ward_code")
    if ward.province_code != province.code:
        raise InvalidInput.field(
            f"{field}.ward_code",
            f"{ward.name} ({_ward_text(ward)}) is in {Province.from_code(ward.province_code).name},"
            f" not in {province.name}",
        )
    latitude, longitude = _coordinates(ward.name, province.name)
    return Address(
        province_code=_province_text(province),
        province_name=province.name,
        ward_code=_ward_text(ward),
        ward_name=ward.name,
        latitude=latitude,
        longitude=longitude,
    )


def address_from_legacy(text: str, field: str = "legacy_address") -> Address:
    """Convert a pre-2025 address; InvalidInput naming `field` if no ward is found."""
    converted = convert_address(text)
    if converted.province_code is None:
        raise InvalidInput.field(field, f"no province or ward recognised in {text!r}")
    if converted.ward_code is None:
        raise InvalidInput.field(
            field,
            f"converts only to the province {converted.province} "
            f"(code {converted.province_code}); no ward found, give address codes instead",
        )
    address = address_from_codes(converted.province_code, converted.ward_code, field)
    return address.model_copy(update={"legacy_address": text})


def _province(code: str, field: str) -> Province:
    try:
        return Province.from_code(ProvinceCode(int(code)))
    except (TypeError, ValueError):
        raise InvalidInput.field(field, f"{code!r} is not one of the 34 province codes") from None


def _ward(code: str, field: str) -> Ward:
    try:
        return Ward.from_code(WardCode(int(code)))
    except (TypeError, ValueError):
        raise InvalidInput.field(field, f"{code!r} is not a ward code in force") from None


def _province_text(province: Province) -> str:
    return f"{province.code.value:02d}"


def _ward_text(ward: Ward) -> str:
    return f"{ward.code.value:05d}"


@lru_cache(maxsize=4096)
def _coordinates(ward_name: str, province_name: str) -> tuple[float | None, float | None]:
    parsed = parse_address(f"{ward_name}, {province_name}")
    return parsed.latitude, parsed.longitude
