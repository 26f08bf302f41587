"""`make demo`: a small, realistic OCOP data set pushed through the real pipeline over HTTP.

Why: after `make run` the catalogue, map and statistics are empty, and an empty page teaches
a newcomer little. Seventeen products walk every step a real one takes (dossier, the commune's
pre-check, three council members' sheets, close, the authority's signed decision recognising
the results (one per province, one of the ministry), certificate, catalogue, fair invitation)
through the public APIs only, so what the pages show was made by the services' own events.
One product misses a 3-star minimum; one reaches 5 stars and goes to the central council.
Products whose sheet scoring does not use (withheld: its points do not add up) are not
scored on another one: their rounds wait (`awaiting_sheet`), and the demo says so and why.
A second run finds the demo's sales point and adds nothing; a run cut short leaves none,
so the next run loads a fresh copy.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date, timedelta
from functools import partial

from shared.devstack.credentials import local_key
from shared.devstack.demo_answers import answers_for
from shared.devstack.demo_api import Api, DemoError, Json, wait_for
from shared.devstack.demo_batches import batch_for
from shared.devstack.demo_data import (
    CARRIED,
    EVIDENCE,
    FAIR,
    SALES_POINT,
    Product,
    products,
)
from shared.devstack.demo_decisions import decide_all
from shared.devstack.processes import SERVICES

# the commune's assessment: the items of services/scoring/data/commune-assessment.yaml
ITEMS = ("local_raw_materials", "local_labour", "product_idea_origin", "local_identity")
ASSESSED = {
    "officer_id": "can-bo-xa",
    "items": {code: {"met": True, "note": ""} for code in ITEMS},
    "report": "Xã đã đánh giá hồ sơ: đạt cả bốn nội dung, đề xuất tỉnh đánh giá.",
    "verdict": "propose",
}


def score_round(api: Api, evaluation: Json, stars: int, spread: int) -> Json:
    """The commune's assessment and the province's opening (rounds of a dossier), each
    member's sheet, then the chair closes."""
    path = f"/evaluations/{evaluation['id']}"
    if evaluation["status"] == "awaiting_assessment":
        api.post("scoring", f"{path}/assessment", ASSESSED)
        api.post("scoring", f"{path}/opening", {"open": True})
    sheet = api.get("scoring", f"{path}/sheet")
    for index, member in enumerate(evaluation["members"]):
        answers = answers_for(sheet, stars, spread + 2 * index)
        api.post("scoring", f"{path}/scoresheets", {"member_id": member, "answers": answers})
    return api.post("scoring", f"{path}/close", {"closed_by": evaluation["members"][0]})


def register(api: Api, producers: dict[str, Json], product: Product, index: int) -> str:
    """The product (its producer the first time) and a dossier of one to three documents,
    in its province's batch."""
    if product.producer not in producers:
        body = {"name": product.producer, "kind": product.kind, "women_led": product.women_led}
        province, _, ward = product.where.partition(" ")
        if province.isdigit():
            body["address"] = {"province_code": province, "ward_code": ward}
        else:
            body["legacy_address"] = product.where
        producers[product.producer] = api.post("registration", "/producers", body)
    body = {"producer_id": producers[product.producer]["id"], "name": product.name}
    body |= {"group": product.group, "subgroup": product.subgroup}
    made = api.post("registration", "/products", body)
    sent = dossier(index) | {"batch_id": batch_for(api, made["province_code"])}
    api.post("registration", f"/products/{made['id']}/dossiers", sent)
    return str(made["id"])


def dossier(index: int) -> Json:
    """One to three documents; the demo uploads no files, so the hash is of the name."""
    evidence = []
    for kind, name in list(EVIDENCE.items())[: 1 + index % 3]:
        filename = f"{name}-{index + 1:02d}.pdf"
        digest = hashlib.sha256(filename.encode()).hexdigest()
        evidence.append({"kind": kind, "filename": filename, "sha256": digest})
    return {"year": date.today().year, "evidence": evidence}


