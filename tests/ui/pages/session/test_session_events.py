"""After the séance, in the workspace: the events recorded, who holds the offer, and
the dialogs that record a refusal, a condition met, a lease (real widgets, demo data).

The demo's signed séance has: a ranked dwelling whose first candidate refused and
whose second signed the lease; a single attribution already leased; a conditional
attribution and a plain attribution still offered (no event yet).
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

from PySide6.QtCore import QDate
from sqlmodel import select
from ui.pages.session.workbench import LONG_MS, TODAY, click

from caleol.db.engine import session_scope
from caleol.db.models import CandidacyEvent, Demande, Dwelling
from caleol.rules.decisions import DecisionKind
from caleol.rules.nur import format_nur
from caleol.services import sessions
from caleol.services.sessions import AgendaItemView, CandidacyView
from caleol.ui.pages.session.event_dialog import EventDialog


def event_count(engine) -> int:
    with session_scope(engine) as db:
        return len(db.exec(select(CandidacyEvent)).all())


def holder_of(item: AgendaItemView) -> CandidacyView:
    return next(c for c in item.candidacies if c.id == item.offer_holder_id)


def open_on_holder(bench, kind: DecisionKind) -> tuple[AgendaItemView, CandidacyView]:
    """The signed séance, on the dwelling offered to a candidate with a `kind` decision."""
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    item = next(i for i in workspace.detail.agenda if i.offer_holder_id is not None
                and holder_of(i).decision.kind == kind.value)
    holder = holder_of(item)
    assert workspace.agenda.select_reference(item.reference)
    assert workspace.candidates.select_nur(holder.nur)
    return item, holder


def test_recorded_events_and_the_holder_show_for_a_signed_session(qtbot, bench) -> None:
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    assert workspace.detail.status == "signed"
    panel = workspace.events
    assert workspace.tabs.currentWidget() is panel  # a frozen séance opens on its follow-up
    item = next(i for i in workspace.detail.agenda
                if any(e.kind == "refusal" for c in i.candidacies for e in c.events))
    workspace.agenda.select_reference(item.reference)
    events = [e for c in item.candidacies for e in c.events]
    assert panel.table.rowCount() == len(events) == 2  # refusal, then lease
    kinds = {panel.table.item(row, 2).text() for row in range(panel.table.rowCount())}
    assert kinds == {"refus du candidat", "bail signé"}
    refusal = next(e for e in events if e.kind == "refusal")
    refusal_row = next(r for r in range(2) if panel.table.item(r, 2).text() == "refus du candidat")
    following = next(c for c in item.candidacies if c.nur == refusal.passes_to_nur)
    next_cell = panel.table.item(refusal_row, 4)
    assert next_cell.text() == following.name  # the name shows, the NUR is in the tooltip
    assert next_cell.toolTip() == f"{following.nur} — {following.name}"
    leased = next(c for c in item.candidacies if c.id == item.lease_holder_id)
    assert "Bail signé" in panel.holder.text() and leased.nur in panel.holder.text()
    assert "procès-verbal signé n'est pas modifié" in panel.findChild(
        type(panel.holder), "eventsNote").text()
    # An ended attribution takes no more events.
    workspace.candidates.select_nur(leased.nur)
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert "terminée" in panel.why.text()
    # A candidate without an attribution neither.
    refused_by_commission = next(
        (c for i in workspace.detail.agenda for c in i.candidacies
         if c.decision.kind == DecisionKind.NON_ATTRIBUTION.value), None)
    assert refused_by_commission is not None
    owner = next(i for i in workspace.detail.agenda if refused_by_commission in i.candidacies)
    workspace.agenda.select_reference(owner.reference)
    workspace.candidates.select_nur(refused_by_commission.nur)
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert "pas reçu d'attribution" in panel.why.text()


def test_refusal_dialog_checks_then_records(qtbot, bench) -> None:
    _item, holder = open_on_holder(bench, DecisionKind.ATTRIBUTION)
    workspace, engine = bench.workspace, bench.engine
    panel = workspace.events
    assert holder.nur in panel.holder.text() and "proposé à" in panel.holder.text()
    assert panel.buttons["refusal"].isEnabled() and panel.buttons["lease_signed"].isEnabled()
    assert not panel.buttons["condition_met"].isEnabled()  # not a conditional attribution
    before = event_count(engine)
    click(qtbot, panel.buttons["refusal"])
    dialog = workspace.current_dialog
    assert isinstance(dialog, EventDialog) and dialog.isVisible()

    # No reason: the French message under the field, nothing written.
    dialog.reason.clear()
    click(qtbot, dialog.record_button)
    assert dialog.reason_error.isVisible()
    assert dialog.reason_error.text() == "Indiquez le motif du refus du candidat."
    assert dialog.isVisible() and event_count(engine) == before

    # A date before the séance: refused next to the date.
    session_date = workspace.detail.summary.date
    dialog.reason.setPlainText("Logement trop éloigné du lieu de travail.")
    dialog.date.setDate(QDate(session_date - timedelta(days=1)))
    click(qtbot, dialog.record_button)
    assert dialog.date_error.isVisible() and "précède la séance" in dialog.date_error.text()
    assert not dialog.reason_error.isVisible()
    assert dialog.isVisible() and event_count(engine) == before

    # Right: recorded, the dialog closes, the panel shows the event and the new state.
    dialog.date.setDate(QDate(TODAY))
    click(qtbot, dialog.record_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert event_count(engine) == before + 1
    stored = next(c for i in sessions.session_detail(engine, workspace.detail.id).agenda
                  for c in i.candidacies if c.id == holder.id)
    assert [(e.kind, e.date, e.reason) for e in stored.events] == [
        ("refusal", TODAY, "Logement trop éloigné du lieu de travail.")]
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 3).text() == "Logement trop éloigné du lieu de travail."
    # A single attribution: nobody left, the dwelling goes back to a commission.
    assert "repasser en commission" in panel.holder.text()
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert bench.errors == []


def test_condition_met_then_lease_signed(qtbot, bench) -> None:
    item, holder = open_on_holder(bench, DecisionKind.ATTRIBUTION_SOUS_CONDITION)
    workspace, engine = bench.workspace, bench.engine
    panel = workspace.events
    assert panel.buttons["condition_met"].isEnabled()
    assert panel.buttons["condition_lapsed"].isEnabled()
    assert not panel.buttons["lease_signed"].isEnabled()  # the condition comes first

    click(qtbot, panel.buttons["condition_met"])
    dialog = workspace.current_dialog
    dialog.date.setDate(QDate(TODAY))
    dialog.reason.setPlainText("Avis d'imposition reçu.")
    click(qtbot, dialog.record_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert panel.buttons["lease_signed"].isEnabled()
    assert not panel.buttons["condition_met"].isEnabled()

    click(qtbot, panel.buttons["lease_signed"])
    dialog = workspace.current_dialog
    assert dialog.windowTitle() == "Bail signé"
    assert not dialog.reason.isVisible()  # a lease has a date only
    dialog.date.setDate(QDate(TODAY))
    click(qtbot, dialog.record_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Bail signé" in panel.holder.text() and holder.nur in panel.holder.text()
    assert workspace.detail.status == "signed"  # the PV is not touched
    with session_scope(engine) as db:
        assert db.get(Dwelling, item.dwelling_id).status == "let"
        assert db.get(Demande, holder.demande_id).status == "attributed"
    assert bench.errors == []


def test_a_service_refusal_shows_in_the_dialog_and_writes_nothing(qtbot, bench) -> None:
    """Another workstation records the lease while the refusal dialog is open."""
    _item, holder = open_on_holder(bench, DecisionKind.ATTRIBUTION)
    workspace, engine = bench.workspace, bench.engine
    click(qtbot, workspace.events.buttons["refusal"])
    dialog = workspace.current_dialog
    sessions.record_lease_signed(engine, holder.id, TODAY)
    before = event_count(engine)
    dialog.date.setDate(QDate(TODAY))
    dialog.reason.setPlainText("Refus tardif.")
    click(qtbot, dialog.record_button)
    assert dialog.isVisible()
    assert dialog.problem.isVisible() and "déjà terminée" in dialog.problem.text()
    assert event_count(engine) == before


def test_offer_letter_to_the_next_ranked_candidate(qtbot, engine, monkeypatch) -> None:
    """A ranked dwelling whose first candidate refused, its lease not yet signed: the
    offer passed to the second, who gets the « après refus » letter. Built through the
    services (a recorded event is never deleted: the database refuses it), on an
    organisation without the demo."""
    import sys
    from pathlib import Path

    from caleol.settings import Settings
    from caleol.ui.pages.session.workspace import SessionWorkspace
    from caleol.ui.tasks import TaskRunner

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "services"))
    from sessions_factory import CLOSING, held

    from caleol.ui import messages, printing

    monkeypatch.setattr(printing, "open_document", lambda path: None)
    errors: list = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, error, title="": errors.append(error))
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    first, second, _third = sitting.candidacies
    sessions.record_refusal(engine, first, TODAY, "Logement trop éloigné du travail.")
    workspace = SessionWorkspace(engine, Settings, TaskRunner())
    qtbot.addWidget(workspace)
    workspace.resize(1366, 768)
    workspace.show()
    assert workspace.open_session(sitting.session_id)
    item = workspace.detail.agenda[0]
    workspace.agenda.select_reference(item.reference)
    panel = workspace.events
    holder = next(c for c in item.candidacies if c.id == second)
    assert item.offer_holder_id == second
    assert "proposé à" in panel.holder.text() and holder.nur in panel.holder.text()
    assert panel.letter_button.isEnabled()
    with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS) as written:
        click(qtbot, panel.letter_button)
    path = written.args[0]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "après désistement" in text and format_nur(holder.nur) in text
    assert "Le candidat classé avant vous ayant refusé ce logement" in " ".join(text.split())
    assert errors == []


def test_an_empty_follow_up_says_so(qtbot, bench) -> None:
    """A dwelling without any event showed a blank table."""
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    panel = workspace.events
    quiet = next(i for i in workspace.detail.agenda
                 if not any(c.events for c in i.candidacies))
    busy = next(i for i in workspace.detail.agenda if any(c.events for c in i.candidacies))
    workspace.agenda.select_reference(quiet.reference)
    qtbot.waitUntil(panel.empty.isVisible)
    assert panel.table.rowCount() == 0
    assert panel.empty.text() == "Aucun événement enregistré pour ce logement."
    assert panel.empty.geometry() == panel.table.viewport().rect()
    workspace.agenda.select_reference(busy.reference)
    assert panel.table.rowCount() > 0 and not panel.empty.isVisible()
    # before the closing, where the follow-up will go
    assert workspace.open_session(bench.summary.preparing_session_id)
    workspace.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.empty.isVisible)
    assert "une fois la séance close" in panel.empty.text()
