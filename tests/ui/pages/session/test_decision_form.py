"""The decision form and the close dialog (issues 15 and 17), driven through the widgets.

The demo's ready séance (9 deliberative members, all present here) is opened on a
dwelling whose candidates pass every check, so a « ressources supérieures au
plafond » reason is contradicted by the ceiling check.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QDate, QTime
from ui.pages.session.workbench import click

from caleol.errors import ValidationError
from caleol.fr import format_date, paris_today
from caleol.rules.decisions import DecisionKind
from caleol.services import sessions
from caleol.ui.dialogs.form_errors import is_marked_invalid
from caleol.ui.pages.session.close_dialog import CloseDialog

GATING = ("ceiling", "solvency", "typology")


def open_held(bench):
    """The ready séance held, on a dwelling whose candidates pass every check (a PLAI
    dwelling's ceiling is « indéterminé »: no PLAI table after 2022 is shipped)."""
    engine, session_id = bench.engine, bench.summary.ready_session_id
    sessions.start_session(engine, session_id)
    detail = sessions.session_detail(engine, session_id)
    sessions.record_attendance(engine, session_id, [
        sessions.AttendanceChange(a.member_id, "present") for a in detail.attendance])
    president = next(a for a in detail.attendance if a.deliberative)
    sessions.set_president(engine, session_id, president.member_id)
    workspace = bench.workspace
    assert workspace.open_session(session_id)
    plain = next(item for item in workspace.detail.agenda if len(item.candidacies) >= 3
                 and all(c.checks[name]["status"] == "pass"
                         for c in item.candidacies for name in GATING))
    assert workspace.agenda.select_reference(plain.reference)
    workspace.tabs.setCurrentWidget(workspace.decision)
    return workspace


def reasons(bench) -> dict[str, int]:
    return {r.code: r.id for r in sessions.active_reasons(bench.engine)}


def choose(panel, kind: DecisionKind) -> None:
    panel.kind.setCurrentIndex(panel.kind.findData(kind.value))


def test_a_refused_save_keeps_every_field_and_marks_the_faulty_ones(qtbot, bench) -> None:
    workspace = open_held(bench)
    counted = workspace.detail.quorum.counted
    assert counted == 9  # the demo commission's deliberative members, all present
    workspace.candidates.view.selectRow(0)
    panel = workspace.decision
    choose(panel, DecisionKind.ATTRIBUTION_RANG)  # « par ordre de priorité »: no rank given
    panel.votes.setChecked(True)
    panel.votes_for.setValue(12)  # 12 votes for 9 members
    panel.votes_against.setValue(0)
    click(qtbot, panel.record_button)
    assert bench.errors == []
    shown = panel.visible_errors()
    assert shown["rank"] == "Le rang est obligatoire."
    assert shown["votes"] == ("12 votes exprimés pour 9 membres à voix délibérative présents "
                              "ou représentés.")
    assert is_marked_invalid(panel.rank) and is_marked_invalid(panel.votes_for)
    assert not is_marked_invalid(panel.kind)
    # everything as typed, nothing recorded
    assert panel.kind.currentData() == DecisionKind.ATTRIBUTION_RANG.value
    assert (panel.rank.value(), panel.votes.isChecked(), panel.votes_for.value()) == (0, True, 12)
    assert workspace.candidates.current().decision is None
    # corrected fields are checked again as they change: their red goes
    panel.rank.setValue(1)
    assert "rank" not in panel.visible_errors() and not is_marked_invalid(panel.rank)
    assert "votes" in panel.visible_errors()
    panel.votes_for.setValue(8)
    assert panel.visible_errors() == {}
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.row_at(0).decision is not None)
    decision = workspace.candidates.model.row_at(0).decision
    assert (decision.rank, decision.votes_for) == (1, 8)
    assert decision.vote_sentence == "Adoptée par 8 voix pour, 0 contre et 0 abstention."


