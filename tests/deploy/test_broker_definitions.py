"""deploy/rabbitmq/definitions.json on the real broker (RabbitMQ 3.10, the test broker),
loaded into a vhost and users of its own: what each broker user may and may not do."""

from __future__ import annotations

import copy
import time

import pika
import pytest
from amqp.exceptions import PreconditionFailed
from kombu import Connection
from pika.exceptions import ChannelClosedByBroker, ProbableAuthenticationError

from deploy.topology import SERVICES, handler_queues, owned_declarations
from shared.messaging.topology import existing_or_quorum
from tests.deploy.broker_sandbox import management
from tests.support.amqp import pika_parameters

SCORING_QUEUE = "evt-registration-dossier.submitted--scoring.open_for_dossier"


def channel_of(sandbox, user: str):
    connection = pika.BlockingConnection(pika_parameters(sandbox.amqp_uri(user)))
    channel = connection.channel()
    channel.confirm_delivery()
    return connection, channel


def refused(action) -> str:
    with pytest.raises(ChannelClosedByBroker) as closed:
        action()
    assert closed.value.reply_code == 403
    return closed.value.reply_text


def test_definitions_load_with_quorum_handler_queues(sandbox):
    queues = {queue["name"]: queue for queue in management(f"queues/{sandbox.vhost}")}
    for service in SERVICES:
        for handler in handler_queues(service):
            assert queues[handler.name]["type"] == "quorum"
        assert queues[f"{service}.parked"]["durable"] is True


def test_users_log_in_with_their_passwords_only(sandbox):
    for user in (*SERVICES, "keda", "ocop-admin"):
        connection, _ = channel_of(sandbox, user)
        connection.close()
    password = sandbox.passwords[sandbox.users["registration"]]
    wrong = sandbox.amqp_uri("registration").replace(password, "wrong")
    with pytest.raises(ProbableAuthenticationError):
        pika.BlockingConnection(pika_parameters(wrong))


def test_a_service_publishes_to_its_own_exchange_and_no_other(sandbox):
    connection, channel = channel_of(sandbox, "registration")
    try:
        # confirm_delivery: returns once the broker has taken it
        channel.basic_publish("registration.events", "producer.registered", b"{}")
        text = refused(lambda: channel.basic_publish("scoring.events", "product.ranked", b"{}"))
        assert "ACCESS_REFUSED" in text and "scoring.events" in text
    finally:
        connection.close()


def test_a_service_cannot_read_what_it_does_not_consume(sandbox):
    connection = pika.BlockingConnection(pika_parameters(sandbox.amqp_uri("registration")))
    try:
        refused(lambda: connection.channel().basic_get(SCORING_QUEUE))
        # nor bind a queue of its own to another service's exchange
        channel = connection.channel()
        text = refused(
            lambda: channel.queue_bind("registration.parked", "trade_promotion.events", "#")
        )
        assert "access to exchange 'trade_promotion.events'" in text
    finally:
        connection.close()


def test_no_user_of_the_platform_can_write_to_the_default_exchange(sandbox):
    """Retries, parking and replays go through each service's own exchanges: the default
    exchange, which reaches any queue by name, is closed to every service and to KEDA."""
    for user in (*SERVICES, "keda"):
        connection, channel = channel_of(sandbox, user)
        try:
            text = refused(lambda c=channel: c.basic_publish("", SCORING_QUEUE, b"to any queue"))
            assert "amq.default" in text
        finally:
            if connection.is_open:
                connection.close()


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_may_write_to_its_own_exchanges_only(sandbox, service):
    own, queues = owned_declarations(service)
    everything = {e["name"] for e in management(f"exchanges/{sandbox.vhost}") if e["name"]}
    platform = {name for name in everything if not name.startswith("amq.")}
    for exchange in sorted(platform):
        connection, channel = channel_of(sandbox, service)
        try:
            if exchange in {e.name for e in own}:
                channel.basic_publish(exchange, "nothing.bound", b"{}")  # confirmed
            else:
                refused(lambda e=exchange, c=channel: c.basic_publish(e, "x", b"{}"))
        finally:
            if connection.is_open:
                connection.close()
    connection, channel = channel_of(sandbox, service)
    for queue in queues:  # what the fanouts took in (parked, retries) goes: other tests look
        channel.queue_purge(queue.name)
    connection.close()


def test_keda_reads_queue_lengths_and_nothing_else(sandbox):
    connection, channel = channel_of(sandbox, "keda")
    try:
        assert channel.queue_declare(SCORING_QUEUE, passive=True).method.message_count == 0
        refused(lambda: channel.basic_get(SCORING_QUEUE))
    finally:
        connection.close()


def test_a_message_past_the_delivery_limit_is_parked_not_dropped(sandbox):
    connection, channel = channel_of(sandbox, "registration")
    channel.basic_publish("registration.events", "dossier.submitted", b"kills its consumer")
    connection.close()
    connection, channel = channel_of(sandbox, "scoring")
    try:
        deliveries = 0
        while (method := channel.basic_get(SCORING_QUEUE)[0]) is not None and deliveries < 50:
            deliveries += 1
            channel.basic_nack(method.delivery_tag, requeue=True)
        assert deliveries == 21  # the delivery limit of the handler queues' policy, plus one
        deadline = time.monotonic() + 10  # the broker dead-letters in the background
        while (got := channel.basic_get("scoring.parked", auto_ack=True))[2] != (
            b"kills its consumer"
        ):  # (another test's own messages may be parked too)
            assert time.monotonic() < deadline, "nothing reached scoring.parked"
            if got[0] is None:
                connection.sleep(0.05)
        method, properties, body = got
        assert body == b"kills its consumer"
        assert properties.headers["x-first-death-reason"] == "delivery_limit"
        assert properties.headers["x-first-death-queue"] == SCORING_QUEUE
    finally:
        connection.close()


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_declares_its_own_topology_with_its_own_user(sandbox, service):
    """What FailureRouter and the outbox relay declare, and the handler queues' bindings
    (their sources' exchanges only looked up): all equivalent to the definitions and
    permitted."""
    exchanges, queues = owned_declarations(service)
    with Connection(sandbox.amqp_uri(service), connect_timeout=5) as connection:
        channel = connection.channel()
        for entity in exchanges + queues:
            entity(channel).declare()
        for handler in handler_queues(service):
            for each in handler.declared.bindings:  # sources looked up, not declared
                each.declare(channel)
                channel.queue_bind(handler.name, each.exchange.name, each.routing_key)


@pytest.mark.parametrize("service", ["scoring", "certification", "trade_promotion"])
def test_handler_queues_defined_by_operators_are_used_as_they_are(sandbox, service):
    """nameko alone would redeclare them as classic queues and be refused
    (PRECONDITION_FAILED, inequivalent x-queue-type); the services use them as found."""
    uri = sandbox.amqp_uri(service)
    with Connection(uri, connect_timeout=5) as connection:
        for handler in handler_queues(service):
            queue = copy.copy(handler.declared)
            with pytest.raises(PreconditionFailed):
                queue(connection.channel()).declare()
            existing_or_quorum(uri, [queue])
            assert queue.no_declare
            queue(connection.channel()).declare()  # nothing sent, nothing refused
