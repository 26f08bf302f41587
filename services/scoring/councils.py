"""Councils (hội đồng đánh giá). Until councils are managed as data, one default
provincial council of three members comes from configuration:
`COUNCIL_ID` and `COUNCIL_MEMBERS` (comma-separated member ids)."""

from __future__ import annotations

from services.scoring.domain import Council


def council_from_config(config: dict) -> Council:
    members = tuple(
        member.strip()
        for member in str(config.get("COUNCIL_MEMBERS", "")).split(",")
        if member.strip()
    )
    if not members:
        raise ValueError("COUNCIL_MEMBERS names no member: the default council cannot score")
    return Council(
        id=str(config.get("COUNCIL_ID") or "province-default"), level="province", members=members
    )
