"""`python -m tests.contract.snapshot`: record today's contract (event and HTTP schemas).

Run it after an additive change, or after bumping an event's version for a breaking one;
`tests/contract/test_compatibility.py` compares the code with these files.
"""

from __future__ import annotations

import json
from pathlib import Path

from cli.docs import SERVICES
from shared.events.registry import ALL_EVENTS
from shared.web import openapi

HERE = Path(__file__).parent / "snapshots"


def event_schemas() -> dict[str, dict]:
    return {
        model.cloudevents_type(): model.model_json_schema(mode="serialization")
        for model in ALL_EVENTS
    }


def http_schemas() -> dict[str, dict]:
    return {service.name: openapi.document(service) for service in SERVICES}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "events.json").write_text(
        json.dumps(event_schemas(), ensure_ascii=False, indent=1, sort_keys=True)
    )
    for name, doc in http_schemas().items():
        (HERE / f"http-{name}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
        )
    print(f"snapshots written to {HERE}")


if __name__ == "__main__":
    main()
