"""Names and free text as a person types them (shared/text.py): kept in NFC, refused naming
the character when it hides, reorders or breaks what is shown; search terms cleaned instead."""

import unicodedata
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from shared.text import FreeText, Name, SearchText, TypedText


class Typed(BaseModel):
    name: Name | None = None
    note: FreeText | None = None
    address: Annotated[str, TypedText(min_length=3, max_length=500)] | None = None
    q: SearchText | None = None


def refusal(**fields: str) -> dict[str, tuple[str, str]]:
    """{field: (error type, message)} of a refused input."""
    with pytest.raises(ValidationError) as refused:
        Typed(**fields)
    return {str(e["loc"][0]): (e["type"], e["msg"]) for e in refused.value.errors()}


VIETNAMESE_NAMES = [
    "Hợp tác xã Chè Đồng Phúc",
    "Nguyễn Thị Ánh Tuyết",
    "Cơ sở sản xuất nước mắm Phú Quốc 584",
    "Bà Rịa – Vũng Tàu",
    "Hộ kinh doanh Lò Văn Ửng",
    "HTX Nông nghiệp & Dịch vụ “Sạch”",
    "Trà hoa vàng Ba Chẽ (loại 1)",
    "Ông Đặng Ngọc Khuê",
    "Mứt gừng d'Art",
    "=HYPERLINK is a name, the CSV export neutralises it",
    "+84 Cà phê",
    "-1 độ",
    "@Hội chợ",
]


@pytest.mark.parametrize("name", VIETNAMESE_NAMES)
def test_ordinary_vietnamese_names_are_kept_as_typed(name):
    assert Typed(name=name).name == name
    assert Typed(note=name).note == name


@pytest.mark.parametrize("name", VIETNAMESE_NAMES)
@pytest.mark.parametrize("form", ["NFD", "NFKD", "NFKC"])
def test_a_name_in_any_normalisation_form_is_kept_composed(name, form):
    typed = unicodedata.normalize(form, name)
    assert Typed(name=typed).name == unicodedata.normalize("NFC", name)
    assert Typed(note=typed).note == unicodedata.normalize("NFC", name)


def test_a_decomposed_name_from_a_mac_keyboard():
    decomposed = "Ho\u0323\u031bp ta\u0301c xa\u0303"  # "Hợp tác xã": letters, then accents
    assert decomposed != "Hợp tác xã"
    assert Typed(name=decomposed).name == "Hợp tác xã"


def test_length_is_counted_on_the_composed_text_after_stripping():
    decomposed = unicodedata.normalize("NFD", "ệ" * 300)  # 900 code points as typed
    assert len(decomposed) == 900
    assert Typed(name=f"  {decomposed}\n").name == "ệ" * 300
    assert refusal(name="ệ" * 301)["name"][0] == "string_too_long"
    assert refusal(name="   ")["name"][0] == "string_too_short"
    assert refusal(address=" Xã ")["address"][0] == "string_too_short"


# every class refused, with the code point and name the message must carry
REFUSED = [
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE", "bidirectional"),
    ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING", "bidirectional"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE", "bidirectional"),
    ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE", "bidirectional"),
    ("\u200e", "U+200E LEFT-TO-RIGHT MARK", "bidirectional"),
    ("\u200f", "U+200F RIGHT-TO-LEFT MARK", "bidirectional"),
    ("\u061c", "U+061C ARABIC LETTER MARK", "bidirectional"),
    ("\u200b", "U+200B ZERO WIDTH SPACE", "zero-width"),
    ("\u200c", "U+200C ZERO WIDTH NON-JOINER", "zero-width"),
    ("\u200d", "U+200D ZERO WIDTH JOINER", "zero-width"),
    ("\u2060", "U+2060 WORD JOINER", "zero-width"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE", "zero-width"),
    ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A", "tag"),
    ("\U000e007f", "U+E007F CANCEL TAG", "tag"),
    ("\u2028", "U+2028 LINE SEPARATOR", "line separator"),
    ("\u2029", "U+2029 PARAGRAPH SEPARATOR", "paragraph separator"),
    ("\x00", "U+0000", "control"),
    ("\x07", "U+0007", "control"),
    ("\x1b", "U+001B", "control"),
    ("\x7f", "U+007F", "control"),
    ("\x85", "U+0085", "control"),
    ("\u00ad", "U+00AD SOFT HYPHEN", "formatting"),  # another Cf
    ("\u2062", "U+2062 INVISIBLE TIMES", "formatting"),
    ("\ue000", "U+E000", "private use"),
    ("\U000f0000", "U+F0000", "private use"),
    ("\u0378", "U+0378", "no character assigned"),
    ("\ufdd0", "U+FDD0", "no character assigned"),  # a noncharacter
    ("\U0010ffff", "U+10FFFF", "no character assigned"),
]


@pytest.mark.parametrize(("char", "named", "kind"), REFUSED)
def test_each_refused_character_is_named_by_code_point(char, named, kind):
    for field in ("name", "note", "address"):
        error_type, message = refusal(**{field: f"Chè{char} búp"})[field]
        assert error_type == "text_character"
        assert f"must not contain {named} (" in message and kind in message, message


@pytest.mark.parametrize("char", ["\n", "\r", "\t"])
def test_a_name_is_one_line(char):
    error_type, message = refusal(name=f"Chè{char}búp")["name"]
    assert error_type == "text_character" and "one line" in message
    assert f"U+{ord(char):04X}" in message


def test_free_text_keeps_its_lines_and_tabs():
    assert Typed(note="Dòng 1\n\tDòng 2").note == "Dòng 1\n\tDòng 2"
    assert Typed(note="Dòng 1\r\nDòng 2\r\n").note == "Dòng 1\nDòng 2"  # a textarea's CRLF
    assert Typed(note="Dòng 1\rDòng 2").note == "Dòng 1\nDòng 2"  # an old Mac file's CR


def test_the_first_refused_character_is_the_one_named():
    message = refusal(name="a\u200bb\u202ec")["name"][1]
    assert "U+200B" in message and "U+202E" not in message


def test_only_strings_are_text():
    assert refusal(name=12)["name"][0] == "string_type"  # type: ignore[arg-type]


def test_a_search_term_is_cleaned_not_refused():
    assert Typed(q="Ch\u200be\u0300\u202e").q == "Chè"
    assert Typed(q="che\tshan\nTuy\u00eat").q == "che shan Tuyêt"  # separators become spaces
    assert Typed(q=unicodedata.normalize("NFD", "  Chè búp ")).q == "Chè búp"
    assert Typed(q="\u200b").q == ""