def score(api: Api, producers: dict[str, Json], product: Product, index: int) -> Json:
    """One product from registration to its council's result (its certificate comes with
    the decision: `recognise_all`), or to its round waiting for a sheet (`waiting` says why;
    nothing is scored then)."""
    product_id = register(api, producers, product, index)
    new_round = partial(rounds, api, product_id, "new")
    evaluation = wait_for(new_round, f"scoring to open {product.name}'s round")
    place = producers[product.producer]["address"]["province_name"]
    found = {"id": product_id, "product": product, "place": place, "cert": None}
    if evaluation[0]["status"] == "awaiting_sheet":
        return {**found, "kind": "waiting", "waiting": evaluation[0]["waiting"]}
    outcome = score_round(api, evaluation[0], product.stars, 3 * (index % 4))
    evaluation_id = evaluation[0]["id"]
    if outcome["kind"] == "escalated":
        central = wait_for(partial(rounds, api, product_id, "central"), "the central round")
        outcome = score_round(api, central[0], product.stars, 0)
        evaluation_id = central[0]["id"]
    return {**found, **outcome, "evaluation_id": evaluation_id}


def recognise_all(api: Api, results: list[Json]) -> list[Json]:
    """Once the ranked results wait as proposals, the authorities decide; each ranked
    product's certificate (its best valid one) lands in `cert`."""
    ranked = {r["evaluation_id"] for r in results if r["kind"] == "ranked"}
    wait_for(partial(proposed, api, ranked), "certification to propose the ranked results")
    decisions = decide_all(api)
    for result in results:
        if result["kind"] == "ranked":
            result["cert"] = wait_for(partial(best_certificate, api, result), "its certificate")
    return decisions


def proposed(api: Api, evaluation_ids: set[str]) -> bool:
    return evaluation_ids <= {p["evaluation_id"] for p in api.get("certification", "/proposals")}


def best_certificate(api: Api, result: Json) -> Json | None:
    found = api.get("certification", "/certificates", product_id=result["id"])
    valid = [each for each in found if each["status"] == "valid"]
    best = max(valid, key=lambda each: each["stars"], default=None)
    return best if best is not None and best["stars"] == result["stars"] else None


def rounds(api: Api, product_id: str, kind: str) -> list[Json]:
    found = api.get("scoring", "/evaluations", product_id=product_id)
    return [evaluation for evaluation in found if evaluation["kind"] == kind]


def progress(result: Json) -> str:
    """Stars, product, province, the council's average and the certificate number; or that
    the product's round waits, and why."""
    name, place = result["product"].name, result["place"]
    if result["kind"] == "waiting":
        why = result["waiting"]["reason"]
        return f"  {'…':<5} {name:<27} {place:<15} {'':5}  not scored, its round waits: {why}"
    failed = ", ".join(each["criterion"] for each in result["failed_criteria"])
    stars, note = "–", f"not ranked, as meant: {failed} below its 3-star minimum"
    if result["cert"]:
        stars, note = "★" * result["stars"], result["cert"]["number"]
    return f"  {stars:<5} {name:<27} {place:<15} {result['total']:5.1f}  {note}"


def create_fair(api: Api) -> Json:
    """Created before any certificate, so each product listed afterwards is invited."""
    starts = date.today() + timedelta(days=45)
    dates = {"starts_on": str(starts), "ends_on": str(starts + timedelta(days=4))}
    name = f"Hội chợ OCOP khu vực Bắc Trung Bộ {starts.year}"
    body = {"name": name, **dates, **FAIR, "provinces": ["42", "44", "46"], "capacity": 20}
    return api.post("trade_promotion", "/trade-fairs", body | {"min_stars": 3})


