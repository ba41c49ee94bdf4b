from PySide6.QtWidgets import QApplication

from caleol.ui.icons import NAVIGATION_ICONS, application_icon, navigation_icon
from caleol.ui.main_window import MainWindow
from caleol.ui.pages.base import PlaceholderPage


def test_application_icon_has_every_rendered_size(qapp: QApplication) -> None:
    sizes = {(s.width(), s.height()) for s in application_icon().availableSizes()}
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes


def test_every_navigation_page_has_an_icon(qapp: QApplication) -> None:
    for page_id in NAVIGATION_ICONS:
        assert not navigation_icon(page_id).isNull(), page_id
    assert navigation_icon("unknown").isNull()


def test_navigation_items_carry_their_icon(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow("test")
    qtbot.addWidget(window)
    window.add_page(PlaceholderPage("sessions", "Séances", "", []))
    assert not window.navigation.item(0).icon().isNull()
