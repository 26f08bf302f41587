"""The commune's assessment and the province's opening as their officers send them
(Decision 1489/QĐ-TTg), for tests that take a dossier to its council."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ITEMS = ("local_raw_materials", "local_labour", "product_idea_origin", "local_identity")


def assessment(
    verdict: str = "propose", reasons: tuple[str, ...] = (), officer_id: str | None = None, **items
) -> dict[str, Any]:
    """Every item met unless `items` says otherwise (`local_labour=False`)."""
    body: dict[str, Any] = {
        "items": {code: {"met": items.get(code, True), "note": ""} for code in ITEMS},
        "report": "Xã đã đánh giá bốn nội dung của hồ sơ.",
        "verdict": verdict,
        "reasons": list(reasons),
    }
    return {**body, "officer_id": officer_id} if officer_id else body


def opening(open_round: bool = True, reasons: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"open": open_round, "reasons": list(reasons)}


def assess_and_open(
    post: Callable[..., Any],
    round_url: str,
    commune: dict | None = None,
    province: dict | None = None,
) -> dict[str, Any]:
    """The commune proposes the dossier, the province opens its round: the round, open."""
    proposed = post(f"{round_url}/assessment", json=assessment(), **(commune or {}))
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["status"] == "awaiting_opening", proposed.text
    opened = post(f"{round_url}/opening", json=opening(), **(province or {}))
    assert opened.status_code == 200 and opened.json()["status"] == "open", opened.text
    return opened.json()
