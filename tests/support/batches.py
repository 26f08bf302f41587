"""The evaluation batch (đợt) test flows send their dossiers in: the province's đợt 1 of this
year, open all year. Whoever opens it first makes it; everyone after is told it is taken
(409) and finds it in the list, so every flow of a session shares one batch a province."""

from __future__ import annotations

from datetime import date

import requests

NUMBER = 1


def batch_body(province_code: str, today: date | None = None, **overrides: object) -> dict:
    year = (today or date.today()).year
    return {
        "province_code": province_code,
        "year": year,
        "number": NUMBER,
        "name": f"Đợt {NUMBER} năm {year}",
        "opens_on": f"{year}-01-01",
        "closes_on": f"{year}-12-31",
        **overrides,
    }


def open_batch(http: requests.Session, registration_api: str, province_code: str) -> str:
    """The id of the province's batch of this year, opened now or before."""
    body = batch_body(province_code)
    opened = http.post(f"{registration_api}/batches", json=body, timeout=30)
    if opened.status_code == 201:
        return str(opened.json()["id"])
    assert opened.status_code == 409, opened.text  # already open: the number is taken
    return found_batch(http, registration_api, province_code, body["year"])


def found_batch(
    http: requests.Session, registration_api: str, province_code: str, year: int
) -> str:
    listed = http.get(
        f"{registration_api}/batches",
        params={"province_code": province_code, "year": year},
        timeout=30,
    )
    assert listed.status_code == 200, listed.text
    return str(next(b["id"] for b in listed.json() if b["number"] == NUMBER))
