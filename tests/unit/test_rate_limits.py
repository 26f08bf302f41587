"""Rate limits without a store: rates and windows, the per-instance tally, the client's
address behind proxies, and the identity a credential claims."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from shared.access.client_address import ClientAddresses, networks
from shared.access.credentials import Presented
from shared.access.limits import PUBLIC_READS, SIGN_IN, WRITES, Rate, Slot, Tally, rates_from_config
from tests.support.auth import token


def test_a_rate_reads_n_in_s_seconds_and_a_wrong_one_names_its_setting():
    assert Rate.parse("600/60", "RATE_LIMIT_WRITES") == Rate(600, 60)
    assert Rate.parse(" 5 / 2 ", "RATE_LIMIT_WRITES") == Rate(5, 2)
    for wrong in ("600", "600/0", "0/60", "a/60", "-1/60", "1.5/60", "", "60/1/2"):
        with pytest.raises(ValueError, match="RATE_LIMIT_WRITES"):
            Rate.parse(wrong, "RATE_LIMIT_WRITES")


def test_unset_classes_take_the_defaults_a_province_would_run():
    assert rates_from_config({"RATE_LIMIT_WRITES": "7/3", "RATE_LIMIT_SIGN_IN": None}) == {
        WRITES: Rate(7, 3),
        SIGN_IN: Rate(20, 300),
        PUBLIC_READS: Rate(1200, 60),
    }


def test_windows_are_fixed_and_retry_after_counts_to_the_end_of_the_window():
    rate = Rate(10, 60)
    assert [rate.window(t) for t in (120.0, 179.9, 180.0)] == [120, 120, 180]
    assert [rate.retry_after(t) for t in (120.0, 150.2, 179.5)] == [60, 30, 1]


def test_a_tally_admits_up_to_the_limit_then_refuses_without_counting_the_refusals():
    tally, rate = Tally(), Rate(3, 10)
    slot, other = Slot(WRITES, "ip:198.51.100.1", 0), Slot(WRITES, "ip:198.51.100.2", 0)
    assert [tally.admit(slot, rate) for _ in range(5)] == [True, True, True, False, False]
    assert tally.total(slot) == 3 and tally.full(slot, rate)
    assert tally.admit(other, rate)  # another client is not affected


def test_counts_being_stored_still_count_and_come_back_when_the_store_fails():
    tally, rate = Tally(), Rate(2, 10)
    slot = Slot(WRITES, "key:k1", 0)
    tally.admit(slot, rate)
    tally.admit(slot, rate)
    handed = tally.hand_over()
    assert handed == {slot: 2} and not tally.pending
    assert not tally.admit(slot, rate)  # the two handed over still count meanwhile
    tally.take_back(handed)
    assert tally.pending == {slot: 2} and tally.total(slot) == 2  # not counted twice


def test_what_other_instances_stored_counts_here():
    tally, rate = Tally(), Rate(5, 10)
    slot = Slot(PUBLIC_READS, "ip:198.51.100.3", 0)
    tally.admit(slot, rate)
    tally.hand_over()
    tally.learn({slot: 5}, {PUBLIC_READS: 0})  # this one's 1 and another instance's 4
    assert not tally.admit(slot, rate)


def test_slots_of_past_windows_are_forgotten():
    tally, rate = Tally(), Rate(5, 10)
    old, new = Slot(WRITES, "ip:a", 0), Slot(WRITES, "ip:a", 10)
    tally.admit(old, rate)
    tally.hand_over()
    tally.admit(old, rate)
    tally.learn({}, {WRITES: 10})
    assert old not in tally.shared and old not in tally.pending
    assert tally.admit(new, rate)


def request(peer: str, forwarded: str | None = None) -> Request:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    builder = EnvironBuilder(headers=headers, environ_base={"REMOTE_ADDR": peer})
    return Request(builder.get_environ())


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert ClientAddresses().of(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_trusted_proxies_the_client_is_the_nearest_hop_they_did_not_write():
    behind = ClientAddresses(networks("10.0.0.0/8, ::1"))
    assert behind.of(request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # what a client wrote itself stands left of what the proxies added: not believed
    assert behind.of(request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"
    assert behind.of(request("198.51.100.8", "1.2.3.4")) == "198.51.100.8"  # not a proxy
    assert behind.of(request("10.0.0.2", "10.0.0.9")) == "10.0.0.9"  # proxies only
    assert behind.of(request("10.0.0.2")) == "10.0.0.2"
    assert behind.of(request("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_a_wrong_trusted_proxies_setting_names_itself():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        networks("10.0.0.0/8, proxy.internal")


def test_the_identity_a_credential_claims_is_read_without_trusting_it():
    assert Presented("ocop_3f9a0b1c2d3e_secret").identity() == "key:3f9a0b1c2d3e"
    assert Presented(token("member-7")).identity() == "sub:member-7"
    assert Presented("not-a-token").identity() is None
    assert Presented("a-session-id", session=True).identity() is None  # opaque: no claim
