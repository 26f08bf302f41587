"""Every HTTP endpoint of every service fuzzed from the service's live `/openapi.json`:
no 5xx, no stack trace or Python internals in a body, and the statuses and bodies the
document promises. Each service first gets a few real resources, so that generated cases
also reach past the 404 of an unknown id. The cases run per operation are printed at the
end of the session and written to `tests/artifacts/fuzz-cases.txt`."""

import pytest

from services.certification.service import CertificationService
from services.registration.service import RegistrationService
from services.scoring.service import ScoringService
from services.trade_promotion.service import TradePromotionService
from tests.integration.test_portal_api import identified_event, producer_event
from tests.integration.test_scoring_service import dossier_event
from tests.integration.test_trade_promotion_service import fair_body, issued_event
from tests.support.amqp import cloud_event, publish
from tests.support.announced import PRIVATE_EXCHANGE as PRIVATE
from tests.support.assessment import assess_and_open
from tests.support.batches import open_batch
from tests.support.fuzzing import REPORTS, Known, fuzz, load
from tests.support.sheets import answers_for_four_stars
from tests.support.waiting import eventually

# real codes: a body that uses them gets past the 422 of an unknown place or criteria set
PLACE = {"province_code": "19", "ward_code": "01933"}
CRITERIA = {"criteria_set": "148-2023", "group": "food", "subgroup": "rau-cu-qua-hat-tuoi"}


def created(response):
    assert response.status_code == 201, response.text
    return response.json()


def seed_registration(http, url, amqp):
    producer = created(
        http.post(
            f"{url}/producers",
            json={
                "name": "HTX Chè Đồng Phúc",
                "kind": "htx",
                "women_led": True,
                "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
            },
        )
    )
    product = created(
        http.post(
            f"{url}/products",
            json={
                "producer_id": producer["id"],
                "name": "Cam sành Hàm Yên",
                "group": CRITERIA["group"],
                "subgroup": CRITERIA["subgroup"],
            },
        )
    )
    batch = open_batch(http, url, PLACE["province_code"])
    dossier = created(
        http.post(
            f"{url}/products/{product['id']}/dossiers",
            json={
                "batch_id": batch,
                "evidence": [{"kind": "label", "filename": "nhan.pdf", "sha256": "0" * 64}],
            },
        )
    )
    ids = {"producer_id": producer, "product_id": product, "dossier_id": dossier}
    ids["batch_id"] = {"id": batch}
    return Known(
        path={name: [each["id"]] for name, each in ids.items()},
        fields={"producer_id": producer["id"], "batch_id": batch, **CRITERIA, **PLACE},
    )


# a product registration announced (imports refuse any other): known to scoring and
# certification once its events are in, so imports that name it get past that 422
ORIGIN = {"product_id": "p1", "producer_id": "pr1"}


def announce_origin(amqp):
    product = {**ORIGIN, "name": "Chè búp", "group": "food", **PLACE}
    publish(
        amqp,
        "registration",
        "product.registered",
        cloud_event("product.registered", "registration", product),
    )
    publish(amqp, "registration", "producer.registered", producer_event("pr1"))
    identified = identified_event("pr1", province_code=PLACE["province_code"])
    publish(amqp, "registration", "producer.identified", identified, exchange=PRIVATE)


