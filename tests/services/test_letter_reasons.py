"""Letters and PV of a new base: as many reasons as the decision cites, no 0 € estimate."""

from __future__ import annotations

import sys
from datetime import date
from functools import partial
from pathlib import Path

import pytest
import sessions_factory
from sessions_factory import CLOSING, held
from sqlalchemy import Engine

from caleol.services import sessions as svc
from caleol.services.documents.letters import LetterOptions, candidate_letter, render_letter
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.session_minutes import load_minutes_data

sys.path.insert(0, str(Path(__file__).resolve().parent / "documents"))
from pdf_probe import text_of

OPTIONS = LetterOptions(issued_on=date(2026, 12, 4), signatory="Mme Nadia Rahmani")


def test_two_reasons_are_announced_as_the_reasons(engine: Engine) -> None:
    # Seen on a new base: « Elle a décidé de ne pas vous attribuer ce logement, pour le
    # motif suivant : Ressources insuffisantes ; Taux d'effort et reste à vivre
    # incompatibles … ; <précision> » — two catalogue reasons announced as one.
    sitting = held(engine)
    reasons = sitting.world.reasons
    first, second, third = sitting.candidacies
    svc.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True)
    svc.record_decision(engine, second, "non_attribution", unanimous=True,
                        reason_id=reasons["ressources"],
                        second_reason_id=reasons["mieux_classe"],
                        reason_text="taux d'effort de 45,6 %")
    svc.record_decision(engine, third, "non_attribution", unanimous=True,
                        reason_id=reasons["mieux_classe"], reason_text="rang 1 retenu")
    svc.close_session(engine, sitting.session_id, **CLOSING)
    data = load_minutes_data(engine, sitting.session_id)
    _, two, three = data.dwellings[0].candidates

    def said(nur: str) -> str:
        return " ".join(text_of(render_letter(candidate_letter(data, nur, OPTIONS))).split())

    assert "ce logement, pour les motifs suivants : " in said(two.nur)
    assert "pour le motif suivant" not in said(two.nur)
    # one catalogue reason and its free text: one reason
    assert "ce logement, pour le motif suivant : " in said(three.nur)


def test_a_dwelling_imported_without_energy_has_no_estimate(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Seen on a new base: a dwelling imported without « Énergie (€) » (stored 0) got an
    # offer reading « estimation des dépenses d'énergie : 0,00 € » and a PV « 0,00 €
    # (estimation) ».
    monkeypatch.setattr(sessions_factory, "add_dwelling_row",
                        partial(sessions_factory.add_dwelling_row, energy_cents=0))
    sitting = held(engine)
    first, second, third = sitting.candidacies
    # the solvency check is unknown without the energy estimate: justified on the PV
    svc.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True,
                        justification="Factures d'énergie connues du bailleur : 45 € par mois.")
    for candidacy in (second, third):
        svc.record_decision(engine, candidacy, "non_attribution", unanimous=True,
                            reason_id=sitting.world.reasons["mieux_classe"])
    svc.close_session(engine, sitting.session_id, **CLOSING)
    data = load_minutes_data(engine, sitting.session_id)
    (exam,) = data.dwellings
    assert exam.dwelling.energy is None
    offer = " ".join(text_of(render_letter(candidate_letter(
        data, exam.candidates[0].nur, OPTIONS))).split())
    assert "estimation des dépenses d'énergie : non estimée" in offer
    assert "énergie : 0,00" not in offer
    assert "Énergie non renseignée" in " ".join(text_of(render_minutes(data)).split())
