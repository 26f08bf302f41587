"""The demo's decisions: once the councils have scored, each competent authority (a
province's People's Committee, the ministry for 5 stars) signs one decision recognising the
results waiting for it, as an office does for an evaluation batch."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from shared.clock import VIETNAM
from shared.devstack.demo_api import Api, Json

SIGNERS = {
    "province": ("Phó Chủ tịch Ủy ban nhân dân tỉnh", "QĐ-UBND"),
    "central": ("Thứ trưởng Bộ Nông nghiệp và Môi trường", "QĐ-BNNMT"),
}


def decide_all(api: Api, first_number: int = 1) -> list[Json]:
    """One decision per authority for every result waiting; the recorded decisions."""
    waiting: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for proposal in api.get("certification", "/proposals", status="pending"):
        if proposal["action"] != "recognise":
            continue
        level = proposal["level"]
        province = proposal["province_code"] if level == "province" else None
        waiting[(level, province)].append(proposal["evaluation_id"])
    recorded = []
    for number, ((level, province), evaluation_ids) in enumerate(
        sorted(waiting.items(), key=lambda item: (item[0][0], item[0][1] or "")), first_number
    ):
        title, suffix = SIGNERS[level]
        body: Json = {
            "number": f"{number:03d}/{suffix}",
            "signed_on": datetime.now(VIETNAM).date().isoformat(),
            "signer": "Nguyễn Văn Minh",
            "signer_title": title,
            "level": level,
            "evaluation_ids": evaluation_ids,
            "document": {"url": f"https://vanban.example.gov.vn/ocop/{number:03d}.pdf"},
        }
        if province is not None:
            body["province_code"] = province
        recorded.append(api.post("certification", "/decisions", body))
    return recorded
