"""Reference tables service: one transaction per call, French errors tied to a field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from caleol.db.engine import session_scope
from caleol.db.models import CeilingRow, Epci
from caleol.errors import CaleolError, ValidationError
from caleol.services import reference
from caleol.services.documents.letter_templates import LetterKind, load_template
from caleol.services.reference import FieldError, ReasonInfo, TargetInfo

HEADER = "financement;zone;date_effet;cat1;cat2;cat3;cat4;cat5;cat6;par_personne_supp;source\n"


@pytest.fixture
def epci(engine: Engine) -> str:
    with session_scope(engine) as s:
        s.add(Epci(siren="245700398", name="Metz Métropole"))
    return "245700398"


def test_ceiling_csv_import_adds_then_replaces(engine: Engine) -> None:
    line = "PLUS;autres_regions;2027-01-01;24000;32000;38500;46500;54700;61600;6880;arrêté 2027\n"
    assert reference.import_ceilings_csv(engine, (HEADER + line).encode()) == 1
    rows = [c for c in reference.list_ceilings(engine) if c.effective_from == date(2027, 1, 1)]
    assert len(rows) == 1
    assert rows[0].amounts == (24000, 32000, 38500, 46500, 54700, 61600, 6880)
    assert rows[0].imported and rows[0].source == "arrêté 2027"
    # same financing, zone and date: the amounts are replaced, no second row
    again = line.replace("24000", "24100")
    assert reference.import_ceilings_csv(engine, (HEADER + again).encode("utf-8-sig")) == 1
    rows = [c for c in reference.list_ceilings(engine) if c.effective_from == date(2027, 1, 1)]
    assert [r.amounts[0] for r in rows] == [24100]


def test_ceiling_csv_with_bad_lines_writes_nothing(engine: Engine) -> None:
    good = "PLAI;autres_regions;2027-01-01;13000;19000;22800;25400;29700;33500;3700;\n"
    bad_zone = "PLAI;lune;2027-01-01;13000;19000;22800;25400;29700;33500;3700;\n"
    bad_amount = "PLUS;autres_regions;2027-01-01;abc;19000;22800;25400;29700;33500;3700;\n"
    decreasing = "PLS;autres_regions;2027-01-01;30000;20000;22800;25400;29700;33500;3700;\n"
    with session_scope(engine) as s:
        before = len(list(s.exec(select(CeilingRow))))
    with pytest.raises(ValidationError) as info:
        reference.import_ceilings_csv(
            engine, (HEADER + good + bad_zone + bad_amount + decreasing).encode())
    assert info.value.message == "Table non importée : 3 lignes en erreur."
    assert info.value.details[0].startswith("Ligne 3 : zone « lune » inconnue")
    assert info.value.details[1].startswith("Ligne 4 : « cat1 » doit être un montant entier")
    assert info.value.details[2].startswith("Ligne 5 : les plafonds doivent croître")
    with session_scope(engine) as s:
        assert len(list(s.exec(select(CeilingRow)))) == before


@pytest.mark.parametrize("data, message", [
    (b"", "Le fichier est vide."),
    (b"\xff\xfe\x00", "Le fichier n'est pas un CSV en UTF-8."),
    (b"financement;zone\nPLUS;autres_regions\n", "Colonnes manquantes : date_effet"),
    (HEADER.encode(), "Le fichier ne contient aucune ligne de plafonds."),
])
def test_ceiling_csv_refused(engine: Engine, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        reference.import_ceilings_csv(engine, data)
    assert info.value.message.startswith(message)


def test_quartile_threshold_upsert(engine: Engine, epci: str) -> None:
    saved = reference.save_quartile(engine, epci, 2026, Decimal("10105.40"), "arrêté")
    assert saved.threshold == Decimal("10105.40") and saved.epci_name == "Metz Métropole"
    reference.save_quartile(engine, epci, 2026, Decimal("10200"))
    rows = reference.list_quartiles(engine)
    assert [(q.year, q.threshold) for q in rows] == [(2026, Decimal("10200"))]


@pytest.mark.parametrize("code, year, value, field", [
    ("999999999", 2026, Decimal(9000), "epci_code"),
    ("245700398", 1990, Decimal(9000), "year"),
    ("245700398", 2026, Decimal(0), "threshold"),
])
def test_quartile_threshold_errors_name_the_field(engine: Engine, epci: str, code: str,
                                                  year: int, value: Decimal,
                                                  field: str) -> None:
    with pytest.raises(FieldError) as info:
        reference.save_quartile(engine, code, year, value)
    assert info.value.field == field
    assert reference.list_quartiles(engine) == []


def test_parse_decimal_french_text() -> None:
    assert reference.parse_decimal("9 817,50", "x", "le seuil") == Decimal("9817.50")
    with pytest.raises(FieldError) as info:
        reference.parse_decimal("  ", "threshold", "le seuil")
    assert (info.value.field, info.value.message) == ("threshold", "Indiquez le seuil.")
    with pytest.raises(FieldError, match="n'est pas un nombre"):
        reference.parse_decimal("douze", "threshold", "le seuil")


def test_reason_create_update_and_unique_code(engine: Engine) -> None:
    created = reference.save_reason(engine, ReasonInfo(
        0, "LIEN", "  Absence de lien   avec la commune ", "non_attribution", True, True))
    assert created.id and created.label == "Absence de lien avec la commune"
    updated = reference.save_reason(engine, ReasonInfo(
        created.id, "LIEN", "Pas de lien", "non_attribution", True, False))
    assert (updated.label, updated.active, updated.position) == ("Pas de lien", False,
                                                                 created.position)
    with pytest.raises(FieldError) as info:
        reference.save_reason(engine, ReasonInfo(0, "LIEN", "Autre", "irrecevabilite",
                                                 False, True))
    assert info.value.field == "code" and "déjà utilisé" in info.value.message
    assert [r.code for r in reference.list_reasons(engine)] == ["LIEN"]


@pytest.mark.parametrize("reason, field", [
    (ReasonInfo(0, "", "Libellé", "non_attribution", False, True), "code"),
    (ReasonInfo(0, "X", "   ", "non_attribution", False, True), "label"),
    (ReasonInfo(0, "X", "Libellé", "autre", False, True), "kind"),
])
def test_reason_validation(engine: Engine, reason: ReasonInfo, field: str) -> None:
    with pytest.raises(FieldError) as info:
        reference.save_reason(engine, reason)
    assert info.value.field == field


def test_targets_per_year_and_territory(engine: Engine) -> None:
    everywhere = reference.save_target(engine, TargetInfo(0, "Q1-HQPV", 2026, Decimal("0.25")))
    metz = reference.save_target(engine, TargetInfo(0, "Q1-HQPV", 2026, Decimal("0.30"),
                                                    epci_code="245700398"))
    assert metz.territory_label == "EPCI 245700398"
    assert everywhere.territory_label == "ensemble du patrimoine"
    # the indicator service sees both (the most specific wins there)
    from caleol.services.reports.queries import load_targets

    assert {(t.territory.epci, t.value) for t in load_targets(engine, 2026)} == {
        ("", Decimal("0.25")), ("245700398", Decimal("0.30"))}
    with pytest.raises(FieldError) as info:
        reference.save_target(engine, TargetInfo(0, "Q1-HQPV", 2026, Decimal("0.2")))
    assert info.value.field == "value" and "existe déjà" in info.value.message
    edited = reference.save_target(engine, TargetInfo(everywhere.id, "Q1-HQPV", 2026,
                                                      Decimal("0.2")))
    assert edited.value == Decimal("0.2")
    reference.delete_target(engine, metz.id)
    assert [t.value for t in reference.list_targets(engine, 2026)] == [Decimal("0.2")]


@pytest.mark.parametrize("target, field", [
    (TargetInfo(0, "NOPE", 2026, Decimal("0.25")), "indicator_code"),
    (TargetInfo(0, "Q1-HQPV", 2026, Decimal("1.5")), "value"),
    (TargetInfo(0, "Q1-HQPV", 3000, Decimal("0.25")), "year"),
    (TargetInfo(0, "PS-3", 2026, Decimal("-1")), "value"),  # a count
])
def test_target_validation(engine: Engine, target: TargetInfo, field: str) -> None:
    with pytest.raises(FieldError) as info:
        reference.save_target(engine, target)
    assert info.value.field == field
    assert reference.list_targets(engine) == []


def test_letter_template_override_and_reset() -> None:
    shipped = load_template(LetterKind.RANK)
    saved = reference.save_template(LetterKind.RANK, "Objet : rang\n\nBonjour $civilite,\n")
    assert saved.customised
    assert load_template(LetterKind.RANK).startswith("Objet : rang")  # used by the letters
    infos = {t.kind: t for t in reference.list_templates()}
    assert infos[LetterKind.RANK].customised and not infos[LetterKind.OFFER].customised
    with pytest.raises(FieldError, match="mal formé"):
        reference.save_template(LetterKind.RANK, "Coût : 5 $ ")
    with pytest.raises(FieldError, match="vide"):
        reference.save_template(LetterKind.RANK, "  \n")
    reset = reference.reset_template(LetterKind.RANK)
    assert not reset.customised and reset.text == shipped


def test_criterion_can_be_withdrawn_and_offered_again(engine: Engine) -> None:
    from caleol.db.models import PriorityCriterion

    with session_scope(engine) as s:
        row = PriorityCriterion(code="HANDICAP", label="Personne en situation de handicap")
        s.add(row)
        s.flush()
        criterion_id = row.id
    assert criterion_id is not None
    assert not reference.set_criterion_active(engine, criterion_id, False).active
    assert [c.active for c in reference.list_criteria(engine)] == [False]
    assert reference.set_criterion_active(engine, criterion_id, True).active
    with pytest.raises(CaleolError, match="supprimé"):
        reference.set_criterion_active(engine, 999_999, True)
