"""Documents shown inside caleol (QtPdf), printed, or opened with the system's reader.

Issue 17: with no PDF reader installed, « Générer le PV » ended on « Opération
impossible » under a progress dialog that blocked it. Now the document opens in
caleol itself; « Ouvrir avec le lecteur PDF » without a reader gives a message that
is visible, on top and closable.
"""

from __future__ import annotations

import logging

from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from ui.pages.session.workbench import LONG_MS, click

from caleol.ui import messages
from caleol.ui.pdf_viewer import PdfViewer

REAL_SHOW_ERROR = messages.show_error  # before the bench collects errors instead


def test_the_signed_pv_opens_inside_caleol(qtbot, bench) -> None:
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS) as written:
        click(qtbot, workspace.header.minutes_button)
    path = written.args[0]
    viewer = workspace.viewer
    assert isinstance(viewer, PdfViewer) and viewer.isVisible()
    assert viewer.path == path
    assert viewer.document.pageCount() == len(PdfReader(str(path)).pages) > 0
    assert viewer.page_count.text() == f"sur {viewer.document.pageCount()}"
    assert bench.errors == []
    assert not any(w.objectName() == "taskProgressDialog" and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    viewer.close()


def test_agenda_and_sheets_at_any_stage(qtbot, bench) -> None:
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.preparing_session_id)
    for action, name in ((workspace.header.agenda_action, "ordre-du-jour"),
                         (workspace.header.sheets_action, "fiches-candidats")):
        with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS) as written:
            action.trigger()
        assert written.args[0].name.startswith(name)
        qtbot.waitUntil(lambda: workspace.viewer is not None
                        and workspace.viewer.path == written.args[0])
        assert workspace.viewer.document.pageCount() >= 1
        workspace.viewer.close()
    assert bench.errors == []


def test_no_pdf_reader_installed_gives_a_closable_message(qtbot, bench, monkeypatch,
                                                          fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    monkeypatch.setattr(messages, "show_error", REAL_SHOW_ERROR)  # a real box this time
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no reader
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS):
        click(qtbot, workspace.header.minutes_button)
    viewer = workspace.viewer
    qtbot.waitUntil(viewer.isVisible)
    seen: list[dict[str, object]] = []

    def answer() -> None:  # runs inside the message box's own event loop
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append({"text": box.text(), "visible": box.isVisible(),
                     "others": [w for w in QApplication.topLevelWidgets()
                                if w.isVisible() and w.isModal() and w is not box]})
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)
    click(qtbot, viewer.open_button)
    assert len(seen) == 1
    assert seen[0]["visible"] is True and seen[0]["others"] == []
    assert "Aucune application n'est installée pour ouvrir les PDF" in seen[0]["text"]
    assert QApplication.activeModalWidget() is None  # closed, nothing left on top
    viewer.close()


def test_printing_from_the_viewer_says_what_was_sent(qtbot, bench, monkeypatch,
                                                     tmp_path) -> None:
    out = tmp_path / "imprime.pdf"

    def to_file(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", to_file)
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS) as written:
        click(qtbot, workspace.header.minutes_button)
    viewer = workspace.viewer
    pages = viewer.document.pageCount()
    width = viewer.width()
    click(qtbot, viewer.print_button)
    assert out.read_bytes() == written.args[0].read_bytes()  # the signed PDF itself
    assert viewer.status.text() == f"Imprimé dans {out} ({pages} pages)."
    assert viewer.status.isVisible()
    # the confirmation beside the path widened the viewer past a 1366 px screen
    viewer.layout().activate()
    assert viewer.width() == width and viewer.minimumSizeHint().width() <= width
    viewer.close()
