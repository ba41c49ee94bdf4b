"""F1: the whole user guide inside caleol, rendered offline with its images, open at the
chapter of the screen shown (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextImageFormat

from caleol.ui.dialogs.help import CHAPTERS, HelpDialog, find_user_guide, slug
from caleol.ui.main_window import MainWindow
from caleol.ui.pages.base import PlaceholderPage

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "guide.md"


@pytest.fixture
def guide(qtbot) -> HelpDialog:
    dialog = HelpDialog(GUIDE)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_guide_of_the_checkout_is_found() -> None:
    assert find_user_guide() == GUIDE


def test_the_whole_guide_with_its_contents_and_images(guide: HelpDialog) -> None:
    text = guide.browser.toPlainText()
    assert text.startswith("Guide de l'utilisateur de caleol")
    assert "En cas de problème" in text  # the last chapter: all of it is there
    chapters = [guide.contents.topLevelItem(i).text(0)
                for i in range(guide.contents.topLevelItemCount())]
    assert "3. La séance de la semaine, pas à pas" in chapters
    assert len(chapters) >= 11
    # a title the contents' column elides is whole in its tooltip
    third = guide.contents.topLevelItem(chapters.index("3. La séance de la semaine, pas à pas"))
    for item in (third, *(third.child(i) for i in range(third.childCount()))):
        assert item.toolTip(0) == item.text(0) != ""
    images = []
    block = guide.browser.document().begin()
    while block.isValid():
        for fragment_range in block.textFormats():
            if fragment_range.format.isImageFormat():
                images.append(QTextImageFormat(fragment_range.format).name())
        block = block.next()
    assert "screenshots/seance-workspace.png" in images
    resource = guide.browser.loadResource(2, QUrl("screenshots/seance-workspace.png"))
    assert resource is not None and not resource.isNull()  # read from disk, offline


@pytest.mark.parametrize("topic", sorted(CHAPTERS))
def test_every_screen_has_its_chapter(guide: HelpDialog, topic: str) -> None:
    assert guide.heading(CHAPTERS[topic]) is not None, CHAPTERS[topic]
    assert guide.show_topic(topic)


def test_opening_at_a_chapter_scrolls_to_it(qtbot, guide: HelpDialog) -> None:
    guide.resize(1000, 700)
    assert guide.show_topic("indicators")
    qtbot.waitUntil(lambda: guide.current_heading().startswith("8. Indicateurs"))
    assert guide.contents.currentItem().text(0).startswith("8. Indicateurs")


def test_links_of_the_guide_jump_to_their_heading(qtbot, guide: HelpDialog) -> None:
    guide.resize(1000, 700)
    assert slug("9. Chaque mois de janvier : mettre à jour les référentiels") == (
        "9-chaque-mois-de-janvier--mettre-à-jour-les-référentiels")
    guide.browser.anchorClicked.emit(QUrl("#7-sauvegardes-et-restauration"))
    qtbot.waitUntil(lambda: guide.current_heading() == "7. Sauvegardes et restauration")
    guide.browser.anchorClicked.emit(QUrl("https://www.legifrance.gouv.fr/"))
    assert "non ouvert" in guide.link_label.text()  # never fetched
    guide.browser.anchorClicked.emit(QUrl("csv-columns.md"))
    assert guide.back_button.isVisible()
    assert "Colonnes" in guide.browser.toPlainText()[:200]
    guide.back_button.click()
    assert guide.browser.toPlainText().startswith("Guide de l'utilisateur de caleol")


def test_f1_opens_the_guide_at_the_screen_shown(qtbot) -> None:
    window = MainWindow("")
    qtbot.addWidget(window)
    window.add_page(PlaceholderPage("sessions", "Séances", "Les séances."))
    window.add_page(PlaceholderPage("indicators", "Indicateurs", "Les indicateurs."))
    window.resize(1366, 768)
    with qtbot.waitActive(window):  # F1 is a window shortcut
        window.show()
        window.activateWindow()
    window.show_page("indicators")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.current_heading().startswith("8. Indicateurs"))
    window.show_page("sessions")
    window.help_action.trigger()  # F1 again, from another screen
    assert window.help_dialog is dialog  # one window, moved to the new chapter
    qtbot.waitUntil(lambda: dialog.current_heading().startswith("3. La séance"))
    dialog.close()
    qtbot.waitUntil(lambda: window.help_dialog is None)


def test_an_installed_package_reads_its_own_copy(monkeypatch, tmp_path: Path) -> None:
    """setup.py copies the guide into caleol/resources/guide/ for a wheel."""
    from caleol import paths

    copy = tmp_path / "guide" / "guide.md"
    copy.parent.mkdir()
    copy.write_text("# Guide installé\n", encoding="utf-8")
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    assert find_user_guide() == copy


def test_the_guide_reads_without_scrolling_sideways(qtbot, guide: HelpDialog) -> None:
    """Screenshots are 1366 px wide; shown in a 1100 px window they are scaled down."""
    guide.resize(1000, 700)
    qtbot.waitUntil(lambda: not guide._fit_pending)
    guide.fit_images()
    assert guide.browser.horizontalScrollBar().maximum() == 0
