"""Trade promotion alone: certificate.issued lists and invites; a new fair invites too."""

from datetime import date, timedelta

import pytest

from services.trade_promotion.service import TradePromotionService
from tests.support.amqp import cloud_event, publish
from tests.support.waiting import eventually

TODAY = date.today()


def issued_event(product_id="p1", stars=4, group="food", province_code="19", **data):
    return cloud_event(
        "certificate.issued",
        "certification",
        {
            "certificate_number": f"OCOP-{province_code}-2026-{product_id}",
            "product_id": product_id,
            "producer_id": "pr1",
            "product_name": "Chè búp",
            "group": group,
            "subgroup": None,
            "province_code": province_code,
            "stars": stars,
            "level": "province",
            "total": 83.0,
            "criteria_set": "148-2023",
            "evaluation_id": f"e-{product_id}",
            "issued_on": TODAY.isoformat(),
            "expires_on": (TODAY + timedelta(days=1095)).isoformat(),
            **data,
        },
    )


def fair_body(**overrides):
    return {
        "name": "Hội chợ OCOP",
        "starts_on": (TODAY + timedelta(days=30)).isoformat(),
        "ends_on": (TODAY + timedelta(days=35)).isoformat(),
        "province_code": "19",
        "min_stars": 3,
        "groups": ["food"],
        **overrides,
    }


@pytest.fixture
def api(start_service):
    _, url = start_service(TradePromotionService)
    return f"{url}/api/v1"


def invitations(http, api, fair_id):
    return http.get(f"{api}/trade-fairs/{fair_id}/invitations").json()


def test_a_certificate_lists_the_product_and_invites_it_once(http, api, bus, tap):
    fair = http.post(f"{api}/trade-fairs", json=fair_body()).json()
    other_province = http.post(f"{api}/trade-fairs", json=fair_body(province_code="82")).json()
    event = issued_event()
    for _ in range(2):
        publish(bus, "certification", "certificate.issued", event)
    invited = eventually(lambda: invitations(http, api, fair["id"]))
    tap.wait_for(lambda m: False, timeout=1.5)
    assert [each["product_id"] for each in invitations(http, api, fair["id"])] == ["p1"]
    assert invited[0]["status"] == "sent"
    assert invitations(http, api, other_province["id"]) == []
    catalogue = http.get(f"{api}/catalogue", params={"province_code": "19"}).json()
    assert [item["product_id"] for item in catalogue["items"]] == ["p1"]
    assert catalogue["items"][0]["certificate_number"] == "OCOP-19-2026-p1"
    assert len(tap.of_type("catalogue.listed")) == 1
    assert len(tap.of_type("invitation.sent")) == 1


def test_a_new_fair_invites_products_already_listed(http, api, bus):
    publish(bus, "certification", "certificate.issued", issued_event("p1"))
    publish(
        bus,
        "certification",
        "certificate.issued",
        issued_event("p2", stars=3, group="drinks"),
    )
    eventually(lambda: len(http.get(f"{api}/catalogue").json()["items"]) == 2)
    food = http.post(f"{api}/trade-fairs", json=fair_body()).json()
    four_star = http.post(f"{api}/trade-fairs", json=fair_body(groups=[], min_stars=4)).json()
    everyone = http.post(f"{api}/trade-fairs", json=fair_body(groups=[], province_code=None)).json()
    assert {i["product_id"] for i in eventually(lambda: invitations(http, api, food["id"]))} == {
        "p1"
    }
    assert {
        i["product_id"] for i in eventually(lambda: invitations(http, api, four_star["id"]))
    } == {"p1"}
    assert eventually(lambda: len(invitations(http, api, everyone["id"])) == 2)


def test_catalogue_filters_and_pages(http, api, bus):
    for index in range(5):
        publish(
            bus,
            "certification",
            "certificate.issued",
            issued_event(f"p{index}", stars=3 + index % 2),
        )
    eventually(lambda: len(http.get(f"{api}/catalogue").json()["items"]) == 5)
    four = http.get(f"{api}/catalogue", params={"min_stars": 4}).json()["items"]
    assert {item["product_id"] for item in four} == {"p1", "p3"}
    first = http.get(f"{api}/catalogue", params={"limit": 2}).json()
    second = http.get(
        f"{api}/catalogue", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    third = http.get(
        f"{api}/catalogue", params={"limit": 2, "cursor": second["next_cursor"]}
    ).json()
    seen = [item["product_id"] for page in (first, second, third) for item in page["items"]]
    assert seen == ["p0", "p1", "p2", "p3", "p4"] and third["next_cursor"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_stars": 2}, "min_stars"),
        ({"groups": ["snacks"]}, "groups"),
        ({"province_code": "99"}, "province_code"),
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"starts_on": "first of may"}, "starts_on"),
        ({"name": None}, "name"),
    ],
)
def test_bad_fair_input_is_422_naming_the_field(http, api, overrides, field):
    response = http.post(f"{api}/trade-fairs", json=fair_body(**overrides))
    assert response.status_code == 422 and field in response.json()["fields"], response.json()


def test_bad_catalogue_query_is_422(http, api):
    response = http.get(f"{api}/catalogue", params={"min_stars": "lots"})
    assert response.status_code == 422 and "min_stars" in response.json()["fields"]


