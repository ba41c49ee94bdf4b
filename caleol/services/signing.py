"""PDF signatures (PAdES): fields, signing, and the re-exports of verification.

The documents are rendered with empty visible signature fields; each signer fills
one field in its own incremental update, so a later signature never invalidates an
earlier one (nor the PDF/A conformance of the file). The passphrase of a PKCS#12
file is only held in memory while signing.

What a signature says it is: the label (/Name) and the visible stamp are given by
the caller (an organisation's electronic seal, or a person named from their
certificate). The signing time is taken once, in Europe/Paris time, and printed in
the stamp; with a timestamp server configured (RFC 3161), a token from it is added
to each signature (PAdES B-T), otherwise the stamp says the time is the computer's
clock. Only the signature's hash is sent to the timestamp server.

pyHanko is imported by the functions that use it, not with this module: it takes
seconds to import (aiohttp and all), and the documents import `SignatureSlot` from
here at the GUI's start-up, long before anything is signed.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from caleol.errors import CaleolError, os_error_reason
from caleol.fr import PARIS
from caleol.services.certificates import (
    DEMO_ORGANISATION,
    Certificate,
    create_demo_certificate,
    load_certificate,
)
from caleol.services.signature_check import (
    SignatureReport,
    TimestampReport,
    VerificationReport,
    load_trusted_certificates,
    paris_time,
    sha256_hex,
    verify_pdf,
)

if TYPE_CHECKING:
    from pyhanko.sign import signers

__all__ = [
    "DEMO_ORGANISATION",
    "Certificate",
    "FieldSignature",
    "SignatureReport",
    "SignatureSlot",
    "TimestampReport",
    "VerificationReport",
    "add_signature_fields",
    "create_demo_certificate",
    "load_certificate",
    "load_trusted_certificates",
    "paris_time",
    "read_passphrase_file",
    "sha256_hex",
    "sign_fields",
    "sign_pdf",
    "sign_signatures",
    "signature_field_names",
    "timestamp_host",
    "timestamp_note",
    "verify_pdf",
]

TIMESTAMP_TIMEOUT = 15  # seconds, per request to the timestamp server
DEFAULT_REASON = "Approbation du document"

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
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    for slot in slots:
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=slot.field_name, on_page=slot.page, box=slot.box,
        ))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signature_field_names(pdf_bytes: bytes) -> list[str]:
    """Names of the signature fields of a PDF, signed or not, in document order."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    return [name for name, _value, _ref in fields.enumerate_sig_fields(reader)]


# --- signing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSignature:
    """One signature to put in an existing empty field.

    `stamp` holds the visible stamp's first lines (the first one in bold); the
    signing time and how it was obtained are added below them.
    """

    field_name: str
    certificate: Certificate
    label: str  # who signs, in words: the signature's /Name
    stamp: tuple[str, ...]


def timestamp_host(timestamp_url: str) -> str:
    """The server's name as documents print it (`https://tsa.example/x` → `tsa.example`)."""
    return urlsplit(timestamp_url).hostname or timestamp_url


def timestamp_note(timestamp_url: str) -> str:
    """How the signing time is known, as the stamp says it."""
    if not timestamp_url:
        return "Heure donnée par l'ordinateur du signataire"
    return f"Horodatage RFC 3161 : {timestamp_host(timestamp_url)}"


def sign_signatures(pdf_bytes: bytes, signatures: Sequence[FieldSignature], *,
                    location: str = "", timestamp_url: str = "",
                    reason: str = DEFAULT_REASON,
                    clock: Callable[[], datetime] | None = None) -> bytes:
    """Sign each field in turn, one incremental update each (PAdES, SHA-256).

    Args:
        timestamp_url: RFC 3161 server; each signature then carries its token.
        clock: the signing time (tests); default: now, in Paris time.

    Raises:
        CaleolError: unknown or already-signed field, unreadable PDF, timestamp
            server unreachable or refusing (nothing is signed then).
    """
    timestamper = _timestamper(timestamp_url)
    sizes: dict[int, int] = {}
    for signature in signatures:
        moment = (clock or _now)().astimezone(PARIS).replace(microsecond=0)
        pdf_bytes = _sign_one(pdf_bytes, signature, moment, timestamper, timestamp_url,
                              reason=reason, location=location, sizes=sizes)
    return pdf_bytes


def sign_pdf(pdf_bytes: bytes, p12_path: Path, passphrase: bytes, field_name: str,
             signer_label: str, *, reason: str = DEFAULT_REASON,
             location: str = "", timestamp_url: str = "") -> bytes:
    """Sign the existing visible field `field_name` with a plain « signé par » stamp.

    Raises:
        CaleolError: unreadable certificate or wrong passphrase, unknown or
            already-signed field.
    """
    return sign_fields(pdf_bytes, p12_path, passphrase, {field_name: signer_label},
                       location=location, timestamp_url=timestamp_url, reason=reason)


def sign_fields(pdf_bytes: bytes, p12_path: Path, passphrase: bytes,
                labels: Mapping[str, str], *, location: str = "",
                timestamp_url: str = "", reason: str = DEFAULT_REASON) -> bytes:
    """Sign several fields in turn with one certificate (opened once: the PKCS#12 key
    derivation is slow), each stamp reading « Signé électroniquement par <label> »."""
    certificate = load_certificate(p12_path, passphrase)
    return sign_signatures(pdf_bytes, [
        FieldSignature(name, certificate, label,
                       ("Signé électroniquement par", label,
                        f"Certificat : {certificate.subject}"))
        for name, label in labels.items()
    ], location=location, timestamp_url=timestamp_url, reason=reason)


