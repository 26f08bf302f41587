"""Evidence metadata of a dossier: size, media type and file name are checked at the door and
refused with a 422 naming the field; what passes reaches the domain and the event unchanged."""

import re
from datetime import date

import pytest

from services.registration import domain, dossiers
from services.registration.batches import Batch
from services.registration.evidence import (
    ALLOWED_EXTENSIONS,
    EXTENSIONS_BY_MEDIA_TYPE,
    MAX_EVIDENCE_BYTES,
    EvidenceIn,
)
from services.registration.schemas import DossierIn, DossierOut
from shared.admin_units import address_from_codes
from shared.errors import InvalidInput
from shared.web.api import validate

SHA = "ab" * 32
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def dossier_with(**evidence) -> dict:
    return {
        "year": 2026,
        "evidence": [{"kind": "label", "filename": "nhan.pdf", "sha256": SHA, **evidence}],
    }


def refusal(**evidence) -> dict[str, str]:
    """The fields a 422 names for a dossier holding this one piece of evidence."""
    with pytest.raises(InvalidInput) as refused:
        validate(DossierIn, dossier_with(**evidence))
    assert refused.value.status == 422
    return refused.value.fields


def accepted(**evidence) -> dict:
    return validate(DossierIn, dossier_with(**evidence)).evidence[0].model_dump()


def test_evidence_without_size_or_type_is_still_accepted_as_before():
    assert accepted() == {
        "kind": "label",
        "filename": "nhan.pdf",
        "sha256": SHA,
        "size_bytes": None,
        "media_type": None,
    }


@pytest.mark.parametrize("size", [1, 1_482_113, MAX_EVIDENCE_BYTES])
def test_a_size_within_the_limit_is_kept(size):
    assert accepted(size_bytes=size)["size_bytes"] == size


@pytest.mark.parametrize("size", [0, -1, MAX_EVIDENCE_BYTES + 1, 10**12])
def test_an_empty_negative_or_too_large_size_is_refused(size):
    assert list(refusal(size_bytes=size)) == ["evidence.0.size_bytes"]


@pytest.mark.parametrize("size", [True, "1024", 1024.0, 1.5])
def test_a_size_must_be_a_json_integer(size):
    assert list(refusal(size_bytes=size)) == ["evidence.0.size_bytes"]


def test_the_limit_is_twenty_mebibytes():
    assert MAX_EVIDENCE_BYTES == 20 * 1024 * 1024


def test_the_api_document_names_every_allowed_extension():
    described = EvidenceIn.model_json_schema()["description"]
    assert set(re.findall(r"\.[a-z]+\b", described)) == ALLOWED_EXTENSIONS


@pytest.mark.parametrize(
    ("media_type", "filename"),
    [
        (media_type, f"tai-lieu{extension}")
        for media_type, extensions in EXTENSIONS_BY_MEDIA_TYPE.items()
        for extension in extensions
    ]
    + [("image/jpeg", "ANH-SAN-PHAM.JPG"), (" Application/PDF ", "nhãn.pdf")],
)
def test_each_allowed_type_is_accepted_under_its_extensions(media_type, filename):
    evidence = accepted(media_type=media_type, filename=filename)
    assert evidence["media_type"] == media_type.strip().lower()
    assert evidence["filename"] == filename


@pytest.mark.parametrize(
    "media_type",
    [
        "application/x-msdownload",
        "text/html",
        "image/svg+xml",
        "application/zip",
        "application/pdf; charset=x",
        42,
    ],
)
def test_a_type_outside_the_allow_list_is_refused(media_type):
    assert list(refusal(media_type=media_type)) == ["evidence.0.media_type"]


@pytest.mark.parametrize(
    "filename",
    [
        "setup.exe",
        "trang.html",
        "logo.svg",
        "ho-so.zip",
        "nhan.pdf.exe",
        "nhan",
        "nhan.",
        "bao-cao.doc",
    ],
)
def test_an_extension_outside_the_allow_list_is_refused(filename):
    assert list(refusal(filename=filename)) == ["evidence.0.filename"]


@pytest.mark.parametrize(
    ("media_type", "filename"),
    [
        ("image/png", "nhan.pdf"),
        ("application/pdf", "anh.jpg"),
        (DOCX, "bang.xlsx"),
        ("image/jpeg", "anh.png"),
    ],
)
def test_an_extension_disagreeing_with_the_type_is_refused_on_the_type(media_type, filename):
    fields = refusal(media_type=media_type, filename=filename)
    assert list(fields) == ["evidence.0.media_type"]
    assert filename in fields["evidence.0.media_type"]


