"""A rectification recorded in its parts, then the rectificatif: point, original and
corrected wording, reason and author each in their own column."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pdf_probe import layout_lines, text_of
from sqlalchemy import Engine

from caleol.errors import ValidationError
from caleol.fr import PARIS, format_date
from caleol.services import sessions
from caleol.services.documents.rectification_text import RectificationParts, parse
from caleol.services.documents.session_minutes import (
    SigningKey,
    produce_extract,
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


def test_the_extract_made_after_a_rectification_prints_it(engine: Engine, signed) -> None:
    # Seen in the audit: an extract made after a rectificatif still certified the old
    # wording (rang 2) and never mentioned the rectification.
    session_id, key = signed
    (item,) = sessions.session_detail(engine, session_id).agenda
    second, other = item.candidacies[1], item.candidacies[0]
    record_rectification(engine, session_id, PARTS, author="M. Thomas Lefèvre",
                         candidacy_id=second.id)
    (stored,) = sessions.session_detail(engine, session_id).rectifications
    assert stored.candidacy_id == second.id
    content = " ".join(text_of(produce_extract(engine, session_id, second.nur,
                                               key=key).pdf).split())
    recorded = format_date(stored.created_at.astimezone(PARIS).date())
    assert (f"3. Rectification du procès-verbal Le procès-verbal signé a été rectifié sur ce "
            "qui suit ; la mention rectifiée remplace la mention initiale reproduite "
            f"ci-dessus. Rectification enregistrée le {recorded} — {PARTS.point} "
            f"Mention initiale : « {PARTS.before} » Mention rectifiée : « {PARTS.after} » "
            f"Motif : {PARTS.reason}") in content
    assert "certifié conforme au procès-verbal signé de la séance et à sa rectification" in (
        content)
    # the other candidate's extract does not carry a rectification that is not theirs
    others = " ".join(text_of(produce_extract(engine, session_id, other.nur).pdf).split())
    assert "Rectification" not in others and PARTS.after not in others


def test_a_rectification_names_a_candidacy_of_its_seance(engine: Engine, signed) -> None:
    session_id, _key = signed
    with pytest.raises(ValidationError, match="Candidature n° 999 introuvable pour cette "
                                              "séance"):
        record_rectification(engine, session_id, PARTS, candidacy_id=999)
    assert sessions.session_detail(engine, session_id).rectifications == ()
