"""The event log of a case (R21.1, R22.2, R22.3) as a PDF, with the chain head of the case
and the latest time-stamped daily head, so that a printed log can be checked later."""

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from .cjk_pdf import FONT_NAME, MONO_FONT_NAME, Table, new_canvas

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 15 * mm
COLUMNS = (
    ("sequence", 12),
    ("timestamp", 44),
    ("event_type", 26),
    ("description", 70),
    ("user", 28),
    ("purpose", 46),
    ("hash", 41),
)


def write_event_log(stream, font_path, labels, heading, rows, author=""):
    """`heading`: (label, value) pairs printed above the table; `rows`: dicts with the
    COLUMNS keys, in sequence order."""
    pdf = new_canvas(stream, font_path, landscape(A4), labels["title"], author)
    table = Table(pdf, MARGIN, COLUMNS, fonts={"hash": MONO_FONT_NAME}, bottom=MARGIN)
    header = Table(pdf, MARGIN, COLUMNS)  # the labels are text, in the CJK font
    y = _page_top(pdf, header, labels, heading)
    table.rows(y, rows, lambda: _page_top(pdf, header, labels, ()), minimum=7 * mm)
    pdf.showPage()
    pdf.save()


def _page_top(pdf, table, labels, heading):
    pdf.setFont(FONT_NAME, 15)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 5 * mm, labels["title"])
    y = PAGE_H - MARGIN - 14 * mm
    for label, value in heading:
        pdf.setFont(FONT_NAME, 9)
        pdf.drawString(MARGIN, y, f"{label}:")
        pdf.setFont(FONT_NAME, 8)
        pdf.drawString(MARGIN + 62 * mm, y, str(value or "—"))
        y -= 5.5 * mm
    header = table.cells({key: labels[key] for key, _width in COLUMNS})
    return table.row(y - 2 * mm, 7 * mm, header)
