"""The authenticated caller of a request and which records it reaches.

A record describes where it belongs with a `Reach` (province, commune, producer, the
members of its council, whether it is the central council's); `Caller.reaches` answers
by the caller's roles, narrowed to the roles the entrypoint allows (`acting_under`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from shared.access.roles import (
    ANY,
    AUDITOR,
    CENTRAL_OFFICER,
    COMMUNE_OFFICER,
    COUNCIL_MEMBER,
    INTEGRATOR,
    OPERATOR,
    PRODUCER,
    PROVINCE_OFFICER,
    Access,
)
from shared.errors import Forbidden

T = TypeVar("T")


ACTOR = (
    "the person a system acts for (recorded beside the API key's client); a person signed "
    "in with a token is recorded as themselves"
)


@dataclass(frozen=True)
class Reach:
    """Where a record belongs, for access checks."""

    province: str | None = None
    ward: str | None = None
    producer_id: str | None = None
    members: tuple[str, ...] = ()
    central: bool = False  # the central council's business (escalations, 5 stars)


class Caller(BaseModel, frozen=True):
    subject: str  # the person (token `sub`) or the API key's client
    name: str = ""
    via: Literal["token", "api_key", "none"]
    issuer: str | None = None  # a token's `iss`: its subject is unique only within it
    key_id: str | None = None
    roles: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()
    wards: frozenset[str] = frozenset()
    producer_ids: frozenset[str] = frozenset()
    member_id: str | None = None
    scopes: frozenset[str] = frozenset()
    reading: bool = False  # set by acting_under: an unnarrowed caller reads nothing more

    def acting_under(self, access: Access, reading: bool) -> Caller | None:
        """This caller with only the roles `access` lets it use, or None if none."""
        roles = set(self.roles & access.roles)
        if INTEGRATOR in self.roles and access.scope and self.holds(access.scope):
            roles.add(INTEGRATOR)
        if AUDITOR in self.roles and reading:
            roles.add(AUDITOR)
        if not roles:
            return None
        return self.model_copy(update={"roles": frozenset(roles), "reading": reading})

    def holds(self, scope: str) -> bool:
        return scope in self.scopes or ANY in self.scopes

    def reaches(self, reach: Reach) -> bool:
        return any(self._reaches_as(role, reach) for role in self.roles)

    def require(self, reach: Reach, what: str) -> None:
        self.require_any((reach,), what)

    def require_any(self, reaches: Iterable[Reach], what: str) -> None:
        if not any(self.reaches(reach) for reach in reaches):
            raise Forbidden(f"{what} is outside what your roles reach")

    def visible(self, items: Iterable[T], reach_of: Callable[[T], Reach]) -> list[T]:
        return [item for item in items if self.reaches(reach_of(item))]

    def narrowing(self, **fields: str) -> dict[str, Any]:
        """A store filter for the records this caller reaches, so that a list's limit counts
        only those (`visible` still checks each one). `fields` names the documents' fields:
        province=, ward=, producer=, members= (an array of member ids)."""
        clauses = [self._clause(role, fields) for role in sorted(self.roles)]
        if {} in clauses:
            return {}
        found = [clause for clause in clauses if clause is not None]
        return {"$or": found} if found else {"_id": {"$in": []}}

    def _clause(self, role: str, fields: dict[str, str]) -> dict[str, Any] | None:
        if role in (AUDITOR, OPERATOR) or (role == CENTRAL_OFFICER and self.reading):
            return {}
        if role in (PROVINCE_OFFICER, INTEGRATOR) and "province" in fields:
            return _among(fields["province"], self.provinces)
        if role == COMMUNE_OFFICER and "ward" in fields:
            return _among(fields["ward"], self.wards)
        if role == PRODUCER and "producer" in fields:
            return _among(fields["producer"], self.producer_ids)
        if role == COUNCIL_MEMBER and "members" in fields and self.member_id:
            return {} if self.member_id == ANY else {fields["members"]: self.member_id}
        return None

    def is_member(self, member_id: str) -> bool:
        return self.member_id in (member_id, ANY)

    def actor(self, named: str | None = None) -> str:
        """Who did it, for a record: a signed-in person is themselves whatever a body says;
        a system's key may name the person it acts for, and is named beside them."""
        if self.via == "token" or not named:
            return self.subject
        return f"{named} (via {self.subject})"

    def identity(self) -> dict[str, Any]:
        """Who, for the audit trail."""
        return {
            "subject": self.subject,
            "name": self.name,
            "via": self.via,
            "key_id": self.key_id,
            "roles": sorted(self.roles),
        }

    def _reaches_as(self, role: str, reach: Reach) -> bool:
        in_province = reach.province is not None and _within(reach.province, self.provinces)
        if role in (AUDITOR, OPERATOR):
            return self.reading or role == OPERATOR
        if role == CENTRAL_OFFICER:
            return self.reading or reach.central
        if role in (PROVINCE_OFFICER, INTEGRATOR):
            return in_province and (self.reading or not reach.central)
        if role == COMMUNE_OFFICER:
            return reach.ward is not None and _within(reach.ward, self.wards)
        if role == PRODUCER:
            return reach.producer_id is not None and _within(reach.producer_id, self.producer_ids)
        if role == COUNCIL_MEMBER:
            return self.member_id == ANY or self.member_id in reach.members
        return False


def _among(field: str, allowed: frozenset[str]) -> dict[str, Any]:
    return {} if ANY in allowed else {field: {"$in": sorted(allowed)}}


def _within(value: str, allowed: frozenset[str]) -> bool:
    return value in allowed or ANY in allowed


ANONYMOUS = Caller(subject="anonymous", via="none")