def test_a_certificate_with_an_unknown_province_is_parked_and_the_catalogue_stays_up(
    http, api, bus
):
    from tests.support.amqp import parked

    publish(
        bus,
        "certification",
        "certificate.issued",
        issued_event("old", province_code="06"),
    )
    found = parked(bus, "trade_promotion")
    assert "'06' is not one of the 34" in found[0]["headers"]["x-parked-reason"]
    assert found[0]["headers"]["x-ocop-attempts"] == 1  # refused at once, not retried
    assert http.get(f"{api}/catalogue").status_code == 200


def certificate_change(event_type, product_id="p1", number=None, **data):
    return cloud_event(
        event_type,
        "certification",
        {
            "certificate_number": number or f"OCOP-19-2026-{product_id}",
            "product_id": product_id,
            "producer_id": "pr1",
            **data,
        },
    )


@pytest.mark.parametrize(
    ("event_type", "data"),
    [
        (
            "certificate.revoked",
            {
                "revoked_on": TODAY.isoformat(),
                "reason": "vi phạm",
                "legal_basis": "QĐ",
                "revoked_by": "officer",
            },
        ),
        ("certificate.expired", {"expired_on": TODAY.isoformat()}),
    ],
)
def test_a_revoked_or_expired_certificate_delists_and_withdraws_invitations(
    http, api, bus, tap, event_type, data
):
    amqp = bus
    fair = http.post(f"{api}/trade-fairs", json=fair_body()).json()
    publish(amqp, "certification", "certificate.issued", issued_event("p1"))
    eventually(lambda: invitations(http, api, fair["id"]))
    event = certificate_change(event_type, **data)
    publish(amqp, "certification", event_type, event)
    publish(amqp, "certification", event_type, event)  # delivered twice: one effect
    withdrawn = eventually(
        lambda: [i for i in invitations(http, api, fair["id"]) if i["status"] == "withdrawn"]
    )
    assert len(withdrawn) == 1
    assert http.get(f"{api}/catalogue").json()["items"] == []
    assert http.get(f"{api}/catalogue/p1").status_code == 404
    tap.wait_for(lambda m: False, timeout=1)
    assert (
        len(tap.of_type("catalogue.delisted")) == 1
        and len(tap.of_type("invitation.withdrawn")) == 1
    )
    reason = tap.of_type("catalogue.delisted")[0]["body"]["data"]["reason"]
    assert reason == event_type.split(".")[1]


def test_ending_an_older_certificate_leaves_the_listing_alone(http, api, bus):
    amqp = bus
    publish(amqp, "certification", "certificate.issued", issued_event("p1"))
    eventually(lambda: http.get(f"{api}/catalogue").json()["items"])
    publish(
        amqp,
        "certification",
        "certificate.expired",
        certificate_change(
            "certificate.expired", number="OCOP-19-2023-OLD", expired_on=TODAY.isoformat()
        ),
    )
    publish(amqp, "certification", "certificate.issued", issued_event("marker"))
    eventually(lambda: len(http.get(f"{api}/catalogue").json()["items"]) == 2)


def test_a_renewal_keeps_the_product_listed_with_the_new_term(http, api, bus, tap):
    amqp = bus
    publish(amqp, "certification", "certificate.issued", issued_event("p1"))
    eventually(lambda: http.get(f"{api}/catalogue").json()["items"])
    new_end = (TODAY + timedelta(days=2000)).isoformat()
    publish(
        amqp,
        "certification",
        "certificate.renewed",
        certificate_change(
            "certificate.renewed",
            stars=5,
            renewed_on=TODAY.isoformat(),
            expires_on=new_end,
            previous_expires_on=TODAY.isoformat(),
            evaluation_id="e-again",
        ),
    )
    listed = eventually(
        lambda: [
            i for i in http.get(f"{api}/catalogue").json()["items"] if i["expires_on"] == new_end
        ]
    )
    assert listed[0]["stars"] == 5
    assert len(tap.wait_for(lambda m: m["routing_key"] == "catalogue.listed", count=2)) == 2


def test_a_redelivery_after_a_crash_between_listing_and_inviting_still_invites(
    http, api, bus, service_config
):
    """Found by the fault suite (kill -9 mid-stream): the listing was stored, the process
    died before the invitation was, and the redelivered event changed nothing in the entry,
    so nothing invited it. Reactions now follow the entry as it is, not the change."""
    from pymongo import MongoClient

    fair = http.post(f"{api}/trade-fairs", json=fair_body()).json()
    event = issued_event("p-crash")
    publish(bus, "certification", "certificate.issued", event)
    eventually(lambda: invitations(http, api, fair["id"]))
    client = MongoClient(service_config["MONGO_URI"])
    database = client[service_config["MONGO_DB"]]
    database.invitations.delete_many({"product_id": "p-crash"})  # the step the crash lost
    assert invitations(http, api, fair["id"]) == []
    publish(bus, "certification", "certificate.issued", event)  # redelivery
    assert [i["product_id"] for i in eventually(lambda: invitations(http, api, fair["id"]))] == [
        "p-crash"
    ]
    client.close()
