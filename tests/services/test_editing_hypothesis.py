"""Bad input in the editors: a French message per field, or a clean save; never a
traceback, never a half-written record."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from caleol.errors import FormError
from caleol.services.editing import (
    DemandeForm,
    DwellingForm,
    MemberForm,
    ResourceForm,
    load_demande,
    load_dwelling,
    save_demande,
    save_dwelling,
)
from tests.services.import_fixtures import TODAY, counts, with_references

NASTY = st.one_of(st.sampled_from([
    "", "NaN", "inf", "-1", "-0,01", "1e308", "9" * 40, "12,345", "1.234,56", "31/02/2024",
    "01/01/2999", "2024-13-01", "oui", "T0", "PLUSS", "\u00a0", "|", ":", "€", "x" * 5000,
    "1850375123456", "1 85 05 78 006 084 36", "ZZZ", "=1+1", "None", "applicant", "child",
]), st.text(max_size=30))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

DWELLING_TEXT = ("rpls_id", "programme", "address", "commune", "agency", "qpv_code",
                 "typology", "surface", "floor", "financing", "rent", "charges", "energy",
                 "annex_rent", "availability_date", "reservataire", "construction_year",
                 "status")
DEMANDE_TEXT = ("filing_date", "renewal_date", "status", "applicant_surname", "postal_code",
                "department_code", "reference_tax_income", "reference_tax_income_year",
                "housing_aid", "comed_decision_date", "cotation_score", "mutation_motive",
                "max_rent", "notes")


@pytest.fixture
def stored(engine: Engine) -> tuple[Engine, int, int]:
    with_references(engine)
    dwelling = save_dwelling(engine, DwellingForm(
        reference="MET-1", commune="57463", typology="T3", financing="PLUS", rent="400"),
        today=TODAY)
    demande = save_demande(engine, DemandeForm(
        nur="057240300123G5701", filing_date="12/03/2024", applicant_surname="Muller",
        members=[MemberForm("applicant", "Muller", "Anne", "02/03/1985")],
        resources=[ResourceForm("salaire", "1500", True, 0)]), today=TODAY)
    return engine, dwelling, demande


def _apply(form: Any, names: tuple[str, ...], draw: st.DrawFn) -> Any:
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    return replace(form, **{name: draw(NASTY) for name in chosen})


@SETTINGS
@given(data=st.data())
def test_any_dwelling_edit(stored: tuple[Engine, int, int], data: st.DataObject) -> None:
    engine, dwelling_id, _ = stored
    form = load_dwelling(engine, dwelling_id)
    edited = _apply(form, DWELLING_TEXT, data.draw)
    before = counts(engine)
    try:
        save_dwelling(engine, edited, today=TODAY)
    except FormError as exc:
        assert exc.fields and all(isinstance(m, str) and m for m in exc.fields.values())
        assert counts(engine) == before
        assert load_dwelling(engine, dwelling_id) == form  # nothing half-written
    else:
        assert load_dwelling(engine, dwelling_id).version in (form.version,
                                                              (form.version or 0) + 1)


@SETTINGS
@given(data=st.data())
def test_any_demande_edit(stored: tuple[Engine, int, int], data: st.DataObject) -> None:
    engine, _, demande_id = stored
    form = load_demande(engine, demande_id)
    edited = _apply(form, DEMANDE_TEXT, data.draw)
    extra = data.draw(st.lists(st.tuples(st.sampled_from(["child", "partner", "x"]), NASTY),
                               max_size=3))
    edited = replace(edited, members=[*form.members,
                                      *(MemberForm(role, "", "", birth) for role, birth in extra)],
                     resources=[*form.resources,
                                ResourceForm("salaire", data.draw(NASTY), True, None)])
    before = counts(engine)
    try:
        save_demande(engine, edited, today=TODAY)
    except FormError as exc:
        assert exc.fields and all(isinstance(m, str) and m for m in exc.fields.values())
        assert counts(engine) == before
        assert load_demande(engine, demande_id) == form  # nothing half-written
    else:
        assert load_demande(engine, demande_id).version == (form.version or 0) + 1
