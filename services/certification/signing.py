"""Certificate signatures and the QR payload: what anyone can check, even offline.

A certificate's identifying fields (`SIGNED_FIELDS`) are put in canonical form (JSON, keys
sorted, no spaces, UTF-8) and signed with Ed25519 by the issuing level's key. The key id
(`kid`) is the first 16 hex digits of the SHA-256 of the raw public key; public keys are
published at `GET /api/v1/keys`.

QR payload: `OCOP1.<base64url(canonical fields)>.<base64url(signature)>.<kid>`; the QR code
holds the verification URL `<base>/verify/<number>?q=<payload>`. The status (valid,
revoked...) is not signed: it changes, and only the service can say it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "OCOP1"
SIGNED_FIELDS = (
    "number",
    "product_id",
    "product_name",
    "producer_name",
    "stars",
    "level",
    "province_code",
    "issuing_body",
    "decision_number",
    "issued_on",
    "expires_on",
)
# signed when present: the day the latest decision was signed, which the printout gives as
# the term's start (certificates issued before decisions were recorded have none)
OPTIONAL_SIGNED_FIELDS = ("decided_on",)


class BadPayload(ValueError):
    """Not a certificate payload: the message says what is wrong with it."""


@dataclass(frozen=True)
class Checked:
    fields: dict[str, Any]
    kid: str
    genuine: bool  # the signature matches the fields under the published key


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signed_part(certificate: dict[str, Any]) -> dict[str, Any]:
    """The signed fields of a certificate (dates as ISO strings)."""
    fields = {field: certificate.get(field) for field in SIGNED_FIELDS}
    present = {f: certificate[f] for f in OPTIONAL_SIGNED_FIELDS if certificate.get(f) is not None}
    return fields | present


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_text(public_key: Ed25519PublicKey) -> str:
    return _b64(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_unb64(text))


def sign(private_key: Ed25519PrivateKey, fields: dict[str, Any]) -> str:
    """The QR payload for `fields`, signed."""
    signature = private_key.sign(canonical(fields))
    kid = key_id(private_key.public_key())
    return f"{PREFIX}.{_b64(canonical(fields))}.{_b64(signature)}.{kid}"


def verification_url(base_url: str, number: str, payload: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{quote(number)}?q={payload}"


def parse(text: str) -> tuple[dict[str, Any], bytes, str]:
    """Fields, signature and key id from a payload or a verification URL holding one."""
    text = text.strip()
    if "://" in text:
        found = parse_qs(urlsplit(text).query).get("q")
        if not found:
            raise BadPayload("the URL carries no payload (?q=...)")
        text = found[0]
    parts = text.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise BadPayload(f"expected {PREFIX}.<fields>.<signature>.<key id>")
    try:
        fields = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadPayload(f"payload does not decode: {exc}") from exc
    if not isinstance(fields, dict):
        raise BadPayload("payload fields are not an object")
    return fields, signature, parts[3]


def check(text: str, public_keys: dict[str, Ed25519PublicKey]) -> Checked:
    """Whether a payload's signature is genuine under the published keys."""
    fields, signature, kid = parse(text)
    key = public_keys.get(kid)
    if key is None:
        return Checked(fields, kid, genuine=False)
    try:
        key.verify(signature, canonical(fields))
    except InvalidSignature:
        return Checked(fields, kid, genuine=False)
    return Checked(fields, kid, genuine=True)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
