"""Outbox bookkeeping in a document: pending entries and the time of the oldest."""

from shared.documents import OUTBOX, OUTBOX_SINCE, with_events, without_sent


def entry(event_id: str, time: str) -> dict:
    return {"id": event_id, "time": time, "routing_key": "x.y", "event": {}}


def test_events_are_appended_and_the_oldest_time_kept():
    document = with_events({"_id": "a"}, [entry("1", "2026-01-02"), entry("2", "2026-01-01")])
    assert [e["id"] for e in document[OUTBOX]] == ["1", "2"]
    assert document[OUTBOX_SINCE] == "2026-01-01"


def test_sent_events_leave_and_an_empty_outbox_has_no_time():
    document = with_events({"_id": "a"}, [entry("1", "2026-01-01"), entry("2", "2026-01-02")])
    partly = without_sent(document, {"1"})
    assert [e["id"] for e in partly[OUTBOX]] == ["2"] and partly[OUTBOX_SINCE] == "2026-01-02"
    assert without_sent(partly, {"2"})[OUTBOX_SINCE] == ""
