"""HTTP request and response models of the trade promotion API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from services.trade_promotion.domain import Fair, Invitation, Listing
from shared.admin_units import province_name
from shared.product_groups import check_classification, group_problem

Stars = Annotated[int, Field(ge=1, le=5)]
ProvinceCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{1,2}$")]


def _province(code: str | None) -> str | None:
    if code is None:
        return None
    normalised = f"{int(code):02d}"
    province_name(normalised)  # raises InvalidInput naming province_code
    return normalised


class FairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    starts_on: date
    ends_on: date
    province_code: ProvinceCode | None = None
    min_stars: Annotated[int, Field(ge=3, le=5)] = 3
    groups: list[str] = []

    @field_validator("groups")
    @classmethod
    def known_groups(cls, groups: list[str]) -> list[str]:
        problems = [problem for group in groups if (problem := group_problem(group))]
        if problems:
            raise ValueError("; ".join(problems))
        return groups

    def normalised(self) -> Self:
        return self.model_copy(update={"province_code": _province(self.province_code)})


class FairOut(BaseModel):
    id: str
    name: str
    starts_on: date
    ends_on: date
    province_code: str | None
    min_stars: int
    groups: list[str]

    @classmethod
    def of(cls, fair: Fair) -> FairOut:
        return cls.model_validate(fair.model_dump())


class InvitationOut(BaseModel):
    id: str
    fair_id: str
    product_id: str
    producer_id: str
    status: str
    sent_on: date

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationOut:
        return cls.model_validate(invitation.model_dump())


class CatalogueQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str | None = None
    province_code: ProvinceCode | None = None
    min_stars: Stars | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: Annotated[str, StringConstraints(max_length=100)] | None = None

    def normalised(self) -> Self:
        if self.group is not None:
            check_classification(self.group, None)
        return self.model_copy(update={"province_code": _province(self.province_code)})


class ListingOut(BaseModel):
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    province_name: str | None
    stars: int
    certificate_number: str
    issued_on: date
    expires_on: date

    @classmethod
    def of(cls, listing: Listing) -> ListingOut:
        return cls.model_validate(
            {
                **listing.model_dump(),
                "product_id": listing.id,
                "province_name": province_name(listing.province_code),
            }
        )


class CataloguePage(BaseModel):
    items: list[ListingOut]
    next_cursor: str | None
