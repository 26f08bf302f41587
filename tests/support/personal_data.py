"""Scanning text for personal data, and fetching what a service shows anyone."""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
import unicodedata
from urllib.parse import parse_qsl, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

import requests

from services.trade_promotion.catalogue import searchable

# a Vietnamese phone number: 0 or +84, then a mobile (3/5/7/8/9 and 8 digits) or a landline
# (2 and 9 digits), in groups separated by spaces, dots, dashes or brackets
GAP = r"[ .()-]{0,2}"
PHONE = re.compile(
    rf"(?<![\w.+])(?:\+?84|0){GAP}(?:[35789](?:{GAP}\d){{8}}|2(?:{GAP}\d){{9}})(?!\w)"
)
QR_FIELDS = re.compile(r"OCOP1\.([A-Za-z0-9_-]+)\.")


def found_in(text: str, needles: list[str]) -> list[str]:
    """The needles in `text`, as written or without diacritics in any case (numbers also
    when grouped), then every phone number in it (in national form)."""
    text = readable(text)
    folded, ungrouped = searchable(text), re.sub(r"[ .-]", "", text)
    found = [
        needle
        for needle in needles
        if needle in text
        or searchable(needle) in folded
        or (needle.isdigit() and needle in ungrouped)
    ]
    phones = [national(number) for number in PHONE.findall(text)]
    return list(dict.fromkeys(found + phones))


def national(phone: str) -> str:
    """+84 912 345 678 -> 0912345678."""
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("84") else digits


def readable(text: str) -> str:
    """The text as a reader gets it: composed, HTML entities and URL escapes undone, and the
    fields of any certificate QR payload in it decoded."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    decoded = [decode_qr_fields(encoded) for encoded in QR_FIELDS.findall(text)]
    return "\n".join([text, unquote_plus(text), *decoded])


def decode_qr_fields(encoded: str) -> str:
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except ValueError:
        return ""


def fill(path: str, values: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    missing = [name for name in names if name not in values]
    assert not missing, f"public {path}: tell this test which {missing} to ask for"
    filled = []
    for chosen in itertools.product(*(values[name] for name in names)):
        each = path
        for name, value in zip(names, chosen, strict=True):
            each = each.replace(f"{{{name}}}", value)
        filled.append(each)
    return filled


def query_variants(operation: dict, values: dict[str, list[str]]) -> list[dict]:
    params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    widest = {p["name"]: p["schema"]["maximum"] for p in params if p["name"] == "limit"}
    variants = [widest]
    for param in params:
        schema = param["schema"]
        enum = schema.get("enum") or [v for o in schema.get("anyOf", []) for v in o.get("enum", [])]
        variants += [{**widest, param["name"]: v} for v in enum + values.get(param["name"], [])]
    return variants


def fetch_all(urls: list[str]) -> list[tuple[str, str]]:
    """Each URL's body as text, anonymously, following a catalogue's further pages."""
    fetched, waiting = [], list(urls)
    with requests.Session() as anonymous:
        while waiting:
            url = waiting.pop(0)
            response = anonymous.get(url, timeout=20)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            text = body_text(response)
            fetched.append((url, text))
            waiting += further_pages(url, text)
    return fetched


def body_text(response: requests.Response) -> str:
    """UTF-8 whatever the content type says; JSON re-written with its escapes undone."""
    text = response.content.decode("utf-8")
    if "json" in response.headers.get("Content-Type", ""):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def further_pages(url: str, text: str) -> list[str]:
    """The next page of the catalogue: its JSON cursor, or its page's "more" link."""
    more = re.search(r'id="more" href="([^"]+)"', text)
    if more:
        return [urljoin(url, html.unescape(more.group(1)))]
    cursor = text.startswith("{") and json.loads(text).get("next_cursor")
    if not cursor:
        return []
    parts = urlsplit(url)
    query = {**dict(parse_qsl(parts.query)), "cursor": cursor}
    return [urlunsplit(parts._replace(query=urlencode(query)))]
