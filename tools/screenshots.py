"""Regenerate the user guide's screenshots (docs/screenshots/) at 1366×768.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--home DIR]

(or QT_QPA_PLATFORM=offscreen without X: same fonts, same images.)

Builds a fresh demo database in a throw-away profile, opens the main window exactly
as `caleol --demo` does (composition root, lazy screens) and saves one PNG per
screen of the guide: the séance workspace at each stage (preparation, attendance, a
decision the rules question, the follow-up), the close dialog, the lists, a
demande's editor, Indicateurs, Référentiels (the yearly tables). Look at every image
before committing it: texts must fit, nothing cut off. Not part of the test suite (the
pytest-qt tests drive the same screens).

Paramètres and the first start's dialog show the profile's folders, so they are taken
only with `--home DIR`: the
profile is then DIR's platform folders (HOME=DIR, no CALEOL_HOME), as on a
secretary's PC. DIR must be a throw-away folder; to show « /home/secretariat », run
in a private mount namespace over an empty folder (nothing outside it changes):

    mkdir -p /tmp/shots/secretariat && unshare -m sh -c 'mount --bind /tmp/shots /home &&
        QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python tools/screenshots.py --home /home/secretariat'
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 23)
WIDTH, HEIGHT = 1366, 768


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--home", type=Path, default=None,
                        help="throw-away HOME whose platform folders are the profile "
                             "(then Paramètres is taken too)")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.home is not None:  # the platform's folders under a throw-away HOME
        args.home.mkdir(parents=True, exist_ok=True)
        os.environ["HOME"] = str(args.home)
        os.environ.pop("CALEOL_HOME", None)
        for xdg in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ.pop(xdg, None)
        home = args.home / "shots"
        home.mkdir(exist_ok=True)
    else:
        home = Path(tempfile.mkdtemp(prefix="caleol-shots-"))
        os.environ["CALEOL_HOME"] = str(home)  # never the user's profile

    from PySide6.QtCore import QEventLoop, QLocale, QTimer

    from caleol import app as app_module
    from caleol.db.urls import database_url
    from caleol.services.demo import create_demo_database

    app = app_module.create_application()
    QLocale.setDefault(QLocale("fr_FR"))
    demo = home / "demo.sqlite3"
    summary = create_demo_database(demo, today=TODAY)
    started = app_module.start(
        demo=True, settings_file=home / "settings.json",
        build_demo=lambda: app_module.DatabaseTarget(database_url(str(demo)), demo=True))
    assert started is not None
    ctx, window = started
    window.showNormal()
    window.resize(WIDTH, HEIGHT)

    def pump(until: Callable[[], bool] = lambda: True, seconds: float = 30) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if until() else None)
        timer.start(20)
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        timer.stop()
        for _ in range(5):
            app.processEvents()

    def save(widget: Any, name: str) -> None:
        pump()
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))
        print(f"{path} ({widget.width()}×{widget.height()})")

    pump(lambda: ctx.opened)
    # the status bar as on a secretary's PC, not the throw-away profile of this script
    window.set_database_label("/home/secretariat/.local/share/caleol/caleol-demo.sqlite3")
    args.out.mkdir(parents=True, exist_ok=True)

    sessions = window.show_page("sessions").content
    save(window, "seances")

    # the séance in preparation, its blocked dwelling selected
    preparing = next(s for s in sessions.model.rows() if s.status == "draft")
    sessions.open_session(preparing.id)
    workspace = sessions.workspace
    blocked = next(i for i in workspace.detail.agenda if i.reference == "MET-00044")
    workspace.agenda.select_reference(blocked.reference)
    workspace.candidates.view.selectRow(0)
    save(window, "seance-workspace")

    # the signed séance: the follow-up of its decisions (refusal, lease)
    workspace.back_requested.emit()
    signed = next(s for s in sessions.model.rows() if s.status == "signed")
    sessions.open_session(signed.id)
    workspace = sessions.workspace
    followed = next(i for i in workspace.detail.agenda
                    if any(c.events for c in i.candidacies))
    workspace.agenda.select_reference(followed.reference)
    workspace.candidates.view.selectRow(0)
    workspace.tabs.setCurrentWidget(workspace.events)
    save(window, "seance-suites")
    workspace.back_requested.emit()

    if summary.ready_session_id is not None:
        held_session(window, sessions, ctx.engine, summary.ready_session_id, save, pump)

    page = window.show_page("demandes").content
    pump(lambda: page.model is not None and page.model.rowCount() > 0)
    page.open_editor(page.model.row_at(3).id)
    save(page.editor, "demande-editeur")
    page.editor.reject()  # nothing changed: closes without asking

    for page_id, name in (("dwellings", "logements"), ("demandes", "demandes")):
        page = window.show_page(page_id).content
        pump(lambda page=page: page.model is not None and page.model.rowCount() > 0)
        page.table.selectRow(3)
        save(window, name)

    window.show_page("indicators")
    indicators = window.page("indicators").content
    computed: list[bool] = []
    indicators.computed.connect(lambda: computed.append(True))
    indicators.refresh()
    pump(lambda: bool(computed))
    save(window, "indicateurs")
    reference = window.show_page("reference").content
    reference.tabs.setCurrentWidget(reference.ceilings)  # the guide's yearly tables (§ 9)
    save(window, "referentiels")
    if args.home is not None:  # the profile's folders are the ones a secretary has
        window.show_page("settings")
        save(window, "parametres")
        from caleol.ui.dialogs.first_start import FirstStartDialog

        welcome = FirstStartDialog(window)  # what the very first start shows
        welcome.show()
        save(welcome, "premier-demarrage")
        welcome.done(0)

    window.close()
    if ctx.tasks is not None:
        ctx.tasks.wait_for_done()
    return 0


def held_session(window: Any, sessions_page: Any, engine: Any, session_id: int,
                 save: Callable[[Any, str], None],
                 pump: Callable[[Callable[[], bool]], None]) -> None:
    """The ready séance held at 14 h on its day: attendance (one member represented), a
    non-attribution whose reason cannot stand alone and is contradicted by a passing
    solvency check (the form's live warnings and justification), the close dialog."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QSplitter

    from caleol.rules.decisions import DecisionKind
    from caleol.services import sessions
    from caleol.ui.pages.session.close_dialog import CloseDialog

    detail = sessions.session_detail(engine, session_id)
    day = detail.summary.date
    deliberative = [a for a in detail.attendance if a.deliberative]
    represented, proxy = deliberative[-1], deliberative[0]
    changes = [sessions.AttendanceChange(a.member_id, "present") for a in detail.attendance
               if a.member_id != represented.member_id]
    changes.append(sessions.AttendanceChange(represented.member_id, "represented",
                                             proxy.member_id))
    sessions.record_attendance(engine, session_id, changes)
    sessions.set_president(engine, session_id, proxy.member_id)
    sessions.start_session(engine, session_id, now=datetime.combine(day, time(14, 0)))

    sessions_page.open_session(session_id)
    workspace = sessions_page.workspace
    workspace.tabs.setCurrentWidget(workspace.attendance)
    save(window, "seance-presences")

    plain = next(item for item in workspace.detail.agenda if len(item.candidacies) >= 3
                 and all(c.checks[name]["status"] == "pass" for c in item.candidacies
                         for name in ("ceiling", "solvency", "typology")))
    workspace.agenda.select_reference(plain.reference)
    workspace.candidates.view.selectRow(1)
    workspace.tabs.setCurrentWidget(workspace.decision)
    for splitter in workspace.findChildren(QSplitter):  # the secretary drags the handle up:
        sizes = splitter.sizes()  # three candidates need little room, the form more
        if splitter.orientation() == Qt.Orientation.Vertical and len(sizes) == 2:
            splitter.setSizes([sizes[0] - 48, sizes[1] + 48])
    panel = workspace.decision
    codes = {r.code: r.id for r in sessions.active_reasons(engine)}
    panel.kind.setCurrentIndex(panel.kind.findData(DecisionKind.NON_ATTRIBUTION.value))
    panel.reason.setCurrentIndex(panel.reason.findData(codes["RESSOURCES_FAIBLES"]))
    panel.unanimous.setChecked(True)
    pump(lambda: workspace.live_impact.label.text() != "Calcul…")
    save(window, "seance-decision")

    dialog = CloseDialog(day, time(14, 0), lambda _start, _end: None, window,
                         now=datetime.combine(day, time(16, 10)))
    dialog.show()
    save(dialog, "seance-cloture")
    dialog.done(0)
    workspace.back_requested.emit()


if __name__ == "__main__":
    sys.exit(main())
