"""Text a person types: names (one line) and free text (notes, reasons), each kept in one
Unicode spelling and refused when it carries a character that hides, reorders or breaks
what is shown. Used as pydantic field types: `name: Name`, `reason: FreeText`, or
`Annotated[str, TypedText(max_length=500, min_length=3)]` for other limits.

Both are normalised to NFC (a Mac keyboard sends "Hợp tác xã" as letters and separate
accents, NFD; Windows and phones send it composed) and stripped of surrounding whitespace;
lengths are counted after that. Free text keeps line feeds and tabs; a carriage return,
alone or before a line feed (a browser's textarea sends CRLF), becomes a line feed.
Refused, naming the character as U+XXXX and its name:
- control characters (Cc), but for those line feeds and tabs of free text;
- every format character (Cf): bidirectional overrides, embeddings, isolates and marks,
  zero-width characters, the byte-order mark, tag characters, and the rest (soft hyphen,
  invisible operators...): each is invisible, and Vietnamese in Latin letters needs none;
- line and paragraph separators (Zl, Zp);
- private use characters (Co): shown differently on every machine, or not at all;
- lone surrogates (Cs), and code points unassigned in the Unicode version of the running
  Python (Cn, noncharacters included): nothing can show them.

A search box (`SearchText`) refuses nothing: it is normalised the same way, and the
characters a name may not hold are taken out (control characters and separators become a
space), so that a zero-width space pasted with a word does not make the search find nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

# Why each kind of character has no place in a name; the lists name the code points the
# classes below cover, so that a message says which trick it is.
BIDI_CONTROLS = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
ZERO_WIDTH = frozenset([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
TAGS = range(0xE0000, 0xE0080)
KEPT_IN_FREE_TEXT = frozenset("\n\t")


def why_refused(char: str, *, lines: bool = False) -> str | None:
    """Why `char` may not be in a name (or, with `lines`, in free text); None if it may."""
    code, category = ord(char), unicodedata.category(char)
    if lines and char in KEPT_IN_FREE_TEXT:
        return None
    if category == "Cc":
        one_line = "a line break or tab: this field is one line"
        return one_line if char in "\n\r\t" else "a control character"
    if code in BIDI_CONTROLS:
        return "a bidirectional control: it shows text in another order than it is stored"
    if code in ZERO_WIDTH:
        return "an invisible zero-width character"
    if code in TAGS:
        return "an invisible tag character"
    reasons = {
        "Cf": "an invisible formatting character",
        "Zl": "a line separator",
        "Zp": "a paragraph separator",
        "Co": "a private use character, shown differently on every machine",
        "Cs": "a lone surrogate, not a character",
        "Cn": "a code point with no character assigned",
    }
    return reasons.get(category)


def code_point(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`; controls and unassigned code points have no name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def first_refused(text: str, *, lines: bool = False) -> str | None:
    """What is wrong with the first character of `text` that may not be there, or None."""
    for char in text:
        reason = why_refused(char, lines=lines)
        if reason is not None:
            return f"must not contain {code_point(char)} ({reason})"
    return None


def composed(value: Any, *, lines: bool = False) -> Any:
    """NFC of a string (anything else is left for the type check to refuse)."""
    if not isinstance(value, str):
        return value
    if lines:  # a textarea sends CRLF; an old Mac file CR alone
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", value)


def trimmed(value: Any, *, lines: bool = False) -> Any:
    """`composed`, without surrounding whitespace (as Python's `str.strip` sees it)."""
    value = composed(value, lines=lines)
    return value.strip() if isinstance(value, str) else value


def searchable_text(value: Any) -> Any:
    """A search term in NFC without the characters a name may not hold."""
    if not isinstance(value, str):
        return value
    kept = []
    for char in unicodedata.normalize("NFC", value):
        if why_refused(char) is None:
            kept.append(char)
        elif unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            kept.append(" ")  # a tab or line break between words still separates them
    return "".join(kept).strip()


@dataclass(frozen=True)
class TypedText:
    """pydantic metadata of a `str` a person types: NFC, stripped, length checked, then
    refused (naming the character) if it holds one that text typed by a person must not."""

    max_length: int | None = None
    min_length: int = 1
    lines: bool = False  # free text: line feeds and tabs allowed

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text = core_schema.str_schema(min_length=self.min_length, max_length=self.max_length)
        checked = core_schema.no_info_after_validator_function(self.checked, text)
        return core_schema.no_info_before_validator_function(self.prepared, checked)

    def prepared(self, value: Any) -> Any:
        return trimmed(value, lines=self.lines)

    def checked(self, value: str) -> str:
        problem = first_refused(value, lines=self.lines)
        if problem is not None:
            raise PydanticCustomError("text_character", "{problem}", {"problem": problem})
        return value


@dataclass(frozen=True)
class SearchedText:
    """pydantic metadata of a search term: cleaned (see `searchable_text`), never refused
    for its characters; stripped and length checked."""

    max_length: int | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text = core_schema.str_schema(max_length=self.max_length)
        return core_schema.no_info_before_validator_function(searchable_text, text)


# a person's, producer's, product's, council's, fair's or place's name: one line
Name = Annotated[str, TypedText(max_length=300)]
# notes, reasons, descriptions: several lines
FreeText = Annotated[str, TypedText(max_length=2000, lines=True)]
SearchText = Annotated[str, SearchedText(max_length=200)]