def open_sales_point(api: Api, results: list[Json]) -> Json:
    """A counter at a tourist site carrying three products, each once it is listed."""
    body = {"name": SALES_POINT, "kind": "tourist_site", "street": "23 Tháng 8"}
    body |= {"operator": "Trung tâm Bảo tồn Di tích Cố đô Huế", "province_code": "46"}
    body |= {"ward_code": "19768"}  # Phường Phú Xuân, where the citadel stands
    point = api.post("trade_promotion", "/sales-points", body)
    for result in (r for r in results if r["product"].name in CARRIED):
        wait_for(partial(listed, api, result), f"{result['product'].name} in the catalogue")
        carry = {"product_id": result["id"]}
        point = api.post("trade_promotion", f"/sales-points/{point['id']}/products", carry)
    return point


def listed(api: Api, result: Json) -> bool:
    page = api.get("trade_promotion", "/catalogue", q=result["product"].name)
    return result["id"] in {item["product_id"] for item in page["items"]}


def accept_one(api: Api, fair: Json) -> list[Json]:
    """Invitations went out as products were listed; a producer takes a booth."""
    path = f"/trade-fairs/{fair['id']}/invitations"
    invitations = wait_for(lambda: api.get("trade_promotion", path), "the fair's invitations")
    api.post("trade_promotion", f"/invitations/{invitations[0]['id']}/accept", {})
    return list(invitations)


def load(api: Api, started: float) -> int:
    """Everything, unless the demo's sales point already carries products (a finished run)."""
    for service in api.base:
        api.call("GET", service, "/health")
    points = [p for p in api.get("trade_promotion", "/sales-points") if p["name"] == SALES_POINT]
    if points and points[0]["products"]:
        print(f"The demo data is already loaded ({SALES_POINT} exists); nothing added.")
        carried = {"product_id": points[0]["products"][0]}
        return print_urls(api, api.get("certification", "/certificates", **carried)[0]["number"])
    fair = create_fair(api)
    print(f"Trade fair {fair['name']!r} created; listed products will be invited.")
    producers: dict[str, Json] = {}
    results = []
    for index, product in enumerate(products()):
        results.append(score(api, producers, product, index))
    decisions = recognise_all(api, results)
    print(f"{len(decisions)} decisions recorded: " + ", ".join(d["number"] for d in decisions))
    for result in results:
        print(progress(result), flush=True)
    point, invited = open_sales_point(api, results), accept_one(api, fair)
    certified = [r["cert"] for r in results if r["cert"]]
    waiting = [r for r in results if r["kind"] == "waiting"]
    print(
        f"{len(certified)} of {len(results)} products certified, {len(waiting)} waiting for "
        f"their sheet (not scored), {len(producers)} producers, {len(invited)} invitations "
        f"(one accepted), {len(point['products'])} products at the sales point. "
        f"Done in {time.monotonic() - started:.1f}s."
    )
    return print_urls(api, max(certified, key=lambda c: c["stars"])["number"])


def print_urls(api: Api, number: str) -> int:
    tra, cer, sco = (api.base[name] for name in ("trade_promotion", "certification", "scoring"))
    print(f"Open:\n  catalogue      {tra}/catalogue\n  map            {tra}/map")
    print(f"  statistics     {tra}/stats\n  verification   {cer}/verify/{number}")
    print(f"  phone scoring  {sco}/sign-in (paste var/dev-api-key), then /score?member=member-1")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load sample OCOP data through the real API.")
    parser.add_argument("--base-host", default="127.0.0.1")
    for name, port in SERVICES.items():
        parser.add_argument(f"--{name.replace('_', '-')}-port", type=int, default=port)
    parser.add_argument("--api-key", default=None, help="default: OCOP_API_KEY or var/dev-api-key")
    args = parser.parse_args(argv)
    key = args.api_key or local_key()
    if not key:
        print("No API key: start the platform with `make run` (it writes var/dev-api-key).")
        return 1
    api = Api(args.base_host, {name: getattr(args, f"{name}_port") for name in SERVICES}, key)
    try:
        return load(api, time.monotonic())
    except DemoError as problem:
        print(problem)
        return 1


if __name__ == "__main__":
    sys.exit(main())
