"""The demo's evaluation batches (đợt): each province's đợt 1 of this year, open all year,
opened the first time a product of the province sends its dossier (a later run finds it)."""

from __future__ import annotations

from datetime import date

from shared.devstack.demo_api import Api

NUMBER = 1


def batch_for(api: Api, province_code: str) -> str:
    """The id of the province's demo batch, opened now if no earlier run opened it."""
    year = date.today().year
    found = api.get("registration", "/batches", province_code=province_code, year=year)
    for batch in found:
        if batch["number"] == NUMBER:
            return str(batch["id"])
    body = {
        "province_code": province_code,
        "year": year,
        "number": NUMBER,
        "name": f"Đợt {NUMBER} năm {year}",
        "opens_on": f"{year}-01-01",
        "closes_on": f"{year}-12-31",
    }
    return str(api.post("registration", "/batches", body)["id"])
