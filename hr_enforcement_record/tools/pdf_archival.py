"""PDF/A-2b (ISO 19005-2, level B) for every printout the archive keeps (DA/T 47: 版式文件
in PDF/A; R14, R23.1): the reportlab writers embed every font; this adds what they cannot
write, as one incremental update with pyHanko:

- the XMP metadata stream with the PDF/A identification (pdfaid:part 2, conformance B), the
  title, the author and the real creation date, and a document information dictionary that
  says the same (PDF/A requires the two to agree; reportlab's own says otherwise);
- an sRGB output intent (the ICC profile built by Pillow's LittleCMS), so that the
  device-dependent colours of the pages are defined.

A signature added later (pdf_signer) is one more incremental update, which PDF/A-2 permits.
Nothing here imports Odoo."""

import io
from datetime import datetime, timezone
from functools import lru_cache

from PIL import ImageCms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model

SRGB = "sRGB IEC61966-2.1"
CREATOR = "hr_enforcement"


@lru_cache(maxsize=1)
def srgb_profile():
    """The bytes of an sRGB ICC profile (made once per process)."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _name(value):
    return generic.NameObject(value)


def to_pdfa(pdf_bytes, title, author, created=None):
    """`pdf_bytes` made PDF/A-2b: XMP with the identification, title, author and creation
    time (`created`, aware datetime; now by default), and the sRGB output intent."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    profile = generic.StreamObject(
        {_name("/N"): generic.NumberObject(3)}, stream_data=srgb_profile()
    )
    profile.compress()
    intent = generic.DictionaryObject(
        {
            _name("/Type"): _name("/OutputIntent"),
            _name("/S"): _name("/GTS_PDFA1"),
            _name("/OutputConditionIdentifier"): generic.TextStringObject(SRGB),
            _name("/Info"): generic.TextStringObject(SRGB),
            _name("/DestOutputProfile"): writer.add_object(profile),
        }
    )
    writer.root[_name("/OutputIntents")] = generic.ArrayObject([writer.add_object(intent)])
    created = created or datetime.now(timezone.utc)
    info = {
        "/Title": generic.TextStringObject(title),
        "/Creator": generic.TextStringObject(CREATOR),
        # pyHanko writes its own name as the producer in the XMP and keeps an Info
        # producer that already names it: the two agree
        "/Producer": generic.TextStringObject(model.VENDOR),
        "/CreationDate": generic.pdf_date(created),
        "/ModDate": generic.pdf_date(created),
    }
    if author:
        info["/Author"] = generic.TextStringObject(author)
    writer.set_info(generic.DictionaryObject({_name(k): v for k, v in info.items()}))
    meta = writer.document_meta
    meta.title = title
    meta.author = author or None
    meta.creator = CREATOR
    meta.created = created
    meta.xmp_extra = [
        model.XmpStructure.of(
            (model.ExpandedName(model.NS["pdfaid"], "part"), model.XmpValue("2")),
            (model.ExpandedName(model.NS["pdfaid"], "conformance"), model.XmpValue("B")),
        )
    ]
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
