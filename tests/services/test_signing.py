"""PAdES signatures: two signers, tampering, trust, hash; cross-checked with poppler's pdfsig."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from caleol.errors import CaleolError
from caleol.services.documents.data import SignatureMode, SigningPlan
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.signing import (
    create_demo_certificate,
    sha256_hex,
    sign_fields,
    sign_pdf,
    signature_field_names,
    verify_pdf,
)

PASS = b"correct horse battery staple"


@pytest.fixture(scope="module")
def demo_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cert")
    p12 = folder / "vivest-demo.p12"
    pem = create_demo_certificate(p12, PASS)
    return p12, pem


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    """The PV as rendered to be sealed: PDF/A with its two empty fields."""
    return render_minutes(sample_minutes_data(2, 3),
                          SigningPlan(SignatureMode.SEAL, organisation="Vivest"))


@pytest.fixture(scope="module")
def signed_once(unsigned: bytes, demo_cert: tuple[Path, Path]) -> bytes:
    p12, _ = demo_cert
    return sign_pdf(unsigned, p12, PASS, "Président", "Mme Brigitte Kieffer, présidente",
                    location="Forbach")


@pytest.fixture(scope="module")
def signed_twice(signed_once: bytes, demo_cert: tuple[Path, Path]) -> bytes:
    p12, _ = demo_cert
    return sign_pdf(signed_once, p12, PASS, "Secrétaire", "M. Thomas Lefèvre, secrétaire")


def pdfsig(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


def first_signed_range_end(pdf: bytes) -> int:
    """End of the first byte range of the first signature: everything before is signed."""
    match = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf)
    assert match
    return int(match[1])


def test_demo_certificate_is_a_protected_pkcs12_plus_a_pem(demo_cert) -> None:
    p12, pem = demo_cert
    assert pem == p12.with_suffix(".pem")
    cert = x509.load_pem_x509_certificate(pem.read_bytes())
    assert "Vivest (démonstration)" in cert.subject.rfc4514_string()
    assert cert.issuer == cert.subject  # self-signed
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    key, loaded, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), PASS)
    assert key is not None and loaded == cert
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12.read_bytes(), b"wrong")
    assert PASS not in p12.read_bytes()


def test_rendered_pv_has_two_empty_fields(unsigned: bytes) -> None:
    assert signature_field_names(unsigned) == ["Président", "Secrétaire"]
    assert verify_pdf(unsigned, []).signatures == ()
    assert not verify_pdf(unsigned, []).ok
    assert "Aucune signature électronique" in verify_pdf(unsigned, []).text()


def test_two_signatures_are_both_valid_and_trusted(signed_twice, demo_cert) -> None:
    _, pem = demo_cert
    report = verify_pdf(signed_twice, [pem])
    assert report.ok, report.text()
    assert [s.field_name for s in report.signatures] == ["Président", "Secrétaire"]
    for sig in report.signatures:
        assert sig.intact and sig.valid and sig.trusted and sig.modifications_allowed
        assert sig.signer == "Vivest (démonstration)"
        assert sig.signed_at is not None
    assert report.signatures[0].label == "Mme Brigitte Kieffer, présidente"
    assert not report.signatures[0].covers_whole_file  # the second signature follows
    assert report.signatures[1].covers_whole_file
    assert "Résultat : document signé, intègre et authentique." in report.text()


def test_both_fields_signed_in_one_run_size_their_container_once(
        unsigned, demo_cert, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyHanko sizes a container by making a dummy signature: the second field signed
    with the same certificate reuses the size of the first, and both stay valid."""
    from pyhanko.sign.signers.pdf_signer import PdfSigningSession

    p12, pem = demo_cert
    estimated: list[int] = []
    estimate = PdfSigningSession.estimate_signature_container_size

    async def counted(self: PdfSigningSession, *args: object, **kwargs: object) -> int:
        size: int = await estimate(self, *args, **kwargs)
        estimated.append(size)
        return size

    monkeypatch.setattr(PdfSigningSession, "estimate_signature_container_size", counted)
    pdf = sign_fields(unsigned, p12, PASS, {"Président": "Mme Brigitte Kieffer",
                                            "Secrétaire": "M. Thomas Lefèvre"})
    assert len(estimated) == 1
    report = verify_pdf(pdf, [pem])
    assert report.ok, report.text()
    assert [s.field_name for s in report.signatures] == ["Président", "Secrétaire"]
    contents = re.findall(rb"/Contents <([0-9A-Fa-f]+)>", pdf)
    assert len(contents) == 2 and len(contents[0]) == len(contents[1]) == estimated[0]


