"""A statutory enforcement document (R12.1, R13.1) as a PDF, laid out as the 人社 执法文书式样
and GB/T 9704 lay out a document: the issuing authority, the title and its number (文号),
each section the type states (the label, then its text; continuation lines indented), the
type's own wording, then the authority and the date (2026年12月4日) under the seal.

An internal form (审批表) prints instead a table of each person's opinion, name, date and
signature, and no seal: it is not served. Drawn with reportlab in the embedded CJK font,
like every printout."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from ..tools.pdf_signer import Placement
from .cjk_pdf import FONT_NAME, Table, new_canvas, wrap

PAGE_W, PAGE_H = A4
MARGIN = 25 * mm
TEXT_SIZE = 12
LINE = 7 * mm
INDENT = 2 * TEXT_SIZE  # two characters, as a Chinese paragraph begins
FOOT = MARGIN + 40 * mm
OPINION_COLUMNS = (("role", 36), ("opinion", 66), ("name", 28), ("date", 29))


class _Page:
    """The cursor down the pages: a new page when the next line would reach the foot."""

    def __init__(self, pdf):
        self.pdf, self.y = pdf, PAGE_H - MARGIN - 34 * mm

    def need(self, height, bottom=FOOT):
        if self.y - height < bottom:
            self.pdf.showPage()
            self.pdf.setFont(FONT_NAME, TEXT_SIZE)
            self.y = PAGE_H - MARGIN


def write_statutory_document(stream, font_path, document):
    """`document`: authority, title, number, sections [(label, text)] (an empty label for
    the type's own wording), opinions [{role, name, opinion, date}], internal, date. Returns
    the Placement of the seal over the authority's name and date (the 落款); an internal
    form's has no box (its signature is invisible)."""
    pdf = new_canvas(
        stream,
        font_path,
        A4,
        " ".join(filter(None, [document["title"], document["number"]])),
        document["authority"],
    )
    pdf.setFont(FONT_NAME, 16)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN, document["authority"])
    pdf.setFont(FONT_NAME, 20)
    pdf.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 12 * mm, document["title"])
    pdf.setFont(FONT_NAME, TEXT_SIZE)
    pdf.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN - 22 * mm, document["number"])
    page = _Page(pdf)
    for label, text in document["sections"]:
        _section(page, label, text)
    if document.get("opinions"):
        _opinions(page, document["opinions"], document["opinion_labels"])
    if document.get("internal"):
        placement = Placement(page=pdf.getPageNumber() - 1, box=None, reason=document["title"])
    else:
        if page.y < FOOT:
            # the foot does not fit: it goes on a page of its own, marked as such
            # (此页无正文), so that nothing can be added above the seal
            page.need(FOOT)
            pdf.drawString(MARGIN + INDENT, page.y, document.get("no_text", ""))
            page.y -= LINE
        box = _closing(pdf, document, page.y)
        placement = Placement(page=pdf.getPageNumber() - 1, box=box, reason=document["title"])
    pdf.showPage()
    pdf.save()
    return placement


def _section(page, label, text):
    """`label：text`, its continuation lines indented two characters; a paragraph without
    a label (the type's wording) begins indented."""
    pdf, width = page.pdf, PAGE_W - 2 * MARGIN
    paragraphs = (text or "—").split("\n")
    first = f"{label}：{paragraphs[0]}" if label else paragraphs[0]
    first_indent = 0 if label else INDENT
    lines = [(first_indent, line) for line in wrap(first, width - first_indent, size=TEXT_SIZE)]
    for paragraph in paragraphs[1:]:
        lines += [(INDENT, line) for line in wrap(paragraph, width - INDENT, size=TEXT_SIZE)]
    for indent, line in lines:
        page.need(LINE)
        pdf.drawString(MARGIN + indent, page.y, line)
        page.y -= LINE
    page.y -= 3 * mm


def _opinions(page, opinions, labels):
    """The internal form's table: whose opinion, the opinion, the name with the signature
    (signed by hand on the printed form) and the date."""
    pdf = page.pdf
    table = Table(pdf, MARGIN + 0.5 * mm, OPINION_COLUMNS, bottom=MARGIN)
    header = table.cells(labels)
    page.need(8 * mm, bottom=MARGIN)
    page.y = table.row(page.y, 8 * mm, header)
    for row in opinions:
        cells = table.cells(row)
        height = table.height(cells, minimum=24 * mm)
        page.need(height, bottom=MARGIN)
        page.y = table.row(page.y, height, cells)
    pdf.setFont(FONT_NAME, TEXT_SIZE)
    page.y -= 3 * mm


def _closing(pdf, document, y):
    """The authority and the date at the bottom right; returns the seal's box, centred on
    them as the seal covers the authority's name (GB/T 9704 7.3.5.1: 印章用红色，端正、居中下压
    发文机关署名和成文日期)."""
    right = PAGE_W - MARGIN
    pdf.setFont(FONT_NAME, TEXT_SIZE)
    pdf.drawRightString(right, y - 24 * mm, document["authority"])
    pdf.drawRightString(right, y - 31 * mm, document["date"])
    name_width = pdf.stringWidth(document["authority"], FONT_NAME, TEXT_SIZE)
    centre_x = right - max(name_width, 40 * mm) / 2
    centre_y = y - 22 * mm  # the name and the date sit in the seal's lower half
    radius = 21 * mm
    return (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
