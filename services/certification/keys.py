"""The issuing keys, one per level, from files named in configuration.

`SIGNING_KEYS_DIR` holds `province.pem` and `central.pem` (PKCS#8 Ed25519 private keys).
With `SIGNING_KEYS_CREATE` true (the development default), missing keys are generated
there; production sets it false and provides the keys, so a missing key stops the service
at start instead of silently signing with a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from services.certification.signing import key_id

LEVELS = ("province", "central")


@dataclass(frozen=True)
class KeyRing:
    private: dict[str, Ed25519PrivateKey]  # by level

    def signer(self, level: str) -> Ed25519PrivateKey:
        return self.private[level]

    def public_keys(self) -> dict[str, tuple[str, Ed25519PublicKey]]:
        """By key id: (level, public key)."""
        return {
            key_id(key.public_key()): (level, key.public_key())
            for level, key in self.private.items()
        }


def load_keys(directory: Path, create: bool) -> KeyRing:
    keys = {}
    for level in LEVELS:
        path = directory / f"{level}.pem"
        if not path.exists():
            if not create:
                raise FileNotFoundError(
                    f"signing key {path} is missing (SIGNING_KEYS_CREATE is off)"
                )
            directory.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
            )
            path.write_bytes(pem)
            path.chmod(0o600)
        key = load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        keys[level] = key
    return KeyRing(keys)


def keys_from_config(config: dict) -> KeyRing:
    directory = Path(config.get("SIGNING_KEYS_DIR") or "var/keys")
    create = str(config.get("SIGNING_KEYS_CREATE", "true")).lower() not in ("false", "0", "no")
    return load_keys(directory, create)
