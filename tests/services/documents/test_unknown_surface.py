"""A dwelling whose surface is not recorded: no document prints « 0 m² » (the PV, the
agenda, the candidates' sheets, the extract, the offer's description of the
dwelling), each says nothing of the surface instead; a known one is printed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pdf_probe import text_of

from caleol.services.documents.agenda import render_agenda
from caleol.services.documents.data import DecisionKind, MinutesData
from caleol.services.documents.extract import render_extract
from caleol.services.documents.figures import surface, typology
from caleol.services.documents.letters import LetterOptions, candidate_letter, render_letter
from caleol.services.documents.minutes import render_minutes
from caleol.services.documents.samples import sample_minutes_data
from caleol.services.documents.session_data import dwelling
from caleol.services.documents.sheets import render_candidate_sheets

OPTIONS = LetterOptions(issued_on=date(2026, 3, 11), signatory="M. Thomas Lefèvre")


@pytest.fixture(scope="module")
def data() -> MinutesData:
    """The sample séance, its first dwelling's surface not recorded."""
    sample = sample_minutes_data(2, 3)
    first = sample.dwellings[0]
    unknown = replace(first, dwelling=replace(first.dwelling, surface_m2=None))
    return replace(sample, dwellings=(unknown, *sample.dwellings[1:]))


def flat(content: str) -> str:
    return " ".join(content.replace("\u00a0", " ").split())


def test_figures_say_nothing_of_an_unknown_surface(data: MinutesData) -> None:
    unknown, known = data.dwellings[0].dwelling, data.dwellings[1].dwelling
    assert (surface(None), surface(Decimal(0)), surface(Decimal("65.4"))) == (
        "", "", "65,4\u00a0m²")
    assert typology(unknown) == unknown.typology
    assert typology(unknown, ", ") == unknown.typology
    assert typology(known, ", ") == f"{known.typology}, {surface(known.surface_m2)}"


def test_no_document_prints_a_surface_it_does_not_have(data: MinutesData) -> None:
    d = data.dwellings[0].dwelling
    nur = data.dwellings[0].candidates[0].nur
    contents = {
        "PV": flat(text_of(render_minutes(data))),
        "ordre du jour": flat(text_of(render_agenda(data, convened_on=date(2026, 3, 2)))),
        "fiches": flat(text_of(render_candidate_sheets(data, [nur]))),
        "extrait": flat(text_of(render_extract(data, nur))),
    }
    for name, content in contents.items():
        assert " 0 m²" not in content, name
        assert "m² —" not in content.split(d.reference, 1)[1][:40], name
    heading = f"Logement 1 / 2 — {d.reference} — {d.typology} — {d.commune}"
    for name in ("PV", "ordre du jour", "extrait"):
        assert heading in contents[name], name
    assert f"Typologie {d.typology} Adresse" in contents["fiches"]
    # the second dwelling's surface is known and printed
    known = data.dwellings[1].dwelling
    assert f"{known.typology} {flat(surface(known.surface_m2))}" in contents["PV"]


def test_the_offer_describes_the_dwelling_without_its_surface(data: MinutesData) -> None:
    exam = data.dwellings[0]
    holder = next(c for c in exam.candidates if c.decision is not None
                  and c.decision.kind in (DecisionKind.ATTRIBUTION, DecisionKind.ATTRIBUTION_RANG,
                                          DecisionKind.ATTRIBUTION_SOUS_CONDITION)
                  and c.decision.rank in (None, 1))
    content = flat(text_of(render_letter(candidate_letter(data, holder.nur, OPTIONS))))
    assert f"Il s'agit d'un {exam.dwelling.typology} (" in content
    assert "m²" not in content
    known = data.dwellings[1]
    holder = next(c for c in known.candidates if c.decision is not None
                  and c.decision.kind is not DecisionKind.NON_ATTRIBUTION
                  and c.decision.kind is not DecisionKind.IRRECEVABILITE
                  and c.decision.rank in (None, 1))
    content = flat(text_of(render_letter(candidate_letter(data, holder.nur, OPTIONS))))
    assert (f"Il s'agit d'un {known.dwelling.typology} de "
            f"{flat(surface(known.dwelling.surface_m2))} (") in content


def test_a_surface_recorded_as_zero_or_missing_is_unknown() -> None:
    from types import SimpleNamespace

    for recorded in (None, 0):
        item = SimpleNamespace(dwelling={"surface_dm2": recorded}, reference="MET-1",
                               address="1 rue Haute", commune="Metz", typology="T3",
                               financing="PLUS", reservataire="")
        assert dwelling(item).surface_m2 is None  # type: ignore[arg-type]
    item.dwelling = {"surface_dm2": 6540}
    assert dwelling(item).surface_m2 == Decimal("65.4")  # type: ignore[arg-type]
