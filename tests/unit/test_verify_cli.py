"""`ocop-verify`: a QR payload checked offline against a saved copy of the published keys."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.certification import signing
from services.certification.verify import GENUINE, NOT_GENUINE, UNREADABLE, main

FIELDS = {
    "number": "OCOP-19-2026-00042",
    "product_id": "6f1c2d3e-4b5a-4c7d-9e8f-0123456789ab",
    "product_name": "Chè xanh đặc sản Tân Cương",
    "producer_name": "Hợp tác xã Chè Tân Cương Thái Nguyên",
    "stars": 4,
    "level": "province",
    "province_code": "19",
    "issuing_body": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "decision_number": "42/QĐ-UBND",
    "issued_on": "2026-11-28",
    "expires_on": "2029-11-28",
}


@pytest.fixture
def key():
    """The province's issuing key, fresh for each test."""
    return Ed25519PrivateKey.generate()


@pytest.fixture
def keys_file(tmp_path, key):
    """What `GET /api/v1/keys` would answer, saved to a file."""
    public = key.public_key()
    published = {
        "kid": signing.key_id(public),
        "level": "province",
        "alg": "Ed25519",
        "public_key": signing.public_key_text(public),
    }
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": [published]}), encoding="utf-8")
    return path


def with_fields_changed(payload: str, **changes) -> str:
    """The payload with its fields edited after signing, the signature left as it was."""
    prefix, body, signature, kid = payload.split(".")
    fields = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    edited = signing.canonical({**fields, **changes})
    return ".".join(
        [prefix, base64.urlsafe_b64encode(edited).rstrip(b"=").decode(), signature, kid]
    )


def changed(value):
    return value + 1 if isinstance(value, int) else f"{value}X"


def test_a_genuine_payload(key, keys_file, capsys):
    payload = signing.sign(key, FIELDS)
    assert main(["--keys", str(keys_file), payload]) == GENUINE
    out = capsys.readouterr().out
    assert "GENUINE" in out and "NOT GENUINE" not in out
    assert "OCOP-19-2026-00042" in out and "4 sao" in out and "Chè xanh đặc sản" in out
    assert signing.key_id(key.public_key()) in out and "revocation" in out


def test_a_genuine_verification_url(key, keys_file, capsys):
    url = signing.verification_url(
        "https://ocop.example.vn", FIELDS["number"], signing.sign(key, FIELDS)
    )
    assert main(["--keys", str(keys_file), url]) == GENUINE
    assert "at https://ocop.example.vn/verify/OCOP-19-2026-00042\n" in capsys.readouterr().out


def test_stars_raised_after_signing_are_not_genuine(key, keys_file, capsys):
    forged = with_fields_changed(signing.sign(key, FIELDS), stars=5)
    assert main(["--keys", str(keys_file), forged]) == NOT_GENUINE
    assert "NOT GENUINE" in capsys.readouterr().out


def test_an_unpublished_key_is_not_genuine(keys_file, capsys):
    payload = signing.sign(Ed25519PrivateKey.generate(), FIELDS)
    assert main(["--keys", str(keys_file), payload]) == NOT_GENUINE
    assert "not published" in capsys.readouterr().out


def test_a_province_key_cannot_sign_a_central_certificate(key, keys_file):
    payload = signing.sign(key, {**FIELDS, "stars": 5, "level": "central"})
    assert main(["--keys", str(keys_file), payload]) == NOT_GENUINE


@pytest.mark.parametrize(
    "payload", ["garbage", "OCOP1.!!.!!.x", "https://ocop.example.vn/verify/1"]
)
def test_an_unreadable_payload(keys_file, payload, capsys):
    assert main(["--keys", str(keys_file), payload]) == UNREADABLE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("content", [None, "{not json", '{"keys": [{"kid": "x"}]}', "[]"])
def test_an_unreadable_keys_file(tmp_path, key, content, capsys):
    path = tmp_path / "keys.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["--keys", str(path), signing.sign(key, FIELDS)]) == UNREADABLE
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("field", signing.SIGNED_FIELDS)
def test_changing_any_signed_field_breaks_the_signature(key, field):
    public_keys = {signing.key_id(key.public_key()): key.public_key()}
    payload = signing.sign(key, FIELDS)
    assert signing.check(payload, public_keys).genuine
    forged = with_fields_changed(payload, **{field: changed(FIELDS[field])})
    assert not signing.check(forged, public_keys).genuine
