"""送达回证 (service receipt) rendered with reportlab, one A4 page per receipt.

Pages are drawn one by one on a canvas and written out once: the canvas keeps only each
finished page's small content stream (no tree of flowables, the static frame drawn once as
a form, the QR code as a tiny image), and the services are read in batches, so memory grows
by about a kilobyte per receipt. The CJK font is embedded as a subset: a receipt never relies
on the reader's fonts. The QR code is the PNG of one pixel per module stored when the receipt
version was issued: printing computes no QR matrix.
"""

import hashlib
import io
import zlib

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth

from odoo.addons.hr_enforcement_record.report.cjk_pdf import FONT_NAME, MONO_FONT_NAME, new_canvas

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
LABEL_W = 42 * mm
QR_SIZE = 32 * mm
TOP = PAGE_H - MARGIN
TABLE_TOP = TOP - 38 * mm
MASK_PATTERN = 2
FRAME = "hr_enforcement_receipt_frame"


def qr_png(data):
    """The QR code of `data` as a grey-scale PNG of one pixel per module, quiet zone
    included: made once when a receipt version is issued and stored with it."""
    # a fixed mask pattern spares the eight trial encodings that choosing the best one costs;
    # every mask gives a valid, readable code
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    modules = len(matrix)
    image = Image.new("L", (modules, modules), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def draw_qr(pdf, png, x, y, size):
    """Draw the stored QR code `png` with its lower-left corner at (x, y): an image of one
    bit per module, its rows compressed as they are (no image library at printing time
    but the PNG's decoding), shown without interpolation."""
    image = Image.open(io.BytesIO(png)).convert("1")
    name = f"hrqr{hashlib.sha1(png).hexdigest()}"
    reg_name = pdf._doc.getXObjectName(name)
    if reg_name not in pdf._doc.idToObject:
        xobject = pdfdoc.PDFImageXObject(name)
        xobject.width, xobject.height = image.size
        xobject.bitsPerComponent = 1
        xobject.colorSpace = "DeviceGray"
        xobject._filters = ("FlateDecode",)
        xobject.streamContent = zlib.compress(image.tobytes())
        pdf._doc.Reference(xobject, reg_name)
        pdf._doc.addForm(name, xobject)
    pdf._currentPageHasImages = 1
    pdf._code.append(f"q {size:.2f} 0 0 {size:.2f} {x:.2f} {y:.2f} cm /{reg_name} Do Q")
    pdf._formsinuse.append(name)


class ReceiptWriter:
    """Writes receipts into one PDF on `stream`. Use `add(receipt)` per receipt (a dict
    from `hr.enforcement.service._get_receipt_data()`), then `close()`."""

    def __init__(self, stream, font_path, labels, title, author=""):
        self.labels = labels
        self.pdf = new_canvas(stream, font_path, A4, title, author)
        self.pages = 0
        self.frames = {}  # (authority, issued on) -> name of its form

    def close(self):
        if not self.pages:  # an empty PDF is not a valid document
            self.pdf.showPage()
        self.pdf.save()

    def _rows(self, receipt):
        labels = self.labels
        return [
            (labels["document"], receipt["document"], 14 * mm, False),
            (labels["recipient"], receipt["recipient"], 12 * mm, False),
            (labels["place"], receipt["place"], 12 * mm, False),
            (labels["method"], receipt["method"], 12 * mm, False),
            (labels["recipient_sign"], "", 30 * mm, True),
            (labels["proxy_sign"], "", 24 * mm, False),
            (labels["server_sign"], receipt["server"], 24 * mm, True),
            (labels["witness_sign"], receipt["witness"], 24 * mm, True),
            (labels["remarks"], receipt["remarks"], 30 * mm, False),
            # the issuing authority, the date it issued the receipt and the place of its seal
            (labels["issuer"], "", 26 * mm, False),
        ]

    def _frame(self, receipt, rows):
        """The name of the form holding what every receipt of the authority shares: its
        name, the title, the table with its labels and the issuer's row (the authority, the
        date of issue and the seal's place). Drawn once per authority in a print run."""
        key = (receipt["authority"], receipt["issued_on"])
        if key in self.frames:
            return self.frames[key]
        name = f"{FRAME}{len(self.frames)}"
        pdf = self.pdf
        pdf.beginForm(name)
        pdf.setFont(FONT_NAME, 12)
        pdf.drawCentredString(PAGE_W / 2, TOP - 6 * mm, receipt["authority"])
        pdf.setFont(FONT_NAME, 22)
        pdf.drawCentredString(PAGE_W / 2, TOP - 18 * mm, self.labels["title"])
        left, right, y = MARGIN, PAGE_W - MARGIN, TABLE_TOP
        pdf.setLineWidth(0.8)
        for label, _value, height, dated in rows:
            pdf.rect(left, y - height, right - left, height)
            pdf.line(left + LABEL_W, y, left + LABEL_W, y - height)
            self._wrapped(label, left + 2 * mm, y - 5 * mm, LABEL_W - 4 * mm, 10)
            if dated:
                pdf.setFont(FONT_NAME, 9)
                pdf.drawRightString(right - 3 * mm, y - height + 3 * mm, self.labels["date_line"])
            y -= height
        self._draw_issuer(y + 26 * mm, receipt)
        pdf.endForm()
        self.frames[key] = name
        return name

    def add(self, receipt):
        pdf = self.pdf
        rows = self._rows(receipt)
        pdf.doForm(self._frame(receipt, rows))
        pdf.setFont(FONT_NAME, 9)
        pdf.drawString(MARGIN, TOP - 28 * mm, f"{self.labels['case']}: {receipt['case']}")
        qr_x = PAGE_W - MARGIN - QR_SIZE
        code = receipt["code"]
        # a receipt issued before the QR code was stored gets it made now
        draw_qr(pdf, receipt["qr_png"] or qr_png(code), qr_x, TOP - QR_SIZE + 4 * mm, QR_SIZE)
        pdf.setFont(MONO_FONT_NAME, 6)
        pdf.drawCentredString(qr_x + QR_SIZE / 2, TOP - QR_SIZE + 2 * mm, code)
        y = TABLE_TOP
        width = PAGE_W - 2 * MARGIN - LABEL_W
        for _label, value, height, _dated in rows:
            self._wrapped(value, MARGIN + LABEL_W + 2 * mm, y - 5 * mm, width, 10)
            y -= height
        pdf.setFont(FONT_NAME, 8)
        pdf.drawString(MARGIN, y - 6 * mm, receipt["footer"])
        pdf.showPage()
        self.pages += 1

    def _draw_issuer(self, top, receipt):
        """The last row: the authority and the issue date, and a dashed circle where the
        authority's seal goes (送达机关（印章）)."""
        pdf = self.pdf
        x = MARGIN + LABEL_W + 2 * mm
        pdf.setFont(FONT_NAME, 11)
        pdf.drawString(x, top - 7 * mm, receipt["authority"])
        pdf.setFont(FONT_NAME, 10)
        pdf.drawString(x, top - 15 * mm, f"{self.labels['issued_on']}: {receipt['issued_on']}")
        seal_x, seal_y, radius = PAGE_W - MARGIN - 16 * mm, top - 13 * mm, 11 * mm
        pdf.saveState()
        pdf.setDash(2, 2)
        pdf.setLineWidth(0.5)
        pdf.circle(seal_x, seal_y, radius)
        pdf.restoreState()
        pdf.setFont(FONT_NAME, 8)
        pdf.drawCentredString(seal_x, seal_y - 1 * mm, self.labels["seal"])

    def _wrapped(self, text, x, y, width, size):
        if not text:
            return
        self.pdf.setFont(FONT_NAME, size)
        limit = width - 4 * mm
        # most values fit on one line: measured once, not split word by word
        if "\n" not in text and stringWidth(text, FONT_NAME, size) <= limit:
            self.pdf.drawString(x, y, text)
            return
        for line in simpleSplit(text, FONT_NAME, size, limit)[:8]:
            self.pdf.drawString(x, y, line)
            y -= size * 1.3
