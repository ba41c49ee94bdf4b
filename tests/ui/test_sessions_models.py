"""The séance models: thin adapters over hand-built service records, model-tested."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from caleol.services.sessions import (
    AgendaItemView,
    CandidacyView,
    DecisionView,
    SessionSummary,
    Suggestion,
)
from caleol.ui.models.session_list_model import sessions_model, status_text
from caleol.ui.models.session_models import (
    BADGE_BLOCKED,
    BADGE_EXCEPTION,
    BADGE_SATISFIED,
    agenda_badge,
    agenda_model,
    candidate_explanation_html,
    candidates_model,
    check_result,
    suggestions_model,
)


def summary(id_: int, status: str, on: date) -> SessionSummary:
    return SessionSummary(id=id_, commission_id=1, commission="CALEOL de Metz", date=on,
                          place="" if status == "draft" else "4 rue de la Mayenne, Metz",
                          kind="remote" if status == "draft" else "physical", status=status,
                          dwellings=3, candidacies=8, decisions=0,
                          version=1)


CHECKS = {
    "ceiling": {"status": "pass", "explanation": "17 746 € ≤ 37 584 €", "reference": "R441-1",
                "income": 17746, "ceiling": 37584},
    "solvency": {"status": "fail", "explanation": "Taux d'effort 41,3 %", "reference": "",
                 "effort_rate": "0.4130", "remaining_per_day_per_unit": "8.50"},
    "typology": {"status": "unknown", "explanation": "Composition incomplète"},
    "waiting_time": {"status": "pass", "explanation": "35 mois", "months": 35},
}


def candidacy(id_: int, rank: int, *, decision: DecisionView | None = None) -> CandidacyView:
    return CandidacyView(
        id=id_, agenda_item_id=1, demande_id=id_, nur=f"05723120064{id_}V5701",
        name=f"ROSSI Mélanie {id_}", proposed_rank=rank, proposed_by_reservataire_id=None,
        proposed_by="", origin="bailleur", suggestion_reasons="", typology_adaptation=None,
        checks=CHECKS, checks_date=date(2026, 11, 23),
        household={"summary": "personne isolée + 1 enfant", "persons": 2, "dalo": True,
                   "priorities": ["Ménage hébergé"]},
        decision=decision)


def agenda_item(rule: str, exception: str | None = None, count: int = 2) -> AgendaItemView:
    return AgendaItemView(
        id=1, dwelling_id=1, reference="MET-00044", address="105 rue du Stade", commune="Metz",
        typology="T2", financing="PLUS", position=1, reservataire_id=None, reservataire="",
        orientation_date=None, exception=exception, exception_justification="",
        candidate_rule={"status": rule, "explanation": "2 candidats examinés, moins des 3",
                        "exception": exception},
        dwelling={"reference": "MET-00044"},
        candidacies=tuple(candidacy(i, i) for i in range(1, count + 1)))


def test_sessions_model_statuses_in_french(qtmodeltester) -> None:
    rows = tuple(summary(i, s, date(2026, 12, i + 1))
                 for i, s in enumerate(("draft", "ready", "held", "closed", "signed")))
    model = sessions_model(rows)
    qtmodeltester.check(model)
    status = model.column_index("status")
    assert [model.data(model.index(r, status)) for r in range(5)] == [
        "brouillon", "prête", "tenue", "close", "signée"]
    place = model.column_index("place")
    assert model.data(model.index(0, place)) == "à distance"  # remote, no place given
    assert model.data(model.index(1, place)) == "4 rue de la Mayenne, Metz"
    assert status_text("unknown-status") == "unknown-status"


def test_agenda_badges() -> None:
    assert agenda_badge(agenda_item("fail"))[0] == BADGE_BLOCKED
    assert agenda_badge(agenda_item("pass", "dalo"))[0] == BADGE_EXCEPTION
    assert agenda_badge(agenda_item("pass", count=3))[0] == BADGE_SATISFIED


def test_agenda_model(qtmodeltester) -> None:
    model = agenda_model((agenda_item("fail"), agenda_item("pass", count=3)))
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == BADGE_BLOCKED
    assert "moins des 3" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 0), Qt.ItemDataRole.AccessibleTextRole).startswith("bloqué")
    assert model.data(model.index(1, 1)) == "MET-00044"
    assert model.data(model.index(1, 2)) == "T2 PLUS"
    assert model.data(model.index(1, 2), Qt.ItemDataRole.ToolTipRole) == (
        "MET-00044 : T2, financement PLUS")
    assert model.data(model.index(1, 3)) == "3"


def test_candidates_model_marks_and_figures(qtmodeltester) -> None:
    decision = DecisionView(
        id=1, candidacy_id=2, kind="attribution_rang", kind_label="Attribution par ordre de "
        "priorité", rank=2, condition="", deadline=None, reason_id=None, reason_label="",
        reason_text="", justification="", votes_for=None, votes_against=None,
        votes_abstain=None, casting_vote_used=False, version=1)
    model = candidates_model((candidacy(1, 1), candidacy(2, 2, decision=decision)))
    qtmodeltester.check(model)

    def cell(row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.data(model.index(row, model.column_index(key)), role)

    assert cell(0, "name") == "ROSSI Mélanie 1 (2 p.)"
    assert cell(0, "income") == "17\xa0746 / 37\xa0584 €"
    assert cell(0, "effort") == "41,3\xa0%"  # 0.4130 → 41,3 %
    assert cell(0, "remaining") == "8,50 €"
    assert (cell(0, "ceiling"), cell(0, "solvency"), cell(0, "typology")) == ("✓", "✗", "?")
    assert "effort 41,3 %" in cell(0, "solvency", Qt.ItemDataRole.ToolTipRole)
    assert cell(0, "solvency", Qt.ItemDataRole.AccessibleTextRole) == "non conforme"
    assert cell(0, "priority") == "DALO, 1 critère"
    assert cell(0, "waiting") == "35 mois"
    assert "35 mois" in cell(0, "waiting", Qt.ItemDataRole.ToolTipRole)
    assert cell(0, "decision") == ""
    assert cell(1, "decision") == "Attribution, rang 2"
    assert cell(1, "decision", Qt.ItemDataRole.ToolTipRole) == (
        "Attribution par ordre de priorité (rang 2)")


def test_explanation_panel_lists_every_check() -> None:
    text = candidate_explanation_html(candidacy(1, 1))
    for fragment in ("Plafond de ressources", "reste à vivre", "Typologie",
                     "attente : conforme", "Composition incomplète", "non conforme"):
        assert fragment in text


@pytest.mark.parametrize(("raw", "expected"), [
    ({}, None), ({"status": "weird"}, "unknown"), ({"status": "fail"}, "fail")])
def test_check_result_from_snapshot(raw: dict, expected: str | None) -> None:
    result = check_result({"ceiling": raw} if raw else {}, "ceiling")
    assert (result.status.value if result else None) == expected


def test_suggestions_model(qtmodeltester) -> None:
    rows = tuple(Suggestion(
        demande_id=i, nur=f"N{i}", name=f"KOWALSKI {i}", household="personne isolée",
        priority_tier=0, dalo=i == 1, cotation=100 - i, filing_date=date(2021, 8, 20),
        reservataire_own=False, reasons=("Ménage reconnu prioritaire DALO", "Cotation",
                                         "Typologie adaptée"))
        for i in range(1, 4))
    model = suggestions_model(rows)
    qtmodeltester.check(model)
    reasons = model.column_index("reasons")
    assert model.data(model.index(0, reasons)) == "Ménage reconnu prioritaire DALO ; Cotation"
    assert "• Typologie adaptée" in model.data(model.index(0, reasons),
                                               Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, model.column_index("dalo"))) == "DALO"
    assert model.data(model.index(1, model.column_index("dalo"))) == ""


def test_reviews_model(qtmodeltester) -> None:
    from caleol.services.sessions import OccupationReviewView
    from caleol.ui.models.session_models import reviews_model

    model = reviews_model((OccupationReviewView(
        id=1, tenant_reference="B-102", tenant_name="M. DUPONT", dwelling_id=None,
        dwelling_reference="", motive="sous_occupation", motive_label="sous-occupation",
        opinion="T5 pour une personne", proposal="T2"),))
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "B-102 M. DUPONT"
    assert model.data(model.index(0, 2)) == "sous-occupation"


def test_dragging_a_candidate_asks_for_its_new_rank(qtbot, qtmodeltester) -> None:
    model = candidates_model((candidacy(1, 1), candidacy(2, 2), candidacy(3, 3)))
    qtmodeltester.check(model)
    data = model.mimeData([model.index(2, 0)])
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(0, 0))
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    model.reorderable = True  # séance in preparation
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    with qtbot.waitSignal(model.rank_dropped) as dropped:
        # third candidate dropped on the first row: it asks for rank 1
        assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1,
                                  model.index(0, 0)) is False
    assert dropped.args == [3, 1]
    assert [c.id for c in model.rows()] == [1, 2, 3]  # unchanged until the service moves
    with qtbot.assertNotEmitted(model.rank_dropped):
        model.dropMimeData(model.mimeData([model.index(1, 0)]), Qt.DropAction.MoveAction,
                           -1, -1, model.index(1, 0))  # dropped on itself
