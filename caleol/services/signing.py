"""PDF signatures (PAdES baseline B-B) with pyHanko: fields, signing, verification.

The documents are rendered with empty visible signature fields; each signer fills
one field in its own incremental update, so a later signature never invalidates an
earlier one. The passphrase of the PKCS#12 file is only held in memory while signing.
Verification never touches the network: trust comes from the certificates given.

pyHanko is imported by the functions that use it, not with this module: it takes
seconds to import (aiohttp and all), and the documents import `SignatureSlot` from
here at the GUI's start-up, long before anything is signed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from caleol.errors import CaleolError

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)
# pyHanko logs every untrusted or broken signature with a traceback; keep that in the
# application log (when configured) and off the terminal of `caleol verify`.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

DEMO_ORGANISATION = "Vivest (démonstration)"
DEMO_VALIDITY_DAYS = 3 * 365

STAMP_TEXT = "Signé électroniquement par\n%(label)s\nCertificat : %(certificate)s\nLe %(ts)s"
STAMP_TIME_FORMAT = "%d/%m/%Y à %H:%M:%S %Z"
STAMP_WIDTH = 38  # characters per line of the visible stamp (Courier)


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


# --- certificates -------------------------------------------------------------------------


def create_demo_certificate(dest_p12: Path, passphrase: bytes,
                            organisation: str = DEMO_ORGANISATION) -> Path:
    """Self-signed organisation certificate and key as PKCS#12, for demos and tests.

    The certificate alone is also written next to it as PEM (`<name>.pem`), the file to
    add to the trusted certificates of whoever verifies the documents.

    Returns:
        The path of the PEM certificate.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, organisation),
    ])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=DEMO_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    dest_p12.parent.mkdir(parents=True, exist_ok=True)
    dest_p12.write_bytes(pkcs12.serialize_key_and_certificates(
        name=organisation.encode("utf-8"), key=key, cert=cert, cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    ))
    pem_path = dest_p12.with_suffix(".pem")
    pem_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pem_path


def _load_signer(p12_path: Path, passphrase: bytes) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    if not p12_path.is_file():
        raise CaleolError(f"Certificat de signature introuvable : {p12_path}")
    try:
        signer = signers.SimpleSigner.load_pkcs12(p12_path, passphrase=passphrase)
    except (ValueError, TypeError, OSError) as exc:
        log.info("PKCS#12 %s not loaded: %s", p12_path, exc)
        signer = None
    if signer is None:
        raise CaleolError("Impossible d'ouvrir le certificat de signature : phrase secrète "
                          "incorrecte ou fichier PKCS#12 invalide.")
    _sign_with_loaded_key(signer)
    return signer


def _sign_with_loaded_key(signer: signers.SimpleSigner) -> None:
    """Make `signer` use one loaded RSA key instead of re-reading it at every signature.

    pyHanko's `SimpleSigner.sign_raw` decodes the private key from DER each time, and
    cryptography validates an RSA key while decoding it (~0.4 s for 3072 bits); a
    field costs two raw signatures (size estimate, then the signature), so signing
    the PV's two fields spent ~1.7 s there. Other mechanisms keep pyHanko's own path.
    """
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    # Validated already when pyHanko read the PKCS#12 file: not a second time.
    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None,
                                             unsafe_skip_rsa_key_validation=True)
    if not isinstance(key, rsa.RSAPrivateKey):
        return
    pyhanko_sign_raw = signer.sign_raw

    def sign_raw(data: bytes, digest_algorithm: str) -> bytes:
        mechanism = signer.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm != "rsassa_pkcs1v15":
            return pyhanko_sign_raw(data, digest_algorithm)
        return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    signer.sign_raw = sign_raw  # type: ignore[method-assign]


# --- signing ------------------------------------------------------------------------------


def sign_pdf(pdf_bytes: bytes, p12_path: Path, passphrase: bytes, field_name: str,
             signer_label: str, *, reason: str = "Approbation du document",
             location: str = "") -> bytes:
    """Sign the existing visible field `field_name` (PAdES B-B, SHA-256).

    The signature is an incremental update: bytes already signed stay untouched.

    Raises:
        CaleolError: unreadable certificate or wrong passphrase, unknown or
            already-signed field.
    """
    return _sign_with(_load_signer(p12_path, passphrase), pdf_bytes, field_name,
                      signer_label, reason=reason, location=location)


