"""PDF/A-2b for the records kept for decades (procès-verbaux, rectificatifs).

reportlab lays the pages out (DejaVu embedded, RGB colours, no transparency); this
rewrites the file once with what ISO 19005-2 level B adds: XMP metadata declaring
part 2 / conformance B and mirroring the document information dictionary, and an
sRGB output intent carrying the shipped ICC profile (`resources/icc`). The
signature fields and the signatures that follow are incremental updates: pyHanko
keeps the XMP and the information dictionary in step at each one, so the signed
file stays PDF/A.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from caleol import paths

PDFA_PART = "2"
PDFA_CONFORMANCE = "B"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


@dataclass(frozen=True)
class DocumentInfo:
    """What the XMP and the information dictionary both say about a document."""

    title: str
    author: str
    subject: str
    creator: str = "caleol"
    created: datetime | None = None  # None: now
    keywords: tuple[str, ...] = ()  # /Keywords and pdf:Keywords (the audit anchor of a PV)


def icc_profile() -> bytes:
    return (paths.resources_dir() / "icc" / "sRGB.icc").read_bytes()


def to_pdfa(pdf: bytes, info: DocumentInfo) -> bytes:
    """`pdf` (as reportlab wrote it) rewritten as PDF/A-2b."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string
    from pyhanko.pdf_utils.metadata import model
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    # A fresh information dictionary holding only the entries the XMP mirrors, each
    # then written from the same metadata as the XMP (reportlab's own /Producer,
    # /Keywords and /Trapped would have no XMP twin).
    placeholders = generic.DictionaryObject({
        pdf_name(key): pdf_string("") for key in
        ("/Title", "/Author", "/Subject", "/Creator", "/CreationDate", "/ModDate")
    })
    # Keywords are written here, in both places, as PDF/A names them: pyHanko's own
    # metadata would put them in XMP as `pdf:keywords`, not the `pdf:Keywords` that
    # must mirror /Keywords (ISO 19005-2, 6.6.2.3.1). Later revisions keep both.
    keywords = ",".join(info.keywords)
    if keywords:
        placeholders[pdf_name("/Keywords")] = pdf_string(keywords)
    writer = copy_into_new_writer(reader, writer_kwargs={"info": None})
    writer._info = writer.add_object(placeholders)
    meta = writer.document_meta
    meta.title = info.title
    meta.author = info.author
    meta.subject = info.subject
    meta.creator = info.creator
    meta.created = info.created or "now"
    meta.xmp_extra = [model.XmpStructure.of(
        (model.ExpandedName(model.NS["pdfaid"], "part"), model.XmpValue(PDFA_PART)),
        (model.ExpandedName(model.NS["pdfaid"], "conformance"),
         model.XmpValue(PDFA_CONFORMANCE)),
    )]
    if keywords:
        meta.xmp_extra.append(model.XmpStructure.of(
            (model.ExpandedName(model.NS["pdf"], "Keywords"), model.XmpValue(keywords))))
    profile = generic.StreamObject({pdf_name("/N"): generic.NumberObject(3)},
                                   stream_data=icc_profile())
    profile.compress()
    writer.root[pdf_name("/OutputIntents")] = generic.ArrayObject([
        writer.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/OutputIntent"),
            pdf_name("/S"): pdf_name("/GTS_PDFA1"),
            pdf_name("/OutputConditionIdentifier"): pdf_string(OUTPUT_CONDITION),
            pdf_name("/Info"): pdf_string(OUTPUT_CONDITION),
            pdf_name("/DestOutputProfile"): writer.add_object(profile),
        }))
    ])
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
