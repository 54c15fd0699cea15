"""The disposal list (销毁清册) of case files, drawn with reportlab in the embedded CJK
font of the other printouts."""

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from odoo.addons.hr_enforcement_record.report.cjk_pdf import FONT_NAME, Table, new_canvas, wrap

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 15 * mm
ROW_H = 8 * mm
COLUMNS = (
    ("sequence", 12),
    ("archive_number", 50),
    ("name", 80),
    ("years", 46),
    ("retention", 22),
    ("pages", 22),
    ("remarks", 35),
)


def write_disposal_list(stream, font_path, labels, lists, author=""):
    """`lists`: (rows, footer) per list; rows are dicts with the COLUMNS keys, footer
    (label, value) pairs printed under the table."""
    pdf = new_canvas(stream, font_path, landscape(A4), labels["title"], author)
    for rows, footer in lists:
        table = Table(pdf, MARGIN, COLUMNS, bottom=MARGIN + 40 * mm)
        y = _header(pdf, table, labels)
        y = table.rows(y, rows, lambda t=table: _header(pdf, t, labels)) - 8 * mm
        pdf.setFont(FONT_NAME, 10)
        for label, value in footer:
            for number, line in enumerate(wrap(f"{label}: {value}", PAGE_W - 2 * MARGIN, size=10)):
                if y < MARGIN:
                    pdf.showPage()
                    pdf.setFont(FONT_NAME, 10)
                    y = PAGE_H - MARGIN
                pdf.drawString(MARGIN + (4 * mm if number else 0), y, line)
                y -= 6 * mm
        pdf.showPage()
    pdf.save()


def _header(pdf, table, labels):
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 8 * mm, labels["title"])
    cells = table.cells({key: labels[key] for key, _width in COLUMNS})
    return table.row(PAGE_H - MARGIN - 18 * mm, ROW_H, cells)
