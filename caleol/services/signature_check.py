"""Verification of a signed PDF, offline: integrity, signature, trust, timestamp.

Trust comes only from the certificates given (the settings' trusted certificates
and `--trust`); nothing is fetched from the network. Times are shown in Paris time.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from caleol.errors import CaleolError
from caleol.fr import PARIS
from caleol.services.certificates import certificate_name

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)
# pyHanko logs every untrusted or broken signature with a traceback; keep that in the
# application log (when configured) and off the terminal of `caleol verify`.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())



def paris_time(moment: datetime) -> str:
    """`03/12/2026 à 10:56:02 (heure de Paris)`; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return f"{moment.astimezone(PARIS):%d/%m/%Y à %H:%M:%S} (heure de Paris)"


@dataclass(frozen=True)
class TimestampReport:
    """The RFC 3161 timestamp token of a signature."""

    at: datetime
    authority: str  # the time-stamping authority's certificate name
    intact: bool
    valid: bool
    trusted: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


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
    timestamp: TimestampReport | None = None

    @property
    def ok(self) -> bool:
        return (self.intact and self.valid and self.trusted and self.modifications_allowed
                and not self.problem and (self.timestamp is None or self.timestamp.ok))


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
            lines += _signature_lines(number, sig)
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


def _signature_lines(number: int, sig: SignatureReport) -> list[str]:
    when = paris_time(sig.signed_at) if sig.signed_at else "date inconnue"
    who = f"{sig.label} (certificat : {sig.signer})" if sig.label else sig.signer
    lines = [f"Signature {number} — champ « {sig.field_name} » : {who}, signée le {when}"]
    if sig.intact:
        lines.append("  intégrité : intacte")
        lines.append("  signature cryptographique : " + ("valide" if sig.valid
                                                         else "INVALIDE"))
        lines.append("  certificat : " + ("de confiance" if sig.trusted else
                                          "NON RECONNU (absent des certificats de "
                                          "confiance)"))
    else:
        lines.append("  intégrité : ALTÉRÉE (contenu modifié après signature)")
    stamp = sig.timestamp
    if stamp is None:
        lines.append("  horodatage : aucun (heure donnée par l'horloge de l'ordinateur "
                     "du signataire)")
    else:
        state = ("valide, autorité de confiance" if stamp.ok else
                 "JETON ALTÉRÉ OU INVALIDE" if not (stamp.intact and stamp.valid) else
                 "valide, mais autorité NON RECONNUE (absente des certificats de confiance)")
        lines.append(f"  horodatage RFC 3161 : {paris_time(stamp.at)}, par "
                     f"{stamp.authority} — {state}")
    if not sig.modifications_allowed:
        lines.append("  modifications ultérieures : NON AUTORISÉES")
    elif not sig.covers_whole_file:
        lines.append("  modifications ultérieures : signatures suivantes uniquement")
    if sig.problem:
        lines.append(f"  problème : {sig.problem}")
    lines.append("  → " + ("signature valide" if sig.ok else "SIGNATURE NON VALIDE"))
    return lines


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
    signature is valid, its certificate is one of (or chains to) `trusted_certs`, any
    later revision only adds other signatures, and its timestamp token, if any, is
    intact and from a trusted authority. With `expected_sha256`, the file's hash must
    match it too.
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


def _verify_one(sig: EmbeddedPdfSignature, context: ValidationContext) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature

    field_name = str(getattr(sig, "field_name", "?"))
    sig_object = getattr(sig, "sig_object", {})
    label = str(sig_object.get("/Name", "")) if hasattr(sig_object, "get") else ""
    try:
        status: PdfSignatureStatus = validate_pdf_signature(
            sig, context, ts_validation_context=context)
    except Exception as exc:  # any parsing failure of a signature means "not valid"
        log.info("signature %s not validated: %s", field_name, exc)
        return SignatureReport(field_name, "?", label, None, False, False, False, False,
                               False, problem=f"signature illisible ({exc})")
    stamp = status.timestamp_validity
    timestamp = None if stamp is None else TimestampReport(
        at=stamp.timestamp, authority=certificate_name(stamp.signing_cert),
        intact=bool(stamp.intact), valid=bool(stamp.valid), trusted=bool(stamp.trusted))
    return SignatureReport(
        field_name=field_name,
        signer=certificate_name(status.signing_cert),
        label=label,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        modifications_allowed=bool(status.docmdp_ok) or status.modification_level is None,
        covers_whole_file=status.coverage is not None
        and status.coverage.name == "ENTIRE_FILE",
        timestamp=timestamp,
    )
