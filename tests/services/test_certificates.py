"""Opening a PKCS#12 file: what is refused, in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from caleol.errors import CaleolError
from caleol.services.certificates import load_certificate

PASS = b"secret"


def key_only_p12(folder: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = folder / "key-only.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"key", key, None, None, BestAvailableEncryption(PASS)))
    return path


def test_a_file_holding_a_key_without_its_certificate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaleolError, match="certificat de signature"):
        load_certificate(key_only_p12(tmp_path), PASS)


def test_a_signer_without_certificate_is_refused_by_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pyHanko's signer may hold no certificate (its signing_cert is optional): say so
    # rather than fail on the missing subject.
    path = key_only_p12(tmp_path)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    without_cert = signers.SimpleSigner(
        signing_key=translate_pyca_cryptography_key_to_asn1(key), signing_cert=None,
        cert_registry=SimpleCertificateStore())
    monkeypatch.setattr(signers.SimpleSigner, "load_pkcs12",
                        classmethod(lambda cls, *args, **kwargs: without_cert))
    with pytest.raises(CaleolError, match="ne contient pas de certificat de signature"):
        load_certificate(path, PASS)
