"""送达回证 (service receipt), one A4 page per receipt, written by our own small page writer
(`pdf_page_writer.PageWriter`): each page is written out as it is drawn, its compressed
content stream and a dictionary naming the shared resources, so that memory grows by about
a kilobyte per receipt and no object tree is formatted at the end. What every receipt of an
authority shares (its name, the title, the table and its labels, the issuer's row) is one
Form XObject drawn once per print run. The CJK fonts are embedded as subsets: a receipt
never relies on the reader's fonts.

What changes from one receipt to the next is written as content-stream operators directly:
its text encoded once per string, and its QR code — the PNG of one pixel per module stored
when the receipt version was issued — as an inline image whose data are the PNG's own
compressed rows (PDF's Flate filter reads PNG predictors): printing computes no QR matrix
and decodes no image.
"""

import binascii
import io
import struct

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from odoo.addons.hr_enforcement_record.report.cjk_pdf import (
    FONT_NAME,
    MONO_FONT_NAME,
    register_font,
)

from .pdf_page_writer import PageWriter

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
LABEL_W = 42 * mm
QR_SIZE = 32 * mm
TOP = PAGE_H - MARGIN
TABLE_TOP = TOP - 38 * mm
MASK_PATTERN = 2


def qr_png(data):
    """The QR code of `data` as a one-bit grey-scale PNG of one pixel per module, quiet
    zone included: made once when a receipt version is issued and stored with it."""
    # a fixed mask pattern spares the eight trial encodings that choosing the best one costs;
    # every mask gives a valid, readable code
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    modules = len(matrix)
    image = Image.new("1", (modules, modules), 1)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_inline_image(png):
    """The operators of an inline image showing the grey-scale PNG `png` in the unit square:
    its IDAT data as they are, undone by the Flate filter with PNG predictors (ISO 32000-1,
    7.4.4.4), hex-encoded to stay text in the content stream."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, idat = 8, []
    width = height = depth = None
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", data)
            if colour != 0 or interlace:
                raise ValueError("the stored QR code is not a plain grey-scale PNG")
        elif kind == b"IDAT":
            idat.append(data)
        elif kind == b"IEND":
            break
        position += 12 + length
    hexed = binascii.hexlify(b"".join(idat)).decode()
    return (
        f"BI /W {width} /H {height} /BPC {depth} /CS /G /F [/AHx /Fl] "
        f"/DP [null << /Predictor 15 /Colors 1 /BitsPerComponent {depth} /Columns {width} >>] "
        f"ID {hexed}> EI"
    )


def qr_ops(png, x, y, size):
    """Operators drawing the stored QR code `png` with its lower-left corner at (x, y), as
    an inline image (no object of its own, no decoding)."""
    return f"q {size:.2f} 0 0 {size:.2f} {x:.2f} {y:.2f} cm {png_inline_image(png)} Q"


class ReceiptWriter:
    """Writes receipts into one PDF on `stream`. Use `add(receipt)` per receipt (a dict
    from `hr.enforcement.service._get_receipt_data()`), then `close()`."""

    def __init__(self, stream, font_path, labels, title, author=""):
        register_font(font_path)
        self.labels = labels
        self.writer = PageWriter(stream, A4, (FONT_NAME, MONO_FONT_NAME), title, author)
        self.frames = {}  # (authority, issued on) -> the operator painting its frame

    def close(self):
        self.writer.close()

    def _text(self, x, y, text, size, font=FONT_NAME, align="left"):
        return self.writer.text(x, y, text, size, font, align)

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
        """The operator painting what every receipt of the authority shares: its name, the
        title, the table with its labels and the issuer's row (the authority, the date of
        issue and the seal's place). Drawn once per authority in a print run."""
        key = (receipt["authority"], receipt["issued_on"])
        if key in self.frames:
            return self.frames[key]
        ops = [
            self._text(PAGE_W / 2, TOP - 6 * mm, receipt["authority"], 12, align="centre"),
            self._text(PAGE_W / 2, TOP - 18 * mm, self.labels["title"], 22, align="centre"),
            "0.8 w",
        ]
        left, right, y = MARGIN, PAGE_W - MARGIN, TABLE_TOP
        for label, _value, height, dated in rows:
            ops.append(f"{left:.2f} {y - height:.2f} {right - left:.2f} {height:.2f} re S")
            ops.append(f"{left + LABEL_W:.2f} {y:.2f} m {left + LABEL_W:.2f} {y - height:.2f} l S")
            ops += self._wrapped(label, left + 2 * mm, y - 5 * mm, LABEL_W - 4 * mm, 10)
            if dated:
                date_line = self.labels["date_line"]
                ops.append(
                    self._text(right - 3 * mm, y - height + 3 * mm, date_line, 9, align="right")
                )
            y -= height
        ops += self._issuer(y + 26 * mm, receipt)
        self.frames[key] = self.writer.form(ops)
        return self.frames[key]

    def add(self, receipt):
        rows = self._rows(receipt)
        qr_x = PAGE_W - MARGIN - QR_SIZE
        code = receipt["code"]
        ops = [
            self._frame(receipt, rows),
            self._text(MARGIN, TOP - 28 * mm, f"{self.labels['case']}: {receipt['case']}", 9),
            # a receipt issued before the QR code was stored gets it made now
            qr_ops(receipt["qr_png"] or qr_png(code), qr_x, TOP - QR_SIZE + 4 * mm, QR_SIZE),
            self._text(
                qr_x + QR_SIZE / 2, TOP - QR_SIZE + 2 * mm, code, 6, MONO_FONT_NAME, align="centre"
            ),
        ]
        y = TABLE_TOP
        width = PAGE_W - 2 * MARGIN - LABEL_W
        for _label, value, height, _dated in rows:
            ops += self._wrapped(value, MARGIN + LABEL_W + 2 * mm, y - 5 * mm, width, 10)
            y -= height
        ops.append(self._text(MARGIN, y - 6 * mm, receipt["footer"], 8))
        self.writer.page(ops)

    def _issuer(self, top, receipt):
        """The last row: the authority and the issue date, and a dashed circle where the
        authority's seal goes (送达机关（印章）)."""
        x = MARGIN + LABEL_W + 2 * mm
        seal_x, seal_y, radius = PAGE_W - MARGIN - 16 * mm, top - 13 * mm, 11 * mm
        issued = f"{self.labels['issued_on']}: {receipt['issued_on']}"
        return [
            self._text(x, top - 7 * mm, receipt["authority"], 11),
            self._text(x, top - 15 * mm, issued, 10),
            f"q [2 2] 0 d 0.5 w {self.writer.circle(seal_x, seal_y, radius)} S Q",
            self._text(seal_x, seal_y - 1 * mm, self.labels["seal"], 8, align="centre"),
        ]

    def _wrapped(self, text, x, y, width, size):
        """Operators showing `text` from (x, y) down, wrapped to `width`, at most 8 lines."""
        if not text:
            return []
        limit = width - 4 * mm
        # most values fit on one line: measured once, not split word by word
        if "\n" not in text and stringWidth(text, FONT_NAME, size) <= limit:
            return [self._text(x, y, text, size)]
        ops = []
        for line in simpleSplit(text, FONT_NAME, size, limit)[:8]:
            ops.append(self._text(x, y, line, size))
            y -= size * 1.3
        return ops
