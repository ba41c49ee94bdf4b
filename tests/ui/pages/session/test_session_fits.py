"""The séance workspace at 1366×768: identifying texts whole, the rest elided with a
tooltip, a commission of twelve shown whole (issue 17)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel
from ui.pages.session.test_session_refusals import open_held

from caleol.services import sessions
from caleol.services.organisation.catalogue import list_reasons
from caleol.services.sessions import AttendanceView, QuorumView
from caleol.ui.columns import elided_cells, fits_horizontally, natural_width
from caleol.ui.pages.session.agenda_list import MIN_WIDTH
from caleol.ui.pages.session.attendance_panel import AttendancePanel
from caleol.ui.pages.session.workspace import SessionWorkspace
from caleol.ui.tasks import TaskRunner

LONG_NAMES = (
    "Mme Catherine Laurent-Desmoulins", "M. Ibrahima Mercier", "M. Laurent Popescu",
    "Mme Monique Lambert-Schneider", "Mme Céline Durand", "M. Adam Hoffmann",
    "Mme Maëlys Henry, adjointe au maire de Metz", "M. Ibrahima Bour, DDETS de la Moselle",
    "Mme Anne-Sophie Vandenberghe", "M. Jean-Baptiste Kowalczyk", "Mme Éloïse Marchetti",
    "M. Théo Gauthier-Villaume, Action Logement Services",
)


def twelve_members() -> tuple[AttendanceView, ...]:
    return tuple(
        AttendanceView(member_id=i + 1, name=name, capacity="administrateur",
                       capacity_label="administrateur", deliberative=i < 10,
                       casting_vote=False, status="present", status_label="présent")
        for i, name in enumerate(LONG_NAMES))


def quorum() -> QuorumView:
    return QuorumView(deliberative_members=10, present=10, represented=0, counted=10,
                      required=5, numerator=1, denominator=2, reached=True,
                      explanation="10 membres à voix délibérative ; quorum atteint.")


def names_laid_out(panel: AttendancePanel) -> bool:
    """Every member's line is on screen (children added to a shown panel show later)."""
    return all(row.name.isVisible() and row.status.isVisible() for row in panel._rows)


def test_a_commission_of_twelve_shows_whole_without_sideways_scrolling(qtbot) -> None:
    panel = AttendancePanel()
    qtbot.addWidget(panel)
    panel.resize(930, 330)  # the tab's room at 1366×768, side panel hidden
    panel.show()
    panel.set_attendance(twelve_members(), quorum(), None, "", writable=True)
    row = panel.row_for(12)
    row.status.setCurrentIndex(row.status.findData("represented"))  # its proxy line shows
    qtbot.waitUntil(lambda: panel._columns == 2 and names_laid_out(panel))
    scroll = panel.scroll_area
    assert not scroll.horizontalScrollBar().isVisible()
    host = scroll.widget()
    assert host.width() <= scroll.viewport().width()
    for row in panel._rows:  # every name whole, inside the visible width
        label: QLabel = row.name
        assert label.width() >= label.sizeHint().width(), label.text()
        right = label.mapTo(host, label.rect().topRight()).x()
        assert right <= scroll.viewport().width()
    # the proxy holder's full name in its list
    proxy = panel.row_for(12).proxy
    assert proxy.isVisible()
    assert proxy.findText("Mme Catherine Laurent-Desmoulins") >= 0
    assert proxy.width() >= proxy.sizeHint().width()


def test_a_narrow_tab_stacks_the_members_in_one_column(qtbot) -> None:
    panel = AttendancePanel()
    qtbot.addWidget(panel)
    panel.resize(540, 330)  # the tab beside the explanation panel
    panel.show()
    panel.set_attendance(twelve_members(), quorum(), None, "", writable=True)
    qtbot.waitUntil(lambda: names_laid_out(panel))
    assert panel._columns == 1
    assert not panel.scroll_area.horizontalScrollBar().isVisible()
    for row in panel._rows:
        assert row.name.width() >= row.name.sizeHint().width(), row.name.text()


def decide(bench, item, count: int) -> None:
    """The first `count` candidates decided: rank 1, rank 2 under condition (the
    longest decision label), then not attributed; the workspace reads the item again."""
    engine = bench.engine
    candidacies = item.candidacies[:count]
    sessions.record_decision(engine, candidacies[0].id, "attribution_rang", rank=1,
                             justification="Dossier complet.")
    sessions.record_decision(engine, candidacies[1].id, "attribution_sous_condition",
                             rank=2, condition="Avis d'imposition 2025",
                             deadline=date(2026, 12, 15), justification="Dossier complet.")
    if count > 2:
        reason = next(r for r in list_reasons(engine)
                      if r.code == "MIEUX_CLASSE")  # lawful alone, contradicts no check
        sessions.record_decision(engine, candidacies[2].id, "non_attribution",
                                 reason_id=reason.id, justification="Dossier complet.")
    bench.workspace.controller.refresh_item(item.id)


