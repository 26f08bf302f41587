"""`GET /health`: 200 when the instance can reach its database and broker, else 503."""

from __future__ import annotations

from shared.health import Probe


def health_response(probe: Probe) -> tuple[int, dict]:
    checks = probe.checks()
    failing = {name: result for name, result in checks.items() if result != "ok"}
    if not failing:
        return 200, {"status": "ok", "checks": checks}
    # a 503 is documented in the platform's error format, like every other error
    problems = ", ".join(f"{name} {result}" for name, result in failing.items())
    return 503, {
        "status": "unavailable",
        "checks": checks,
        "error": f"unavailable: {problems}",
        "fields": {},
    }
