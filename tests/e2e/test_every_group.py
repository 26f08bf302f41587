"""A product of each of the six groups, on its own product set's sheet, from dossier to
catalogue; the expected total and stars are computed here from the sheet file itself, not
from what the API serves."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import requests
import yaml

from tests.support.assessment import assess_and_open
from tests.support.batches import open_batch
from tests.support.certifying import recognise
from tests.support.waiting import eventually

DATA = Path(__file__).parents[2] / "services" / "scoring" / "data"
PLACE = "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn"  # Thái Nguyên (19) today
BANDS = {3: 50, 4: 70, 5: 90}  # criteria-sets.yaml, 148-2023 star_bands (checked below)

# One product set (sub-group) of each group, Decision 148 Phụ lục I.
PRODUCTS = [
    ("food", "gao-ngu-coc-hat-so-che", "Gạo nếp cái hoa vàng Đông Triều"),
    ("drinks", "ruou-trang", "Rượu ngô men lá Bản Phố"),
    ("herbs", "my-pham-tu-thao-duoc", "Dầu gội bồ kết Thanh Hà"),
    ("handicrafts", "thu-cong-my-nghe-gia-dung-trang-tri", "Nón lá Tây Hồ"),
    ("ornamental", "cay-canh", "Bonsai sam hương Vĩnh Châu"),
    ("tourism", "du-lich-cong-dong-sinh-thai-diem-du-lich", "Du lịch cộng đồng Pác Ngòi"),
]


def sheet_file(subgroup: str) -> list[dict]:
    """The sheet's criteria as the data file states them: code, options (points, and the
    star level an option or the criterion's heading is marked with)."""
    index = yaml.safe_load((DATA / "criteria-sets.yaml").read_text("utf-8"))
    set_148 = next(each for each in index["sets"] if each["code"] == "148-2023")
    bands = {band["stars"]: band["min"] for band in set_148["star_bands"]["bands"]}
    assert {stars: bands[stars] for stars in BANDS} == BANDS
    entry = next(each for each in set_148["sheets"] if each["subgroup"] == subgroup)
    raw = yaml.safe_load((DATA / entry["file"]).read_text("utf-8"))
    criteria = []
    for part in raw["parts"]:
        for section in part["sections"]:
            for criterion in section["criteria"]:
                points = [option["points"] for option in criterion["options"]]
                minimum = {  # stars -> points needed
                    option["min_for_stars"]: option["points"]
                    for option in criterion["options"]
                    if "min_for_stars" in option
                }
                if "heading_star_marker" in criterion:
                    minimum[len(criterion["heading_star_marker"])] = min(points)
                criteria.append({"code": criterion["code"], "points": points, "min": minimum})
    return criteria


def aim_at_four_stars(criteria: list[dict]) -> tuple[dict[str, int], float]:
    """Option positions (0-based, in the file's order) and their total: the best option
    everywhere, then criteria lowered to their 4-star minimum (or lowest option) one by one
    until the total falls under 90."""
    chosen = {c["code"]: c["points"].index(max(c["points"])) for c in criteria}

    def total() -> float:
        return sum(c["points"][chosen[c["code"]]] for c in criteria)

    for criterion in criteria:
        if total() < BANDS[5]:
            break
        floor = max((need for stars, need in criterion["min"].items() if stars <= 4), default=0)
        allowed = [p for p in criterion["points"] if p >= floor] or criterion["points"]
        chosen[criterion["code"]] = criterion["points"].index(min(allowed))
    assert BANDS[4] <= total() < BANDS[5], "the sheet leaves room for a 4-star result"
    return chosen, total()


@pytest.fixture(scope="module")
def http(platform):
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {platform.key}"
        yield session


