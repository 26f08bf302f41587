"""A page's form must come from this site: Origin, or without it Referer, names the host."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from shared.errors import Forbidden
from shared.web.pages import same_origin

SITE = "http://127.0.0.1:8002"


def posted(**headers: str) -> Request:
    return Request(EnvironBuilder(method="POST", base_url=SITE, headers=headers).get_environ())


@pytest.mark.parametrize(
    "headers",
    [{"Origin": SITE}, {"Referer": f"{SITE}/score/ev-1?member=member-2"}],
    ids=["origin", "referer without origin"],
)
def test_a_form_from_this_site_passes(headers):
    same_origin(posted(**headers))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/form"},
        {"Origin": "null"},  # a sandboxed frame or a file
        {"Origin": "https://evil.example", "Referer": f"{SITE}/sign-in"},  # Origin decides
        {"Origin": "http://127.0.0.1:9999"},  # another port is another site
    ],
    ids=["neither", "foreign origin", "foreign referer", "null origin", "both", "other port"],
)
def test_a_form_from_elsewhere_or_from_nowhere_is_refused(headers):
    with pytest.raises(Forbidden):
        same_origin(posted(**headers))
