"""« Courriers » after the séance says who gets no letter today and why, as `caleol
letters` does, beside the letters shown (a notice that waits for no answer).

The demo's signed séance: a ranked dwelling whose first candidate refused and whose
second signed the lease, a single attribution already leased: those get no letter.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from ui.pages.session.workbench import LONG_MS, click

from caleol.rules.nur import format_nur
from caleol.services.documents.session_minutes import produce_letter_set


def test_letters_name_who_gets_none_and_why(qtbot, bench) -> None:
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    expected = produce_letter_set(bench.engine, bench.summary.signed_session_id).withheld
    assert expected  # the refusal and the signed leases
    with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS) as written:
        click(qtbot, workspace.header.letters_button)
    path = written.args[0]
    qtbot.waitUntil(lambda: workspace.viewer is not None and workspace.viewer.path == path)
    notice = workspace.letters_notice
    assert isinstance(notice, QMessageBox) and notice.isVisible()
    assert not notice.isModal()  # the letters stay usable behind it
    assert str(path) in notice.text() and "Sans courrier aujourd'hui" in notice.text()
    listed = notice.informativeText().splitlines()
    assert listed == [f"• {line}" for line in expected]
    detail = workspace.detail
    refused = next(c for item in detail.agenda for c in item.candidacies
                   if any(e.kind == "refusal" for e in c.events))
    assert any(format_nur(refused.nur) in line for line in listed)  # as letters print it
    assert bench.errors == []
    notice.close()
    workspace.viewer.close()
