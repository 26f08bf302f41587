"""The printed certificate: Vietnamese text a PDF reader can extract, and a QR code that a
scanner reads back (pdftoppm, then zbarimg) as the verification URL, signature intact."""

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from services.certification import signing
from services.certification.pdf import render_certificate

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CERTIFICATE = {
    "number": "OCOP-19-2026-00042",
    "product_id": "6f1c2d3e-4b5a-4c7d-9e8f-0123456789ab",
    "product_name": "Chè xanh đặc sản Tân Cương",
    "producer_name": "Hợp tác xã Chè Tân Cương Thái Nguyên",
    "province_code": "19",
    "province_name": "Thái Nguyên",
    "stars": 4,
    "level": "province",
    "issuing_body": "Ủy ban nhân dân tỉnh Thái Nguyên",
    "decision_number": "42/QĐ-UBND",
    "issued_on": "2026-11-28",
    "expires_on": "2029-11-28",
    "status": "valid",
}


@pytest.fixture(scope="module")
def signed() -> tuple[dict, str, bytes]:
    """A fresh issuing key's public keys by id, the verification URL, and the PDF."""
    key = Ed25519PrivateKey.generate()
    payload = signing.sign(key, signing.signed_part(CERTIFICATE))
    url = signing.verification_url("https://ocop.example.vn", CERTIFICATE["number"], payload)
    public_keys = {signing.key_id(key.public_key()): key.public_key()}
    return public_keys, url, render_certificate(CERTIFICATE, url)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return unicodedata.normalize("NFC", reader.pages[0].extract_text())


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: run deploy/local/ensure-test-tools.sh")
    return found


def test_one_a4_landscape_page(signed):
    page = PdfReader(io.BytesIO(signed[2])).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)


def test_the_text_is_vietnamese_with_its_diacritics(signed):
    text = text_of(signed[2])
    for expected in (
        "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "OCOP-19-2026-00042",
        "Chè xanh đặc sản Tân Cương",
        "Hợp tác xã Chè Tân Cương Thái Nguyên",
        "★★★★",
        "4 sao",
        "42/QĐ-UBND",
        "Có hiệu lực từ 28/11/2026 đến hết ngày 28/11/2029",
        "Quét mã để kiểm tra",
    ):
        assert expected in text
    assert "★★★★★" not in text


def test_a_missing_producer_and_province_print_a_dash(signed):
    anonymous = {**CERTIFICATE, "producer_name": None, "province_name": None}
    text = text_of(render_certificate(anonymous, signed[1]))
    assert "Chủ thể sản xuất:\n—" in text
    assert "None" not in text


def test_the_qr_code_reads_back_as_the_genuine_verification_url(signed, tmp_path):
    public_keys, url, pdf = signed
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    command = [tool("pdftoppm"), "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1"]
    subprocess.run([*command, "certificate.pdf", "certificate"], cwd=tmp_path, check=True)
    png = tmp_path / "certificate.png"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(png, ARTIFACTS / "certificate.png")  # for a human to look at
    scan = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", str(png)], capture_output=True, text=True, check=True
    )
    decoded = scan.stdout.strip()
    assert decoded == url
    assert signing.check(decoded, public_keys).genuine