def scored(platform, http, group: str, subgroup: str, name: str) -> tuple[dict, dict, float]:
    """A product registered, its dossier sent and every member's sheet submitted, aiming at
    4 stars; returns the product, its open round and the total the sheet file gives."""
    reg, sco = platform.api("registration"), platform.api("scoring")
    criteria = sheet_file(subgroup)
    chosen, expected_total = aim_at_four_stars(criteria)
    producer = http.post(
        f"{reg}/producers",
        json={"name": f"HTX {name}", "kind": "htx", "women_led": False, "legacy_address": PLACE},
    )
    assert producer.status_code == 201, producer.text
    product = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer.json()["id"],
            "name": name,
            "group": group,
            "subgroup": subgroup,
        },
    ).json()
    evidence = [{"kind": "label", "filename": "nhan.pdf", "sha256": "cd" * 32}]
    dossier = http.post(
        f"{reg}/products/{product['id']}/dossiers",
        json={
            "batch_id": open_batch(http, reg, "19"),
            "year": date.today().year,
            "evidence": evidence,
        },
    )
    assert dossier.status_code == 201, dossier.text
    evaluation = eventually(
        lambda: http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
    )[0]
    assert evaluation["sheet_id"] == f"148-2023/{subgroup}"
    assess_and_open(http.post, f"{sco}/evaluations/{evaluation['id']}")
    sheet = http.get(f"{sco}/evaluations/{evaluation['id']}/sheet").json()
    assert (sheet["group"], sheet["subgroup"]) == (group, subgroup)
    served = {c["code"]: c for part in sheet["parts"] for c in part["criteria"]}
    assert set(served) == {c["code"] for c in criteria}
    answers = {code: served[code]["options"][index]["code"] for code, index in chosen.items()}
    for member in evaluation["members"]:
        response = http.post(
            f"{sco}/evaluations/{evaluation['id']}/scoresheets",
            json={"member_id": member, "answers": answers},
        )
        assert response.status_code == 201, response.text
    return product, evaluation, expected_total


@pytest.mark.parametrize(("group", "subgroup", "name"), PRODUCTS, ids=[p[0] for p in PRODUCTS])
def test_a_product_of_each_group_is_scored_on_its_own_sheet_and_listed(
    platform, http, group, subgroup, name
):
    sco, cer, tra = (platform.api(s) for s in ("scoring", "certification", "trade_promotion"))
    product, evaluation, expected_total = scored(platform, http, group, subgroup, name)
    outcome = http.post(f"{sco}/evaluations/{evaluation['id']}/close", json={}).json()
    assert (outcome["kind"], outcome["stars"]) == ("ranked", 4), outcome
    assert outcome["total"] == pytest.approx(expected_total)
    recognise(http, cer, [evaluation["id"]])
    certificate = eventually(
        lambda: http.get(f"{cer}/certificates", params={"product_id": product["id"]}).json()
    )[0]
    assert certificate["sheet"]["id"] == f"148-2023/{subgroup}"
    assert certificate["sheet"]["provisional"] is True  # third-party transcription
    listed = eventually(
        lambda: [
            item
            for item in http.get(f"{tra}/catalogue", params={"group": group, "q": name}).json()[
                "items"
            ]
            if item["product_id"] == product["id"]
        ]
    )[0]
    assert (listed["stars"], listed["subgroup"]) == (4, subgroup)
    assert listed["sheet"]["id"] == f"148-2023/{subgroup}"
    page = requests.get(f"{platform.urls['trade_promotion']}/products/{product['id']}", timeout=10)
    assert certificate["sheet"]["title"] in page.text and "phiếu tạm thời" in page.text


def test_a_disqualification_rule_of_the_sheet_leaves_the_product_unranked(platform, http):
    """Nón lá scored at 4 stars, but the council finds it infringes intellectual property:
    the handicraft sheet's own rule ("Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ")."""
    sco = platform.api("scoring")
    subgroup = "thu-cong-my-nghe-gia-dung-trang-tri"
    product, evaluation, _ = scored(platform, http, "handicrafts", subgroup, "Nón bài thơ Huế")
    close = f"{sco}/evaluations/{evaluation['id']}/close"
    unknown = http.post(close, json={"disqualified": ["attp"]})  # a food rule, not this sheet's
    assert unknown.status_code == 422
    assert "disqualified" in unknown.json()["fields"]
    outcome = http.post(close, json={"disqualified": ["so-huu-tri-tue"]}).json()
    assert (outcome["kind"], outcome["stars"]) == ("not_ranked", None)
    assert [rule["code"] for rule in outcome["disqualified_by"]] == ["so-huu-tri-tue"]
    announced = platform.tap.wait_for(
        lambda m: (
            m["routing_key"] == "product.not_ranked"
            and m["body"]["data"]["product_id"] == product["id"]
        )
    )
    assert len(announced) == 1, "product.not_ranked was not published"
    assert announced[0]["body"]["type"].endswith("product.not_ranked.v2")
    assert announced[0]["body"]["data"]["reason"] == "disqualified"