def test_second_signature_leaves_the_first_revision_untouched(signed_once, signed_twice,
                                                             unsigned) -> None:
    assert signed_twice.startswith(signed_once)
    assert signed_once.startswith(unsigned)
    assert sha256_hex(signed_twice) != sha256_hex(signed_once)


def test_pdfsig_accepts_both_signatures(signed_twice, tmp_path) -> None:
    out = pdfsig(signed_twice, tmp_path)
    assert out.count("Signature #") == 2
    assert out.count("Signature Validation: Signature is Valid.") == 2
    assert "Signature Field Name: Président" in out
    assert "Total document signed" in out


def test_a_flipped_byte_inside_the_signed_range_fails_here_and_in_pdfsig(
        signed_twice, demo_cert, tmp_path) -> None:
    _, pem = demo_cert
    end = first_signed_range_end(signed_twice)
    tampered = bytearray(signed_twice)
    position = end // 2
    tampered[position] ^= 0x01
    report = verify_pdf(bytes(tampered), [pem])
    assert not report.ok
    assert not any(s.intact for s in report.signatures)
    assert "ALTÉRÉE" in report.text()
    assert "ÉCHEC" in report.text()
    out = pdfsig(bytes(tampered), tmp_path)
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out


def test_untrusted_certificate_is_reported(signed_twice, tmp_path) -> None:
    other_pem = create_demo_certificate(tmp_path / "other.p12", b"x", "Autre bailleur")
    for trust in ([], [other_pem]):
        report = verify_pdf(signed_twice, trust)
        assert not report.ok
        assert all(s.intact and s.valid and not s.trusted for s in report.signatures)
        assert "NON RECONNU" in report.text()


def test_expected_hash_is_compared(signed_twice, demo_cert) -> None:
    _, pem = demo_cert
    good = sha256_hex(signed_twice)
    assert verify_pdf(signed_twice, [pem], good.upper()).ok
    bad = verify_pdf(signed_twice, [pem], "0" * 64)
    assert bad.hash_matches is False and not bad.ok
    assert "EMPREINTE DIFFÉRENTE" in bad.text()


def test_an_unsigned_change_after_signing_is_refused(signed_twice, demo_cert) -> None:
    _, pem = demo_cert
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_twice))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    fake = writer.add_object(generic.StreamObject(stream_data=b"BT 100 100 Td (FAUX) Tj ET"))
    page[generic.NameObject("/Contents")] = fake
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), [pem])
    assert not report.ok
    assert not report.signatures[-1].covers_whole_file
    assert "modifié après la dernière signature" in report.text()


def test_signing_errors_are_french_caleol_errors(unsigned, signed_once, demo_cert,
                                                tmp_path) -> None:
    p12, _ = demo_cert
    with pytest.raises(CaleolError, match="phrase secrète incorrecte"):
        sign_pdf(unsigned, p12, b"wrong", "Président", "x")
    with pytest.raises(CaleolError, match="déjà signé"):
        sign_pdf(signed_once, p12, PASS, "Président", "x")
    with pytest.raises(CaleolError, match="pas de champ de signature « Trésorier »"):
        sign_pdf(unsigned, p12, PASS, "Trésorier", "x")
    with pytest.raises(CaleolError, match="introuvable"):
        sign_pdf(unsigned, tmp_path / "absent.p12", PASS, "Président", "x")
    with pytest.raises(CaleolError, match="pas un PDF"):
        sign_pdf(b"not a pdf", p12, PASS, "Président", "x")


def test_garbage_is_reported_not_raised(demo_cert) -> None:
    _, pem = demo_cert
    report = verify_pdf(b"%PDF-1.4 garbage", [pem])
    assert not report.ok
    assert "n'est pas un PDF lisible" in report.text()


def test_visible_stamp_is_in_the_signature_field(signed_twice) -> None:
    reader = PdfFileReader(io.BytesIO(signed_twice))
    sigs = {s.field_name: s for s in reader.embedded_signatures}
    assert set(sigs) == {"Président", "Secrétaire"}
    for sig in sigs.values():
        appearance = sig.sig_field["/AP"]["/N"].get_object()
        assert appearance.data  # a drawn stamp, not an empty box


def test_an_unreadable_passphrase_file_is_said_in_french(tmp_path: Path) -> None:
    # Seen in the audit: « Fichier de phrase secrète illisible : pass.txt (No such file
    # or directory) ».
    from caleol.services.signing import read_passphrase_file

    with pytest.raises(CaleolError) as refused:
        read_passphrase_file(tmp_path / "absente.txt")
    assert str(refused.value) == (f"Fichier de phrase secrète illisible : "
                                  f"{tmp_path / 'absente.txt'} (fichier ou dossier "
                                  "introuvable).")
