"""Cover sheet and catalog (卷内目录) of a case file, drawn with reportlab in the same
embedded CJK font as the service receipts."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from odoo.addons.hr_enforcement_record.report.cjk_pdf import (
    FONT_NAME,
    MONO_FONT_NAME,
    Table,
    new_canvas,
    wrap,
)

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
ROW_H = 8 * mm
# the catalog (卷内目录) of DA/T 22: (key, width in mm); the title column wraps
COLUMNS = (
    ("sequence", 10),
    ("document_number", 36),
    ("responsible", 24),
    ("name", 46),
    ("date", 18),
    ("pages", 16),
    ("remarks", 20),
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


def write_case_file(stream, font_path, cover, labels, items, author="", note=None):
    """`cover`: list of (label, value); `items`: list of dicts with the COLUMNS keys;
    `note`: the 卷内备考表 as {"title", "statement": [lines], "signatures": [(label, value)]}."""
    pdf = new_canvas(stream, font_path, A4, labels["title"], author)
    pdf.setFont(FONT_NAME, 26)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - 60 * mm, labels["title"])
    y = PAGE_H - 90 * mm
    for label, value in cover:
        pdf.setFont(FONT_NAME, 11)
        pdf.drawString(MARGIN + 10 * mm, y, f"{label}:")
        # the chain head is a 64-digit hex digest: a small monospace font fits it
        is_digest = label == labels["chain_head"]
        pdf.setFont(MONO_FONT_NAME if is_digest else FONT_NAME, 8 if is_digest else 11)
        pdf.drawString(MARGIN + 55 * mm, y, str(value or ""))
        y -= 12 * mm
    pdf.showPage()
    table = Table(pdf, MARGIN, COLUMNS, bottom=MARGIN)
    y = _catalog_header(pdf, table, labels)
    table.rows(y, items, lambda: _catalog_header(pdf, table, labels))
    pdf.showPage()
    if note:
        _write_note(pdf, note)
    pdf.save()


def _write_note(pdf, note):
    """卷内备考表 (DA/T 22): what the file holds, what is missing and why, who filed and
    who checked it, with their dates; at the end of the file."""
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 8 * mm, note["title"])
    width = PAGE_W - 2 * MARGIN - 10 * mm
    left, y = MARGIN + 5 * mm, PAGE_H - MARGIN - 24 * mm
    pdf.rect(MARGIN, MARGIN + 40 * mm, PAGE_W - 2 * MARGIN, y - MARGIN - 32 * mm)
    pdf.setFont(FONT_NAME, 11)
    for paragraph in note["statement"]:
        for line in wrap(paragraph, width, size=11) or [""]:
            if y < MARGIN + 50 * mm:
                break
            pdf.drawString(left, y, line)
            y -= 7 * mm
        y -= 2 * mm
    y = MARGIN + 30 * mm
    for label, value in note["signatures"]:
        pdf.drawString(PAGE_W / 2, y, f"{label}: {value}")
        y -= 9 * mm
    pdf.showPage()


def _catalog_header(pdf, table, labels):
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 8 * mm, labels["catalog"])
    cells = table.cells({key: labels[key] for key, _width in COLUMNS})
    return table.row(PAGE_H - MARGIN - 18 * mm, ROW_H, cells)
