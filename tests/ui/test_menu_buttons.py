"""A button opening a menu shows one « ▾ », its text's: Qt's own arrow is hidden."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QToolButton

from caleol.ui.pages.report_exports import ReportButtons
from caleol.ui.pages.session.actions import SessionHeader
from caleol.ui.widgets.menu_button import NO_MENU_ARROW


def test_documents_and_csv_menus_show_one_arrow(qtbot) -> None:
    # Seen on a new base: « Documents ▾ ▾ » in the séance header, « Export CSV˅ » (Qt's
    # arrow squeezed into the last letter) on Indicateurs.
    header, reports = SessionHeader(), ReportButtons()
    for widget in (header, reports):
        qtbot.addWidget(widget)
    documents = header.findChild(QPushButton, "documentsButton")
    csv = reports.findChild(QToolButton, "csvExportButton")
    for button in (documents, csv):
        assert button.menu() is not None
        assert button.text().endswith(" ▾") and button.text().count("▾") == 1
        assert button.styleSheet() == NO_MENU_ARROW
