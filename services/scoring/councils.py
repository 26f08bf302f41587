"""Councils (hội đồng đánh giá, phân hạng) and their quorum. Pure.

Since Decision 1489/QĐ-TTg (July 2025) there are two scoring levels: the province council
recognises 3 and 4 stars, the central council 5 stars; the commune assesses dossiers first.
A council's chair and members score; its secretary keeps the record and does not score (the
composition and the quorum rules, with their sources: data/council-levels.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from shared.access.caller import Reach
from shared.errors import Conflict, InvalidInput

CouncilLevel = Literal["province", "central"]
Role = Literal["chair", "member", "secretary"]
Quorum = Literal["all", "two_thirds_with_chair", "three_quarters_with_chair"]


# a member id is what the sign-in service puts in the member's token: letters, digits and
# `._@-`, never `*` (which in a credential means every member)
MemberId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")]


class Member(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: MemberId
    name: str = ""
    role: Role = "member"


class Council(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str = ""
    level: CouncilLevel
    province_code: str | None = None
    members: tuple[Member, ...]
    quorum: Quorum = "two_thirds_with_chair"
    registered_at: str = ""

    @property
    def scorers(self) -> tuple[str, ...]:
        return tuple(member.id for member in self.members if member.role != "secretary")

    def reach(self) -> Reach:
        return Reach(
            province=self.province_code,
            members=tuple(member.id for member in self.members),
            central=self.level == "central",
        )

    @property
    def chair(self) -> str | None:
        return next((member.id for member in self.members if member.role == "chair"), None)


def check_council(council: Council) -> None:
    """InvalidInput naming the field when a council could never close a round."""
    ids = [member.id for member in council.members]
    if len(set(ids)) != len(ids):
        raise InvalidInput.field("members", "a member appears twice")
    if not council.scorers:
        raise InvalidInput.field("members", "no member scores (only secretaries)")
    if sum(member.role == "chair" for member in council.members) != 1:
        raise InvalidInput.field("members", "a council has exactly one chair")
    if council.level == "province" and not council.province_code:
        raise InvalidInput.field("province_code", "a province council names its province")
    if council.level == "central" and council.province_code:
        raise InvalidInput.field("province_code", "the central council has no province")


class QuorumRule(BaseModel):
    """The share of a council's scoring members whose sheets must be in before the round
    closes, and whether the chair must be among them (data/council-levels.yaml `quorum`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    share: Fraction
    chair_required: bool
    note: str = ""
    source: dict[str, str] | None = None

    @field_validator("share", mode="before")
    @classmethod
    def fraction(cls, value: Any) -> Fraction:
        return Fraction(str(value))


def check_quorum(council: Council, submitted: set[str], rules: Mapping[str, QuorumRule]) -> None:
    """Conflict naming who is missing unless enough sheets are in to close the round, by
    the council's rule (`rules[council.quorum]`): its share of the scoring members, and the
    chair among them where the rule says so."""
    rule = rules[council.quorum]
    scorers = council.scorers
    have = [member for member in scorers if member in submitted]
    missing = [member for member in scorers if member not in submitted]
    fields = {f"members.{member}": "no score sheet yet" for member in missing}
    if rule.chair_required and council.chair not in submitted:
        raise Conflict(f"quorum needs the chair ({council.chair})", fields)
    if Fraction(len(have), len(scorers)) < rule.share:
        if rule.share == 1:
            raise Conflict(f"quorum is every member; waiting for {', '.join(missing)}", fields)
        raise Conflict(
            f"quorum is {rule.share} of {len(scorers)} members; {len(have)} have scored", fields
        )


def default_council(config: dict, level: CouncilLevel) -> Council:
    """The council from configuration for a level with none registered: the first member
    listed chairs it. `COUNCIL_MEMBERS` (province) and `CENTRAL_COUNCIL_MEMBERS`."""
    key, fallback = (
        ("COUNCIL_MEMBERS", "member-1,member-2,member-3")
        if level == "province"
        else ("CENTRAL_COUNCIL_MEMBERS", "central-1,central-2,central-3")
    )
    ids = [each.strip() for each in str(config.get(key) or fallback).split(",") if each.strip()]
    if not ids:
        raise ValueError(f"{key} names no member")
    members = tuple(
        Member(id=member, role="chair" if n == 0 else "member") for n, member in enumerate(ids)
    )
    quorum = config.get("COUNCIL_QUORUM") or "two_thirds_with_chair"
    council_id = config.get("COUNCIL_ID") if level == "province" else None
    return Council(
        id=str(council_id or f"{level}-default"),
        name=f"Default {level} council",
        level=level,
        members=members,
        quorum=quorum,
    )


def default_councils(config: dict) -> dict[str, Council]:
    return {level: default_council(config, level) for level in ("province", "central")}