def test_a_product_without_its_product_set_is_refused_naming_the_codes(platform, http):
    reg = platform.api("registration")
    producer = http.post(
        f"{reg}/producers",
        json={
            "name": "HTX Mây tre đan Phú Vinh",
            "kind": "htx",
            "women_led": True,
            "legacy_address": PLACE,
        },
    ).json()
    response = http.post(
        f"{reg}/products",
        json={"producer_id": producer["id"], "name": "Giỏ mây Phú Vinh", "group": "handicrafts"},
    )
    assert response.status_code == 422
    assert "subgroup" in response.text
    assert "thu-cong-my-nghe-gia-dung-trang-tri" in response.text
    assert "vai-may-mac" in response.text


def test_a_broken_sheet_stops_the_scoring_service_naming_file_and_criterion(
    bus, store_uri, tmp_path
):
    """The data of a sheet that does not add up never reaches a council: the service
    process refuses to start and its log says which file and which criterion."""
    from shared.devstack.processes import free_port, start_service

    data = tmp_path / "criteria"
    shutil.copytree(DATA, data)
    broken = data / "148-2023" / "hoa.yaml"
    raw = yaml.safe_load(broken.read_text("utf-8"))
    raw["parts"][0]["sections"][0]["criteria"][0]["options"][-1]["points"] = 4  # 1.a: 5 -> 4
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    env = {
        **bus.env(),
        "MONGO_URI": store_uri,
        "CRITERIA_DIR": str(data),
        "SCORING_HTTP": f"127.0.0.1:{free_port()}",
    }
    log = tmp_path / "scoring.log"
    process = start_service("scoring", env, log)
    try:
        exit_code = process.popen.wait(timeout=60)  # a service that keeps running fails here
    finally:
        if process.popen.poll() is None:
            process.popen.kill()
    assert exit_code != 0
    text = log.read_text("utf-8", errors="replace")
    assert "hoa.yaml" in text and "1.a: best option 4 != stated 5" in text, text[-2000:]


def test_a_record_without_its_product_set_waits_until_an_officer_sets_it(platform, http):
    """An imported record names no sub-group: its round waits, saying why, and opens on the
    right sheet once the province officer sets the sub-group (`product.classified`)."""
    reg, sco = platform.api("registration"), platform.api("scoring")
    producer = http.post(
        f"{reg}/producers",
        json={"name": "HTX Hoa Tây Tựu", "kind": "htx", "women_led": True, "legacy_address": PLACE},
    ).json()
    product = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer["id"],
            "name": "Hoa cúc Tây Tựu",
            "group": "ornamental",
            "imported": True,
        },
    ).json()
    assert product["subgroup"] is None
    evidence = [{"kind": "label", "filename": "nhan.pdf", "sha256": "ef" * 32}]
    http.post(
        f"{reg}/products/{product['id']}/dossiers",
        json={
            "batch_id": open_batch(http, reg, "19"),
            "year": date.today().year,
            "evidence": evidence,
        },
    ).raise_for_status()
    waiting = eventually(
        lambda: http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
    )[0]
    assert (waiting["status"], waiting["sheet_id"]) == ("awaiting_sheet", None)
    assert waiting["waiting"]["waiting_for"] == "subgroup"
    assert "hoa" in waiting["waiting"]["reason"] and "cay-canh" in waiting["waiting"]["reason"]
    assert http.get(f"{sco}/evaluations/{waiting['id']}/sheet").status_code == 409
    classified = http.put(
        f"{reg}/products/{product['id']}/subgroup",
        json={"subgroup": "hoa"},
        headers={"Idempotency-Key": f"classify-{product['id']}"},
    )
    assert classified.status_code == 200, classified.text
    opened = eventually(
        lambda: [
            each
            for each in http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
            if each["status"] != "awaiting_sheet"
        ]
    )[0]
    assert (opened["id"], opened["sheet_id"]) == (waiting["id"], "148-2023/hoa")
    assert opened["status"] == "awaiting_assessment"
