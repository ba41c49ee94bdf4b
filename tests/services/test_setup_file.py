"""The setup file: export → apply → apply → export gives the same bytes; a bad file is
refused whole, with each error's line in French, and nothing is written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from services.organisation_factory import LANDLORD_SIREN, build_organisation, png_logo
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from caleol.db.engine import session_scope
from caleol.errors import ValidationError
from caleol.services import organisation as org
from caleol.services.documents.letter_templates import LetterKind
from caleol.services.organisation import templates

ORGANISATION_TABLES = ("landlord", "department", "epci", "agency", "reservataire",
                       "commission", "commission_agency", "commission_member", "reason",
                       "priority_criterion", "target", "audit_entry")


def counts(engine: Engine) -> dict[str, int]:
    tables = SQLModel.metadata.tables
    with session_scope(engine) as db:
        return {name: int(db.execute(select(func.count()).select_from(tables[name]))
                          .scalar_one()) for name in ORGANISATION_TABLES}


def fresh(request: pytest.FixtureRequest, tmp_path: Path, name: str) -> Engine:
    """A second fresh database, beside the `engine` fixture's (SQLite)."""
    folder = tmp_path / name
    folder.mkdir()
    return request.getfixturevalue("_sqlite_template").fresh(folder)  # type: ignore[no-any-return]


@pytest.fixture
def source(engine: Engine) -> Engine:
    build_organisation(engine)
    return engine


def test_export_apply_apply_export_gives_the_same_bytes(
    source: Engine, tmp_path: Path, request: pytest.FixtureRequest,
) -> None:
    first = tmp_path / "a" / "organisation.toml"
    first.parent.mkdir()
    exported = org.export_setup(source, first)
    assert exported.logo_name == "logo-bailleur.png"
    assert (first.parent / "logo-bailleur.png").read_bytes() == png_logo()
    templates.reset_template(LetterKind.OFFER)  # the target profile starts without it
    target = fresh(request, tmp_path, "new")
    try:
        report = org.apply_setup_file(target, first)
        assert report.changed and report.templates_written == ("offre",)
        assert "agences : 2 ajouts" in report.lines
        before = counts(target)
        again = org.apply_setup_file(target, first)
        assert not again.changed and again.lines == () and again.templates_written == ()
        assert counts(target) == before  # not even an audit entry
        second = tmp_path / "b" / "organisation.toml"
        second.parent.mkdir()
        org.export_setup(target, second)
        assert second.read_bytes() == first.read_bytes()
        assert (second.parent / "logo-bailleur.png").read_bytes() == png_logo()
        landlord = org.get_landlord(target)
        assert landlord is not None and landlord.siren == LANDLORD_SIREN
        members = {m.code: m for m in org.list_members(target, "CALEOL-METZ")}
        assert members["PREFET-S"].substitute_for == "PREFET"
        assert members["EPCI"].casting_vote and members["ALS"].reservataire_code == "ALS"
    finally:
        target.dispose()


def test_the_exported_file_reads_as_documented(source: Engine) -> None:
    text = org.export_setup_text(source).text
    data = tomllib.loads(text)
    assert data["format"] == 1
    assert data["bailleur"]["adresse"] == "3 rue des Clercs\n57000 Metz"
    [commission] = data["commissions"]
    assert commission["agences"] == ["METZ", "WOIPPY"]
    assert [m["code"] for m in commission["membres"]][:2] == ["ADM1", "ADM2"]
    assert commission["membres"][0]["voix"] == "délibérative"
    assert any(r["code"] == "LOGEMENT_ETAGE" for r in data["motifs"])
    reasons = {r["code"]: r for r in data["motifs"]}
    assert reasons["PLAFOND"]["controle_contredit"] == "plafond"
    assert reasons["LOGEMENT_ETAGE"]["controle_contredit"] == ""
    # the landlord's own, and the defaults installed with the charter (CUS amendment…)
    assert {"indicateur": "Q1-HQPV", "annee": 2026, "valeur": 0.25, "departement": "",
            "epci": "200039865", "agence": "", "commission": "", "source": "CIA de Metz",
            } in data["objectifs"]
    default = "Valeur par défaut de caleol"
    assert ("PS-2-HQPV", "57") in {(t["indicateur"], t["departement"]) for t in
                                   data["objectifs"] if t["source"].startswith(default)}
    assert data["modeles_courriers"][0]["type"] == "offre"


