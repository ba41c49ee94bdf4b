"""A rectification recorded in its parts, then the rectificatif: point, original and
corrected wording, reason and author each in their own column."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pdf_probe import layout_lines, text_of
from sqlalchemy import Engine

from caleol.errors import ValidationError
from caleol.services import sessions
from caleol.services.documents.rectification_text import RectificationParts, parse
from caleol.services.documents.session_minutes import (
    SigningKey,
    produce_minutes,
    produce_rectificatif,
    record_rectification,
)
from caleol.services.signing import create_demo_certificate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the session factories
from sessions_factory import CLOSING, held

PARTS = RectificationParts(
    point="Logement MET-0001, candidat classé 2, décision",
    before="Attribution par ordre de priorité — rang 2",
    after="Attribution par ordre de priorité — rang 3",
    reason="Erreur matérielle de saisie")


@pytest.fixture
def signed(engine: Engine, tmp_path: Path) -> tuple[int, SigningKey]:
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    create_demo_certificate(tmp_path / "c.p12", b"pw")
    key = SigningKey(tmp_path / "c.p12", b"pw")
    produce_minutes(engine, sitting.session_id, key=key)
    return sitting.session_id, key


def test_the_rectificatif_quotes_each_part_in_its_column(engine: Engine, signed) -> None:
    session_id, key = signed
    record_rectification(engine, session_id, PARTS, author="M. Thomas Lefèvre")
    (stored,) = sessions.session_detail(engine, session_id).rectifications
    assert parse(stored.text) == PARTS
    pdf = produce_rectificatif(engine, session_id, key=key).pdf
    lines = layout_lines(pdf)
    at = next(i for i, line in enumerate(lines) if line.startswith("Point du"))
    columns = [h.strip() for h in lines[at].split("  ") if h.strip()]
    # « Point du procès-verbal » wraps in its column
    assert columns == ["Point du", "Mention initiale", "Mention rectifiée", "Motif",
                       "Auteur"]
    assert lines[at + 1] == "procès-verbal"
    content = text_of(pdf)
    for part in (PARTS.before, PARTS.after, PARTS.reason, "M. Thomas Lefèvre"):
        assert part in content
    assert "Emplacement" not in content and "Saisie par" not in content


def test_every_part_is_required(engine: Engine, signed) -> None:
    session_id, _key = signed
    with pytest.raises(ValidationError, match="mention initiale, motif à indiquer"):
        record_rectification(engine, session_id,
                             RectificationParts("Logement MET-0001", "", "rang 3", ""))
    assert sessions.session_detail(engine, session_id).rectifications == ()
