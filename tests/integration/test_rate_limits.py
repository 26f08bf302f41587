"""Rate limits on scoring (its API and its sign-in page), on the real store: 429 with
Retry-After, per client address and per credential, windows that start again, and two
instances that share their counts. Each test names its client by X-Forwarded-For, read
because the test's own 127.0.0.1 is made a trusted proxy."""

from __future__ import annotations

import time

import pytest
import requests
from pymongo import MongoClient

from services.scoring.service import ScoringService
from shared.access.throttle import Throttle
from shared.devstack.credentials import all_powers_key
from shared.devstack.processes import free_port
from tests.support.auth import bearer, token
from tests.support.waiting import eventually

BEHIND_PROXY = {"TRUSTED_PROXIES": "127.0.0.1"}
COUNCIL = {"name": "Hội đồng", "level": "central", "members": [{"id": "c1", "role": "chair"}]}


def client(address: str, credential: str | None = None) -> dict[str, str]:
    return {"X-Forwarded-For": address, **(bearer(credential) if credential else {})}


def status(url: str, headers: dict[str, str]) -> int:
    return requests.get(url, headers=headers, timeout=10).status_code


def room_in_window(seconds: int, needed: float) -> None:
    """Waits, if need be, until the fixed window of `seconds` has `needed` seconds left:
    the counts a test makes must not straddle the edge where every count starts again."""
    left = seconds - time.time() % seconds
    if left < needed:
        time.sleep(left + 0.05)


def throttle_of(container) -> Throttle:
    return next(e for e in container.subextensions if isinstance(e, Throttle))


@pytest.fixture
def keys(store_uri, service_config):
    return [all_powers_key(store_uri, service_config["ACCESS_DB"], client=f"k{i}") for i in (1, 2)]


@pytest.fixture
def stored(store_uri, service_config):
    """The count every instance shares for (class, who), in the current windows."""
    counts = MongoClient(store_uri)[service_config["ACCESS_DB"]].rate_limits

    def count(kind: str, who: str) -> int:
        return sum(doc["count"] for doc in counts.find({"kind": kind, "who": who}))

    return count


