"""The weekly flow through the real widgets, on the 100 000-demande database.

Each measure goes from the user's event (a click, a key, a tab, a page chosen in the
navigation) to the last repaint: the posted events are processed until the
application is idle, work started on the task runner included (the live impact is
shown when its result is painted), then the whole window is painted (`repaint()`).
Baseline: repainting the same window when nothing changed, i.e. what any
interaction costs at the least. Target: ≤ 100 ms each (issue 19).

Work that cannot fit runs off the GUI thread with visible progress: « Suggérer des
candidats » searches 100 000 demandes on the task runner, so its interaction ends
when the dialog is painted with « Recherche des candidats… » and its busy bar (the
search still running; the CPU shown is the GUI thread's alone), and a line not named
« interaction », for information, goes on until the suggestions are listed.

The séances are set up once in the benchmark's copy of the demo database (kept
there, found again by their place): one in preparation and one held, each of 60
dwellings × 5 candidates, through the session services as the secretary would.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import Measure, load_average, median_times

PLACE = "Banc d'essai des interactions"
DWELLINGS = 60
CANDIDATES = 5
LIMIT = 0.100
TEXT = "mar"
WAKE_MS = 10  # while waiting for a task, the window is looked at again at least this often


@dataclass(frozen=True)
class Seances:
    preparing: int
    held: int


def _seance(engine: Any, commission_id: int, on: dt.date, dwelling_ids: list[int],
            demande_ids: list[int], member_ids: list[int], *, hold: bool,
            candidates: int) -> int:
    from caleol.services import sessions

    session_id = sessions.create_session(engine, commission_id, on, place=PLACE,
                                         start_time=dt.time(14, 0), member_ids=member_ids)
    for n, dwelling_id in enumerate(dwelling_ids):
        item_id = sessions.add_dwelling(engine, session_id, dwelling_id)
        for demande_id in demande_ids[n * candidates:(n + 1) * candidates]:
            sessions.add_candidate(engine, item_id, demande_id)
    if hold:
        sessions.mark_ready(engine, session_id)
        sessions.record_attendance(engine, session_id, [
            sessions.AttendanceChange(m, "present") for m in member_ids])
        sessions.start_session(engine, session_id)
    return session_id


def bench_seances(engine: Any, *, dwellings: int = DWELLINGS, candidates: int = CANDIDATES,
                  say: Callable[[str], object] = print) -> Seances:
    """The two séances of the measure, made the first time (a minute or two)."""
    from sqlalchemy import select

    from caleol.db.models import (
        AgendaItem,
        CommissionMember,
        CommissionSession,
        Demande,
        Dwelling,
    )

    with engine.connect() as connection:
        found = dict(connection.execute(
            select(CommissionSession.status, CommissionSession.id)
            .where(CommissionSession.place == PLACE)).all())
        if "draft" in found and "held" in found:
            return Seances(found["draft"], found["held"])
        commission_id, = connection.execute(
            select(CommissionMember.commission_id).limit(1)).one()
        member_ids = list(connection.execute(
            select(CommissionMember.id).where(CommissionMember.commission_id == commission_id,
                                              CommissionMember.active.is_(True))).scalars())
        busy = select(AgendaItem.dwelling_id)
        dwelling_ids = list(connection.execute(
            select(Dwelling.id).where(Dwelling.status != "let", Dwelling.id.not_in(busy))
            .order_by(Dwelling.id).limit(2 * dwellings)).scalars())
        demande_ids = list(connection.execute(
            select(Demande.id).where(Demande.status == "active")
            .order_by(Demande.id).limit(2 * dwellings * candidates)).scalars())
    say(f"setting up two séances of {dwellings} dwellings × {candidates} (once)…")
    start = time.perf_counter()
    today = dt.date.today()
    held = found.get("held") or _seance(
        engine, commission_id, today, dwelling_ids[:dwellings],
        demande_ids[:dwellings * candidates], member_ids, hold=True, candidates=candidates)
    preparing = found.get("draft") or _seance(
        engine, commission_id, today + dt.timedelta(days=7), dwelling_ids[dwellings:],
        demande_ids[dwellings * candidates:], member_ids, hold=False, candidates=candidates)
    say(f"  set up in {time.perf_counter() - start:.0f} s")
    return Seances(preparing, held)


class Driver:
    """The main window of `caleol.app` on the database, and how to let it settle."""

    def __init__(self, db: Path) -> None:
        from PySide6.QtCore import QTimer, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from caleol import app as app_module

        def quiet(kind: Any, context: Any, message: str) -> None:
            if "propagateSizeHints" not in message:  # the offscreen platform's own
                print(message)

        qInstallMessageHandler(quiet)

        self.app = QApplication.instance() or app_module.create_application()
        started = app_module.start(db=str(db))
        assert started is not None
        self.ctx, self.window = started
        self._wake = QTimer()  # bounds `settle`'s wait for the next event
        self._wake.setInterval(WAKE_MS)
        self.window.showNormal()
        self.window.resize(1366, 768)
        self.settle(lambda: self.ctx.opened)

    def busy(self) -> bool:
        runner = self.ctx.tasks
        return runner is not None and bool(runner.running())

    def settle(self, until: Callable[[], bool] = lambda: True, timeout: float = 60.0, *,
               tasks: bool = True, paint: Callable[[], object] = lambda: None) -> None:
        """Process events until idle (no task running, `until()` true), then paint the
        window and (`paint`) what else shows, a dialog. `tasks` False: a task still
        running does not count (what the user sees while work goes on off the GUI
        thread)."""
        from PySide6.QtCore import QEventLoop

        deadline = time.perf_counter() + timeout
        quiet = 0
        try:
            while quiet < 2:
                self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
                if (tasks and self.busy()) or not until():
                    quiet = 0
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the window did not settle")
                    # Wait for the next event (a task's result, a timer) as the
                    # application's own loop does; the wake-up timer bounds the wait.
                    # Not processEvents(flags, ms): it ignores WaitForMoreEvents, so the
                    # GUI thread spun in Python and took the GIL from the task's thread.
                    self._wake.start()
                    self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
                else:
                    quiet += 1
        finally:
            self._wake.stop()
        self.window.repaint()
        paint()

    def page(self, page_id: str) -> Any:
        """The real page behind the navigation entry (built if needed)."""
        return self.window.page(page_id).content

    def close(self) -> None:
        self.window.close()
        self.settle()


def _measure(name: str, work: Callable[[], object], runs: int, baseline: tuple[float, float],
             setup: Callable[[], object] | None = None) -> Measure:
    value, cpu = median_times(work, runs, setup=setup)
    return Measure(f"interaction: {name}", value, baseline[0], "repaint, nothing changed",
                   limit=LIMIT, load=load_average(), cpu=cpu, baseline_cpu=baseline[1])


def _gui_thread_times(work: Callable[[], object], runs: int,
                      setup: Callable[[], object]) -> tuple[float, float]:
    """Median wall time and median CPU time of the GUI thread alone: while work runs
    on a worker thread, the process's CPU time would count it too."""
    walls, cpus = [], []
    for n in range(runs + 1):  # the first one warms up
        setup()
        cpu, start = time.thread_time(), time.perf_counter()
        work()
        if n:
            walls.append(time.perf_counter() - start)
            cpus.append(time.thread_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def run(db: Path, runs: int, *, dwellings: int = DWELLINGS,
        candidates: int = CANDIDATES) -> list[Measure]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from caleol.db.engine import open_database

    engine = open_database(str(db), backup_dir=db.parent / "backups")
    try:
        seances = bench_seances(engine, dwellings=dwellings, candidates=candidates)
    finally:
        engine.dispose()
    driver = Driver(db)
    try:
        window = driver.window
        baseline = median_times(window.repaint, runs)
        measures: list[Measure] = []

        # --- the séance in preparation: open it, pick candidates, ask for suggestions
        window.show_page("sessions")
        sessions_page = driver.page("sessions")
        driver.settle()

        def open_preparing() -> None:
            sessions_page.open_session(seances.preparing)
            driver.settle()

        def back_to_list() -> None:
            sessions_page.show_list()
            driver.settle()

        measures.append(_measure(f"open a séance of {dwellings} dwellings × {candidates}",
                                 open_preparing, runs, baseline, setup=back_to_list))
        open_preparing()
        workspace = sessions_page.workspace
        rows = iter(range(10_000))

        def select_candidate() -> None:
            workspace.candidates.view.selectRow(1 + next(rows) % (candidates - 1))
            driver.settle(lambda: workspace.live_impact.label.text() != "Calcul…")

        def first_candidate() -> None:
            workspace.candidates.view.selectRow(0)
            driver.settle(lambda: workspace.live_impact.label.text() != "Calcul…")

        measures.append(_measure("select a candidate (detail, live impact)", select_candidate,
                                 runs, baseline, setup=first_candidate))

        # « Suggérer des candidats » searches 100 000 demandes off the GUI thread: the
        # interaction is the dialog open with its progress (the search still running,
        # the GUI thread free); the suggestions listed come after, for information.
        def dialog_painted() -> None:
            if workspace.current_dialog is not None:
                workspace.current_dialog.repaint()

        def searching() -> bool:
            dialog = workspace.current_dialog
            return (dialog is not None and dialog.isVisible()
                    and (not dialog.searching or dialog.progress.isVisible()))

        def listed() -> bool:
            dialog = workspace.current_dialog
            return dialog is not None and dialog.isVisible() and dialog.model.rowCount() > 0

        def suggest() -> None:
            QTest.mouseClick(workspace.candidates.suggest_button, Qt.MouseButton.LeftButton)
            driver.settle(searching, tasks=False, paint=dialog_painted)

        def suggest_listed() -> None:
            QTest.mouseClick(workspace.candidates.suggest_button, Qt.MouseButton.LeftButton)
            driver.settle(listed, paint=dialog_painted)

        def close_dialog() -> None:
            dialog = workspace.current_dialog
            if dialog is not None and dialog.isVisible():
                dialog.reject()
            workspace.current_dialog = None
            driver.settle()  # the search abandoned, if it still ran, ends here

        suggest_wall, suggest_cpu = _gui_thread_times(suggest, runs, close_dialog)
        measures.append(Measure(
            "interaction: « Suggérer des candidats » → dialog, progress shown "
            "(cpu: GUI thread)", suggest_wall, baseline[0], "repaint, nothing changed",
            limit=LIMIT, load=load_average(), cpu=suggest_cpu, baseline_cpu=baseline[1]))
        listed_wall, listed_cpu = median_times(suggest_listed, runs, setup=close_dialog)
        measures.append(Measure(
            "« Suggérer des candidats » → suggestions listed (search off the GUI thread)",
            listed_wall, baseline[0], "repaint, nothing changed", load=load_average(),
            cpu=listed_cpu, baseline_cpu=baseline[1]))
        close_dialog()

        # --- the held séance: decisions, tabs
        back_to_list()
        sessions_page.open_session(seances.held)
        driver.settle()
        items = iter(range(10_000))

        def prepare_decision() -> None:
            workspace.agenda.view.selectRow(next(items) % dwellings)
            workspace.candidates.view.selectRow(0)
            workspace.tabs.setCurrentWidget(workspace.decision)
            panel = workspace.decision
            panel.kind.setCurrentIndex(panel.kind.findData("attribution_rang"))
            panel.rank.setValue(1)
            panel.unanimous.setChecked(True)
            panel.justification.setText("Banc d'essai : décision enregistrée pour la mesure.")
            driver.settle()

        def record_decision() -> None:
            QTest.mouseClick(workspace.decision.record_button, Qt.MouseButton.LeftButton)
            driver.settle()

        measures.append(_measure("record a decision", record_decision, runs, baseline,
                                 setup=prepare_decision))
        tabs = iter(range(10_000))

        def switch_tab() -> None:
            bar = workspace.tabs.tabBar()
            bar.setCurrentIndex((bar.currentIndex() + 1 + next(tabs) % 2) % bar.count())
            driver.settle()

        measures.append(_measure("switch the workspace tabs", switch_tab, runs, baseline))

        # --- the other screens
        window.show_page("demandes")
        demandes = driver.page("demandes")
        driver.settle()

        def clear_search() -> None:
            demandes.search_edit.clear()
            QTest.keyClick(demandes.search_edit, Qt.Key.Key_Return)
            driver.settle()

        def type_text() -> None:
            demandes.search_edit.setFocus()
            QTest.keyClicks(demandes.search_edit, TEXT)
            QTest.keyClick(demandes.search_edit, Qt.Key.Key_Return)
            driver.settle()

        measures.append(_measure(f"type « {TEXT} » in the Demandes filter", type_text, runs,
                                 baseline, setup=clear_search))
        clear_search()

        def fresh_window() -> None:
            """A new main window on the same engine: each screen built at first show."""
            from caleol import app as app_module

            driver.window.close()
            driver.window = app_module.build_main_window(driver.ctx)
            for page in driver.window.pages():
                if hasattr(page, "allow"):
                    page.allow()
            driver.window.resize(1366, 768)
            driver.window.show()
            driver.window.show_page("sessions")
            driver.settle()

        def open_page(page_id: str) -> Callable[[], None]:
            def work() -> None:
                driver.window.show_page(page_id)
                driver.settle()
            return work

        measures.append(_measure("open Logements (first time in the window)",
                                 open_page("dwellings"), runs, baseline, setup=fresh_window))
        measures.append(_measure(f"open Indicateurs for {dt.date.today().year}",
                                 open_page("indicators"), runs, baseline, setup=fresh_window))
        return measures
    finally:
        driver.close()
        if driver.ctx.engine is not None:
            driver.ctx.engine.dispose()
