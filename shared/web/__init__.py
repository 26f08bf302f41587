"""HTTP for every service: JSON in and out, one error format, no silent port sharing."""

from shared.web.api import api, parse_body, parse_query
from shared.web.health import health_response

__all__ = ["api", "health_response", "parse_body", "parse_query"]