def test_the_candidates_grid_never_cuts_nur_nor_household(qtbot, bench) -> None:
    """After a decision the Décision column widened and squeezed the names
    (« THOMAS Aurélie… »), then the income and its ceiling (« 36 233 / 37 58… »):
    identifying columns and that figure stay whole, the decision too (issue 17)."""
    workspace = open_held(bench)
    # 1366 minus the navigation, under the menu bar (the agenda keeps its 205 px)
    workspace.resize(1176, 720)
    item = next(item for item in workspace.detail.agenda  # incomes against a ceiling
                if item.financing != "PLAI" and len(item.candidacies) >= 2)
    assert workspace.agenda.select_reference(item.reference)
    decide(bench, item, 2)
    view = workspace.candidates.view
    model = workspace.candidates.model
    identifying = [model.column_index(k) for k in ("proposed_rank", "nur", "name", "income")]
    qtbot.waitUntil(lambda: fits_horizontally(view))
    assert elided_cells(view, identifying) == []
    assert " / " in model.index(0, model.column_index("income")).data()
    decision = model.column_index("decision")
    assert model.index(1, decision).data(Qt.ItemDataRole.ToolTipRole)  # the full text


def test_the_decision_taken_is_never_cut(qtbot, bench) -> None:
    """« Attribution ra… » at 1366×768: the Décision column is as wide as its longest
    text (the ranked attribution under condition), the row still without sideways
    scrolling; the full label stays in the tooltip."""
    workspace = open_held(bench)
    workspace.resize(1176, 720)  # 1366×768 less the navigation
    item = next(item for item in workspace.detail.agenda
                if item.financing != "PLAI" and len(item.candidacies) >= 3)
    assert workspace.agenda.select_reference(item.reference)
    decide(bench, item, 3)
    view, model = workspace.candidates.view, workspace.candidates.model
    qtbot.waitUntil(lambda: workspace.candidates.columns.is_fitted()
                    and fits_horizontally(view))
    decision = model.column_index("decision")
    texts = [model.index(row, decision).data() for row in range(3)]
    assert texts == ["Attribution, rang 1", "Sous cond., rang 2", "Non-attribution"]
    assert elided_cells(view, [decision]) == []
    metrics = QFontMetrics(view.font())
    assert all(view.columnWidth(decision) >= metrics.horizontalAdvance(t) for t in texts)
    assert model.index(1, decision).data(Qt.ItemDataRole.ToolTipRole).startswith(
        "Attribution sous condition")


def test_the_agenda_never_cuts_a_reference(qtbot, bench) -> None:
    """« MET-00008 · T3 PL… » was once cut, then the agenda widened to show it whole
    (246 px for 205) and the candidates' grid lost the 41 px. The reference, the badge
    and the count stay whole; the typology and financing give way (« T3 PLAI a… »),
    their full text in the cell's tooltip, and the agenda keeps its 205 px."""
    workspace = bench.workspace
    workspace.resize(1176, 720)
    assert workspace.open_session(bench.summary.signed_session_id)
    agenda = workspace.agenda
    view, model = agenda.view, agenda.model
    qtbot.waitUntil(lambda: agenda.columns.is_fitted() and fits_horizontally(view))
    kind = model.column_index("kind")
    assert elided_cells(view, [c for c in range(model.columnCount()) if c != kind]) == []
    assert elided_cells(view, [kind]) == ["T3 PLAI adapté"]  # the demo's longest line
    row = next(r for r, item in enumerate(model.rows()) if item.financing == "PLAI adapté")
    assert model.index(row, model.column_index("reference")).data() == "MET-00008"
    assert model.index(row, kind).data(Qt.ItemDataRole.ToolTipRole) == (
        "MET-00008 : T3, financement PLAI adapté")
    assert agenda.width() <= 205  # the splitter's first share


def test_a_long_dwelling_line_leaves_the_candidates_grid_its_room(qtbot, bench) -> None:
    """At 1366×768 a « T3 PLAI adapté » on the agenda widened it and the candidates'
    grid of another dwelling, its three decisions taken, scrolled sideways (16 px
    lacking): the agenda elides the typology and financing instead."""
    workspace = open_held(bench)
    workspace.resize(1176, 720)  # 1366×768 less the navigation
    agenda = workspace.agenda
    items = workspace.detail.agenda
    item = next(i for i in items if i.financing != "PLAI" and len(i.candidacies) >= 3)
    other = next(i for i in items if i.id != item.id)  # its row only: what is shown
    agenda.update_item(replace(other, typology="T3", financing="PLAI adapté"))
    decide(bench, item, 3)
    assert agenda.select_reference(item.reference)
    view = workspace.candidates.view
    qtbot.waitUntil(lambda: agenda.columns.is_fitted() and fits_horizontally(agenda.view)
                    and workspace.candidates.columns.is_fitted()
                    and fits_horizontally(view))
    assert other.reference not in elided_cells(agenda.view)


