"""Check an OCOP certificate's QR payload offline, against the published public keys.

    python -m services.certification.verify --keys keys.json 'OCOP1....'   (or the URL)

`keys.json` is a saved copy of `GET /api/v1/keys`, so no network is needed. Only the
signature can be checked this way: whether a certificate was revoked since it was printed,
only the service knows, at the verification URL. Exit codes: 0 genuine, 1 not genuine,
2 unreadable payload or keys file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services.certification import signing

GENUINE, NOT_GENUINE, UNREADABLE = 0, 1, 2
LEVELS = {"province": "cấp tỉnh / province", "central": "cấp Trung ương / central"}


def main(argv: list[str] | None = None) -> int:
    """The exit code: GENUINE, NOT_GENUINE or UNREADABLE."""
    parser = argparse.ArgumentParser(prog="ocop-verify", description=__doc__.splitlines()[0])
    parser.add_argument("--keys", required=True, type=Path, help="saved GET /api/v1/keys")
    parser.add_argument("payload", help="the QR payload (OCOP1....) or the verification URL")
    args = parser.parse_args(argv)
    try:
        keys = load_keys(args.keys)
        checked = signing.check(args.payload, {kid: key for kid, (_, key) in keys.items()})
    except ValueError as problem:  # BadPayload is one
        print(f"Không đọc được / Unreadable: {problem}", file=sys.stderr)
        return UNREADABLE
    level = keys[checked.kid][0] if checked.kid in keys else None
    verdict = _verdict(checked, level)
    print("\n".join(_report(checked, level, verdict, args.payload)))
    return NOT_GENUINE if verdict else GENUINE


def load_keys(path: Path) -> dict[str, tuple[str, Ed25519PublicKey]]:
    """By key id: (level, key). A key whose id is not its own (a damaged file) is refused;
    keys of other algorithms are skipped, for a future file that publishes more."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as problem:
        raise ValueError(f"cannot read the keys file {path}: {problem.strerror}") from problem
    try:
        entries = json.loads(text)["keys"]
        keys = {
            entry["kid"]: (entry["level"], signing.public_key_from_text(entry["public_key"]))
            for entry in entries
            if entry.get("alg", "Ed25519") == "Ed25519"
        }
    except (KeyError, TypeError, AttributeError) as problem:
        raise ValueError(f"{path} is not a GET /api/v1/keys response ({problem!r})") from problem
    except ValueError as problem:
        raise ValueError(f"{path}: {problem}") from problem
    for kid, (_, key) in keys.items():
        if signing.key_id(key) != kid:
            raise ValueError(f"{path}: key {kid} does not match its public key")
    return keys


def _verdict(checked: signing.Checked, key_level: str | None) -> str | None:
    """Why the payload is not genuine, or None. Each level signs with its own key, so a
    province key under a central certificate is a forgery even if the signature holds."""
    if key_level is None:
        return f"khóa {checked.kid} chưa được công bố / key {checked.kid} is not published"
    if not checked.genuine:
        return "chữ ký không khớp nội dung / the signature does not match the fields"
    if checked.fields.get("level") != key_level:
        return f"khóa {key_level} không cấp được {checked.fields.get('level')} / wrong level"
    return None


def _report(
    checked: signing.Checked, level: str | None, verdict: str | None, given: str
) -> list[str]:
    """What a person checking a printout needs, each line in Vietnamese and English."""
    fields: dict[str, Any] = checked.fields
    signed_level = LEVELS.get(str(fields.get("level")), "?")
    if verdict is None:
        head = ["✔ CHỮ KÝ HỢP LỆ / GENUINE SIGNATURE", "  Nội dung được ký / Signed fields:"]
    else:
        head = [
            f"✘ KHÔNG HỢP LỆ / NOT GENUINE: {verdict}",
            "  Nội dung (chưa xác thực / unverified):",
        ]
    where = "the verification URL (the QR code's address)"
    if "://" in given:  # the page for the number says whether it is still valid
        where = urlsplit(given.strip())._replace(query="").geturl()
    return [
        head[0],
        f"  Khóa / Key:          {checked.kid} ({LEVELS.get(str(level), 'không rõ / unknown')})",
        head[1],
        f"  Số / Number:         {fields.get('number')}",
        f"  Sản phẩm / Product:  {fields.get('product_name')} ({fields.get('product_id')})",
        f"  Chủ thể / Producer:  {fields.get('producer_name') or '—'}",
        f"  Hạng / Stars:        {fields.get('stars')} sao, {signed_level}",
        f"  Cấp bởi / Issued by: {fields.get('issuing_body')}, QĐ {fields.get('decision_number')}",
        f"  Hiệu lực / Valid:    {fields.get('issued_on')} → {fields.get('expires_on')}",
        "Lưu ý: tình trạng thu hồi chỉ kiểm tra được trực tuyến. / Note: revocation can only be",
        f"checked online, at {where}",
    ]


if __name__ == "__main__":
    sys.exit(main())
