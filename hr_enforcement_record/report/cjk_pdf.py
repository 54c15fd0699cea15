"""What every printout of the addons shares: embedded CJK fonts (a proportional one and a
monospaced one for digests and codes: PDF/A-2b embeds every font, so no Courier), a canvas
that starts in them with the real author and date, and tables whose cells wrap their text,
drawn with reportlab (no wkhtmltopdf: every report prints on a machine set up by the
README's commands)."""

import os

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

FONT_NAME = "HrEnforcementCJK"
MONO_FONT_NAME = "HrEnforcementCJKMono"
# TrueType-outline CJK fonts that reportlab can embed (CFF-based OpenType such as Noto Sans
# CJK cannot be embedded by reportlab). The set-up installs fonts-wqy-microhei.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
LINE_H = 4.2 * mm
FONT_SIZE = 9


def find_font(configured=None):
    """Path of the first usable CJK font: the configured one, then the known candidates."""
    for path in filter(None, (configured, *FONT_CANDIDATES)):
        if os.path.isfile(path):
            return path
    return None


def register_font(path):
    """Register `path` once per process under FONT_NAME, and its monospaced face (the second
    face of a .ttc such as WenQuanYi Micro Hei Mono, else the same face) under
    MONO_FONT_NAME; returns the proportional font object."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
        try:
            mono = TTFont(MONO_FONT_NAME, path, subfontIndex=1)
        except TTFError:  # a font file of one face: digests use that face
            mono = TTFont(MONO_FONT_NAME, path, subfontIndex=0)
        pdfmetrics.registerFont(mono)
    return pdfmetrics.getFont(FONT_NAME)


def new_canvas(stream, font_path, pagesize, title, author):
    """A reportlab canvas whose pages start in the embedded CJK font (reportlab's default
    preamble names Helvetica, which is never embedded), dated now, with its author."""
    register_font(font_path)
    pdf = canvas.Canvas(
        stream, pagesize=pagesize, pageCompression=1, initialFontName=FONT_NAME, invariant=False
    )
    pdf.setTitle(title)
    pdf.setAuthor(author or "")
    pdf.setCreator("hr_enforcement")
    return pdf


def missing_glyphs(font, text):
    """Characters of `text` that the font cannot draw (they would print as empty boxes)."""
    cmap = font.face.charToGlyph
    return {char for char in text if not char.isspace() and ord(char) not in cmap}


def wrap(text, width, font=FONT_NAME, size=FONT_SIZE):
    """The lines of `text` that fit a column of `width` points (CJK text breaks anywhere)."""
    limit = width - 3 * mm
    lines, line = [], ""
    for char in text:
        if char == "\n" or (line and stringWidth(line + char, font, size) > limit):
            lines.append(line)
            line = ""
            if char == "\n":
                continue
        line += char
    return [*lines, line] if line or not lines else lines


class Table:
    """Rows of wrapped cells under a header repeated on each page. `columns`: (key, width
    in mm); `fonts`: optional {key: font name} (e.g. a monospace font for digests)."""

    def __init__(self, pdf, left, columns, fonts=None, bottom=20 * mm):
        self.pdf, self.left, self.columns = pdf, left, columns
        self.fonts = fonts or {}
        self.bottom = bottom

    def cells(self, values):
        return {
            key: wrap(str(values.get(key) or ""), width * mm, self.fonts.get(key, FONT_NAME))
            for key, width in self.columns
        }

    def height(self, cells, minimum=8 * mm):
        return max(minimum, max(len(lines) for lines in cells.values()) * LINE_H + 3 * mm)

    def fits(self, y, height):
        return y - height >= self.bottom

    def rows(self, y, rows, new_page, minimum=8 * mm):
        """Draw `rows` (dicts of the column keys) from `y` down; a row that does not fit
        goes on a new page, whose table top `new_page()` draws and returns. Returns the y
        below the last row."""
        for values in rows:
            cells = self.cells(values)
            height = self.height(cells, minimum)
            if not self.fits(y, height):
                self.pdf.showPage()
                y = new_page()
            y = self.row(y, height, cells)
        return y

    def row(self, y, height, cells):
        """Draw one row with its top at `y`; returns the y below it."""
        pdf, x = self.pdf, self.left
        for key, width in self.columns:
            pdf.setFont(self.fonts.get(key, FONT_NAME), FONT_SIZE)
            pdf.rect(x, y - height, width * mm, height)
            for number, line in enumerate(cells[key]):
                pdf.drawString(x + 1.5 * mm, y - 5.5 * mm - number * LINE_H, line)
            x += width * mm
        return y - height
