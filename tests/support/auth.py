"""Credentials for tests: tokens signed by a test issuer whose public key the services
under test trust (`AUTH_JWT_PUBLIC_KEYS`), and API keys in the test's own store."""

from __future__ import annotations

import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ISSUER, AUDIENCE = "ocop", "ocop-platform"


@cache
def _signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@cache
def public_key_file() -> str:
    """The test issuer's public key as a PEM file; its name is the key id."""
    folder = Path(tempfile.mkdtemp(prefix="ocop-test-issuer-"))
    path = folder / "test-issuer.pem"
    path.write_bytes(
        _signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return str(path)


def token(
    subject: str = "tester",
    *,
    lifetime: int = 3600,
    key: Ed25519PrivateKey | None = None,
    **claims: Any,
) -> str:
    """A signed token; `claims` as the platform reads them (roles, provinces, wards, ...)."""
    now = int(time.time())
    payload = {
        "sub": subject,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
        **claims,
    }
    return signed(payload, key)


def signed(payload: dict[str, Any], key: Ed25519PrivateKey | None = None) -> str:
    """Exactly `payload`, signed by the test issuer (or `key`)."""
    return jwt.encode(
        payload, key or _signing_key(), algorithm="EdDSA", headers={"kid": "test-issuer"}
    )


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}
