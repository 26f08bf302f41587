"""The printable OCOP certificate: one A4 landscape page, in Vietnamese, with its QR code.

The QR code holds the verification URL (see `signing`), so anyone with a phone can check a
printout; the URL is printed under it too, for when no camera is at hand. The fonts are
vendored (DejaVu Sans, see fonts/LICENSE) because the PDF core fonts have no Vietnamese.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "OCOP-DejaVuSans", "OCOP-DejaVuSans-Bold"
WIDTH, HEIGHT = landscape(A4)
MARGIN = 1.8 * cm
QR_SIZE = 6.5 * cm  # a 700-character URL is a version 21 code: 0.6 mm modules, easy to scan
SIDE = QR_SIZE + 1.6 * cm  # the right-hand column: QR code, caption, URL
RED, GOLD = HexColor("#9b1c1f"), HexColor("#d4a017")
INK, GREY = HexColor("#1a1a1a"), HexColor("#555555")
Style = tuple[str, float, Color]  # font, size, colour
HEAD, TITLE, PRODUCT = (BOLD, 11.0, INK), (BOLD, 26.0, RED), (BOLD, 22.0, RED)
LABEL, VALUE, NOTE = (REGULAR, 13.0, GREY), (BOLD, 13.0, INK), (REGULAR, 11.0, GREY)
LEVELS = {"province": "cấp tỉnh", "central": "cấp Trung ương"}


@cache
def fonts() -> tuple[str, str]:
    """Register the vendored fonts on first use, not at import (reportlab's registry is global)."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    return REGULAR, BOLD


def render_certificate(certificate: dict[str, Any], verification_url: str) -> bytes:
    """The certificate as PDF bytes; its QR code holds exactly `verification_url`."""
    fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT))
    canvas.setTitle(f"Giấy chứng nhận sản phẩm OCOP {certificate['number']}")
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(0.8 * cm, 0.8 * cm, WIDTH - 1.6 * cm, HEIGHT - 1.6 * cm)
    canvas.setLineWidth(0.8)
    canvas.rect(1.1 * cm, 1.1 * cm, WIDTH - 2.2 * cm, HEIGHT - 2.2 * cm)
    _header(canvas, certificate)
    _body(canvas, certificate)
    _verification(canvas, verification_url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def vn_date(iso: str) -> str:
    """dd/mm/yyyy, the way dates are written in Vietnamese documents."""
    return date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")


def _header(canvas: Canvas, certificate: dict[str, Any]) -> None:
    """Issuing body on the left, national motto on the right, as on official documents."""
    top, half = HEIGHT - 2.2 * cm, (WIDTH - 2 * MARGIN) / 2
    left, right = MARGIN + half / 2, WIDTH - MARGIN - half / 2
    y = _text(canvas, certificate["issuing_body"].upper(), HEAD, left, top, half - cm, True)
    canvas.line(left - 1.5 * cm, y - 4, left + 1.5 * cm, y - 4)
    _text(canvas, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEAD, right, top, half, True)
    motto = "Độc lập - Tự do - Hạnh phúc"
    y = _text(canvas, motto, (BOLD, 12, INK), right, top - 15, half, True)
    rule = pdfmetrics.stringWidth(motto, BOLD, 12) / 2
    canvas.line(right - rule, y - 2, right + rule, y - 2)
    y = _text(
        canvas, "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP", TITLE, WIDTH / 2, top - 2.6 * cm, WIDTH, True
    )
    if not certificate.get("decision_number"):
        return  # an imported certificate whose records name no decision: none is invented
    signed_on = certificate.get("decided_on") or certificate["issued_on"]
    basis = (
        f"Căn cứ Quyết định số {certificate['decision_number']} ngày "
        f"{vn_date(signed_on)} của {certificate['issuing_body']}"
    )
    _text(canvas, basis, NOTE, WIDTH / 2, y - 4, WIDTH - 2 * MARGIN, True)


def _body(canvas: Canvas, certificate: dict[str, Any]) -> None:
    """The product and its stars on the left; the right-hand column is the QR code's."""
    x, width = MARGIN + 0.4 * cm, WIDTH - 2 * MARGIN - SIDE - 0.8 * cm
    y = _text(canvas, "Chứng nhận sản phẩm", (REGULAR, 12, GREY), x, HEIGHT - 7.6 * cm, width)
    y = _text(canvas, certificate["product_name"], PRODUCT, x, y - 4, width) - 10
    y = _field(canvas, "Chủ thể sản xuất:", certificate.get("producer_name"), x, y, width)
    y = _field(canvas, "Tỉnh, thành phố:", certificate.get("province_name"), x, y, width)
    stars = int(certificate["stars"])
    canvas.setFillColor(GOLD)
    canvas.setFont(BOLD, 28)
    canvas.drawString(x, y - 26, "★" * stars)
    after = x + pdfmetrics.stringWidth("★" * stars, BOLD, 28) + 10
    rank = f"{stars} sao ({LEVELS.get(certificate['level'], certificate['level'])})"
    _text(canvas, rank, (BOLD, 15, RED), after, y - 8, width)
    y = _field(canvas, "Bộ sản phẩm:", sheet_line(certificate.get("sheet")), x, y - 44, width)
    y = _field(canvas, "Số giấy chứng nhận:", certificate["number"], x, y, width)
    term_start = certificate.get("decided_on") or certificate["issued_on"]
    issued, expires = vn_date(term_start), vn_date(certificate["expires_on"])
    validity = f"Có hiệu lực từ {issued} đến hết ngày {expires}"
    _text(canvas, validity, (BOLD, 13, GREY), x, y, width)
    note = "Giấy chứng nhận được ký số. Quét mã QR để kiểm tra tính xác thực và hiệu lực."
    _text(canvas, note, (REGULAR, 8, GREY), x, MARGIN + 0.3 * cm, width)


def sheet_line(sheet: dict | None) -> str | None:
    """The product set whose sheet scored it; a provisional sheet says so on the paper."""
    if not sheet:
        return None
    return sheet["title"] + (" (phiếu đánh giá tạm thời)" if sheet["provisional"] else "")


def _field(
    canvas: Canvas, label: str, value: str | None, x: float, y: float, width: float
) -> float:
    """A label and its value in bold after it; "—" stands for no value (None)."""
    _text(canvas, label, LABEL, x, y, width)
    indent = 5.6 * cm  # clears the longest label, "Số giấy chứng nhận:"
    return _text(canvas, value or "—", VALUE, x + indent, y, width - indent) - 6


def _verification(canvas: Canvas, url: str) -> None:
    """Bottom right: the QR code, its caption, and the URL in small type to be typed in."""
    centre, small = WIDTH - MARGIN - SIDE / 2, (REGULAR, 6.5, GREY)
    chunks = _chop(url, small[1], SIDE)
    top = MARGIN + 0.2 * cm + len(chunks) * small[1] * 1.25  # of the URL block
    y = top
    for chunk in chunks:
        y = _text(canvas, chunk, small, centre, y, SIDE, True)
    caption = _text(canvas, "Quét mã để kiểm tra", HEAD, centre, top + 18, SIDE, True)
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    scale = [QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=scale)
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, centre - QR_SIZE / 2, caption + 18)


def _text(
    canvas: Canvas, text: str, style: Style, x: float, y: float, width: float, centred: bool = False
) -> float:
    """Draw `text` wrapped below `y`; return the y under it, so blocks stack unmeasured."""
    font, size, colour = style
    canvas.setFont(font, size)
    canvas.setFillColor(colour)
    draw = canvas.drawCentredString if centred else canvas.drawString
    for line in simpleSplit(text, font, size, width):
        y -= size * 1.25
        draw(x, y + size * 0.25, line)
    return y


def _chop(text: str, size: float, width: float) -> list[str]:
    """Lines of a text without spaces (a URL) that fit `width`: `simpleSplit` breaks at spaces."""
    lines, line = [], ""
    for char in text:
        if line and pdfmetrics.stringWidth(line + char, REGULAR, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]