def test_a_refused_file_name_is_reported_once_not_again_as_a_type_mismatch():
    assert list(refusal(media_type="image/png", filename="../anh.png")) == ["evidence.0.filename"]


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "C:\\x\\y.pdf",
        "C:y.pdf",  # drive-relative on Windows
        "nhan.pdf:hidden.exe.pdf",  # an NTFS alternate data stream
        "/etc/shadow.pdf",
        "scans/nhan.pdf",
        ".htaccess.pdf",
        "..pdf",
        ".pdf",
        "nhan\x00.pdf",
        "nhan.pdf\x00.png",
        "nhan\n.pdf",
        "nhan\x7f.pdf",
        "nhan\u202efdp.png",  # right-to-left override: shows as "nhangnp.pdf"
        "nhan\u200b.pdf",  # zero-width space
        "nhan\u2028.pdf",  # a line separator
        "CON.pdf",  # a Windows device name: opening it opens the console
        "lpt1.pdf",
        'nhan"1".pdf',
        "nhan?.pdf",
        "nhan<1>.pdf",
        "nhan|x.pdf",
        "nhan*.pdf",
    ],
)
def test_names_that_could_leave_a_folder_or_hide_their_text_are_refused(filename):
    assert list(refusal(filename=filename)) == ["evidence.0.filename"]


@pytest.mark.parametrize(
    ("filename", "named"),
    [
        ("nhan\u202efdp.png", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("nhan\ue000.pdf", "U+E000"),  # private use, as every name typed (shared/text.py)
        ("nhan\u0378.pdf", "U+0378"),  # unassigned
    ],
)
def test_a_hidden_character_in_a_file_name_is_named(filename, named):
    assert f"must not contain {named} (" in refusal(filename=filename)["evidence.0.filename"]


def test_a_name_spelt_with_separate_accents_is_kept_composed():
    # "Nhãn" as macOS sends it (NFD: "a" then a combining tilde) is stored as typed on Windows
    assert accepted(filename="Nha\u0303n.pdf")["filename"] == "Nh\u00e3n.pdf"


def test_a_long_name_is_measured_in_bytes_as_file_systems_store_it():
    assert accepted(filename="a" * 251 + ".pdf")["filename"] == "a" * 251 + ".pdf"
    assert list(refusal(filename="a" * 252 + ".pdf")) == ["evidence.0.filename"]
    # 100 "ệ" are 100 characters but 300 bytes of UTF-8
    assert list(refusal(filename="ệ" * 100 + ".pdf")) == ["evidence.0.filename"]
    assert accepted(filename="ệ" * 83 + ".pdf")["filename"] == "ệ" * 83 + ".pdf"


def test_each_problem_of_several_pieces_of_evidence_is_named():
    body = {
        "year": 2026,
        "evidence": [
            {"kind": "label", "filename": "nhan.pdf", "sha256": SHA, "size_bytes": 0},
            {"kind": "photo", "filename": "anh.gif", "sha256": SHA},
            {"kind": "photo", "filename": "anh.png", "sha256": SHA, "media_type": "image/jpeg"},
        ],
    }
    with pytest.raises(InvalidInput) as refused:
        validate(DossierIn, body)
    assert set(refused.value.fields) == {
        "evidence.0.size_bytes",
        "evidence.1.filename",
        "evidence.2.media_type",
    }


def test_size_and_type_reach_the_dossier_its_event_and_its_answer():
    body = validate(DossierIn, dossier_with(size_bytes=2048, media_type="application/pdf"))
    producer, _ = domain.register_producer(
        "pr1",
        name="HTX",
        kind="htx",
        women_led=False,
        tax_code=None,
        address=address_from_codes("19", "01933"),
    )
    product, _ = domain.register_product(
        "p1", producer, name="Chè", group="food", subgroup="rau-cu-qua-hat-tuoi"
    )
    batch = Batch(
        id="b1",
        province_code="19",
        year=2026,
        number=1,
        opens_on=date(2026, 10, 1),
        closes_on=date(2026, 11, 30),
        opened_by="o",
    )
    dossier, [event] = dossiers.submit_dossier(
        "d1",
        product,
        batch_id=None,
        year=body.year,
        evidence=tuple(dossiers.Evidence(**item.model_dump()) for item in body.evidence),
        batches=[batch],
        today=date(2026, 11, 28),
    )
    assert (event.evidence[0].size_bytes, event.evidence[0].media_type) == (2048, "application/pdf")
    shown = DossierOut.of(dossier).evidence[0]
    assert (shown.size_bytes, shown.media_type) == (2048, "application/pdf")


def test_a_dossier_stored_before_the_rules_is_still_shown():
    stored = dossiers.Dossier(
        id="d0",
        product_id="p1",
        producer_id="pr1",
        year=2025,
        evidence=(dossiers.Evidence(kind="label", filename="scan.tiff", sha256=SHA),),
        submitted_on=date(2025, 3, 1),
    )
    shown = DossierOut.of(stored).evidence[0]
    assert (shown.filename, shown.size_bytes, shown.media_type) == ("scan.tiff", None, None)
