"""Evidence metadata of a dossier as the registration API takes and shows it, with the
rules it is checked against: size, media type, and a file name safe to save under."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from shared.text import composed, first_refused

EvidenceKind = Literal[
    "business_registration",
    "food_safety_certificate",
    "product_standard",
    "test_report",
    "label",
    "product_story",
    "photo",
    "other",
]
# Separators of any platform, a drive or NTFS stream colon, and a leading dot (hidden files,
# `..`): a name passing this can be joined to a folder without leaving it. Windows also
# refuses <>"|?* and a trailing dot or space in a name.
_UNSAFE_FILENAME = re.compile(r'[/\\:<>"|?*]|^\.|[. ]$')
# Windows device names, whatever the extension (`CON.pdf` opens the console)
_DEVICE_NAME = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\.|$)", re.IGNORECASE)
# Most file systems (ext4, NTFS, APFS) store at most 255 bytes (or UTF-16 units) of a name;
# Vietnamese letters take two or three bytes of UTF-8, so count bytes, not characters.
MAX_FILENAME_BYTES = 255
# A dossier's documents are scans, photos and office documents. A 300 dpi scan of a long test
# report is a few MiB; anything beyond 20 MiB is a video or an archive sent by mistake.
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
AllowedMediaType = Literal[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
]
# The file name extensions each allowed media type is saved under.
EXTENSIONS_BY_MEDIA_TYPE: dict[AllowedMediaType, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
}
ALLOWED_EXTENSIONS = frozenset(e for exts in EXTENSIONS_BY_MEDIA_TYPE.values() for e in exts)
MediaType = Annotated[
    AllowedMediaType,
    # media types are case-insensitive (RFC 6838 §4.2)
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
]


def extension_of(filename: str) -> str:
    """`.pdf` of `Nhãn.PDF`; empty when the name has no extension or is nothing but one."""
    stem, dot, extension = filename.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


class EvidenceIn(BaseModel):
    """One document of a dossier, described by its metadata (the file itself is kept elsewhere).

    `filename` is a plain name (no folders, no leading dot, none of <>:"|?*, no Windows
    device name such as CON, no control, invisible, private use or unassigned characters, at
    most 255 bytes of UTF-8, kept in composed Unicode form) ending in .pdf, .jpg, .jpeg, .png,
    .webp, .docx, .xlsx, .odt or .ods; `media_type`, when given, is the type of that extension;
    `size_bytes`, when given, is from 1 byte to 20 MiB. Both are optional because clients
    written before them (province pushes, bulk imports) send evidence without them.
    """

    model_config = ConfigDict(extra="forbid")  # as every request model of the API

    kind: EvidenceKind
    filename: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size_bytes: Annotated[int, Field(strict=True, ge=1, le=MAX_EVIDENCE_BYTES)] | None = None
    media_type: MediaType | None = None

    @field_validator("filename")
    @classmethod
    def plain_filename(cls, value: str) -> str:
        # one spelling of "Nhãn": macOS sends letters and accents apart (NFD); no control,
        # invisible, private use or unassigned character (the rule of every name typed)
        value = composed(value)
        problem = first_refused(value)
        if problem is not None:
            raise ValueError(problem)
        if _UNSAFE_FILENAME.search(value) or _DEVICE_NAME.match(value):
            raise ValueError(
                "must be a plain file name, without directories, a leading dot, "
                '<>:"|?* or a device name'
            )

        if len(value.encode("utf-8")) > MAX_FILENAME_BYTES:
            raise ValueError(f"must be at most {MAX_FILENAME_BYTES} bytes in UTF-8")
        if extension_of(value) not in ALLOWED_EXTENSIONS:
            raise ValueError(f"must end in one of {', '.join(sorted(ALLOWED_EXTENSIONS))}")
        return value

    @field_validator("media_type")
    @classmethod
    def agrees_with_filename(
        cls, value: AllowedMediaType | None, info: ValidationInfo
    ) -> AllowedMediaType | None:
        filename = info.data.get("filename")  # absent when the file name itself was refused
        if value is not None and filename is not None:
            expected = EXTENSIONS_BY_MEDIA_TYPE[value]
            if extension_of(filename) not in expected:
                raise ValueError(f"{value} files end in {' or '.join(expected)}, not {filename}")
        return value


class EvidenceOut(BaseModel):
    """Evidence as stored: its name and type are not checked again, so that dossiers stored
    before a rule was tightened can still be read."""

    kind: EvidenceKind
    filename: str
    sha256: str
    size_bytes: int | None = None
    media_type: str | None = None