def test_a_refusal_keeps_the_condition_the_reasons_and_the_texts(qtbot, bench) -> None:
    workspace = open_held(bench)
    codes = reasons(bench)
    panel = workspace.decision
    workspace.candidates.view.selectRow(0)
    choose(panel, DecisionKind.ATTRIBUTION_SOUS_CONDITION)
    panel.condition.setText("Avis d'imposition 2025 du conjoint")
    panel.deadline.setDate(QDate(2026, 12, 18))
    panel.justification.setText("Dossier examiné en séance.")
    panel.votes.setChecked(True)
    panel.votes_for.setValue(12)  # refused: more votes than members
    click(qtbot, panel.record_button)
    assert set(panel.visible_errors()) == {"votes"}
    assert panel.condition.text() == "Avis d'imposition 2025 du conjoint"
    assert panel.deadline.date() == QDate(2026, 12, 18)
    assert panel.justification.text() == "Dossier examiné en séance."
    panel.unanimous.setChecked(True)  # the count replaced by unanimity: the red goes
    assert panel.visible_errors() == {} and not panel.casting_vote.isEnabled()
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.row_at(0).decision is not None)
    assert workspace.candidates.model.row_at(0).decision.condition == (
        "Avis d'imposition 2025 du conjoint")

    workspace.candidates.view.selectRow(1)
    choose(panel, DecisionKind.NON_ATTRIBUTION)
    panel.reason.setCurrentIndex(panel.reason.findData(codes["RESSOURCES_FAIBLES"]))
    panel.second_reason.setCurrentIndex(panel.second_reason.findData(codes["ELOIGNEMENT"]))
    panel.reason_text.setText("loyer hors de portée sans garantie")
    click(qtbot, panel.record_button)  # no vote count given, no justification: refused
    assert "justification" in panel.visible_errors()
    assert (panel.reason.currentData(), panel.second_reason.currentData()) == (
        codes["RESSOURCES_FAIBLES"], codes["ELOIGNEMENT"])
    assert panel.reason_text.text() == "loyer hors de portée sans garantie"
    assert workspace.candidates.current().decision is None


def test_warnings_appear_as_the_form_changes_and_a_second_reason_removes_them(
    qtbot, bench,
) -> None:
    workspace = open_held(bench)
    codes = reasons(bench)
    workspace.candidates.view.selectRow(1)
    panel = workspace.decision
    choose(panel, DecisionKind.NON_ATTRIBUTION)
    panel.unanimous.setChecked(True)
    assert not panel.second_reason.isEnabled()  # a second reason follows a first one
    panel.reason.setCurrentIndex(panel.reason.findData(codes["RESSOURCES_FAIBLES"]))
    # before any save: the warning, once, and the second reason to pick
    assert panel.warnings.isVisible()
    assert panel.warnings.text().count("ne peut pas motiver seul un refus") == 1
    assert panel.second_reason.isEnabled()
    assert panel.second_reason.findData(codes["RESSOURCES_FAIBLES"]) == -1  # not twice
    panel.second_reason.setCurrentIndex(panel.second_reason.findData(codes["MIEUX_CLASSE"]))
    assert not panel.warnings.isVisible()
    # this candidate's solvency check passes: « ressources insuffisantes » needs saying why
    assert panel.justification_row.isVisible()
    assert "« solvabilité » (conforme)" in panel.justification_reason.text()
    panel.justification.setText("Garantie Visale refusée : reste à vivre réel plus faible.")
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.row_at(1).decision is not None)
    decision = workspace.candidates.model.row_at(1).decision
    assert decision.second_reason_id == codes["MIEUX_CLASSE"]
    assert decision.reason == "Ressources insuffisantes ; Attribution à un candidat mieux classé"
    assert not panel.warnings.isVisible()  # reloaded: still nothing to warn about


def test_the_justification_appears_when_the_rules_require_it(qtbot, bench) -> None:
    workspace = open_held(bench)
    codes = reasons(bench)
    workspace.candidates.view.selectRow(2)
    candidate = workspace.candidates.current()
    assert candidate.checks["ceiling"]["status"] == "pass"
    panel = workspace.decision
    panel.unanimous.setChecked(True)
    assert not panel.justification_row.isVisible()  # an attribution every check supports
    choose(panel, DecisionKind.IRRECEVABILITE)
    panel.reason.setCurrentIndex(panel.reason.findData(codes["PLAFOND"]))
    # before saving: the field, and the check's status it must answer
    assert panel.justification_row.isVisible()
    assert "Justification requise" in panel.justification_reason.text()
    assert ("contredit par le contrôle « plafond de ressources » (conforme)"
            in panel.justification_reason.text())
    click(qtbot, panel.record_button)
    assert "une justification est requise" in panel.visible_errors()["justification"]
    assert is_marked_invalid(panel.justification)
    assert workspace.candidates.current().decision is None
    panel.justification.setText("Revenus 2025 de 61 000 € déclarés en séance par le ménage.")
    assert panel.visible_errors() == {}
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.row_at(2).decision is not None)
    decision = workspace.candidates.model.row_at(2).decision
    assert decision.justification.startswith("Revenus 2025")
    assert [c.status_label for c in decision.justified_checks] == ["conforme"]


