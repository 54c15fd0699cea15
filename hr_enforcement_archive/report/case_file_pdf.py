"""Cover sheet and catalog (卷内目录) of a case file, drawn with reportlab in the same
embedded CJK font as the service receipts."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from odoo.addons.hr_enforcement_service.report.service_receipt_pdf import FONT_NAME, register_font

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
ROW_H = 8 * mm
LINE_H = 4.2 * mm
FONT_SIZE = 9
# the catalog (卷内目录) of DA/T 22: (key, width in mm); the title column wraps
COLUMNS = (
    ("sequence", 12),
    ("document_number", 34),
    ("responsible", 26),
    ("name", 60),
    ("date", 20),
    ("pages", 18),
)


def page_ranges(page_counts):
    """起止页号: each item's first and last page in the file, numbered through ("3" for a
    one-page item, "4-6" for three pages)."""
    ranges, first = [], 1
    for count in page_counts:
        last = first + max(count or 1, 1) - 1
        ranges.append(str(first) if last == first else f"{first}-{last}")
        first = last + 1
    return ranges


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
        cells = {key: _wrap(str(item.get(key) or ""), width) for key, width in COLUMNS}
        height = max(ROW_H, max(len(lines) for lines in cells.values()) * LINE_H + 3 * mm)
        if y - height < MARGIN:
            pdf.showPage()
            y = _catalog_header(pdf, labels)
        _row(pdf, y, height, cells)
        y -= height
    pdf.showPage()
    pdf.save()


def _wrap(text, width):
    """The lines of `text` that fit a column of `width` mm (CJK text breaks anywhere)."""
    limit = width * mm - 3 * mm
    lines, line = [], ""
    for char in text:
        if line and stringWidth(line + char, FONT_NAME, FONT_SIZE) > limit:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line or not lines else lines


def _row(pdf, y, height, cells):
    x = MARGIN
    pdf.setFont(FONT_NAME, FONT_SIZE)
    for key, width in COLUMNS:
        pdf.rect(x, y - height, width * mm, height)
        for number, line in enumerate(cells[key]):
            pdf.drawString(x + 1.5 * mm, y - 5.5 * mm - number * LINE_H, line)
        x += width * mm


def _catalog_header(pdf, labels):
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 8 * mm, labels["catalog"])
    y = PAGE_H - MARGIN - 18 * mm
    cells = {key: _wrap(labels[key], width) for key, width in COLUMNS}
    _row(pdf, y, ROW_H, cells)
    return y - ROW_H
