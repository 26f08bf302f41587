"""No forged event can make, list or withdraw a certificate (issue 15), nor stand in for
the authority's decision that alone makes one (issue 17).

The platform runs on the production broker definitions (tests/e2e/conftest.py): each
service logs in as its own user, allowed to write only to its own exchanges. Forged events
are published as an outside tester would: with another service's user, with an outside
subscriber's user, claiming another user's `user_id`, and with an administrator of the vhost
(what `guest` is on a default broker), who can write anywhere. The broker refuses the first
three; the consumers park the last one (its `user_id` is not the source's user); and nothing
changes: no certificate, no listing, no invitation, no delisting.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pika
import pytest
import requests

from shared.events import envelope
from shared.events.examples import EXAMPLES
from tests.e2e.test_happy_path import fair_body
from tests.support.amqp import pika_parameters
from tests.support.certifying import certify
from tests.support.waiting import eventually

GENUINE = (
    {
        "name": "HTX Miến dong Bình Liêu",
        "kind": "htx",
        "women_led": True,
        "address": {"province_code": "19", "ward_code": "01933"},
    },
    "Miến dong Bình Liêu",
)


@pytest.fixture(scope="module")
def world(platform):
    """A genuine certified, listed and invited product; a registered product nobody scored;
    an outside subscriber and an administrator of the vhost."""
    bus = platform.bus
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {platform.key}"
        trade = platform.api("trade_promotion")
        fair = http.post(f"{trade}/trade-fairs", json=fair_body(name="Hội chợ kiểm thử")).json()
        genuine = certify(http, platform, *GENUINE)
        reg = platform.api("registration")
        unscored = http.post(
            f"{reg}/products",
            json={
                "producer_id": genuine["producer"]["id"],
                "name": "Sản phẩm chưa chấm",
                "group": "food",
                "subgroup": "rau-cu-qua-hat-tuoi",
            },
        ).json()
        listed = f"{trade}/catalogue/{genuine['product']['id']}"
        eventually(lambda: http.get(listed).status_code == 200)  # only a listing is public
        invited = f"{trade}/trade-fairs/{fair['id']}/invitations"
        eventually(
            lambda: genuine["product"]["id"] in {i["product_id"] for i in http.get(invited).json()}
        )
    outsider = bus.subscriber("nosy", [f"{s}.events" for s in SERVICES])
    return {
        "genuine": genuine,
        "unscored": unscored,
        "fair": fair,
        "logins": {
            "registration (another service)": bus.amqp_uri("registration"),
            "trade_promotion (another service)": bus.amqp_uri("trade_promotion"),
            "an outside subscriber": outsider,
        },
        "admin": bus.administrator("vhost-admin"),
    }


SERVICES = ("registration", "scoring", "certification", "trade_promotion")


def forged(event_type: str, **data: object) -> dict:
    example = next(e for e in EXAMPLES if e.event_type == event_type)
    event = example.model_copy(update=data)
    return envelope(
        event, event_id=str(uuid.uuid4()), now=datetime.now(UTC), correlation_id="forged"
    )


def forgeries(world: dict) -> dict[str, tuple[str, str, dict]]:
    """Each forged event: (exchange, routing key, CloudEvent)."""
    genuine, unscored = world["genuine"], world["unscored"]
    certificate = genuine["certificate"]
    return {
        "product.ranked": (
            "scoring.events",
            "product.ranked",
            forged(
                "product.ranked",
                product_id=unscored["id"],
                producer_id=unscored["producer_id"],
                product_name=unscored["name"],
                evaluation_id=str(uuid.uuid4()),
                stars=4,
                band_stars=4,
                total=84.0,
            ),
        ),
        "certificate.issued": (
            "certification.events",
            "certificate.issued",
            forged(
                "certificate.issued",
                certificate_number="19-FORGED-0001",
                product_id=unscored["id"],
                producer_id=unscored["producer_id"],
                product_name=unscored["name"],
                stars=5,
                level="central",
                expires_on=date(2099, 12, 31),
            ),
        ),
        "certificate.revoked": (
            "certification.events",
            "certificate.revoked",
            forged(
                "certificate.revoked",
                certificate_number=certificate["number"],
                product_id=genuine["product"]["id"],
                producer_id=genuine["producer"]["id"],
            ),
        ),
        "recognition.decided": (
            "certification.events",
            "recognition.decided",
            forged(
                "recognition.decided",
                decision_id=str(uuid.uuid4()),
                evaluation_ids=(str(uuid.uuid4()),),
                product_ids=(unscored["id"],),
            ),
        ),
        "invitation.sent": (
            "trade_promotion.events",
            "invitation.sent",
            forged("invitation.sent", product_id=unscored["id"], fair_id=world["fair"]["id"]),
        ),
        "invitation.accepted": (
            "trade_promotion.events",
            "invitation.accepted",
            forged("invitation.accepted", product_id=unscored["id"]),
        ),
    }


def send(login: str, exchange: str, routing_key: str, event: dict, user_id: str | None) -> None:
    with pika.BlockingConnection(pika_parameters(login)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        properties = pika.BasicProperties(
            content_type="application/cloudevents+json", delivery_mode=2, user_id=user_id
        )
        channel.basic_publish(exchange, routing_key, json.dumps(event).encode(), properties)


def own_name(login: str) -> str:
    return str(pika_parameters(login).credentials.username)


def nothing_changed(platform, world: dict) -> None:
    """No certificate for the product nobody scored, no listing or invitation of it, and
    the genuine product still certified, listed and invited."""
    genuine, unscored = world["genuine"], world["unscored"]
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {platform.key}"
        cer, tra = platform.api("certification"), platform.api("trade_promotion")
        assert http.get(f"{cer}/certificates", params={"product_id": unscored["id"]}).json() == []
        assert http.get(f"{cer}/certificates/19-FORGED-0001").status_code == 404
        assert http.get(f"{tra}/catalogue/{unscored['id']}").status_code == 404  # not listed
        kept = http.get(f"{tra}/catalogue/{genuine['product']['id']}").json()
        assert kept["certificate_number"] == genuine["certificate"]["number"]
        assert kept["certificate_status"] == "valid"
        number = genuine["certificate"]["number"]
        assert http.get(f"{cer}/certificates/{number}").json()["status"] == "valid"
        invited = http.get(f"{tra}/trade-fairs/{world['fair']['id']}/invitations").json()
        products = [each["product_id"] for each in invited]
        assert unscored["id"] not in products and genuine["product"]["id"] in products


FORGERS = ["registration (another service)", "trade_promotion (another service)"]
ATTEMPTS = [
    (forger, event_type)
    for event_type in (
        "product.ranked",
        "recognition.decided",
        "certificate.issued",
        "certificate.revoked",
        "invitation.sent",
        "invitation.accepted",
    )
    for forger in [*FORGERS, "an outside subscriber"]
    if not (event_type.startswith("invitation.") and forger.startswith("trade_promotion"))
]  # (trade_promotion is the source of invitation events: another service for the rest)


@pytest.mark.parametrize(("forger", "event_type"), ATTEMPTS)
def test_the_broker_refuses_a_forged_event_from_anyone_but_its_source(
    platform, world, forger, event_type
):
    exchange, routing_key, event = forgeries(world)[event_type]
    login = world["logins"][forger]
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
        send(login, exchange, routing_key, event, own_name(login))
    assert refused.value.reply_code == 403 and "ACCESS_REFUSED" in refused.value.reply_text
    nothing_changed(platform, world)


@pytest.mark.parametrize("event_type", ["product.ranked", "certificate.issued"])
def test_the_broker_refuses_a_user_id_that_is_not_the_login(platform, world, event_type):
    """Claiming to be the source, even with a login that may write to the exchange."""
    exchange, routing_key, event = forgeries(world)[event_type]
    source = exchange.removesuffix(".events")
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
        send(world["admin"], exchange, routing_key, event, platform.bus.user(source))
    assert refused.value.reply_code == 406 and "user_id property set to" in refused.value.reply_text
    nothing_changed(platform, world)


CONSUMER = {
    "product.ranked": "certification",
    "recognition.decided": "certification",
    "certificate.issued": "trade_promotion",
    "certificate.revoked": "trade_promotion",
}


@pytest.mark.parametrize("event_type", list(CONSUMER))
@pytest.mark.parametrize("claimed", ["its own user", "no user_id"])
def test_an_administrators_forged_event_is_parked_and_changes_nothing(
    platform, world, event_type, claimed
):
    """An administrator can write to any exchange (as `guest` could): the broker lets the
    event in, the consumer parks it because its source's user did not send it."""
    exchange, routing_key, event = forgeries(world)[event_type]
    admin = world["admin"]
    send(
        admin, exchange, routing_key, event, own_name(admin) if claimed == "its own user" else None
    )
    consumer = platform.urls[CONSUMER[event_type]]
    headers = {"Authorization": f"Bearer {platform.key}"}

    def parked() -> dict | None:
        listed = requests.get(f"{consumer}/admin/parked", headers=headers, timeout=10).json()
        return next((m for m in listed["messages"] if m["id"] == event["id"]), None)

    found = eventually(parked)
    expected = f"user '{own_name(admin)}'" if claimed == "its own user" else "no user_id"
    assert f"sent by {expected}" in found["reason"]
    nothing_changed(platform, world)
    dropped = requests.post(
        f"{consumer}/admin/parked/drop", json={"ids": [event["id"]]}, headers=headers, timeout=10
    )
    assert dropped.json()["ids"] == [event["id"]]
