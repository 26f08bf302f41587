"""The AsyncAPI document: valid AsyncAPI 3.0, its examples valid, and what the repo ships."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from cli import docs
from shared.events import asyncapi
from shared.events.registry import ALL_EVENTS
from tests.contract.payloads import problems

SPEC = json.loads((Path(__file__).parent / "schemas" / "asyncapi-3.0.0.json").read_text())


def spec_errors(doc):
    return list(Draft7Validator(SPEC).iter_errors(doc))


def test_the_document_is_valid_asyncapi_3():
    doc = asyncapi.document()
    assert spec_errors(doc) == []
    names = {model.event_type for model in ALL_EVENTS}
    assert len(doc["channels"]) == len(names)
    assert len(doc["components"]["messages"]) == len(ALL_EVENTS)  # one per version
    channel = doc["channels"]["certificate-issued"]
    assert channel["address"] == "certificate.issued"
    assert channel["bindings"]["amqp"]["exchange"]["name"] == "certification.events"
    assert set(doc["channels"]["producer-registered"]["messages"]) == {
        "ProducerRegisteredV1",
        "ProducerRegisteredV2",
    }


def test_personal_data_is_only_on_the_private_exchange():
    """Which exchange carries what: the document says it, per channel."""
    channels = asyncapi.document()["channels"]
    private = {
        name
        for name, channel in channels.items()
        if channel["bindings"]["amqp"]["exchange"]["name"] == "registration.private"
    }
    assert private == {"producer-identified"}
    assert "Personal data" in channels["producer-identified"]["description"]
    assert all(
        "no personal data" in channels[name]["description"] for name in set(channels) - private
    )


def test_the_validation_catches_a_broken_document():
    doc = copy.deepcopy(asyncapi.document())
    doc["operations"]["publish-certificate-issued"]["action"] = "publish"  # AsyncAPI 2 wording
    del doc["info"]["version"]
    assert len(spec_errors(doc)) >= 2


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.event_type)
def test_every_example_matches_its_message_schema(model):
    message = asyncapi.document()["components"]["messages"][asyncapi.message_name(model)]
    example = message["examples"][0]["payload"]
    assert problems(example) == []
    broken = {**example, "data": {**example["data"]}}
    broken["data"].pop(next(iter(model.model_json_schema()["required"])))
    assert problems(broken), "a payload missing a required field must not validate"


def test_the_committed_documents_are_the_generated_ones():
    stale = [
        path
        for path, text in docs.generated().items()
        if (docs.ROOT / path).read_text("utf-8") != text
    ]
    assert stale == [], f"run `make docs`: {stale} differ from what the code generates"