def _now() -> datetime:
    return datetime.now(PARIS)


def _timestamper(url: str) -> Any:
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=TIMESTAMP_TIMEOUT)


def _sign_one(pdf_bytes: bytes, signature: FieldSignature, moment: datetime,
              timestamper: Any, timestamp_url: str, *, reason: str, location: str,
              sizes: dict[int, int]) -> bytes:
    """One field signed in its own incremental update.

    `sizes`: the room pyHanko reserved for the signature container of each signer
    (by its id) in this run. pyHanko sizes it by making a whole dummy signature; the
    next field signed with the same certificate and timestamp server needs the same
    room, so it reuses the size instead (a tenth of a PV's signing time).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps import TimestampRequestError

    width, height = _empty_field_size(pdf_bytes, signature.field_name)
    metadata = signers.PdfSignatureMetadata(
        field_name=signature.field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signature.label,
        reason=reason,
        location=location or None,
    )
    lines = [*signature.stamp,
             f"Le {moment:%d/%m/%Y à %H:%M:%S} (heure de Paris)",
             timestamp_note(timestamp_url)]
    signer = signature.certificate.signer
    pdf_signer = _pdf_signer(metadata, signer, moment, timestamper,
                             _stamp_style(lines, width, height), sizes, id(signer))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    try:
        out = pdf_signer.sign_pdf(writer, existing_fields_only=True,
                                  bytes_reserved=sizes.get(id(signer)))
    except TimestampRequestError as exc:
        raise CaleolError(_timestamp_failure(timestamp_url, exc)) from None
    except (SigningError, PdfError) as exc:
        if timestamp_url and _caused_by(exc, (TimestampRequestError, OSError)):
            raise CaleolError(_timestamp_failure(timestamp_url, exc)) from None
        raise CaleolError(f"La signature a échoué : {exc}") from None
    except OSError as exc:  # timeouts are OSErrors too
        raise CaleolError(_timestamp_failure(timestamp_url, exc)) from None
    return bytes(out.getvalue())


def _timestamp_failure(url: str, exc: BaseException) -> str:
    return (f"Le serveur d'horodatage {url} n'a pas répondu ou a refusé la demande "
            f"({exc or type(exc).__name__}) : rien n'a été signé. Vérifiez l'adresse dans "
            "Paramètres, ou videz-la pour signer à l'heure de l'ordinateur.")


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, kinds):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _empty_field_size(pdf_bytes: bytes, field_name: str) -> tuple[float, float]:
    """Width and height of the empty signature field `field_name`.

    Raises:
        CaleolError: no such field, the field is signed already, or not a PDF.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    try:
        found = {name: (value, ref) for name, value, ref in fields.enumerate_sig_fields(
            PdfFileReader(io.BytesIO(pdf_bytes), strict=False))}
    except PdfError as exc:
        raise CaleolError(f"Le fichier n'est pas un PDF lisible ({exc}).") from None
    if field_name not in found:
        raise CaleolError(f"Le document n'a pas de champ de signature « {field_name} ».",
                          details=[f"Champs présents : {', '.join(found) or 'aucun'}"])
    value, ref = found[field_name]
    if value is not None:
        raise CaleolError(f"Le champ de signature « {field_name} » est déjà signé.")
    x1, y1, x2, y2 = (float(v) for v in ref.get_object()["/Rect"])
    return abs(x2 - x1), abs(y2 - y1)


def _stamp_style(lines: Sequence[str], width: float, height: float) -> Any:
    """The stamp: a page drawn by reportlab in DejaVu (embedded), at the field's size."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticStampStyle

    from caleol.services.documents.stamp import stamp_pdf

    page = stamp_pdf([(line, index == 0) for index, line in enumerate(lines)], width, height)
    return StaticStampStyle(
        background=_imported_page(page), border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0)))


def _imported_page(pdf: bytes) -> Any:
    """pyHanko's imported-page content (its ImportedPdfPage.render), read from bytes
    instead of a file."""
    import binascii
    import uuid

    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader

    class BytesPage(PdfContent):
        def render(self) -> bytes:
            writer = self._ensure_writer
            xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(pdf)), page_ix=0)
            name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
            self.resources.xobject[name.decode("ascii")] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name + b" Do"

    return BytesPage()


def _pdf_signer(metadata: Any, signer: signers.SimpleSigner, moment: datetime,
                timestamper: Any, stamp_style: Any, sizes: dict[int, int], key: int) -> Any:
    """pyHanko's PDF signer, signing at `moment` (the time the stamp prints) rather
    than at a clock reading of its own in the machine's time zone, and noting in
    `sizes[key]` the container size it estimates (see `_sign_one`)."""
    from pyhanko.sign import signers

    class AtMoment(signers.PdfSigner):
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False
                                 ) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = moment
            estimate = session.estimate_signature_container_size

            async def noted(validation_info: Any, tight: bool = False) -> int:
                size: int = await estimate(validation_info, tight)
                sizes[key] = size
                return size

            # this session notes the size it estimates (why: `_sign_one`)
            session.estimate_signature_container_size = noted  # type: ignore[method-assign]
            return session

    return AtMoment(metadata, signer=signer, stamp_style=stamp_style,
                    timestamper=timestamper)


def read_passphrase_file(path: Path) -> bytes:
    """The passphrase is the file's content without its final line break.

    Raises:
        CaleolError: the file cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Fichier de phrase secrète illisible : {path} "
                          f"({os_error_reason(exc)}).") from None
    return data.removesuffix(b"\n").removesuffix(b"\r")
