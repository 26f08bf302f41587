"""The callers the access matrix tries, and the records they try it on.

Each persona is a real credential: a token signed by the test issuer the platform trusts,
or an API key in the platform's access database. The records belong to one producer in
Thái Nguyên (19); "other" personas belong to another province, ward, producer or council.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pymongo import MongoClient

from shared.access.api_keys import KeyRing
from shared.access.roles import SCOPES
from tests.e2e.test_happy_path import SHA, run_flow
from tests.support.auth import token
from tests.support.waiting import eventually

HOME, ELSEWHERE = "19", "01"  # Thái Nguyên, Hà Nội
MEMBER, OUTSIDER = "member-2", "member-9"  # on the province council (COUNCIL_MEMBERS), not


@dataclass(frozen=True)
class Records:
    producer: str
    ward: str
    product: str  # certified, listed, invited
    dossier: str
    closed_round: str
    open_round: str  # a second product's round, awaiting the commune's assessment
    unscored: str  # a third product, neither scored nor certified: the imports name it, and
    # officers correct its sub-group (entered as herbal tea, it is tea)
    certificate: str
    decision: str  # the decision that recognised it
    fair: str
    invitation: str
    council: str
    sales_point: str
    batch: str  # Thái Nguyên's evaluation batch of this year, open all year


def seed(http, platform) -> Records:
    """With the all-powers key: the whole path once, then an open round and the rest."""
    reg, sco, tra = (platform.api(s) for s in ("registration", "scoring", "trade_promotion"))
    flow = run_flow(http, platform)
    product = flow["product"]
    producer = http.get(f"{reg}/producers/{product['producer_id']}").json()
    second = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer["id"],
            "name": "Mật ong Đồng Phúc",
            "group": "food",
            "subgroup": "mat-ong-nong-san-khac",  # a sheet in use: its round can be scored
        },
    ).json()
    evidence = [{"kind": "label", "filename": "nhan.pdf", "sha256": SHA}]
    year = date.today().year
    http.post(
        f"{reg}/products/{second['id']}/dossiers",
        json={"batch_id": flow["batch"], "year": year, "evidence": evidence},
    ).raise_for_status()
    rounds = f"{sco}/evaluations"
    # left awaiting the commune's pre-check: the matrix's commune officer does it
    open_round = eventually(lambda: http.get(rounds, params={"product_id": second["id"]}).json())
    unscored = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer["id"],
            "name": "Chè Shan tuyết cổ thụ",
            "group": "food",
            "subgroup": "tra-tu-thuc-vat-khac",  # a slip the matrix's officers correct
        },
    ).json()
    invitations = http.get(f"{tra}/trade-fairs/{flow['fair']['id']}/invitations").json()
    council = http.post(f"{sco}/councils", json=council_body()).json()
    point = http.post(f"{tra}/sales-points", json=sales_point_body(producer)).json()
    return Records(
        producer=producer["id"],
        ward=producer["address"]["ward_code"],
        product=product["id"],
        dossier=flow["dossier"]["id"],
        closed_round=flow["evaluation"]["id"],
        open_round=open_round[0]["id"],
        unscored=unscored["id"],
        certificate=flow["certificate"]["number"],
        decision=flow["certificate"]["decision_id"],
        fair=flow["fair"]["id"],
        invitation=next(i["id"] for i in invitations if i["product_id"] == product["id"]),
        council=council["id"],
        sales_point=point["id"],
        batch=flow["batch"],
    )


def known_to_importers(store_uri: str, product_id: str, producer_id: str) -> None:
    """Returns once scoring and certification have kept the product (and certification its
    producer) from registration's events: imports refuse what they do not know (yet)."""
    with MongoClient(store_uri) as client:
        eventually(
            lambda: (
                client.ocop_scoring.products.find_one({"_id": product_id})
                and client.ocop_certification.products.find_one({"_id": product_id})
                and client.ocop_certification.producers.find_one({"_id": producer_id})
            )
        )


def council_body() -> dict:
    # the same people as the default council: the session's later rounds in this province
    # are scored by the registered council, and other tests expect members 1 to 3
    members = [{"id": "member-1", "role": "chair"}, {"id": MEMBER}, {"id": "member-3"}]
    return {
        "name": "Hội đồng OCOP tỉnh Thái Nguyên",
        "level": "province",
        "province_code": HOME,
        "members": members,
    }


def sales_point_body(producer: dict) -> dict:
    return {
        "name": "Điểm bán OCOP Quảng Khê",
        "kind": "shop",
        "operator": "HTX Đồng Phúc",
        "province_code": HOME,
        "ward_code": producer["address"]["ward_code"],
    }


def fair_body() -> dict:
    start = date.today() + timedelta(days=90)
    return {
        "name": "Phiên chợ OCOP",
        "starts_on": str(start),
        "ends_on": str(start + timedelta(days=2)),
        "provinces": [HOME],
    }


def personas(records: Records, platform, store_uri: str) -> dict[str, str | None]:
    """Persona name -> credential (None: no credentials at all)."""
    with MongoClient(store_uri) as client:
        keys = KeyRing(client[platform.access_db])

        def integrator(provinces: list[str], scopes: tuple[str, ...]) -> str:
            return keys.create("matrix", roles=["integrator"], provinces=provinces, scopes=scopes)[
                1
            ]

        integrators = {
            "integrator": integrator([HOME], SCOPES),
            "integrator elsewhere": integrator([ELSEWHERE], SCOPES),
            "integrator without scopes": integrator([HOME], ()),
        }
    return {
        "anonymous": None,
        "producer": token("p", roles=["producer"], producer_ids=[records.producer]),
        "another producer": token("p2", roles=["producer"], producer_ids=["someone-else"]),
        "commune officer": token(
            "c", roles=["commune_officer"], provinces=[HOME], wards=[records.ward]
        ),
        "another commune's officer": token(
            "c2", roles=["commune_officer"], provinces=[HOME], wards=["00001"]
        ),
        "province officer": token("o", roles=["province_officer"], provinces=[HOME]),
        "another province's officer": token(
            "o2", roles=["province_officer"], provinces=[ELSEWHERE]
        ),
        "council member": token("m", roles=["council_member"], member_id=MEMBER),
        "member of no such council": token("m9", roles=["council_member"], member_id=OUTSIDER),
        "central officer": token("t", roles=["central_officer"]),
        **integrators,
        "auditor": token("a", roles=["auditor"]),
        "operator": token("ops", roles=["operator"]),
    }
