"""Sign-in sessions on scoring's pages, on the real store: the cookie holds a random id and
never the credential; a revoked key's session stops at once; sign-out ends it; sessions
end when idle and with their token; every page form must come from the site itself."""

from __future__ import annotations

import hashlib
import json

import pytest
import requests
from pymongo import MongoClient

from services.scoring.service import ScoringService
from shared.access.api_keys import KeyRing
from shared.access.sessions import LONGEST_SECONDS, Sessions
from shared.access.tokens import Claims
from shared.errors import Unauthorized
from tests.support.auth import token

MEMBER = {"roles": ["council_member"], "member_id": "member-1"}


@pytest.fixture
def scoring(start_service):
    _, url = start_service(ScoringService)
    return url


@pytest.fixture
def access_db(store_uri, service_config):
    return MongoClient(store_uri)[service_config["ACCESS_DB"]]


def sign_in(url: str, credential: str, **headers: str) -> requests.Response:
    return requests.post(
        f"{url}/sign-in",
        data={"credential": credential},
        headers={"Origin": url, **headers},
        allow_redirects=False,
        timeout=10,
    )


def score_page(url: str, session_id: str) -> requests.Response:
    return requests.get(f"{url}/score", cookies={"ocop_session": session_id}, timeout=10)


def test_the_cookie_holds_a_random_session_id_never_the_credential(scoring, access_db):
    credential = token("m1", lifetime=3600, **MEMBER)
    answer = sign_in(scoring, credential)
    assert answer.status_code == 303 and answer.headers["Location"] == "/score"
    set_cookie = answer.headers["Set-Cookie"]
    session_id = answer.cookies["ocop_session"]
    assert credential not in set_cookie and len(session_id) >= 43  # 256 random bits
    assert all(part in set_cookie for part in ("HttpOnly", "SameSite=Strict", "Path=/"))
    assert "Secure" not in set_cookie  # plain HTTP here; over HTTPS below
    assert 3590 <= int(set_cookie.split("Max-Age=")[1].split(";")[0]) <= 3600  # the token's
    stored = list(access_db.sessions.find())
    assert [each["_id"] for each in stored] == [hashlib.sha256(session_id.encode()).hexdigest()]
    assert credential not in json.dumps(stored) and session_id not in json.dumps(stored)
    page = score_page(scoring, session_id)
    assert page.status_code == 200 and "member-1" in page.text
    # the JSON API does not take the cookie at all
    councils = requests.get(f"{scoring}/api/v1/councils", cookies={"ocop_session": session_id})
    assert councils.status_code == 401
    behind_tls = sign_in(scoring, credential, **{"X-Forwarded-Proto": "https"})
    assert "Secure" in behind_tls.headers["Set-Cookie"]


def test_a_session_opened_with_a_revoked_key_stops_at_once(scoring, access_db):
    keys = KeyRing(access_db)
    key_id, key = keys.create("Sở NN&MT", roles=["council_member"], provinces=[], member_id="m1")
    answer = sign_in(scoring, key)
    session_id = answer.cookies["ocop_session"]
    assert key not in answer.headers["Set-Cookie"] and session_id not in key
    assert score_page(scoring, session_id).status_code == 200
    keys.revoke(key_id)
    refused = score_page(scoring, session_id)
    assert refused.status_code == 401 and "Đăng nhập" in refused.text


def test_sign_out_ends_the_session_and_clears_the_cookie(scoring):
    session_id = sign_in(scoring, token("m1", **MEMBER)).cookies["ocop_session"]
    cookie = {"ocop_session": session_id}
    unsent = requests.post(f"{scoring}/sign-out", cookies=cookie, allow_redirects=False)
    assert unsent.status_code == 403  # no Origin, no Referer: refused like a foreign form
    assert score_page(scoring, session_id).status_code == 200
    answer = requests.post(
        f"{scoring}/sign-out", cookies=cookie, headers={"Origin": scoring}, allow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/sign-in"
    cleared = answer.headers["Set-Cookie"]
    assert cleared.startswith('ocop_session=""') or cleared.startswith("ocop_session=;")
    assert "Max-Age=0" in cleared
    assert score_page(scoring, session_id).status_code == 401  # gone, not only forgotten


@pytest.mark.parametrize(
    ("headers", "admitted"),
    [
        ({"Origin": "{site}"}, True),
        ({"Referer": "{site}/score"}, True),
        ({"Origin": "https://evil.example"}, False),
        ({"Referer": "https://evil.example/score"}, False),
        ({}, False),
    ],
    ids=["origin", "referer", "foreign origin", "foreign referer", "neither"],
)
@pytest.mark.parametrize("form", ["/sign-in", "/sign-out", "/score/no-such-round"])
def test_every_page_form_must_come_from_the_site(scoring, form, headers, admitted):
    member = token("m1", **MEMBER)
    session_id = sign_in(scoring, member).cookies["ocop_session"]
    answer = requests.post(
        f"{scoring}{form}",
        data={"credential": member},
        cookies={"ocop_session": session_id},
        headers={name: value.format(site=scoring) for name, value in headers.items()},
        allow_redirects=False,
    )
    # admitted: signed in (303), signed out (303) or the round is unknown (404)
    assert (answer.status_code != 403) == admitted, answer.status_code
    assert answer.status_code in ((303, 404) if admitted else (403,))


def test_a_session_ends_when_idle_and_with_its_token(store_uri, database_name):
    database = MongoClient(store_uri)[database_name]
    now = [1_900_000_000.0]
    sessions = Sessions(database, KeyRing(database), idle_seconds=600, clock=lambda: now[0])
    claims = Claims(sub="m1", iat=int(now[0]), exp=int(now[0]) + 3600, **MEMBER)
    opened = sessions.open_for_token(claims)
    assert opened.seconds == 3600  # the token's own end, sooner than 12 h
    for _ in range(3):  # used every 500 s: kept, well past one idle period in all
        now[0] += 500
        assert sessions.caller(opened.session_id).member_id == "member-1"
    now[0] += 601
    with pytest.raises(Unauthorized):
        sessions.caller(opened.session_id)
    shortly = sessions.open_for_token(claims)  # the token has 1,499 s left
    assert shortly.seconds == 1499
    for _ in range(2):
        now[0] += 500
        sessions.caller(shortly.session_id)
    now[0] += 500  # used 500 s ago, but past the token's expiry
    with pytest.raises(Unauthorized):
        sessions.caller(shortly.session_id)
    day_long = Claims(sub="m1", iat=int(now[0]), exp=int(now[0]) + 86400, **MEMBER)
    assert sessions.open_for_token(day_long).seconds == LONGEST_SECONDS
