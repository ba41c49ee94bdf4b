"""Regenerate the user guide's screenshots (docs/screenshots/) at 1366×768.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python tools/screenshots.py [--out docs/screenshots]

(or QT_QPA_PLATFORM=offscreen without X: same fonts, same images.)

Builds a fresh demo database in a throw-away profile, opens the main window exactly
as `caleol --demo` does (composition root, lazy screens) and saves one PNG per
screen of the guide. Look at every image before committing it: texts must fit, nothing
cut off. Not part of the test suite (the pytest-qt tests drive the same screens).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 23)
WIDTH, HEIGHT = 1366, 768


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="caleol-shots-"))
    os.environ["CALEOL_HOME"] = str(home)  # never the user's profile

    from PySide6.QtCore import QEventLoop, QLocale, QTimer

    from caleol import app as app_module
    from caleol.db.urls import database_url
    from caleol.services.demo import create_demo_database

    app = app_module.create_application()
    QLocale.setDefault(QLocale("fr_FR"))
    demo = home / "demo.sqlite3"
    create_demo_database(demo, today=TODAY)
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
    window.show_page("reference")
    save(window, "referentiels")
    # not Paramètres: it shows this script's throw-away profile paths (take it by hand)

    window.close()
    if ctx.tasks is not None:
        ctx.tasks.wait_for_done()
    return 0


if __name__ == "__main__":
    sys.exit(main())
