"""The AsyncAPI 3.0 document of every event, generated from the event models.

One channel per exchange and routing key (AMQP binding: a topic exchange, the routing key
is the event type), saying who may read the exchange (the public `<service>.events`, or
`registration.private` for personal data); one `send` operation per event (the platform
publishes; a subscriber binds its own queue), one message per event version whose payload
is the CloudEvents envelope with the model's JSON Schema as `data`, and the example from
`examples.py`.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from typing import Any

from shared.events.base import EVENT_TYPE_PREFIX, Event
from shared.events.envelope import CONTENT_TYPE, envelope
from shared.events.examples import EXAMPLES
from shared.events.registry import ALL_EVENTS

REF = "#/components/schemas/{model}"
EXAMPLE_TIME = datetime(2026, 11, 28, 2, 15, tzinfo=UTC)
ENVELOPE = {
    "type": "object",
    "description": "CloudEvents 1.0, structured mode (application/cloudevents+json).",
    "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
    "properties": {
        "specversion": {"type": "string", "const": "1.0"},
        "id": {"type": "string", "description": "unique per event: deduplicate on it"},
        "source": {"type": "string", "description": "/ocop/<service>, the exchange's service"},
        "type": {"type": "string", "description": f"{EVENT_TYPE_PREFIX}<event type>.v<version>"},
        "time": {"type": "string", "format": "date-time"},
        "subject": {
            "type": "string",
            "description": "the aggregate: product/<id>, evaluation/<id>...",
        },
        "datacontenttype": {"type": "string", "const": "application/json"},
        "correlationid": {
            "type": "string",
            "description": "shared by the events of one business step",
        },
        "data": {"type": "object"},
    },
}


def message_name(model: type[Event]) -> str:
    # an older version kept beside its successor is named `...V1` already
    return f"{model.__name__.removesuffix(f'V{model.version}')}V{model.version}"


def channel_name(model: type[Event]) -> str:
    return model.event_type.replace(".", "-")


def document(version: str = "1.0.0") -> dict[str, Any]:
    schemas: dict[str, Any] = {"CloudEvent": ENVELOPE}
    channels: dict[str, dict[str, Any]] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    examples = {type(example): example for example in EXAMPLES}
    for model in ALL_EVENTS:
        name, channel = message_name(model), channel_name(model)
        messages[name] = message(model, examples[model], schemas)
        versions: dict[str, dict[str, str]] = dict(channels.get(channel, {}).get("messages", {}))
        versions[name] = {"$ref": f"#/components/messages/{name}"}
        channels[channel] = {
            "address": model.event_type,
            "title": f"{model.exchange()} / {model.event_type}",
            "description": READERS[model.exchange_kind],
            "messages": versions,
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "bindingVersion": "0.3.0",
                    "exchange": {
                        "name": model.exchange(),
                        "type": "topic",
                        "durable": True,
                        "autoDelete": False,
                        "vhost": "ocop",
                    },
                }
            },
        }
        operations[f"publish-{channel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"{model.source_service} publishes {model.event_type}",
            "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in versions],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "OCOP platform events", "version": version, "description": DESCRIPTION},
        "defaultContentType": CONTENT_TYPE,
        "servers": SERVERS,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def message(model: type[Event], example: Event, schemas: dict[str, Any]) -> dict[str, Any]:
    data_schema = model.model_json_schema(ref_template=REF, mode="serialization")
    schemas.update(data_schema.pop("$defs", {}))
    schemas[f"{message_name(model)}Data"] = data_schema
    payload = {
        "allOf": [
            {"$ref": REF.format(model="CloudEvent")},
            {
                "type": "object",
                "properties": {
                    "type": {"const": model.cloudevents_type()},
                    "source": {"const": model.source()},
                    "data": {"$ref": REF.format(model=f"{message_name(model)}Data")},
                },
            },
        ]
    }
    sample = envelope(
        example,
        event_id="4f1f3f9a-1f5b-4f5e-9d39-5a8a2f6f2b10",
        now=EXAMPLE_TIME,
        correlation_id="c0ffee00-0000-4000-8000-000000000001",
    )
    return {
        "name": model.cloudevents_type(),
        "title": model.event_type,
        "summary": (inspect.getdoc(model) or "").split("\n")[0],
        "description": inspect.getdoc(model) or "",
        "contentType": CONTENT_TYPE,
        "payload": payload,
        "examples": [{"name": "example", "payload": sample}],
    }


READERS = {
    "events": (
        "Public: on `<service>.events`, which any subscriber user may be allowed to read. "
        "Carries no personal data."
    ),
    "private": (
        "Personal data (a household producer's name, tax code, home address): on "
        "`registration.private`, readable only by users allowed personal data "
        "(certification; an outside system only with `--allow-personal-data`)."
    ),
}
DESCRIPTION = (
    "Every event is a CloudEvents 1.0 structured JSON body on the publishing service's durable "
    "topic exchange (`<service>.events`; personal data only on `registration.private`), with the "
    "event type as routing key. Bind your own durable queue with the routing keys you need, ack "
    "after handling, and skip ids you have handled: delivery is at least once. Every message "
    "carries the AMQP `user_id` of the service that published it, checked by the broker: accept "
    "an event only if `user_id` is the user of the service its `source` names. Unknown fields "
    "must be ignored; a breaking change is a new `vN`."
)
SERVERS = {
    "production": {
        "host": "rabbitmq.ocop.example.vn:5672",
        "protocol": "amqp",
        "protocolVersion": "0.9.1",
        "description": "The platform's broker (per installation); a user per subscriber.",
    },
    "local": {
        "host": "127.0.0.1:5672",
        "protocol": "amqp",
        "protocolVersion": "0.9.1",
        "description": "`make run` on a developer's machine: vhost `ocop`, a user per service.",
    },
}
