"""Credentials at the door of the running platform: expired, tampered, forged, revoked."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.support.auth import AUDIENCE, ISSUER, bearer, signed, token
from tests.support.waiting import eventually

OFFICER = {"roles": ["province_officer"], "provinces": ["19"]}


def councils(platform, headers: dict[str, str]) -> requests.Response:
    return requests.get(f"{platform.api('scoring')}/councils", headers=headers, timeout=10)


def refused(response: requests.Response, reason: str) -> bool:
    return (
        response.status_code == 401
        and response.headers.get("WWW-Authenticate") == "Bearer"
        and reason.lower() in response.json()["error"].lower()
    )


def test_a_valid_token_is_admitted(platform):
    assert councils(platform, bearer(token("o", **OFFICER))).status_code == 200


def test_an_expired_token_is_refused(platform):
    expired = token("o", lifetime=-120, **OFFICER)  # past the 30 s leeway
    assert refused(councils(platform, bearer(expired)), "expired")


def test_a_token_whose_claims_were_changed_is_refused(platform):
    header, payload, signature = token("o", roles=["producer"]).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["central_officer"]  # promoting oneself
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert refused(councils(platform, bearer(f"{header}.{forged}.{signature}")), "refused")


def test_a_token_signed_by_another_key_is_refused(platform):
    stranger = token("o", key=Ed25519PrivateKey.generate(), **OFFICER)
    assert refused(councils(platform, bearer(stranger)), "refused")


def test_an_unsigned_token_is_refused(platform):
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    _, payload, _ = token("o", **OFFICER).split(".")
    assert councils(platform, bearer(f"{header}.{payload}.")).status_code == 401


def test_a_token_for_another_audience_is_refused(platform):
    assert refused(councils(platform, bearer(token("o", aud="other", **OFFICER))), "audience")


def test_a_token_from_another_issuer_or_without_expiry_is_refused(platform):
    assert refused(councils(platform, bearer(token("o", iss="elsewhere", **OFFICER))), "issuer")
    now = int(time.time())
    endless = signed({"sub": "o", "iss": ISSUER, "aud": AUDIENCE, "iat": now, **OFFICER})
    assert refused(councils(platform, bearer(endless)), "refused")
    too_long = token("o", lifetime=13 * 3600, **OFFICER)  # over AUTH_JWT_MAX_HOURS (12)
    assert refused(councils(platform, bearer(too_long)), "longer")


def test_a_token_cannot_choose_another_algorithm_for_the_key(platform):
    _, payload, signature = token("o", **OFFICER).split(".")
    header = base64.urlsafe_b64encode(
        json.dumps({"alg": "RS256", "kid": "test-issuer", "typ": "JWT"}).encode()
    )
    forged = f"{header.rstrip(b'=').decode()}.{payload}.{signature}"
    assert refused(councils(platform, bearer(forged)), "refused")  # a 401, not a 500
    other_kid = token("o", **OFFICER)  # same signature, a key id the platform does not know
    header = base64.urlsafe_b64encode(json.dumps({"alg": "EdDSA", "kid": "x"}).encode())
    unknown = f"{header.rstrip(b'=').decode()}.{other_kid.split('.', 1)[1]}"
    assert refused(councils(platform, bearer(unknown)), "unknown key")


@pytest.mark.parametrize(
    "claims",
    [
        {"roles": "province_officer", "provinces": ["19"]},  # a string is not a list
        {"roles": ["province_officer"], "provinces": "19"},
        {"roles": ["council_member"], "member_id": "*"},  # wildcards are for keys only
        {"roles": ["producer"], "producer_ids": ["*"]},
    ],
)
def test_malformed_or_wildcard_claims_are_refused(platform, claims):
    assert refused(councils(platform, bearer(token("o", **claims))), "malformed")


def test_the_sign_in_cookie_is_for_the_pages_only(platform):
    cookie = {"ocop_session": token("o", **OFFICER)}
    answer = requests.get(f"{platform.api('scoring')}/councils", cookies=cookie, timeout=10)
    assert refused(answer, "credentials needed")


def sign_in(scoring: str, credential: str, **headers: str) -> requests.Response:
    return requests.post(
        f"{scoring}/sign-in",
        data={"credential": credential},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def test_a_member_signs_in_only_as_themselves_and_only_from_the_site(platform):
    scoring = platform.urls["scoring"]
    member = token("m2", roles=["council_member"], member_id="member-2")
    assert requests.get(f"{scoring}/score", headers=bearer(member), timeout=10).ok
    other = requests.get(f"{scoring}/score?member=member-1", headers=bearer(member), timeout=10)
    assert other.status_code == 403
    signed_in = sign_in(scoring, member, Origin=scoring)
    assert signed_in.status_code == 303 and "HttpOnly" in signed_in.headers["Set-Cookie"]
    assert "SameSite=Strict" in signed_in.headers["Set-Cookie"]
    assert sign_in(scoring, member, Referer=f"{scoring}/sign-in").status_code == 303
    assert sign_in(scoring, member, Origin="https://evil.example").status_code == 403
    assert sign_in(scoring, member).status_code == 403  # neither Origin nor Referer
    officer = token("o", **OFFICER)  # signed, but not a council member
    assert sign_in(scoring, officer, Origin=scoring).status_code == 403


def test_the_sign_in_cookie_holds_a_session_id_never_the_credential(platform):
    scoring = platform.urls["scoring"]
    member = token("m2", roles=["council_member"], member_id="member-2")
    answer = sign_in(scoring, member, Origin=scoring)
    session = answer.cookies["ocop_session"]
    assert member not in answer.headers["Set-Cookie"] and session not in member
    cookie = {"ocop_session": session}
    assert requests.get(f"{scoring}/score", cookies=cookie, timeout=10).ok
    assert requests.get(f"{scoring}/score", cookies={"ocop_session": member}).status_code == 401
    signed_out = requests.post(
        f"{scoring}/sign-out", cookies=cookie, headers={"Origin": scoring}, allow_redirects=False
    )
    assert signed_out.status_code == 303
    assert requests.get(f"{scoring}/score", cookies=cookie, timeout=10).status_code == 401


def test_missing_or_malformed_credentials_are_refused(platform):
    assert refused(councils(platform, {}), "credentials needed")
    assert refused(councils(platform, {"Authorization": "Basic Z3Vlc3Q="}), "Bearer")
    assert refused(councils(platform, bearer("ocop_nope_nope")), "unknown API key")
    assert refused(councils(platform, bearer("not-a-token")), "unreadable")


def ocop(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_a_stolen_but_revoked_keys_session_stops_working(platform, store_uri):
    """A session stands for the key's id, not a copy of what the key allowed: revoking the
    key (`ocop keys revoke`) ends what a stolen cookie could do, on the next page."""
    from shared.access.api_keys import KeyRing
    from shared.storage import mongo_client

    with mongo_client(store_uri) as client:
        key_id, key = KeyRing(client[platform.access_db]).create(
            "Sở NN&MT Thái Nguyên", roles=["council_member"], provinces=[], member_id="member-3"
        )
    scoring = platform.urls["scoring"]
    stolen = {"ocop_session": sign_in(scoring, key, Origin=scoring).cookies["ocop_session"]}
    assert stolen["ocop_session"] != key
    assert requests.get(f"{scoring}/score", cookies=stolen, timeout=10).ok
    env = {"MONGO_URI": store_uri, "ACCESS_DB": platform.access_db}
    assert ocop("keys", "revoke", key_id, env=env).returncode == 0
    refused = requests.get(f"{scoring}/score", cookies=stolen, timeout=10)
    assert refused.status_code == 401


def test_a_revoked_api_key_is_refused_from_the_next_request_on(platform, store_uri):
    env = {"MONGO_URI": store_uri, "ACCESS_DB": platform.access_db}
    created = ocop(
        "keys",
        "create",
        "--client",
        "Sở NN&MT Thái Nguyên",
        "--province",
        "19",
        "--scope",
        "councils:read",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.rsplit(" ", 1)[1].strip()
    key_id = created.stdout.split()[2].rstrip(";")
    assert councils(platform, bearer(key)).status_code == 200
    listed = [json.loads(line) for line in ocop("keys", "list", env=env).stdout.splitlines()]
    assert key_id in {each["_id"] for each in listed}
    assert all("sha256" not in each and key not in json.dumps(each) for each in listed)

    revoked = ocop("keys", "revoke", key_id, env=env)
    assert revoked.returncode == 0, revoked.stderr
    for service in ("registration", "scoring", "certification", "trade_promotion"):
        answer = requests.get(
            f"{platform.urls[service]}/admin/audit", headers=bearer(key), timeout=10
        )
        assert refused(answer, "revoked"), service
    assert eventually(lambda: refused(councils(platform, bearer(key)), "revoked"))