def test_an_agenda_fitted_before_it_shows_is_not_too_wide(qtbot, bench) -> None:
    """The séance page builds the workspace hidden: the agenda, fitted then around a
    view not laid out, kept 38 px more than its dwellings need (243 px for 205), taken
    from the candidates' grid at 1366×768 (the decision then scrolled out of sight)."""
    workspace = SessionWorkspace(bench.engine, lambda: bench.settings, TaskRunner())
    qtbot.addWidget(workspace)
    qtbot.waitUntil(lambda: not workspace.agenda.columns._pending)  # fitted, hidden
    workspace.resize(1176, 720)
    workspace.show()
    assert workspace.open_session(bench.summary.ready_session_id)
    agenda = workspace.agenda
    qtbot.waitUntil(lambda: agenda.columns.is_fitted() and fits_horizontally(agenda.view))
    assert elided_cells(agenda.view) == []
    view = agenda.view
    needed = (sum(natural_width(view, c) for c in range(view.model().columnCount()))
              + view.width() - view.viewport().width())
    assert agenda.minimumWidth() <= max(MIN_WIDTH, needed)
    assert agenda.width() <= max(205, needed)  # the splitter's first share


def test_the_decision_is_saved_without_scrolling_at_1366x768(qtbot, bench) -> None:
    """On a PLAI dwelling (the ceiling « indéterminé »: the justification and why it
    is required show) « Enregistrer la décision » was below the fold and a long casting
    vote holder's name made the form scroll sideways."""
    workspace = open_held(bench)
    workspace.resize(1176, 720)  # 1366×768 minus the navigation, menu and status bars
    plai = next(item for item in workspace.detail.agenda if item.financing == "PLAI")
    assert workspace.agenda.select_reference(plai.reference)
    workspace.tabs.setCurrentWidget(workspace.decision)
    workspace.candidates.view.selectRow(0)
    panel = workspace.decision
    panel.casting_holder.setText("(Mme Anne-Sophie Vandenberghe-Kowalczyk, vice-présidente "
                                 "de la communauté d'agglomération)")
    qtbot.waitUntil(panel.justification_row.isVisible)
    assert "Justification requise" in panel.justification_reason.text()
    button = panel.record_button
    assert button.isVisible() and button.isEnabled()
    # the whole button inside the tab and the window, not inside the scrolled fields
    tab = workspace.tabs.currentWidget()
    top_left = button.mapTo(tab, button.rect().topLeft())
    bottom_right = button.mapTo(tab, button.rect().bottomRight())
    assert tab.rect().contains(top_left) and tab.rect().contains(bottom_right)
    assert workspace.rect().contains(button.mapTo(workspace, button.rect().bottomRight()))
    assert not panel.scroll_area.widget().isAncestorOf(button)
    # the vote too: why the justification is required says the check, its figures are
    # the candidate's panel beside the form (and the line's tooltip)
    viewport = panel.scroll_area.viewport()
    vote = panel.votes_abstain
    assert viewport.rect().contains(vote.mapTo(viewport, vote.rect().bottomRight()))
    missing = "la table des plafonds PLAI 2026"
    assert missing in panel.justification_reason.toolTip()
    assert missing not in panel.justification_reason.text()
    # no sideways scrolling: every field fits the tab's width
    scroll = panel.scroll_area
    assert not scroll.horizontalScrollBar().isVisible()
    body = scroll.widget()
    assert body.minimumSizeHint().width() <= scroll.viewport().width()
    assert panel.reason.width() <= scroll.viewport().width()


def test_the_header_fits_1366_px_at_every_stage(qtbot, bench) -> None:
    """A closed séance shows four buttons (PV, signature, letters, documents) beside
    the commission, place and status: the window grew past 1366 px and cut
    « Documents ▾ » and the panels' right edge. The subtitle wraps instead."""

    from caleol.ui.pages.session.actions import SessionHeader

    detail = sessions.session_detail(bench.engine, bench.summary.signed_session_id)
    header = SessionHeader()
    qtbot.addWidget(header)
    room = 1176 - 2 * 12  # the workspace at 1366×768 less the navigation, its margins
    header.show()
    qtbot.waitExposed(header)
    for status in ("draft", "ready", "held", "closed", "signed"):
        header.set_detail(replace(detail, summary=replace(detail.summary, status=status)))
        header.layout().activate()  # the buttons of this status counted
        assert header.minimumSizeHint().width() <= room, status
        header.resize(room, header.sizeHint().height())
        header.layout().activate()
        assert header.documents_button.isVisible()
        assert header.documents_button.geometry().right() <= room, status
