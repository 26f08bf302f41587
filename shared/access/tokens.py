"""Signed tokens (JWT, PyJWT): Ed25519 (`EdDSA`) or RSA (`RS256`) signatures, checked with
the public keys in configuration.

`AUTH_JWT_PUBLIC_KEYS`: PEM files, comma-separated; a file's name without `.pem` is its
key id (`kid`), so keys can be rotated by adding the new one before signing with it. Each
key is used only with its own algorithm, and a token naming an unknown `kid` is refused,
so no token can choose how it is checked. `AUTH_JWT_ISSUER` and `AUTH_JWT_AUDIENCE` must
match `iss` and `aud`; `exp` may be at most `AUTH_JWT_MAX_HOURS` (default 12) after `iat`.
Claims: `sub`, `exp`, `iat` (required), `name`, `roles`, `provinces`, `wards`,
`producer_ids`, `member_id`, `scope` (space-separated, OAuth 2 style).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError, field_validator

from shared.access.caller import Caller
from shared.access.roles import ANY
from shared.errors import Unauthorized

DEFAULT_ISSUER = "ocop"
DEFAULT_AUDIENCE = "ocop-platform"
DEFAULT_MAX_HOURS = 12  # a working day: a stolen token is not good for long
LEEWAY_SECONDS = 30  # clocks of the issuer and of this machine may disagree a little
MIN_RSA_BITS = 2048
log = logging.getLogger(__name__)


class Claims(BaseModel):
    """What a token may say; lists are lists of strings, nothing else."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: StrictStr
    iss: StrictStr = ""  # checked against AUTH_JWT_ISSUER when the token is decoded
    iat: int
    exp: int
    name: StrictStr = ""
    roles: list[StrictStr] = []
    provinces: list[StrictStr] = []
    wards: list[StrictStr] = []
    producer_ids: list[StrictStr] = []
    member_id: StrictStr | None = None
    scope: StrictStr = ""

    @field_validator("wards", "producer_ids")
    @classmethod
    def no_wildcard(cls, values: list[str]) -> list[str]:
        # "every ward, every producer" is for keys an operator makes, never for a person
        if ANY in values:
            raise ValueError("no wildcard in a token")
        return values

    @field_validator("member_id")
    @classmethod
    def one_member(cls, value: str | None) -> str | None:
        if value == ANY:
            raise ValueError("no wildcard in a token")
        return value


class TokenVerifier:
    def __init__(
        self, keys: Mapping[str, Any], issuer: str, audience: str, max_hours: float
    ) -> None:
        self.keys = {kid: (key, algorithm_of(key)) for kid, key in keys.items()}
        self.issuer, self.audience, self.max_seconds = issuer, audience, max_hours * 3600

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TokenVerifier:
        files = [part.strip() for part in str(config.get("AUTH_JWT_PUBLIC_KEYS") or "").split(",")]
        keys = {
            Path(file).stem: load_pem_public_key(Path(file).read_bytes()) for file in files if file
        }
        return cls(
            keys,
            str(config.get("AUTH_JWT_ISSUER") or DEFAULT_ISSUER),
            str(config.get("AUTH_JWT_AUDIENCE") or DEFAULT_AUDIENCE),
            float(config.get("AUTH_JWT_MAX_HOURS") or DEFAULT_MAX_HOURS),
        )

    def caller(self, token: str) -> Caller:
        return caller_from_claims(self.verified(token))

    def verified(self, token: str) -> Claims:
        """The token's claims, once its signature, issuer, audience and times are checked."""
        try:
            claims = Claims.model_validate(self.claims(token))
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
            raise Unauthorized(f"token claims are malformed: {fields}") from exc
        if claims.exp - claims.iat > self.max_seconds:
            raise Unauthorized("token lives longer than this platform accepts")
        return claims

    def claims(self, token: str) -> dict[str, Any]:
        if not self.keys:
            raise Unauthorized("this service accepts no tokens (no AUTH_JWT_PUBLIC_KEYS)")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Unauthorized("token unreadable") from exc
        if kid is None and len(self.keys) == 1:
            kid = next(iter(self.keys))
        if kid not in self.keys:
            raise Unauthorized("token signed with an unknown key (kid)")
        key, algorithm = self.keys[kid]
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("token expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise Unauthorized("token is for another audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized("token is from another issuer") from exc
        except (jwt.PyJWTError, TypeError, ValueError) as exc:
            log.info("token refused: %s", exc)  # the detail is for the log, not the caller
            raise Unauthorized("token refused: signature or claims invalid") from exc


def caller_from_claims(claims: Claims) -> Caller:
    """The caller a verified token (or a session opened with one) stands for."""
    return Caller(
        subject=claims.sub,
        name=claims.name,
        via="token",
        issuer=claims.iss,
        roles=frozenset(claims.roles),
        provinces=frozenset(claims.provinces),
        wards=frozenset(claims.wards),
        producer_ids=frozenset(claims.producer_ids),
        member_id=claims.member_id,
        scopes=frozenset(claims.scope.split()),
    )


def algorithm_of(key: Any) -> str:
    if isinstance(key, Ed25519PublicKey):
        return "EdDSA"
    if isinstance(key, RSAPublicKey) and key.key_size >= MIN_RSA_BITS:
        return "RS256"
    raise ValueError(f"AUTH_JWT_PUBLIC_KEYS: Ed25519 or RSA (≥{MIN_RSA_BITS} bits) keys only")
