"""The printed certificate: Vietnamese text a PDF reader can extract, and a QR code that a
scanner reads back (pdftoppm, then zbarimg) as the verification URL, signature intact; the
decision it is based on, printed only when there is one."""

import io
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from services.certification import domain, signing
from services.certification.pdf import render_certificate
from services.certification.recognition import Decision
from services.certification.rules import load_rules
from shared.events import DecisionDocument, ProductRanked

RULES = load_rules()
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
    "decision_number": "1032/QĐ-UBND",
    "decided_on": "2026-11-28",
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
        "Căn cứ Quyết định số 1032/QĐ-UBND ngày 28/11/2026 của Ủy ban nhân dân tỉnh Thái Nguyên",
        "Có hiệu lực từ 28/11/2026 đến hết ngày 28/11/2029",
        "Quét mã để kiểm tra",
    ):
        assert expected in text
    assert "★★★★★" not in text


BASIS = "Căn cứ Quyết định"


def test_the_basis_and_the_term_start_are_the_decisions_date(signed):
    """A renewed certificate: issued earlier, its current term runs from the latest decision."""
    renewed = {**CERTIFICATE, "decided_on": "2029-11-20", "decision_number": "88/QĐ-UBND"}
    text = text_of(render_certificate({**renewed, "expires_on": "2032-11-20"}, signed[1]))
    assert "Căn cứ Quyết định số 88/QĐ-UBND ngày 20/11/2029 của" in text
    assert "Có hiệu lực từ 20/11/2029 đến hết ngày 20/11/2032" in text
    assert "28/11/2026" not in text


def test_a_decision_number_without_its_date_prints_the_issue_date(signed):
    """An imported certificate whose records give the decision's number but not its date."""
    imported = {**CERTIFICATE, "decided_on": None, "decision_number": "15/QĐ-UBND"}
    text = text_of(render_certificate(imported, signed[1]))
    assert "Căn cứ Quyết định số 15/QĐ-UBND ngày 28/11/2026" in text


@pytest.mark.parametrize("number", [None, ""])
def test_a_certificate_without_a_decision_number_prints_no_basis(signed, number):
    imported = {**CERTIFICATE, "decided_on": None, "decision_number": number}
    text = text_of(render_certificate(imported, signed[1]))
    assert BASIS not in text and "Quyết định số" not in text and "None" not in text
    assert "Có hiệu lực từ 28/11/2026 đến hết ngày 28/11/2029" in text
    assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in text and "OCOP-19-2026-00042" in text


def test_a_certificate_issued_from_a_decision_prints_that_decision(signed):
    ranked = ProductRanked(
        evaluation_id="e1",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè búp Đồng Phúc",
        group="food",
        province_code="19",
        criteria_set="148-2023",
        total=83.0,
        band_stars=4,
        stars=4,
        level="province",
        council_level="province",
        ranked_on=date(2026, 11, 28),
    )
    decision = Decision(
        id="d1",
        kind="recognition",
        number="7/2027/QĐ-UBND",
        signed_on=date(2027, 1, 5),
        signer="Nguyễn Văn An",
        signer_title="Phó Chủ tịch",
        level="province",
        province_code="19",
        issuing_body="Ủy ban nhân dân tỉnh Thái Nguyên",
        evaluation_ids=("e1",),
        document=DecisionDocument(url="https://thainguyen.gov.vn/qd-7.pdf"),
        recorded_by="officer-19",
        recorded_on=date(2027, 1, 6),
    )
    certificate, _ = domain.issue_certificate(
        ranked, decision, sequence=3, producer=None, rules=RULES, sign=lambda fields: "x"
    )
    text = text_of(render_certificate(certificate.facts(), signed[1]))
    basis = "Căn cứ Quyết định số 7/2027/QĐ-UBND ngày 05/01/2027 của Ủy ban nhân dân tỉnh Thái"
    assert basis in text
    assert "Có hiệu lực từ 05/01/2027 đến hết ngày 05/01/2030" in text
    assert "OCOP-19-2027-00003" in text


def test_an_imported_certificate_without_a_decision_prints_no_basis(signed):
    fields = dict(
        number="HS-2021-0042",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè",
        group="food",
        subgroup=None,
        province_code="19",
        stars=3,
        level="district",
        total=0,
        criteria_set="1048-2019",
        issued_on=date(2024, 3, 1),
        expires_on=date(2027, 3, 1),
        decision_number=None,
        issuing_body=None,
    )
    certificate, _ = domain.import_certificate(
        fields, "tỉnh Thái Nguyên", date(2026, 1, 1), RULES, lambda fields: "x"
    )
    assert certificate.decision_number == "" and certificate.decided_on is None
    text = text_of(render_certificate(certificate.facts(), signed[1]))
    assert "HS-2021-0042" in text and "Có hiệu lực từ 01/03/2024 đến hết ngày 01/03/2027" in text
    assert BASIS not in text


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
