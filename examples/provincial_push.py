#!/usr/bin/env python3
"""Push a province's producers, products and dossiers from a CSV file to the platform.

    OCOP_API_KEY=ocop_... python examples/provincial_push.py producers.csv \
        --registration http://127.0.0.1:8001 --batch <batch id>

The key is the province's API key (scope `registration:write`, its province only); it goes
in `Authorization: Bearer <key>` on every request. Dossiers go into the evaluation batch
(đợt) `--batch` names (GET /api/v1/batches?province_code=..., readable without a key), or,
without it, into the province's one batch open today; a key with scope `batches:write`
opens one (POST /api/v1/batches).

Columns: row, producer_name, producer_kind (htx|enterprise|household|coop_group), women_led
(yes/no), tax_code, province_code, ward_code, legacy_address, product_name, group, subgroup,
dossier_year, evidence (file names separated by `;`). A producer on several rows (same tax
code, or same name) is registered once.

Every POST carries an `Idempotency-Key` derived from the row, so running the file again, or
retrying after a timeout, never creates a second record: the platform answers with the
first one. Connection errors, 429 and 5xx are retried with growing waits; 4xx answers are
reported with the row and the fields at fault. Needs only `requests`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import time
from typing import Any

import requests

RETRIED = {429, 500, 502, 503, 504}


def post(
    session: requests.Session, url: str, body: dict[str, Any], key: str, attempts: int = 6
) -> dict[str, Any]:
    """POST with an idempotency key, retrying what may succeed later."""
    for attempt in range(attempts):
        try:
            response = session.post(url, json=body, headers={"Idempotency-Key": key}, timeout=30)
        except requests.ConnectionError:
            response = None
        if response is not None and response.status_code not in RETRIED:
            if response.status_code >= 400:
                raise RowError(response.json())
            return response.json()
        time.sleep(min(0.5 * 2**attempt, 10))
    raise RowError({"error": f"no answer from {url} after {attempts} attempts", "fields": {}})


class RowError(Exception):
    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(answer.get("error"))
        self.answer = answer


def producer_body(row: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": row["producer_name"],
        "kind": row["producer_kind"],
        "women_led": row["women_led"].strip().lower() in ("yes", "true", "1", "có"),
    }
    if row.get("tax_code"):
        body["tax_code"] = row["tax_code"]
    if row.get("legacy_address"):
        body["legacy_address"] = row["legacy_address"]
    else:
        body["address"] = {"province_code": row["province_code"], "ward_code": row["ward_code"]}
    return body


def push_row(
    session: requests.Session,
    base: str,
    row: dict[str, str],
    producers: dict[str, str],
    batch_id: str | None = None,
) -> str:
    who = row.get("tax_code") or row["producer_name"]
    if who not in producers:
        producers[who] = post(
            session, f"{base}/api/v1/producers", producer_body(row), f"producer:{who}"
        )["id"]
    product = post(
        session,
        f"{base}/api/v1/products",
        {
            "producer_id": producers[who],
            "name": row["product_name"],
            "group": row["group"],
            **({"subgroup": row["subgroup"]} if row.get("subgroup") else {}),
        },
        f"product:{row['row']}",
    )
    if row.get("dossier_year"):
        evidence = [
            {
                "kind": "other",
                "filename": name.strip(),
                "sha256": hashlib.sha256(name.encode()).hexdigest(),
            }
            for name in row.get("evidence", "").split(";")
            if name.strip()
        ]
        post(
            session,
            f"{base}/api/v1/products/{product['id']}/dossiers",
            {
                "year": int(row["dossier_year"]),
                "evidence": evidence,
                **({"batch_id": batch_id} if batch_id else {}),
            },
            f"dossier:{row['row']}",
        )
    return str(product["id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("csv_file")
    parser.add_argument("--registration", default="http://127.0.0.1:8001")
    parser.add_argument("--batch", help="the evaluation batch (đợt) the dossiers go into")
    args = parser.parse_args()
    producers: dict[str, str] = {}
    failed = 0
    key = os.environ.get("OCOP_API_KEY", "")
    if not key:
        print("OCOP_API_KEY: set it to the province's API key", file=sys.stderr)
        return 2
    with requests.Session() as session, open(args.csv_file, newline="", encoding="utf-8") as handle:
        session.headers["Authorization"] = f"Bearer {key}"
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                product = push_row(session, args.registration, row, producers, args.batch)
                print(f"line {line}: product {product}")
            except RowError as problem:
                failed += 1
                answer = problem.answer
                print(
                    f"line {line}: {answer.get('error')} {answer.get('fields', {})}",
                    file=sys.stderr,
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
