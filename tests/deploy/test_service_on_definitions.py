"""A real service process, logged in as its own broker user, on a vhost made from the
broker definitions: it consumes from every handler queue and parks a poison message, so
its permissions cover all it does. The vhost is exactly the committed definitions: the
handler queues there are quorum queues, which the service uses as they are.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pika
import pytest
import requests

from deploy.broker import definitions
from deploy.topology import handler_queues
from shared.devstack.processes import Process, free_port, start_service, stop_all
from tests.deploy.broker_sandbox import Sandbox, isolate, load, remove
from tests.support.amqp import pika_parameters

SERVICE = "trade_promotion"  # the most handlers, from three exchanges including its own
STARTUP_SECONDS = 30


@pytest.fixture(scope="module")
def vhost() -> Iterator[Sandbox]:
    renamed, sandbox = isolate(definitions())
    try:
        load(renamed, sandbox)
        yield sandbox
    finally:
        remove(sandbox)


@pytest.fixture(scope="module")
def service(vhost, store_uri, tmp_path_factory) -> Iterator[tuple[Process, str]]:
    port = free_port()
    env = {
        "AMQP_URI": vhost.amqp_uri(SERVICE),
        "BROKER_USER_PREFIX": vhost.prefix,
        "MONGO_URI": store_uri,
        "TRADE_PROMOTION_DB": f"test_{uuid.uuid4().hex[:12]}",
        "TRADE_PROMOTION_HTTP": f"127.0.0.1:{port}",
    }
    process = start_service(SERVICE, env, tmp_path_factory.mktemp("logs") / f"{SERVICE}.log")
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        stop_all([process], grace=10)


def queue_state(vhost: Sandbox, queue: str) -> tuple[int, int]:
    """(messages ready, consumers), read as an operator would."""
    connection = pika.BlockingConnection(pika_parameters(vhost.amqp_uri("ocop-admin")))
    try:
        method = connection.channel().queue_declare(queue, passive=True).method
        return method.message_count, method.consumer_count
    finally:
        connection.close()


def wait_for(condition, process: Process, what: str, seconds: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        log = process.log.read_text(errors="replace")[-3000:]
        assert process.popen.poll() is None, f"{SERVICE} exited:\n{log}"
        assert time.monotonic() < deadline, f"no {what} after {seconds}s:\n{log}"
        time.sleep(0.2)


def test_the_service_consumes_every_handler_queue_with_its_own_user(vhost, service):
    process, _ = service
    queues = [handler.name for handler in handler_queues(SERVICE)]
    wait_for(
        lambda: all(queue_state(vhost, queue)[1] >= 1 for queue in queues),
        process,
        "consumer on every handler queue",
    )


def test_the_service_parks_through_its_own_parking_exchange(vhost, service):
    process, _ = service
    connection = pika.BlockingConnection(pika_parameters(vhost.amqp_uri("registration")))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish("registration.events", "producer.registered", b"\x00 not an event")
    finally:
        connection.close()
    wait_for(lambda: queue_state(vhost, f"{SERVICE}.parked")[0] == 1, process, "parked message")


def test_the_service_is_healthy(service):
    _, url = service
    ready = requests.get(f"{url}/health/ready", timeout=5)
    if ready.status_code == 404:  # the readiness endpoint is not in this version yet
        ready = requests.get(f"{url}/health", timeout=5)
    assert ready.status_code == 200, ready.text
