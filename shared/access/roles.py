"""The roles of the platform and the access an entrypoint declares.

Every `@api` and `@page` entrypoint names its `access` in its decorator, the one place it
is declared: `PUBLIC`, or `allow(roles..., scope=...)`. A caller passes when one of its
roles is allowed, when it is an integrator whose key holds the scope, or, for reads, when
it is an auditor. Which records a passing caller reaches is `Caller.reaches`.
"""

from __future__ import annotations

from dataclasses import dataclass

PRODUCER = "producer"  # its own producer records only
COMMUNE_OFFICER = "commune_officer"  # assessments and registrations in its communes (wards)
PROVINCE_OFFICER = "province_officer"  # its provinces' dossiers, councils, certificates, fairs
COUNCIL_MEMBER = "council_member"  # the rounds of its councils, its own sheet before close
CENTRAL_OFFICER = "central_officer"  # escalated products, the central council, 5 stars
INTEGRATOR = "integrator"  # a provincial system: the scopes granted to its API key
AUDITOR = "auditor"  # reads everything, writes nothing
OPERATOR = "operator"  # runs the platform: replays, parked messages, sweeps

ROLES = (
    PRODUCER,
    COMMUNE_OFFICER,
    PROVINCE_OFFICER,
    COUNCIL_MEMBER,
    CENTRAL_OFFICER,
    INTEGRATOR,
    AUDITOR,
    OPERATOR,
)
OFFICERS = (PROVINCE_OFFICER, CENTRAL_OFFICER)
# what an integrator's key may be granted (each entrypoint names at most one)
SCOPES = (
    "registration:read",
    "registration:write",
    "batches:write",
    "councils:read",
    "councils:write",
    "evaluations:read",
    "evaluations:assess",
    "evaluations:open",
    "evaluations:close",
    "results:import",
    "certificates:read",
    "certificates:revoke",
    "decisions:record",
    "certificates:import",
    "fairs:read",
    "fairs:write",
    "invitations:answer",
    "sales-points:write",
)
ANY = "*"  # in a caller's provinces, wards, producers or member id: every one


@dataclass(frozen=True)
class Access:
    """Who may call an entrypoint: nobody needs credentials (`public`), or these roles, or
    an integrator holding `scope`."""

    roles: frozenset[str] = frozenset()
    scope: str | None = None
    public: bool = False

    def describe(self, reading: bool = True) -> str:
        if self.public:
            return "Public: no credentials needed."
        parts = ", ".join(sorted(self.roles)) or "no role"
        scope = f"; integrators with scope `{self.scope}`" if self.scope else ""
        return f"Roles: {parts}{scope}{'; auditors' if reading else ''}."


PUBLIC = Access(public=True)


def allow(*roles: str, scope: str | None = None) -> Access:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: add it to SCOPES")
    return Access(roles=frozenset(roles), scope=scope)
