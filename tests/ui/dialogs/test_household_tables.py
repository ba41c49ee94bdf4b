"""The demande editor's household tables and wished communes, with real widgets: a
resource's beneficiary follows its member when a row above is removed, and falls back
to the household as a whole when that member goes; a commune is wished once, in the
order given."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from caleol.services.editing import Choice, DemandeChoices, MemberForm, ResourceForm
from caleol.ui.dialogs.household_tables import HouseholdTables
from caleol.ui.dialogs.wished_communes import WishedCommunes

CHOICES = DemandeChoices(
    communes=(Choice("57463", "Metz (57000)"), Choice("57480", "Montigny-lès-Metz (57950)")),
    criteria=(), typologies=(), statuses=(), motives=(Choice("", "aucun"),),
    roles=(Choice("applicant", "Demandeur"), Choice("spouse", "Conjoint"),
           Choice("child", "Enfant")),
    kinds=(Choice("salaire", "Salaire"), Choice("prestation", "Prestation")))


def test_a_resource_follows_its_member_then_goes_to_the_household(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    tables = HouseholdTables(CHOICES, host)
    for member in (MemberForm("applicant", "Muller", "Anne", "02/03/1985"),
                   MemberForm("spouse", "Muller", "Marc", "11/07/1983"),
                   MemberForm("child", "Muller", "Léo", "01/06/2012")):
        tables.add_member(member)
    tables.add_resource(ResourceForm("prestation", "320", True, 2, "Léo's"))  # Léo, row 2
    box = tables.resources_table.cellWidget(0, 3)
    assert isinstance(box, QComboBox)
    assert (box.currentData(), box.currentText()) == (2, "3. Léo")

    tables.members_table.setCurrentCell(1, 1)  # Marc goes: Léo is now row 1
    tables.remove_member()
    assert (box.currentData(), box.currentText()) == (1, "2. Léo")
    assert [r.member for r in tables.resources()] == [1]

    tables.members_table.item(1, 2).setText("Léon")  # renamed: the list follows
    assert box.currentText() == "2. Léon"

    tables.members_table.setCurrentCell(1, 1)  # Léo goes: the household as a whole
    tables.remove_member()
    assert (box.currentData(), box.currentText()) == (None, "ménage")
    assert [m.first_names for m in tables.members()] == ["Anne"]
    assert [(r.kind, r.amount, r.member) for r in tables.resources()] == [
        ("prestation", "320", None)]


def test_a_commune_is_wished_once_in_the_order_given(qtbot) -> None:
    communes = WishedCommunes(CHOICES.communes, ["57480"])
    qtbot.addWidget(communes)
    picker = communes.commune_box
    add = communes.findChild(QPushButton, "addCommune")
    picker.setCurrentIndex(picker.findData("57463"))
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # already wished: not twice
    assert communes.values() == ["57480", "57463"]
    communes.communes_list.setCurrentRow(0)
    qtbot.mouseClick(communes.findChild(QPushButton, "removeCommune"),
                     Qt.MouseButton.LeftButton)
    assert communes.values() == ["57463"]
