"""HTTP request and response models of the trade promotion API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from services.trade_promotion.catalogue import searchable
from services.trade_promotion.domain import Fair, Invitation
from services.trade_promotion.sales_points import Kind, SalesPoint
from shared.admin_units import province_name
from shared.events.scores import SheetUsed
from shared.product_groups import classification, group_problem
from shared.text import Name, SearchText, TypedText

Stars = Annotated[int, Field(ge=1, le=5)]
ProvinceCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{1,2}$")]


def normal_province(code: str) -> str:
    normalised = f"{int(code):02d}"
    province_name(normalised)  # raises InvalidInput naming province_code
    return normalised


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FairIn(Request):
    name: Name
    starts_on: date
    ends_on: date
    place: Name | None = None
    organiser: Name | None = None
    province_code: ProvinceCode | None = None  # one province (kept from v1)
    provinces: list[ProvinceCode] = []
    min_stars: Annotated[int, Field(ge=3, le=5)] = 3
    groups: list[str] = []
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = None

    @field_validator("groups")
    @classmethod
    def known_groups(cls, groups: list[str]) -> list[str]:
        problems = [problem for group in groups if (problem := group_problem(group))]
        if problems:
            raise ValueError("; ".join(problems))
        return groups

    def fair_fields(self) -> dict[str, Any]:
        codes = {*self.provinces, *([self.province_code] if self.province_code else [])}
        return {
            **self.model_dump(exclude={"province_code", "provinces", "groups"}),
            "provinces": tuple(sorted(normal_province(code) for code in codes)),
            "groups": tuple(self.groups),
        }


class FairOut(BaseModel):
    id: str
    name: str
    starts_on: date
    ends_on: date
    place: str | None
    organiser: str | None
    province_code: str | None
    provinces: list[str]
    min_stars: int
    groups: list[str]
    capacity: int | None
    booths_taken: int

    @classmethod
    def of(cls, fair: Fair) -> FairOut:
        return cls.model_validate(
            {
                **fair.model_dump(),
                "province_code": fair.province_code,
                "booths_taken": len(fair.accepted),
            }
        )


class InvitationOut(BaseModel):
    id: str
    fair_id: str
    product_id: str
    producer_id: str
    status: str
    sent_on: date
    answered_on: date | None
    withdrawn_because: str | None

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationOut:
        return cls.model_validate(invitation.model_dump())


class CatalogueQuery(Request):
    group: str | None = None
    subgroup: Annotated[str, StringConstraints(max_length=100)] | None = None
    province_code: ProvinceCode | None = None
    stars: Stars | None = None
    min_stars: Stars | None = None
    producer_kind: Literal["htx", "enterprise", "household", "coop_group"] | None = None
    certificate_status: Literal["valid", "expired", "revoked", "superseded", "any"] = "valid"
    q: SearchText | None = None
    sort: Literal["name", "stars", "newest"] = "name"
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: Annotated[str, StringConstraints(max_length=400)] | None = None

    @field_validator("group")
    @classmethod
    def known_group(cls, group: str | None) -> str | None:
        problem = group_problem(group) if group is not None else None
        if problem:
            raise ValueError(problem)
        return group

    def filters(self) -> dict[str, Any]:
        """The store query; `valid` means listed (a certificate in force)."""
        query: dict[str, Any] = {}
        if self.certificate_status == "valid":
            query["listed"] = True
        elif self.certificate_status != "any":
            query["certificate_status"] = self.certificate_status
        for field in ("group", "subgroup", "producer_kind", "stars"):
            if getattr(self, field) is not None:
                query[field] = getattr(self, field)
        if self.province_code is not None:
            query["province_code"] = normal_province(self.province_code)
        if self.min_stars is not None and self.stars is None:
            query["stars"] = {"$gte": self.min_stars}
        return query

    def text(self) -> str | None:
        return searchable(self.q) if self.q else None


class ListingOut(BaseModel):
    product_id: str
    name: str
    product_name: str
    group: str | None
    group_name: str | None
    subgroup: str | None
    producer_id: str | None
    producer_name: str | None
    producer_kind: str | None
    province_code: str | None
    province_name: str | None
    ward_code: str | None
    ward_name: str | None
    latitude: float | None
    longitude: float | None
    stars: int | None
    certificate_number: str | None
    certificate_status: str | None
    issued_on: date | None
    expires_on: date | None
    sheet: Annotated[
        SheetUsed | None,
        Field(description="the score sheet the shown certificate's result was scored on"),
    ] = None

    @classmethod
    def of(cls, entry: dict) -> ListingOut:
        groups = classification().groups
        return cls.model_validate(
            {
                **entry,
                "product_id": entry["_id"],
                "product_name": entry["name"],
                "group_name": groups.get(entry.get("group") or ""),
            }
        )


class CataloguePage(BaseModel):
    items: list[ListingOut]
    next_cursor: str | None


class SalesPointIn(Request):
    name: Name
    kind: Kind
    operator: Name
    province_code: ProvinceCode
    ward_code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{1,5}$")]
    street: Annotated[str, TypedText(max_length=300, min_length=0)] | None = None


class CarryIn(Request):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class SalesPointOut(BaseModel):
    id: str
    name: str
    kind: str
    operator: str
    province_code: str
    province_name: str
    ward_code: str
    ward_name: str
    street: str | None
    products: list[str]

    @classmethod
    def of(cls, point: SalesPoint) -> SalesPointOut:
        return cls.model_validate(point.model_dump())


class SalesPointQuery(Request):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class StatsQuery(Request):
    province_code: ProvinceCode | None = None


class MapQuery(Request):
    group: str | None = None
    province_code: ProvinceCode | None = None
    min_stars: Stars | None = None
    by: Literal["product", "ward"] = "product"