def test_writes_are_limited_per_address_and_per_key_with_retry_after(start_service, keys):
    _, url = start_service(ScoringService, RATE_LIMIT_WRITES="3/6", **BEHIND_PROXY)
    councils = f"{url}/api/v1/councils"
    first, second = keys
    room_in_window(6, 4)
    for _ in range(3):
        answer = requests.post(councils, json=COUNCIL, headers=client("198.51.100.1", first))
        assert answer.status_code == 201, answer.text
    refused = requests.post(councils, json=COUNCIL, headers=client("198.51.100.1", first))
    assert refused.status_code == 429 and set(refused.json()) == {"error", "fields"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 6
    # the key's allowance is spent from any address; the address's for any key
    elsewhere = requests.post(councils, json=COUNCIL, headers=client("198.51.100.2", first))
    assert elsewhere.status_code == 429
    other_key = requests.post(councils, json=COUNCIL, headers=client("198.51.100.1", second))
    assert other_key.status_code == 429
    # another key from another address is not affected
    fresh = requests.post(councils, json=COUNCIL, headers=client("198.51.100.3", second))
    assert fresh.status_code == 201
    # within Retry-After the window starts again
    eventually(
        lambda: requests.post(councils, json=COUNCIL, headers=client("198.51.100.1", first)).ok,
        timeout=int(refused.headers["Retry-After"]) + 1,
        interval=0.2,
    )


def rate_limited(url: str, kind: str) -> float:
    """`ocop_rate_limited_total` of scoring for `kind`, as this process's /metrics shows it."""
    for line in requests.get(f"{url}/metrics").text.splitlines():
        labels = ("ocop_rate_limited_total{", f'class="{kind}"', 'service="scoring"')
        if all(label in line for label in labels):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_refused_write_is_audited_and_counted_in_the_metrics(start_service, keys):
    _, url = start_service(ScoringService, RATE_LIMIT_WRITES="1/30", **BEHIND_PROXY)
    room_in_window(30, 5)
    councils = f"{url}/api/v1/councils"
    counted = rate_limited(url, "writes")
    for _ in range(2):
        last = requests.post(councils, json=COUNCIL, headers=client("198.51.100.4", keys[0]))
    assert last.status_code == 429
    trail = requests.get(f"{url}/admin/audit", headers=bearer(keys[1])).json()
    assert [e["status"] for e in trail if e["route"] == "/api/v1/councils"] == [429, 201]
    # refused before its key was checked: the key it claimed is named, as unverified
    assert trail[0]["caller"] is None
    assert trail[0]["claimed"] == {"key_id": keys[0].split("_")[1]}
    assert rate_limited(url, "writes") == counted + 1


def test_public_reads_are_limited_per_address_and_probes_never(start_service):
    _, url = start_service(ScoringService, RATE_LIMIT_PUBLIC_READS="5/30", **BEHIND_PROXY)
    room_in_window(30, 5)
    criteria = f"{url}/api/v1/criteria"
    answers = [requests.get(criteria, headers=client("198.51.100.10")) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert requests.get(criteria, headers=client("198.51.100.11")).status_code == 200
    probes = [
        requests.get(f"{url}/health/ready", headers=client("198.51.100.10")) for _ in range(8)
    ]
    assert {p.status_code for p in probes} == {200}


def test_failed_authentications_stop_even_a_good_credential_from_that_address(start_service, keys):
    _, url = start_service(ScoringService, RATE_LIMIT_SIGN_IN="3/30", **BEHIND_PROXY)
    room_in_window(30, 5)
    councils = f"{url}/api/v1/councils"
    guesses = [f"ocop_{keys[0].split('_')[1]}_guess{i}" for i in range(3)]
    assert [
        requests.get(councils, headers=client("198.51.100.20", g)).status_code for g in guesses
    ] == [401] * 3
    # the address is refused before its credential is read: a right guess would not show
    blocked = requests.get(councils, headers=client("198.51.100.20", keys[1]))
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    # so is the key the guesses claimed, from anywhere; another key elsewhere is not
    assert status(councils, client("198.51.100.21", keys[0])) == 429
    assert status(councils, client("198.51.100.21", keys[1])) == 200
    # a missing credential is not a guess: it does not count
    for _ in range(5):
        assert status(councils, client("198.51.100.22")) == 401
    assert status(councils, client("198.51.100.22", keys[1])) == 200


def test_sign_in_attempts_are_counted_one_by_one(start_service):
    _, url = start_service(ScoringService, RATE_LIMIT_SIGN_IN="3/30", **BEHIND_PROXY)
    room_in_window(30, 5)
    form = {"credential": token("m1", roles=["council_member"], member_id="member-1")}
    headers = {**client("198.51.100.30"), "Origin": url}
    answers = [
        requests.post(f"{url}/sign-in", data=form, headers=headers, allow_redirects=False)
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [303, 303, 303, 429]
    assert answers[-1].headers["Content-Type"].startswith("text/html")  # the page's error
    assert "Retry-After" in answers[-1].headers


def test_two_instances_together_reach_a_limit_neither_reaches_alone(start_service, stored, keys):
    limits = {"RATE_LIMIT_PUBLIC_READS": "6/30", "RATE_LIMIT_SIGN_IN": "3/30", **BEHIND_PROXY}
    one, first = start_service(ScoringService, **limits)
    two, second = start_service(
        ScoringService, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}", **limits
    )
    room_in_window(30, 15)
    reader = client("198.51.100.40")
    assert [status(f"{first}/api/v1/criteria", reader) for _ in range(4)] == [200] * 4
    eventually(lambda: stored("public_reads", "ip:198.51.100.40") == 4)
    after = time.time()
    eventually(lambda: throttle_of(two).shared_at > after)  # the second has looked since
    answers = [status(f"{second}/api/v1/criteria", reader) for _ in range(3)]
    assert answers == [200, 200, 429]  # 4 + 2 = 6

    # sign-in failures are counted exactly, and the instance that sees the limit reached
    # refuses at once; the other from its next look at the store
    forged = client("198.51.100.41", token("intruder", roles=["operator"], lifetime=-300))
    good = client("198.51.100.41", keys[0])
    failures = [status(f"{base}/api/v1/councils", forged) for base in (first, first, second)]
    assert failures == [401, 401, 401]  # two on the first instance, one on the second
    assert stored("sign_in", "ip:198.51.100.41") == 3
    assert status(f"{second}/api/v1/councils", good) == 429
    after = time.time()
    eventually(lambda: throttle_of(one).shared_at > after)
    assert status(f"{first}/api/v1/councils", good) == 429
