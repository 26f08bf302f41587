"""Who sent a message: the rules a consumer applies before it believes an event."""

import pytest

from shared.events import InvalidEvent
from shared.messaging.senders import (
    SENDER_HEADER,
    BrokerUsers,
    WrongBrokerUser,
    check_sender,
    own_user,
    routes_for,
    verified_sender,
)

USERS = BrokerUsers("t1-")
PUBLIC = routes_for("scoring.events", "scoring", "certification")


def test_the_sender_is_the_user_id_the_broker_checked():
    assert verified_sender("t1-scoring", {}, own="t1-certification") == "t1-scoring"
    assert verified_sender(None, {}, own="t1-certification") is None


def test_a_sender_header_is_believed_only_on_a_message_the_service_itself_published():
    relayed = {SENDER_HEADER: "t1-scoring"}
    assert verified_sender("t1-certification", relayed, own="t1-certification") == "t1-scoring"
    # anyone else's header is their claim, not the broker's word
    assert verified_sender("t1-admin", relayed, own="t1-certification") == "t1-admin"
    assert verified_sender(None, relayed, own="t1-certification") is None


def test_an_event_of_the_service_itself_needs_no_header():
    assert verified_sender("t1-scoring", {}, own="t1-scoring") == "t1-scoring"


def test_routes_of_a_public_and_of_a_private_event():
    assert PUBLIC == {"scoring.events", "scoring.replay", "certification.redeliver"}
    private = routes_for("registration.private", "registration", "certification")
    assert private == {"registration.private", "certification.redeliver"}  # never replayed


@pytest.mark.parametrize(
    ("exchange", "sender", "reason"),
    [
        ("registration.events", "t1-scoring", "came through exchange 'registration.events'"),
        ("", "t1-scoring", "came through exchange ''"),
        ("scoring.events", "t1-registration", "sent by user 't1-registration'"),
        ("scoring.events", None, "sent by no user_id"),
        ("certification.redeliver", "t1-certification", "sent by user 't1-certification'"),
    ],
)
def test_a_message_from_elsewhere_or_someone_else_is_invalid(exchange, sender, reason):
    with pytest.raises(InvalidEvent, match=reason):
        check_sender(exchange=exchange, sender=sender, routes=PUBLIC, expected="t1-scoring")


@pytest.mark.parametrize("exchange", sorted(PUBLIC))
def test_the_sources_user_through_any_of_its_routes_is_believed(exchange):
    check_sender(exchange=exchange, sender="t1-scoring", routes=PUBLIC, expected="t1-scoring")


def test_a_service_refuses_to_start_as_another_user():
    config = {"AMQP_URI": "pyamqp://guest:guest@127.0.0.1:5672/ocop"}
    with pytest.raises(WrongBrokerUser, match="must connect as its own broker user 'scoring'"):
        own_user(config, "scoring")
    prefixed = {"AMQP_URI": "pyamqp://t1-scoring:pw@127.0.0.1/ocop", "BROKER_USER_PREFIX": "t1-"}
    assert own_user(prefixed, "scoring") == "t1-scoring"
