"""The fault suite's short form, run by `make test` (`make chaos` runs 1,000 flows each)."""

from __future__ import annotations

import pytest

from tests.chaos.__main__ import passed, run, table
from tests.chaos.broker import BrokerUnavailable, PrivateBroker
from tests.chaos.scenarios import SCENARIOS

FLOWS, CONCURRENCY, PACE = 40, 4, 1.0  # a steady stream of 40 s: every fault lands in it


def test_no_flow_is_lost_or_done_twice_under_any_fault(capsys):
    try:
        PrivateBroker().halt()
    except BrokerUnavailable as reason:
        pytest.skip(str(reason))
    rows = run(list(SCENARIOS), FLOWS, CONCURRENCY, PACE)
    with capsys.disabled():
        print("\n" + table(rows))
    assert passed(rows), table(rows)
    assert [row["flows"] for row in rows] == [FLOWS] * len(SCENARIOS)