def test_an_absent_key_keeps_the_stored_value(source: Engine, tmp_path: Path) -> None:
    path = tmp_path / "partiel.toml"
    path.write_text('[[agences]]\ncode = "METZ"\ntelephone = "03 87 11 22 33"\n'
                    '[[commissions]]\ncode = "CALEOL-METZ"\n[[commissions.membres]]\n'
                    'code = "ADM2"\nactif = false\n', encoding="utf-8")
    report = org.apply_setup_file(source, path)
    assert report.lines == ("agences : 1 modification",
                            "membres de commission : 1 modification")
    metz = next(a for a in org.list_agencies(source) if a.code == "METZ")
    assert metz.phone == "03 87 11 22 33" and metz.name == "Agence de Metz"
    weber = next(m for m in org.list_members(source, "CALEOL-METZ") if m.code == "ADM2")
    assert not weber.active and weber.name == "Paul Weber"


GOOD_HEAD = '''format = 1

[bailleur]
nom = "Habitat Lorrain"
siren = "732829320"
'''

# (file text, expected lines of the report: each must appear in one detail line)
BAD_FILES = {
    "toml syntax": ('format = 1\n[bailleur\nnom = "x"\n',
                    ["Ligne 2, colonne 10 : « ] » manquant à la fin de l'en-tête de table."]),
    "unterminated string": (GOOD_HEAD + 'adresse = "3 rue\n',
                            ["Ligne 6, colonne 17 : texte non fermé"]),
    "unknown key": (GOOD_HEAD + 'couleur = "bleu"\n',
                    ["Ligne 6 : bailleur : clé « couleur » inconnue"]),
    "unknown section": ('format = 1\n[[agence]]\ncode = "METZ"\n',
                        ["Ligne 2 : clé « agence » inconnue ; clés possibles"]),
    "bad siren": (GOOD_HEAD.replace("732829320", "732829321"),
                  ["Ligne 5 : bailleur : SIREN « 732829321 » invalide : la clé de contrôle"]),
    "siren as a number": (GOOD_HEAD.replace('"732829320"', "732829320"),
                          ["Ligne 5 : bailleur : « siren » : attendu : un texte entre"]),
    "member of an unknown commission": (
        GOOD_HEAD + '\n[[commissions]]\ncode = "CALEOL-NULLE"\n\n[[commissions.membres]]\n'
        'code = "A1"\nnom = "Jean Roux"\nqualite = "administrateur"\n',
        ["Ligne 8 : commission « CALEOL-NULLE » : commission inconnue de la base"]),
    "commission of an unknown agency": (
        '[[commissions]]\ncode = "C2"\nnom = "Commission 2"\nagences = ["METZ", "NULLE"]\n',
        ["Ligne 4 : commission « C2 » : agence « NULLE » inconnue."]),
    "réservataire referenced but absent": (
        GOOD_HEAD + '\n[[commissions]]\ncode = "CALEOL-METZ"\n\n[[commissions.membres]]\n'
        'code = "AL"\nnom = "Karim Benali"\nqualite = "reservataire"\nvoix = "consultative"\n'
        'reservataire = "ACTION-LOGEMENT"\n',
        ["Ligne 15 : membre « AL » : réservataire « ACTION-LOGEMENT » inconnu."]),
    "two casting votes": (
        '[[commissions]]\ncode = "CALEOL-METZ"\n[[commissions.membres]]\ncode = "ADM1"\n'
        'voix_preponderante = true\n',
        ["Ligne 1 : « CALEOL de Metz » : un seul membre actif a la voix prépondérante"]),
    "bad voice": ('[[commissions]]\ncode = "CALEOL-METZ"\n[[commissions.membres]]\n'
                  'code = "ADM1"\nvoix = "forte"\n',
                  ["Ligne 5 : membre « ADM1 » : voix « forte » inconnue"]),
    "target of an unknown agency": (
        '[[objectifs]]\nindicateur = "Q1-HQPV"\nannee = 2026\nvaleur = 0.25\n'
        'agence = "NULLE"\n', ["Ligne 5 : objectif « Q1-HQPV » : agence « NULLE » inconnu(e)."]),
    "rate above 100 %": ('[[objectifs]]\nindicateur = "Q1-HQPV"\nannee = 2026\nvaleur = 25\n',
                         ["Ligne 4 : objectif « Q1-HQPV » : un objectif de taux est compris"]),
    "missing value": ('[[objectifs]]\nindicateur = "Q1-HQPV"\nannee = 2026\n',
                      ["Ligne 1 : objectif « Q1-HQPV » : « valeur » manque."]),
    "bad template": ('[[modeles_courriers]]\ntype = "offre"\ntexte = "Prix : 5 $ TTC"\n',
                     ["Ligne 3 : modèle de courrier « offre » : le modèle contient un « $ »"]),
    "unknown check": ('[[motifs]]\ncode = "PLAFOND"\ncontrole_contredit = "loyer"\n',
                      ["Ligne 3 : motif « PLAFOND » : contrôle « loyer » inconnu"]),
    "unknown template": ('[[modeles_courriers]]\ntype = "relance"\ntexte = "x"\n',
                         ["Ligne 2 : modèle de courrier « relance » : type inconnu"]),
    "missing logo": (GOOD_HEAD + 'logo = "absent.png"\n',
                     ["Ligne 6 : bailleur : logo « absent.png » illisible"]),
    "agency without code": ('[[agences]]\nnom = "Agence"\n',
                            ["Ligne 1 : agence sans « code »"]),
    "not utf-8": ("nom = 'Société'".encode("latin-1"), ["pas en UTF-8"]),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_whole(source: Engine, tmp_path: Path, name: str) -> None:
    text, expected = BAD_FILES[name]
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    before = counts(source)
    with pytest.raises(ValidationError) as info:
        org.apply_setup_data(source, data, tmp_path)
    report = str(info.value)
    for fragment in expected:
        assert fragment in report, report
    assert "Fichier d'organisation" in report
    assert counts(source) == before


def test_errors_are_all_listed_with_their_lines(engine: Engine, tmp_path: Path) -> None:
    text = ('[bailleur]\nnom = "Bailleur"\nsiren = "12"\n\n[[agences]]\ncode = "A"\nnom = "A"\n'
            'telephone = "12"\n\n[[reservataires]]\ncode = "R"\nnom = "R"\ntype = "mutuelle"\n')
    with pytest.raises(ValidationError) as info:
        org.apply_setup_data(engine, text.encode(), tmp_path)
    assert info.value.message == ("Fichier d'organisation refusé : 3 erreurs ; rien n'a été "
                                  "modifié.")
    assert [d.split(" : ")[0] for d in info.value.details] == ["Ligne 3", "Ligne 8", "Ligne 13"]
    assert org.get_landlord(engine) is None


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                 st.lists(st.sampled_from(['[bailleur]', '[[agences]]', 'code = "X"',
                                           'nom = 1', 'siren = "123"', '[[commissions]]',
                                           '[[commissions.membres]]', 'agences = ["X"]',
                                           'voix = "x"', 'actif = "oui"', '"', '=', '[',
                                           'valeur = 1e400']), max_size=12)
                 .map(lambda lines: "\n".join(lines).encode())))
def test_garbage_is_refused_or_applied_never_half(source: Engine, tmp_path: Path,
                                                  data: bytes) -> None:
    before = counts(source)
    try:
        org.apply_setup_data(source, data, tmp_path)
    except ValidationError as exc:
        assert exc.message.startswith("Fichier d'organisation")
        assert counts(source) == before
