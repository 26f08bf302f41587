"""`python -m shared.events`: print the JSON Schema of every event payload, by type."""

import json

from shared.events.registry import ALL_EVENTS

if __name__ == "__main__":
    schemas = {
        model.cloudevents_type(): {
            "exchange": model.exchange(),
            "routing_key": model.event_type,
            "source": model.source(),
            "data": model.model_json_schema(),
        }
        for model in ALL_EVENTS
    }
    print(json.dumps(schemas, ensure_ascii=False, indent=2))