def _sign_with(signer: signers.SimpleSigner, pdf_bytes: bytes, field_name: str,
               signer_label: str, *, reason: str, location: str) -> bytes:
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    try:
        reader_fields = {name: value for name, value, _ref
                         in fields.enumerate_sig_fields(
                             PdfFileReader(io.BytesIO(pdf_bytes), strict=False))}
    except PdfError as exc:
        raise CaleolError(f"Le fichier n'est pas un PDF lisible ({exc}).") from None
    if field_name not in reader_fields:
        raise CaleolError(f"Le document n'a pas de champ de signature « {field_name} ».",
                          details=[f"Champs présents : {', '.join(reader_fields) or 'aucun'}"])
    if reader_fields[field_name] is not None:
        raise CaleolError(f"Le champ de signature « {field_name} » est déjà signé.")
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_label,
        reason=reason,
        location=location or None,
    )
    style = stamp.TextStampStyle(stamp_text=STAMP_TEXT, timestamp_format=STAMP_TIME_FORMAT,
                                 border_width=1)
    pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=style)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    try:
        out = pdf_signer.sign_pdf(writer, existing_fields_only=True,
                                  appearance_text_params={
                                      "label": stamp_lines(signer_label),
                                      "certificate": certificate_name(signer.signing_cert),
                                  })
    except (SigningError, PdfError) as exc:
        raise CaleolError(f"La signature a échoué : {exc}") from None
    return out.getvalue()


def sign_fields(pdf_bytes: bytes, p12_path: Path, passphrase: bytes,
                labels: Mapping[str, str], *, location: str = "") -> bytes:
    """Sign several fields in turn (one incremental signature each), e.g. the PV's
    "Président" then "Secrétaire" with the organisation's certificate."""
    signer = _load_signer(p12_path, passphrase)  # the PKCS#12 key derivation is slow: once
    for field_name, label in labels.items():
        pdf_bytes = _sign_with(signer, pdf_bytes, field_name, label,
                               reason="Approbation du document", location=location)
    return pdf_bytes


