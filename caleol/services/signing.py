"""PDF signatures (PAdES baseline B-B) with pyHanko: fields, signing, verification.

The documents are rendered with empty visible signature fields; each signer fills
one field in its own incremental update, so a later signature never invalidates an
earlier one. The passphrase of the PKCS#12 file is only held in memory while signing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields


@dataclass(frozen=True)
class SignatureSlot:
    """Where a visible signature field goes: 0-based page and box in PDF points."""

    field_name: str
    page: int
    box: tuple[int, int, int, int]  # x1, y1, x2, y2


def add_signature_fields(pdf_bytes: bytes, slots: Sequence[SignatureSlot]) -> bytes:
    """Add empty visible signature fields (an incremental update of the rendered PDF)."""
    if not slots:
        return pdf_bytes
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    for slot in slots:
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=slot.field_name, on_page=slot.page, box=slot.box,
        ))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
