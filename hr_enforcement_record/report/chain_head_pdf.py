"""The daily chain heads (R22.3) as a PDF, one page per head: its digests, the cases it
covers and its RFC 3161 token in Base64, so that a printed copy can be checked by hand or
typed back into the outside verifier."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from .cjk_pdf import FONT_NAME, MONO_FONT_NAME, Table, new_canvas, wrap

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
COLUMNS = (("label", 40), ("value", 134))  # a 64-digit digest on one line
DIGESTS = frozenset({"merkle_root", "previous_digest", "digest", "tsa_serial"})


def write_chain_heads(stream, font_path, labels, heads, author=""):
    """`labels`: the title, the token heading and a label per key of a head; `heads`: dicts
    with date, case_count, merkle_root, previous_digest, digest, tsa_time, tsa_authority,
    tsa_serial and token (Base64), in date order."""
    pdf = new_canvas(stream, font_path, A4, labels["title"], author)
    for head in heads:
        pdf.setFont(FONT_NAME, 15)
        pdf.drawString(MARGIN, PAGE_H - MARGIN - 6 * mm, labels["heading"] % head["date"])
        table = Table(pdf, MARGIN, COLUMNS, bottom=MARGIN)
        y = PAGE_H - MARGIN - 14 * mm
        for key in ("case_count", *sorted(DIGESTS - {"tsa_serial"}), "tsa_time"):
            y = _row(pdf, table, y, labels[key], head[key], key in DIGESTS)
        for key in ("tsa_authority", "tsa_serial"):
            y = _row(pdf, table, y, labels[key], head[key], key in DIGESTS)
        if head["token"]:
            pdf.setFont(FONT_NAME, 11)
            pdf.drawString(MARGIN, y - 8 * mm, labels["token"])
            y -= 14 * mm
            pdf.setFont(MONO_FONT_NAME, 7)
            for line in wrap(head["token"], PAGE_W - 2 * MARGIN, MONO_FONT_NAME, 7):
                if y < MARGIN:
                    pdf.showPage()
                    pdf.setFont(MONO_FONT_NAME, 7)
                    y = PAGE_H - MARGIN
                pdf.drawString(MARGIN, y, line)
                y -= 3.2 * mm
        pdf.showPage()
    if not heads:
        pdf.showPage()
    pdf.save()


def _row(pdf, table, y, label, value, mono):
    table.fonts = {"value": MONO_FONT_NAME} if mono else {}
    cells = table.cells({"label": label, "value": value if value not in (None, False) else "—"})
    height = table.height(cells, minimum=7 * mm)
    return table.row(y, height, cells)
