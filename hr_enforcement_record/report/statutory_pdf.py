"""A statutory enforcement document (R12.1, R13.1) as a PDF: the issuing authority, the
title and its number (文号), each section the type states, then the authority, the date and
the seal area. Drawn with reportlab in the embedded CJK font, like every printout."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .cjk_pdf import FONT_NAME, register_font, wrap

PAGE_W, PAGE_H = A4
MARGIN = 25 * mm
TEXT_SIZE = 12
LINE = 7 * mm


def write_statutory_document(stream, font_path, document):
    """`document`: authority, title, number, sections [(label, text)], date, seal."""
    register_font(font_path)
    pdf = canvas.Canvas(stream, pagesize=A4, pageCompression=1, invariant=True)
    pdf.setTitle(f"{document['title']} {document['number']}")
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN, document["authority"])
    pdf.setFont(FONT_NAME, 20)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 12 * mm, document["title"])
    pdf.setFont(FONT_NAME, TEXT_SIZE)
    pdf.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN - 22 * mm, document["number"])
    y = PAGE_H - MARGIN - 34 * mm
    width = PAGE_W - 2 * MARGIN
    for label, text in document["sections"]:
        lines = wrap(f"{label}：{text or '—'}", width, size=TEXT_SIZE)
        for line in lines:
            if y < MARGIN + 40 * mm:
                pdf.showPage()
                pdf.setFont(FONT_NAME, TEXT_SIZE)
                y = PAGE_H - MARGIN
            pdf.drawString(MARGIN, y, line)
            y -= LINE
        y -= 3 * mm
    _closing(pdf, document, max(y, MARGIN + 40 * mm))
    pdf.showPage()
    pdf.save()


def _closing(pdf, document, y):
    """The authority and the date at the bottom right, over a dashed circle for the seal."""
    right = PAGE_W - MARGIN
    pdf.setDash(3, 2)
    pdf.circle(right - 25 * mm, y - 12 * mm, 20 * mm)
    pdf.setDash()
    pdf.setFont(FONT_NAME, 8)
    pdf.drawCentredString(right - 25 * mm, y - 12 * mm, document["seal"])
    pdf.setFont(FONT_NAME, TEXT_SIZE)
    pdf.drawRightString(right, y - 24 * mm, document["authority"])
    pdf.drawRightString(right, y - 31 * mm, document["date"])