def read_passphrase_file(path: Path) -> bytes:
    """The passphrase is the file's content without its final line break.

    Raises:
        CaleolError: the file cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Fichier de phrase secrète illisible : {path} ({exc.strerror})"
                          ) from None
    return data.removesuffix(b"\n").removesuffix(b"\r")


def stamp_lines(label: str, width: int = STAMP_WIDTH) -> str:
    """Wrap a long label so the stamp keeps a readable size (pyHanko shrinks to fit)."""
    return "\n".join(textwrap.wrap(label, width)) or label


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str  # certificate subject (organisation / person)
    label: str  # who signed, as given when signing (/Name)
    signed_at: datetime | None
    intact: bool  # the signed bytes were not modified
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the certificate chains to a trusted certificate
    modifications_allowed: bool  # later revisions only fill other fields
    covers_whole_file: bool
    problem: str = ""

    @property
    def ok(self) -> bool:
        return (self.intact and self.valid and self.trusted and self.modifications_allowed
                and not self.problem)


@dataclass(frozen=True)
class VerificationReport:
    signatures: tuple[SignatureReport, ...]
    sha256: str
    expected_sha256: str | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)  # each one fails the check
    notes: tuple[str, ...] = field(default_factory=tuple)  # information only

    @property
    def hash_matches(self) -> bool | None:
        if self.expected_sha256 is None:
            return None
        return self.sha256 == self.expected_sha256.strip().lower()

    @property
    def ok(self) -> bool:
        return (
            bool(self.signatures)
            and not self.problems
            and all(s.ok for s in self.signatures)
            and self.signatures[-1].covers_whole_file
            and self.hash_matches is not False
        )

    def text(self) -> str:
        """The French report printed by `caleol verify` and shown in the app."""
        lines: list[str] = []
        if not self.signatures and not self.problems:
            lines.append("Aucune signature électronique dans ce document.")
        for number, sig in enumerate(self.signatures, start=1):
            when = (sig.signed_at.astimezone(UTC).strftime("%d/%m/%Y à %H:%M:%S UTC")
                    if sig.signed_at else "date inconnue")
            who = f"{sig.label} (certificat : {sig.signer})" if sig.label else sig.signer
            lines.append(f"Signature {number} — champ « {sig.field_name} » : {who}, "
                         f"signée le {when}")
            if sig.intact:
                lines.append("  intégrité : intacte")
                lines.append("  signature cryptographique : " + ("valide" if sig.valid
                                                                 else "INVALIDE"))
                lines.append("  certificat : " + ("de confiance" if sig.trusted else
                                                  "NON RECONNU (absent des certificats de "
                                                  "confiance)"))
            else:
                lines.append("  intégrité : ALTÉRÉE (contenu modifié après signature)")
            if not sig.modifications_allowed:
                lines.append("  modifications ultérieures : NON AUTORISÉES")
            elif not sig.covers_whole_file:
                lines.append("  modifications ultérieures : signatures suivantes uniquement")
            if sig.problem:
                lines.append(f"  problème : {sig.problem}")
            lines.append("  → " + ("signature valide" if sig.ok else "SIGNATURE NON VALIDE"))
        if self.signatures and not self.signatures[-1].covers_whole_file:
            lines.append("Le fichier a été modifié après la dernière signature.")
        lines.extend(self.problems)
        lines.extend(self.notes)
        lines.append(f"Empreinte SHA-256 du fichier : {self.sha256}")
        if self.hash_matches is True:
            lines.append("Empreinte identique à celle enregistrée.")
        elif self.hash_matches is False:
            lines.append(f"EMPREINTE DIFFÉRENTE de celle enregistrée ({self.expected_sha256}).")
        lines.append("Résultat : " + ("document signé, intègre et authentique." if self.ok
                                      else "ÉCHEC de la vérification."))
        return "\n".join(lines)


def certificate_name(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "?")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_trusted_certificates(paths: Sequence[Path]) -> list[asn1_x509.Certificate]:
    """Read PEM or DER certificates.

    Raises:
        CaleolError: a file is missing or is not a certificate.
    """
    from pyhanko.keys import load_cert_from_pemder

    out = []
    for path in paths:
        try:
            out.append(load_cert_from_pemder(str(path)))
        except (OSError, ValueError) as exc:
            raise CaleolError(f"Certificat de confiance illisible : {path} ({exc})") from None
    return out


def verify_pdf(pdf_bytes: bytes, trusted_certs: Sequence[Path],
               expected_sha256: str | None = None) -> VerificationReport:
    """Check every signature of a PDF against the trusted certificates, offline.

    A signature is accepted when its signed bytes are intact, the cryptographic
    signature is valid, its certificate is one of (or chains to) `trusted_certs`, and
    any later revision only adds other signatures. With `expected_sha256`, the file's
    hash must match it too.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    digest = sha256_hex(pdf_bytes)
    roots = load_trusted_certificates(trusted_certs)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, OSError) as exc:
        return VerificationReport((), digest, expected_sha256,
                                  (f"Le fichier n'est pas un PDF lisible ({exc}).",))
    context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                revocation_mode="soft-fail")
    reports = [_verify_one(sig, context) for sig in embedded]
    return VerificationReport(tuple(reports), digest, expected_sha256)


def _verify_one(sig: object, context: ValidationContext) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature

    field_name = str(getattr(sig, "field_name", "?"))
    sig_object = getattr(sig, "sig_object", {})
    label = str(sig_object.get("/Name", "")) if hasattr(sig_object, "get") else ""
    try:
        status: PdfSignatureStatus = validate_pdf_signature(sig, context)  # type: ignore[arg-type]
    except Exception as exc:  # any parsing failure of a signature means "not valid"
        log.info("signature %s not validated: %s", field_name, exc)
        return SignatureReport(field_name, "?", label, None, False, False, False, False,
                               False, problem=f"signature illisible ({exc})")
    signer = certificate_name(status.signing_cert)
    return SignatureReport(
        field_name=field_name,
        signer=str(signer),
        label=label,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        modifications_allowed=bool(status.docmdp_ok) or status.modification_level is None,
        covers_whole_file=status.coverage is not None
        and status.coverage.name == "ENTIRE_FILE",
    )
