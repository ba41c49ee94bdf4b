"""Extrait de PV (others' data absent from the file) and the rectificatif; both signable."""

from __future__ import annotations

import io
import re
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pdf_probe import text_of
from pypdf import PdfReader

from caleol.errors import CaleolError
from caleol.fr import format_money
from caleol.rules.nur import format_nur
from caleol.services.documents.data import (
    Correction,
    OriginalReference,
    RectificatifData,
    SignatureMode,
    SigningPlan,
)
from caleol.services.documents.extract import REDACTION_NOTE, render_extract
from caleol.services.documents.figures import decision_label
from caleol.services.documents.rectificatif import render_rectificatif
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.signing import (
    create_demo_certificate,
    sign_fields,
    signature_field_names,
    verify_pdf,
)

SEAL = SigningPlan(SignatureMode.SEAL, organisation="Vivest")


@pytest.fixture(scope="module")
def data():
    return sample_minutes_data(4, 3)


def all_decoded_streams(pdf: bytes) -> bytes:
    """Every stream of the file, inflated when compressed: what a curious reader could
    dig out of it."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        body = match[1]
        try:
            chunks.append(zlib.decompressobj().decompress(body))
        except zlib.error:
            chunks.append(body)
    assert len(chunks) > 5
    return b"\n".join(chunks)


def test_extract_shows_only_the_requesting_candidate(data) -> None:
    exam = data.dwellings[1]
    me, *others = exam.candidates
    pdf = render_extract(data, me.nur, SEAL, made_on=date(2026, 4, 2))
    content = text_of(pdf)
    assert format_nur(me.nur) in content and me.name in content
    assert decision_label(me.decision) in content
    assert exam.dwelling.address in content
    assert REDACTION_NOTE.replace("\u00a0", " ") in content
    assert "Extrait certifié conforme" in content
    assert "Fait à Forbach, le 2 avril 2026." in content  # the day the extract is made
    for other in others:
        income = format_money(Decimal(other.checks["ceiling"]["income"]), places=0)
        for secret in (format_nur(other.nur), other.nur, other.name, income.replace("\u00a0", " ")):
            assert secret not in content
    # other dwellings and the occupancy reviews are not part of the extract
    for exam_other in data.dwellings[:1] + data.dwellings[2:]:
        for candidate in exam_other.candidates:
            assert format_nur(candidate.nur) not in content
    assert "SCHMITT" not in content


def test_redacted_data_is_not_hidden_under_a_box_but_absent(data) -> None:
    exam = data.dwellings[1]
    me, *others = exam.candidates
    pdf = render_extract(data, me.nur)
    raw = all_decoded_streams(pdf) + pdf
    # reportlab writes subset-font text as hex glyph codes; the ToUnicode maps would
    # still betray a name's letters, so check the text layer too (above) and that no
    # stream carries the other NURs in any plain encoding.
    for other in others:
        for printed in (other.nur, format_nur(other.nur)):
            assert printed.encode() not in raw
            assert printed.encode("utf-16-be") not in raw
    reader = PdfReader(io.BytesIO(pdf))
    extracted = "".join(page.extract_text() for page in reader.pages)
    for other in others:
        assert format_nur(other.nur) not in extracted and other.name not in extracted
    assert format_nur(me.nur) in extracted


def test_extract_of_an_unknown_nur(data) -> None:
    with pytest.raises(CaleolError, match="Aucun candidat"):
        render_extract(data, "057000000000X0000")


def rectificatif(data) -> RectificatifData:
    return RectificatifData(
        letterhead=data.letterhead,
        session=data.session,
        original=OriginalReference(date(2026, 3, 10), date(2026, 3, 11), "9f" * 32),
        corrections=(
            Correction("Logement FOR-1201-08, rang des candidats",
                       "Attribution par ordre de priorité — rang 2",
                       "Attribution par ordre de priorité — rang 1",
                       "Erreur matérielle lors de la saisie"),
        ),
        president=data.president,
        secretary=data.secretary,
        issued_on=date(2026, 3, 12),
    )


def test_rectificatif_references_the_original(data) -> None:
    content = text_of(render_rectificatif(rectificatif(data), SEAL))
    assert "Rectificatif au procès-verbal" in content
    assert "séance du 10 mars 2026, signé le 11 mars 2026" in content
    assert "9f" * 32 in content
    assert "reste conservé sans aucune modification" in content
    assert "Erreur matérielle lors de la saisie" in content
    assert "Fait à Forbach, le 12 mars 2026." in content
    assert "La présidente de séance" in content and "Le secrétaire de séance" in content


def test_extract_and_rectificatif_are_signed_like_the_pv(data, tmp_path: Path) -> None:
    p12 = tmp_path / "demo.p12"
    pem = create_demo_certificate(p12, b"pw")
    for pdf in (render_extract(data, data.dwellings[0].candidates[0].nur, SEAL),
                render_rectificatif(rectificatif(data), SEAL)):
        assert signature_field_names(pdf) == ["Président", "Secrétaire"]
        signed = sign_fields(pdf, p12, b"pw", {"Président": "P", "Secrétaire": "S"})
        report = verify_pdf(signed, [pem])
        assert report.ok, report.text()
        assert len(report.signatures) == 2


def test_the_extract_shows_no_internal_key(data) -> None:
    exam = data.dwellings[1]
    content = text_of(render_extract(data, exam.candidates[0].nur, SEAL))
    for internal in ("status", "pass", "fail", "unknown", "effort_rate", "income",
                     "explanation", "None", "ceiling", "solvency", "typology"):
        assert f" {internal} " not in f" {content} " and f"{internal}:" not in content, internal


def test_an_extract_is_asked_with_the_nur_as_typed(data) -> None:
    # Seen in the audit: `caleol extract 2 "057 25 06 00005 G5701"` (the NUR as
    # `session add-candidate` takes it) answered « Aucun candidat de la séance n'a le
    # numéro … »; spaces and case do not count, the extract prints the NUR spaced.
    candidate = data.dwellings[1].candidates[0]
    typed = format_nur(candidate.nur).lower()
    assert typed != candidate.nur and " " in typed
    content = text_of(render_extract(data, typed, SEAL))
    assert (f"Extrait établi pour la demande n° {format_nur(candidate.nur)} "
            f"({candidate.name})") in content
