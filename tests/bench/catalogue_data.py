"""The catalogue bench's data: N producers' products and certificates as the CloudEvents
registration and certification would publish (three events a product, a producer every
third), and the mix of public catalogue queries that is timed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

PROVINCES = ["19", "44", "46", "82", "42", "15", "01", "79"]
WORDS = [
    "Chè",
    "Shan",
    "tuyết",
    "Mật",
    "ong",
    "Gạo",
    "nếp",
    "Rượu",
    "Trà",
    "Cà",
    "phê",
    "Miến",
    "dong",
    "Bưởi",
    "Cam",
    "Nước",
    "mắm",
    "Bánh",
    "Kẹo",
    "Dừa",
    "Xoài",
    "Sâm",
    "Tinh",
    "dầu",
    "Quế",
    "Hồi",
]
QUERIES: list[dict[str, Any]] = [
    {},
    {"province_code": "19"},
    {"stars": 4},
    {"min_stars": 4, "group": "food"},
    {"q": "che shan"},
    {"q": "mat ong", "province_code": "44"},
    {"sort": "stars"},
    {"sort": "newest"},
    {"producer_kind": "htx"},
]


def events(n: int) -> list[tuple[str, str, dict]]:
    today, out = date.today(), []
    for i in range(n):
        producer_id, product_id, province = (
            f"pr{i // 3}",
            f"p{i:06d}",
            PROVINCES[i % len(PROVINCES)],
        )
        name = " ".join(random.sample(WORDS, 3))
        if i % 3 == 0:
            out.append(
                (
                    "registration",
                    "producer.registered",
                    {
                        "producer_id": producer_id,
                        "name": f"HTX {name}",
                        "kind": ["htx", "enterprise", "household"][i % 3 and (i // 3) % 3],
                        "women_led": i % 2 == 0,
                        "address": {
                            "province_code": province,
                            "province_name": "x",
                            "ward_code": f"{i % 900:05d}",
                            "ward_name": f"Xã {i % 900}",
                            "latitude": 20.0,
                            "longitude": 105.0,
                        },
                    },
                )
            )
        out.append(
            (
                "registration",
                "product.registered",
                {
                    "product_id": product_id,
                    "producer_id": producer_id,
                    "name": name,
                    "group": ["food", "drinks", "herbs"][i % 3],
                    "province_code": province,
                    "ward_code": f"{i % 900:05d}",
                },
            )
        )
        out.append(
            (
                "certification",
                "certificate.issued",
                {
                    "certificate_number": f"OCOP-{province}-2026-{i:06d}",
                    "product_id": product_id,
                    "producer_id": producer_id,
                    "product_name": name,
                    "group": ["food", "drinks", "herbs"][i % 3],
                    "province_code": province,
                    "stars": 3 + i % 3 // 2,
                    "level": "province",
                    "total": 70.0,
                    "criteria_set": "148-2023",
                    "evaluation_id": f"e{i}",
                    "issued_on": str(today - timedelta(days=i % 700)),
                    "expires_on": str(today + timedelta(days=900)),
                },
            )
        )
    return out