def test_the_casting_vote_names_its_holder(qtbot, bench) -> None:
    workspace = open_held(bench)
    holder = next(a.name for a in workspace.detail.attendance if a.casting_vote)
    panel = workspace.decision
    assert panel.casting_vote.text() == "voix prépondérante"
    assert panel.casting_holder.text() == f"({holder})"  # wrapped beside it
    workspace.candidates.view.selectRow(0)
    panel.votes.setChecked(True)
    panel.votes_for.setValue(4)
    panel.votes_against.setValue(4)
    panel.votes_abstain.setValue(1)
    assert "Partage des voix" in panel.review.problems["casting_vote"]  # live
    panel.casting_vote.setChecked(True)
    assert "casting_vote" not in panel.review.problems
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.row_at(0).decision is not None)
    decision = workspace.candidates.model.row_at(0).decision
    assert decision.casting_vote_holder == holder
    assert decision.vote_sentence.endswith(f"adoptée par la voix prépondérante de {holder}.")


def _decide_all(bench) -> None:
    """Every candidate of the ready séance decided, unanimously (ranks in order)."""
    detail = sessions.session_detail(bench.engine, bench.summary.ready_session_id)
    for item in detail.agenda:
        for rank, candidate in enumerate(item.candidacies, start=1):
            sessions.record_decision(bench.engine, candidate.id, "attribution_rang", rank=rank,
                                     unanimous=True, justification="Vu en commission.")


def test_closing_days_later_asks_for_both_times(qtbot, bench) -> None:
    workspace = open_held(bench)
    _decide_all(bench)
    workspace.controller.reload()
    day = workspace.detail.summary.date
    assert day < paris_today()  # the demo's ready séance of 23 November 2026
    click(qtbot, workspace.header.close_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, CloseDialog) and not dialog.same_day
    assert dialog.times() == (None, None)  # no clock default on a later day
    click(qtbot, dialog.close_button)
    assert set(dialog.visible_errors()) == {"start", "end"}
    assert "indiquez l'heure d'ouverture" in dialog.visible_errors()["start"]
    assert workspace.detail.status == "held"
    dialog.start.setTime(QTime(14, 0))
    dialog.end.setTime(QTime(8, 22))
    click(qtbot, dialog.close_button)
    assert dialog.visible_errors() == {"end": (
        "L'heure de fin (8 h 22) doit venir après l'heure d'ouverture (14 h 00), le même "
        "jour.")}
    assert dialog.times() == (time(14, 0), time(8, 22))  # as typed
    dialog.end.setTime(QTime(16, 10))
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: workspace.detail.status == "closed")
    assert (workspace.detail.start_time, workspace.detail.end_time) == (time(14, 0),
                                                                        time(16, 10))
    assert workspace.detail.times_confirmed
    assert bench.errors == []


def test_closing_on_the_day_proposes_the_opening_and_the_clock(qtbot) -> None:
    submitted: list[tuple[time | None, time | None]] = []

    def submit(start, end):
        submitted.append((start, end))
        return None

    dialog = CloseDialog(date(2026, 12, 7), time(14, 2), submit,
                         now=datetime(2026, 12, 7, 16, 12, 40))
    qtbot.addWidget(dialog)
    assert dialog.same_day and dialog.times() == (time(14, 2), time(16, 12))
    dialog.end.setTime(QTime(16, 5))  # corrected: the president closed at 16 h 05
    dialog.accept()
    assert submitted == [(time(14, 2), time(16, 5))]


@pytest.mark.parametrize("fields", [{"start": "Indiquez l'heure d'ouverture de la séance."}])
def test_the_close_dialog_stays_open_on_a_refusal(qtbot, fields) -> None:
    dialog = CloseDialog(date(2026, 12, 7), None,
                         lambda start, end: ValidationError("refusée", fields=fields),
                         now=datetime(2026, 12, 7, 16, 0))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.accept()
    assert dialog.isVisible() and dialog.visible_errors() == fields
    assert is_marked_invalid(dialog.start)


def test_opening_before_the_day_is_refused_in_french(qtbot, bench) -> None:
    engine, session_id = bench.engine, bench.summary.ready_session_id
    next_week = paris_today() + timedelta(days=7)
    sessions.update_session_info(engine, session_id, on=next_week)
    workspace = bench.workspace
    assert workspace.open_session(session_id) and workspace.detail.status == "ready"
    click(qtbot, workspace.header.start_button)
    assert len(bench.errors) == 1
    assert str(bench.errors[0]).startswith(
        f"La séance du {format_date(next_week)} ne peut pas être ouverte avant son jour")
    assert workspace.detail.status == "ready"
    assert sessions.session_detail(engine, session_id).status == "ready"
