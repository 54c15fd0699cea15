"""Cover sheet and catalog (卷内目录) of a case file, drawn with reportlab in the same
embedded CJK font as the service receipts."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo.addons.hr_enforcement_service.report.service_receipt_pdf import FONT_NAME, register_font

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
ROW_H = 8 * mm
# catalog columns: (key, width)
COLUMNS = (("sequence", 14), ("document_number", 38), ("name", 70), ("date", 24), ("pages", 24))


def write_case_file(stream, font_path, cover, labels, items):
    """`cover`: list of (label, value); `items`: list of dicts with the COLUMNS keys."""
    register_font(font_path)
    pdf = canvas.Canvas(stream, pagesize=A4, pageCompression=1)
    pdf.setTitle(labels["title"])
    pdf.setFont(FONT_NAME, 26)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - 60 * mm, labels["title"])
    y = PAGE_H - 90 * mm
    for label, value in cover:
        pdf.setFont(FONT_NAME, 11)
        pdf.drawString(MARGIN + 10 * mm, y, f"{label}:")
        # the chain head is a 64-digit hex digest: a small monospace font fits it
        is_digest = label == labels["chain_head"]
        pdf.setFont("Courier" if is_digest else FONT_NAME, 8 if is_digest else 11)
        pdf.drawString(MARGIN + 55 * mm, y, str(value or ""))
        y -= 12 * mm
    pdf.showPage()
    y = _catalog_header(pdf, labels)
    for item in items:
        if y < MARGIN + ROW_H:
            pdf.showPage()
            y = _catalog_header(pdf, labels)
        x = MARGIN
        pdf.setFont(FONT_NAME, 9)
        for key, width in COLUMNS:
            pdf.rect(x, y - ROW_H, width * mm, ROW_H)
            pdf.drawString(x + 1.5 * mm, y - ROW_H + 2.5 * mm, str(item.get(key) or "")[:40])
            x += width * mm
        y -= ROW_H
    pdf.showPage()
    pdf.save()


def _catalog_header(pdf, labels):
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 8 * mm, labels["catalog"])
    y = PAGE_H - MARGIN - 18 * mm
    x = MARGIN
    pdf.setFont(FONT_NAME, 9)
    for key, width in COLUMNS:
        pdf.rect(x, y - ROW_H, width * mm, ROW_H)
        pdf.drawString(x + 1.5 * mm, y - ROW_H + 2.5 * mm, labels[key])
        x += width * mm
    return y - ROW_H
