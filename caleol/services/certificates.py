"""Signing certificates: the demo organisation certificate, loading a PKCS#12 file,
and who a certificate names (an organisation for a seal, a person otherwise).

pyHanko is imported by the functions that use it (it takes seconds to import).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from caleol.errors import CaleolError

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers

log = logging.getLogger(__name__)

DEMO_ORGANISATION = "Vivest (démonstration)"
DEMO_VALIDITY_DAYS = 3 * 365


def create_demo_certificate(dest_p12: Path, passphrase: bytes,
                            organisation: str = DEMO_ORGANISATION) -> Path:
    """Self-signed organisation certificate and key as PKCS#12, for demos and tests.

    The certificate alone is also written next to it as PEM (`<name>.pem`), the file to
    add to the trusted certificates of whoever verifies the documents.

    Returns:
        The path of the PEM certificate.
    """
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, organisation),
    ])
    return write_self_signed(dest_p12, passphrase, name, friendly_name=organisation)


def write_self_signed(dest_p12: Path, passphrase: bytes, name: x509.Name, *,
                      friendly_name: str, extended_usage: x509.ObjectIdentifier | None = None
                      ) -> Path:
    """A self-signed certificate for `name` and its key: PKCS#12 plus the PEM beside it.

    `extended_usage` (e.g. time stamping, for a test TSA) is added as a critical
    extended key usage.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    now = datetime.now(UTC)
    builder = (
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
    )
    if extended_usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([extended_usage]),
                                        critical=True)
    cert = builder.sign(key, hashes.SHA256())
    dest_p12.parent.mkdir(parents=True, exist_ok=True)
    dest_p12.write_bytes(pkcs12.serialize_key_and_certificates(
        name=friendly_name.encode("utf-8"), key=key, cert=cert, cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    ))
    pem_path = dest_p12.with_suffix(".pem")
    pem_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pem_path


@dataclass(frozen=True)
class Certificate:
    """A PKCS#12 file opened for signing: the key stays in memory for one call.

    `person` is the name of the person the certificate was issued to (its given name
    and surname, or a common name with no organisation); empty for an organisation
    certificate (an organisation and no person's name: an electronic seal).
    """

    signer: Any = field(repr=False)  # pyhanko.sign.signers.SimpleSigner
    common_name: str
    organisation: str
    person: str
    issuer: str

    @property
    def subject(self) -> str:
        """How the certificate names its holder: the person, else the organisation."""
        return self.person or self.common_name or self.organisation or "?"


def load_certificate(p12_path: Path, passphrase: bytes) -> Certificate:
    """Open a PKCS#12 file.

    Raises:
        CaleolError: the file is missing, the passphrase wrong or the file invalid.
    """
    signer = _load_signer(p12_path, passphrase)
    cert = _signing_cert(signer)
    subject = cert.subject.native
    common = str(subject.get("common_name") or "")
    organisation = str(subject.get("organization_name") or "")
    given, surname = subject.get("given_name"), subject.get("surname")
    person = " ".join(str(p) for p in (given, surname) if p)
    if not person and not organisation:
        person = common  # a name alone: a person's certificate
    return Certificate(signer, common, organisation, person,
                       certificate_name(None, cert.issuer.native))


def certificate_name(cert: asn1_x509.Certificate | None,
                     native_name: dict[str, Any] | None = None) -> str:
    """The common name (else organisation) of a certificate or of a native name."""
    name = native_name if native_name is not None else (
        cert.subject.native if cert is not None else {})
    return str(name.get("common_name") or name.get("organization_name") or "?")


def _load_signer(p12_path: Path, passphrase: bytes) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    if not p12_path.is_file():
        raise CaleolError(f"Certificat de signature introuvable : {p12_path}")
    try:
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(
            p12_path, passphrase=passphrase)
    except (ValueError, TypeError, OSError) as exc:
        log.info("PKCS#12 %s not loaded: %s", p12_path, exc)
        signer = None
    if signer is None:
        raise CaleolError("Impossible d'ouvrir le certificat de signature : phrase secrète "
                          "incorrecte ou fichier PKCS#12 invalide.")
    _sign_with_loaded_key(signer)
    return signer


def _signing_cert(signer: signers.SimpleSigner) -> asn1_x509.Certificate:
    """The signer's certificate: pyHanko's signer may have none, a PKCS#12 file must."""
    cert = signer.signing_cert
    if cert is None:
        raise CaleolError("Le fichier PKCS#12 ne contient pas de certificat de signature.")
    return cert


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

    # This signer only signs with the key loaded once (why: the docstring above).
    signer.sign_raw = sign_raw  # type: ignore[method-assign]
