"""The generated deployment files match the code: regenerating changes nothing, and every
handler queue a service declares is in the broker definitions and scales its pods."""

from __future__ import annotations

from deploy.generate import generated_files
from deploy.manifests import k8s_name
from deploy.topology import SERVICES, handler_queues
from shared.messaging.topology import DEFAULT_RETRY_DELAYS


def test_committed_files_are_what_the_generator_writes():
    stale = [
        str(path) for path, content in generated_files().items() if path.read_text() != content()
    ]
    assert not stale, f"run `python -m deploy.generate`: stale {stale}"


def test_the_consumers_are_the_services_with_event_handlers():
    consumers = {service for service in SERVICES if handler_queues(service)}
    # registration too since issue 17: returns, results and certificates of its dossiers
    assert consumers == {"registration", "scoring", "certification", "trade_promotion"}


def test_every_handler_queue_is_defined_bound_and_quorum(committed_definitions):
    queues = {queue["name"]: queue for queue in committed_definitions["queues"]}
    bindings = {
        (binding["source"], binding["destination"], binding["routing_key"])
        for binding in committed_definitions["bindings"]
    }
    for service in SERVICES:
        for handler in handler_queues(service):
            source = handler.source_exchange.split(".")[0]  # events or private
            assert handler.name.startswith(f"evt-{source}-")
            assert f"--{service}." in handler.name
            assert queues[handler.name]["arguments"] == {"x-queue-type": "quorum"}
            assert queues[handler.name]["durable"] is True
            assert (handler.source_exchange, handler.name, handler.routing_key) in bindings
            # retries and replays from parking come back through the service's own exchange
            assert (f"{service}.redeliver", handler.name, handler.name) in bindings


def test_every_service_has_its_exchanges_retry_queues_and_parked_queue(committed_definitions):
    exchanges = {e["name"]: e for e in committed_definitions["exchanges"]}
    queues = {queue["name"]: queue for queue in committed_definitions["queues"]}
    for service in SERVICES:
        assert exchanges[f"{service}.events"]["type"] == "topic"
        assert exchanges[f"{service}.events"]["durable"] is True
        assert queues[f"{service}.parked"]["arguments"] == {}  # no max-length, no TTL
        assert exchanges[f"{service}.parking"]["type"] == "fanout"
        assert exchanges[f"{service}.replay"]["type"] == "direct"
        redeliver = exchanges[f"{service}.redeliver"]
        assert redeliver["type"] == "direct"
        # what it cannot route is parked, never dropped
        assert redeliver["arguments"] == {"alternate-exchange": f"{service}.parking"}
        for delay in DEFAULT_RETRY_DELAYS:
            assert exchanges[f"{service}.retry.{delay}s"]["type"] == "fanout"
            assert queues[f"{service}.retry.{delay}s"]["arguments"] == {
                "x-message-ttl": delay * 1000,
                "x-dead-letter-exchange": f"{service}.redeliver",
            }
    assert exchanges["registration.private"]["type"] == "topic"


def test_no_policy_can_drop_a_parked_message(committed_definitions):
    dropping = {"max-length", "max-length-bytes", "message-ttl", "expires"}
    for policy in committed_definitions["policies"]:
        if "parked" in policy["name"]:
            assert not dropping & set(policy["definition"])
        else:  # a handler queue past its delivery limit dead-letters to its parked queue
            service = policy["name"].removesuffix("-handler-queues")
            assert policy["definition"]["dead-letter-exchange"] == f"{service}.parking"


def test_every_handler_queue_has_a_keda_trigger(k8s_documents):
    for service in SERVICES:
        scaled = [
            document
            for document in k8s_documents[f"{k8s_name(service)}.yaml"]
            if document["kind"] == "ScaledObject"
        ]
        queues = {
            trigger["metadata"]["queueName"]
            for document in scaled
            for trigger in document["spec"]["triggers"]
        }
        assert queues == {handler.name for handler in handler_queues(service)}