def seed_scoring(http, url, amqp):
    """Two open rounds: one scored by the chair and a member (it can close), one not."""
    announce_origin(amqp)
    for n in (1, 2):
        event = dossier_event(dossier_id=f"d{n}", product_id=f"p{n}")
        publish(amqp, "registration", "dossier.submitted", event)
    rounds = eventually(lambda: len(found := http.get(f"{url}/evaluations").json()) == 2 and found)
    for each in rounds:
        assess_and_open(http.post, f"{url}/evaluations/{each['id']}")
    sheet = http.get(f"{url}/evaluations/{rounds[0]['id']}/sheet").json()
    answers = answers_for_four_stars(sheet)
    for member in ("member-1", "member-2"):
        body = {"member_id": member, "answers": answers}
        created(http.post(f"{url}/evaluations/{rounds[0]['id']}/scoresheets", json=body))
    members = [{"id": "chair", "role": "chair"}, {"id": "member-1"}, {"id": "member-2"}]
    body = {"name": "Hội đồng", "level": "province", "province_code": "19", "members": members}
    council = created(http.post(f"{url}/councils", json=body))
    return Known(
        path={
            "evaluation_id": [each["id"] for each in rounds],
            "council_id": [council["id"]],
            "criteria_set": [CRITERIA["criteria_set"]],
        },
        fields={
            "member_id": "member-3",
            "answers": answers,
            "evaluated_on": "2024-06-01",
            **CRITERIA,
            **PLACE,
            **ORIGIN,
        },
    )


def seed_certification(http, url, amqp):
    announce_origin(amqp)
    body = {
        **ORIGIN,
        "number": "OCOP-19-2024-0001",
        "product_name": "Chè búp",
        "group": "food",
        "province_code": "19",
        "stars": 4,
        "level": "province",
        "issued_on": "2024-01-01",
        "expires_on": "2027-01-01",
    }
    # refused (422, not known yet) until certification has the product's events
    imported = eventually(
        lambda: (
            (answer := http.post(f"{url}/imports/certificates", json=body)).status_code == 201
            and answer
        )
    )
    certificate = imported.json()
    dates = {"issued_on": "2024-06-01", "expires_on": "2027-06-01"}
    fields = {**dates, **CRITERIA, **PLACE, **ORIGIN}
    return Known(path={"number": [certificate["number"]]}, fields=fields)


def seed_trade_promotion(http, url, amqp):
    publish(amqp, "certification", "certificate.issued", issued_event("p1"))
    eventually(lambda: http.get(f"{url}/catalogue/p1").status_code == 200)
    fair = created(http.post(f"{url}/trade-fairs", json=fair_body()))
    invitations = f"{url}/trade-fairs/{fair['id']}/invitations"
    invitation = eventually(lambda: http.get(invitations).json())[0]
    point = created(
        http.post(
            f"{url}/sales-points",
            json={
                "name": "Điểm bán OCOP",
                "kind": "shop",
                "operator": "HTX",
                "province_code": "19",
                "ward_code": "01933",
            },
        )
    )
    http.post(f"{url}/sales-points/{point['id']}/products", json={"product_id": "p1"})
    return Known(
        path={
            "product_id": ["p1"],
            "fair_id": [fair["id"]],
            "invitation_id": [invitation["id"]],
            "point_id": [point["id"]],
        },
        fields={
            "product_id": "p1",
            "starts_on": fair["starts_on"],
            "ends_on": fair["ends_on"],
            "groups": ["food"],
            **PLACE,
        },
    )


SERVICES = [
    (RegistrationService, seed_registration),
    (ScoringService, seed_scoring),
    (CertificationService, seed_certification),
    (TradePromotionService, seed_trade_promotion),
]


@pytest.mark.parametrize(
    ("service_class", "seed"), SERVICES, ids=[service.name for service, _ in SERVICES]
)
def test_every_endpoint_survives_fuzzing(
    start_service, http, bus, pytestconfig, service_class, seed
):
    _, base_url = start_service(service_class)
    known = seed(http, f"{base_url}/api/v1", bus)  # ids and codes
    # from_url would leave out the document's own operation (GET /openapi.json)
    schema = load(http.get(f"{base_url}/openapi.json").json())
    report = fuzz(service_class.name, schema, base_url, http, known)
    pytestconfig.stash.setdefault(REPORTS, []).append(report)
    assert report.failures == [], "\n\n".join(report.failures)
    assert len(report.cases) == sum(len(methods) for methods in schema.raw_schema["paths"].values())
