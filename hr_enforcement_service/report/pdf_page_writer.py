"""A small PDF writer for many pages of one layout (the 送达回证 of a print run).

reportlab's canvas builds and formats a tree of objects for every page; a print run of
hundreds of receipts spent most of its time there. This writer writes each object once, as
bytes, in order: a page is its compressed content stream and a dictionary that names the
shared resources. What the pages share (the frame of the form) is one Form XObject; the
embedded fonts are reportlab's TrueType subsets (its `TTFont` assigns the codes and makes the
subset files), written at the end with their widths and ToUnicode maps, so that the text is
searchable and copyable (pdftotext gives the Chinese back). The result is made PDF/A-2b by
`to_pdfa` like every other printout. Nothing here imports Odoo.
"""

import hashlib
import math
import re
import zlib
from datetime import datetime, timezone

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, makeToUnicodeCMap

CATALOG, PAGES, RESOURCES = 1, 2, 3
KAPPA = 4 * (math.sqrt(2) - 1) / 3  # a quarter circle as one Bézier curve
RUNS = re.compile(r"(.)\1*", re.DOTALL)  # runs of one subset's digit


def pdf_string(text):
    """`text` as a PDF text string (UTF-16BE with its byte-order mark), for the Info."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _SubsetKey:
    """The key of this document's subsets in reportlab's per-document font state."""


class PageWriter:
    """Write pages of `size` (width, height in points) into `stream` with the registered
    reportlab fonts `font_names`: `form(ops)` once per shared drawing, `page(ops)` per page
    (`ops`: content-stream operators, text from `text()`), then `close()`."""

    def __init__(self, stream, size, font_names, title, author=""):
        self.stream, self.size = stream, size
        self.title, self.author = title, author
        self.fonts = {name: getFont(name) for name in font_names}
        self.prefixes = {name: f"F{index}" for index, name in enumerate(font_names, 1)}
        self.key = _SubsetKey()
        self.shown = {}  # (font, size, text) -> its text-showing operators, encoded once
        # per font: {character: its subset's digit} and {subset: {character: its byte}}, as
        # translation tables, so that a string is split and encoded at C speed
        self.subset_of = {name: {} for name in font_names}
        self.byte_of = {name: {} for name in font_names}
        self.known = {name: set() for name in font_names}
        self.offsets = {}
        self.next_number = RESOURCES + 1
        self.pages, self.forms = [], {}
        stream.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    # ------------------------------------------------------------------ objects
    def _reserve(self):
        number, self.next_number = self.next_number, self.next_number + 1
        return number

    def _object(self, body, number=None):
        number = number or self._reserve()
        self.offsets[number] = self.stream.tell()
        self.stream.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        return number

    def _stream(self, data, entries=b"", number=None):
        # level 1: a page's operators shrink almost as much, several times faster
        packed = zlib.compress(data, 1)
        body = b"<< %s/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
            entries,
            len(packed),
            packed,
        )
        return self._object(body, number)

    # ------------------------------------------------------------------ drawing
    def text(self, x, y, text, size, font, align="left"):
        """Operators showing `text` at (x, y) in `font` (a registered name); `align`
        left, centre or right of x."""
        if align != "left":
            width = stringWidth(text, font, size)
            x -= width / 2 if align == "centre" else width
        shown = self.shown.get((font, size, text))
        if shown is None:
            prefix = self.prefixes[font]
            shown = self.shown[font, size, text] = " ".join(
                f"/{prefix}+{subset} {size} Tf ({escapePDF(chunk)}) Tj"
                for subset, chunk in self._encode(font, text)
            )
        return f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {shown} ET"

    def _encode(self, font, text):
        """[(subset, bytes)] of `text`: reportlab's `splitString` gives each new character
        its code (a code once given stays the character's in the document); the known
        ones are looked up through translation tables."""
        subset_of, byte_of = self.subset_of[font], self.byte_of[font]
        text = text.replace("\xa0", " ")  # reportlab draws a no-break space as a space
        known = self.known[font]
        for char in set(text) - known:
            ((subset, code),) = self.fonts[font].splitString(char, self.key)
            subset_of[ord(char)] = chr(48 + subset)
            byte_of.setdefault(subset, {})[ord(char)] = chr(code[0])
            known.add(char)
        chunks = []
        for run in RUNS.finditer(text.translate(subset_of)):
            subset = ord(run.group(1)) - 48
            part = text[run.start() : run.end()]
            chunks.append((subset, part.translate(byte_of[subset]).encode("latin-1")))
        return chunks

    @staticmethod
    def circle(x, y, radius):
        """Operators of a circle's path (stroke it with S)."""
        k = radius * KAPPA
        points = [
            (x + radius, y, x + radius, y + k, x + k, y + radius, x, y + radius),
            (x, y + radius, x - k, y + radius, x - radius, y + k, x - radius, y),
            (x - radius, y, x - radius, y - k, x - k, y - radius, x, y - radius),
            (x, y - radius, x + k, y - radius, x + radius, y - k, x + radius, y),
        ]
        path = [f"{points[0][0]:.2f} {points[0][1]:.2f} m"]
        path += [" ".join(f"{v:.2f}" for v in p[2:]) + " c" for p in points]
        return " ".join(path)

    def form(self, ops):
        """A Form XObject of the page's size drawn by `ops`; returns the operator that
        paints it on a page."""
        name = f"Fm{len(self.forms)}"
        width, height = self.size
        self.forms[name] = self._stream(
            "\n".join(ops).encode("latin-1"),
            b"/Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources %d 0 R "
            % (width, height, RESOURCES),
        )
        return f"/{name} Do"

    def page(self, ops):
        contents = self._stream("\n".join(ops).encode("latin-1"))
        width, height = self.size
        self.pages.append(
            self._object(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources %d 0 R "
                b"/Contents %d 0 R >>" % (PAGES, width, height, RESOURCES, contents)
            )
        )

    # ------------------------------------------------------------------ closing
    def _font_objects(self):
        """{resource name: font object} of every subset the pages used."""
        written = {}
        for name, face in self.fonts.items():
            state = face.state.pop(self.key, None)
            for index, subset in enumerate(state.subsets if state else []):
                written[f"{self.prefixes[name]}+{index}"] = self._subset_font(face, index, subset)
        return written

    def _subset_font(self, font, index, subset):
        face = font.face
        base = (SUBSETN(index) + b"+" + face.name + face.subfontNameX).decode("latin-1")
        program = face.makeSubset(subset)
        font_file = self._stream(program, b"/Length1 %d " % len(program))
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        bbox = " ".join(str(v) for v in face.bbox)
        descriptor = self._object(
            (
                f"<< /Type /FontDescriptor /FontName /{base} /Flags {flags} /FontBBox [{bbox}] "
                f"/ItalicAngle {face.italicAngle} /Ascent {face.ascent} /Descent {face.descent} "
                f"/CapHeight {face.capHeight} /StemV {face.stemV} /FontFile2 {font_file} 0 R >>"
            ).encode("latin-1")
        )
        to_unicode = self._stream(makeToUnicodeCMap(base, subset).encode("latin-1"))
        widths = " ".join(str(face.getCharWidth(code)) for code in subset)
        return self._object(
            (
                f"<< /Type /Font /Subtype /TrueType /BaseFont /{base} /FirstChar 0 "
                f"/LastChar {len(subset) - 1} /Widths [{widths}] /FontDescriptor {descriptor} "
                f"0 R /ToUnicode {to_unicode} 0 R >>"
            ).encode("latin-1")
        )

    def close(self):
        if not self.pages:  # an empty PDF is not a valid document
            self.page([])
        fonts = self._font_objects()
        font_dict = " ".join(f"/{name} {number} 0 R" for name, number in fonts.items())
        xobjects = " ".join(f"/{name} {number} 0 R" for name, number in self.forms.items())
        self._object(
            f"<< /ProcSet [/PDF /Text /ImageB] /Font << {font_dict} >> "
            f"/XObject << {xobjects} >> >>".encode("latin-1"),
            RESOURCES,
        )
        kids = " ".join(f"{number} 0 R" for number in self.pages)
        self._object(f"<< /Type /Pages /Kids [{kids}] /Count {len(self.pages)} >>".encode(), PAGES)
        self._object(b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES, CATALOG)
        now = datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
        info = self._object(
            (
                f"<< /Title {pdf_string(self.title)} /Author {pdf_string(self.author)} "
                f"/Creator (hr_enforcement) /CreationDate ({now}) /ModDate ({now}) >>"
            ).encode("latin-1")
        )
        xref = self.stream.tell()
        count = self.next_number
        lines = [b"xref\n0 %d\n" % count, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self.offsets[n] for n in range(1, count)]
        self.stream.write(b"".join(lines))
        file_id = hashlib.sha256(b"%d %s" % (xref, now.encode())).hexdigest()[:32]
        self.stream.write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n"
            % (count, CATALOG, info, file_id.encode(), file_id.encode(), xref)
        )
