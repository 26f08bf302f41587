"""`GET /health`: 200 when the instance can reach its database and broker, else 503."""

from __future__ import annotations

from shared.health import Probe


def health_response(probe: Probe) -> tuple[int, dict]:
    checks = probe.checks()
    healthy = all(result == "ok" for result in checks.values())
    return (200 if healthy else 503), {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
    }
