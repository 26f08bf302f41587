"""Properties of typed text (shared/text.py) and CSV cells (shared/csv_export.py): any input
gives composed, clean text or a refusal naming the first character at fault; any Vietnamese
text is accepted in any normalisation form; no exported text cell can start a formula."""

from __future__ import annotations

import csv
import io
import unicodedata

from hypothesis import event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from shared.csv_export import FORMULA_TRIGGERS, csv_text
from shared.text import FreeText, Name, SearchText, code_point, why_refused
from tests.support.strategies import PROPERTIES


class Typed(BaseModel):
    name: Name | None = None
    note: FreeText | None = None
    q: SearchText | None = None


# any code point but lone surrogates (JSON decoding gives those; pydantic refuses them as
# not a string), weighted towards the characters the rule is about
TRICKY = [*"\n\r\t\x00\x1b\x7f\x85\u00ad\u061c", *map(chr, range(0x200B, 0x2070))]
TRICKY += ["\ufeff", "\ue000", "\U000e0041", "\u0378", "\ufdd0", "\u0301", "\u0323", "="]
any_text = st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from(TRICKY))
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠƯ0123456789 .,-&()'"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # huyền sắc ngã hỏi nặng
syllable = st.tuples(st.sampled_from(LETTERS), st.sampled_from(TONES)).map("".join)
vietnamese = st.lists(syllable, min_size=1, max_size=100).map("".join)


@settings(PROPERTIES, max_examples=500)
@given(any_text, st.sampled_from(["name", "note"]))
def test_text_is_kept_composed_and_clean_or_refused_naming_the_first_fault(typed, field):
    lines = field == "note"
    expected = unicodedata.normalize("NFC", typed)
    if lines:
        expected = expected.replace("\r\n", "\n").replace("\r", "\n")
    expected = expected.strip()
    faults = [char for char in expected if why_refused(char, lines=lines)]
    try:
        kept = getattr(Typed(**{field: typed}), field)
    except ValidationError as error:
        [problem] = error.errors()
        event(f"refused: {problem['type']}")
        if problem["type"] == "text_character":
            assert faults and f"must not contain {code_point(faults[0])} (" in problem["msg"]
        else:
            assert problem["type"] in ("string_too_short", "string_too_long")
            assert not 1 <= len(expected) <= (300 if field == "name" else 2000)
        return
    event("kept")
    assert kept == expected and not faults
    assert unicodedata.is_normalized("NFC", kept)


@settings(PROPERTIES, max_examples=300)
@given(vietnamese, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_vietnamese_in_any_normalisation_form_is_accepted_composed(text, form):
    composed = unicodedata.normalize("NFC", text).strip()
    if not composed:
        return
    event(form)
    typed = unicodedata.normalize(form, text)
    assert Typed(name=typed).name == composed
    assert Typed(note=typed).note == composed


@settings(PROPERTIES, max_examples=300)
@given(any_text.filter(lambda text: len(text) <= 200))
def test_a_search_term_is_never_refused_for_its_characters(typed):
    q = Typed(q=typed).q
    assert q is not None and not any(why_refused(char) for char in q)
    assert unicodedata.is_normalized("NFC", q)


formula_like = st.tuples(st.sampled_from(FORMULA_TRIGGERS), any_text).map("".join)
cell = st.one_of(formula_like, any_text, st.integers(), st.floats(allow_nan=False), st.none())


@settings(PROPERTIES, max_examples=300)
@given(st.lists(st.lists(cell, min_size=3, max_size=3), max_size=5))
def test_no_exported_text_cell_starts_a_formula(rows):
    read = list(csv.reader(io.StringIO(csv_text(["a", "b", "c"], rows))))
    assert read[0] == ["a", "b", "c"] and len(read) == len(rows) + 1
    for written, row in zip(read[1:], rows, strict=True):
        for text, value in zip(written, row, strict=True):
            if isinstance(value, str):  # the text, or the text after the quote marking it
                event("formula neutralised" if text != value else "text")
                assert not text.startswith(FORMULA_TRIGGERS)
                assert text == value or (text == "'" + value and value[0] in FORMULA_TRIGGERS)
            elif value is None:
                assert text == ""
            else:  # a number the program writes stays a number, "-3" included
                assert type(value)(text) == value
