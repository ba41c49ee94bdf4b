"""The dwelling's line above the candidates says what the documents say of its energy."""

from __future__ import annotations

from caleol.services.sessions import AgendaItemView
from caleol.ui.pages.session.dwelling_panel import dwelling_text


def item(energy: object) -> AgendaItemView:
    return AgendaItemView(
        id=1, dwelling_id=1, reference="REI-0001", address="12 rue de Vesle",
        commune="Reims", typology="T3", financing="PLUS", position=1,
        reservataire_id=None, reservataire="", orientation_date=None, exception=None,
        exception_justification="", candidate_rule={},
        dwelling={"rent": "452.30", "charges": "95.00", "energy": energy})


def test_an_energy_of_zero_is_not_an_estimate() -> None:
    # Seen on a new base: a dwelling imported without « Énergie (€) » read « énergie
    # 0,00 € » here while the PV says « non renseignée », the offer « non estimée ».
    assert "énergie non estimée" in dwelling_text(item("0.00"))
    assert "énergie non estimée" in dwelling_text(item(None))
    assert "énergie 51,31\u00a0€" in dwelling_text(item("51.31"))
