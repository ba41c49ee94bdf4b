"""The assistant's list of members says whom a substitute replaces (« suppléante de Mme
Claire Martin », in the substitute's gender) and which réservataire a member represents:
under Xvfb the list read « Mme Anne Petit — …, suppléant » and « Mme Sophie Leroy —
réservataire, voix consultative », which told the secretary neither."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from ui.dialogs.wizard_steps import add_member, walk_to_certificate

from caleol.settings import Settings
from caleol.ui.dialogs.setup_wizard import SetupWizard
from caleol.ui.dialogs.setup_wizard.wizard import PageId


@pytest.fixture
def wizard(qtbot, sqlite_engine: Engine, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[SetupWizard]:
    monkeypatch.setattr(SetupWizard, "confirm_cancel", lambda self, text: True)
    wizard = SetupWizard(sqlite_engine, Settings(), tmp_path / "settings.json")
    qtbot.addWidget(wizard)
    with qtbot.waitExposed(wizard):
        wizard.show()
    yield wizard


def test_the_members_list_names_titulars_and_reservataires(qtbot, wizard: SetupWizard
                                                            ) -> None:
    walk_to_certificate(qtbot, wizard)
    wizard.back()
    assert wizard.currentId() == PageId.MEMBERS
    wizard.members.new_button.click()
    add_member(qtbot, wizard, "M.", "Luc Moreau", "administrateur", titular="M. Karim Benali")
    assert wizard.members.member_form.visible_errors() == {}
    listed = [wizard.members.list.item(i).text() for i in range(wizard.members.list.count())]
    assert listed == [
        "Mme Claire Martin — administrateur désigné par le conseil, voix prépondérante",
        "M. Karim Benali — réservataire (ALS), voix consultative",
        "Mme Anne Muller — administrateur désigné par le conseil, suppléante de Mme Claire "
        "Martin",
        "M. Luc Moreau — administrateur désigné par le conseil, suppléant de M. Karim Benali",
    ]
