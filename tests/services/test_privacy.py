"""Retention (preview, purge, anonymisation) and the access request.

Reference day 15 June 2025, retention 12 months: the limit is 15 June 2024; a
demande whose status changed strictly before it is past the limit.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from db.factories import add_candidacy, make_commune, make_demande, make_dwelling, make_session
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    AuditEntry,
    Candidacy,
    Decision,
    Demande,
    DemandePriority,
    HouseholdMember,
    Landlord,
    PriorityCriterion,
    Resource,
    WishedCommune,
)
from caleol.errors import CaleolError
from caleol.services.audit import verify_chain
from caleol.services.documents.data import Letterhead
from caleol.services.privacy import (
    PurgeAction,
    access_json,
    apply_purge,
    collect_person_data,
    export_access_request,
    months_before,
    plan_purge,
    render_access_pdf,
    summary,
)
from caleol.services.privacy.retention import PurgeItem, PurgePlan
from caleol.settings import Settings

TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 6, 15), 12, date(2024, 6, 15)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),  # no 31 February: last day
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2025, 1, 10), 1, date(2024, 12, 10)),  # across the year
        (date(2025, 6, 15), 0, date(2025, 6, 15)),
        (date(2025, 6, 15), 10**6, None),  # before year 1: nothing can be that old
    ],
)
def test_months_before(day: date, months: int, expected: date | None) -> None:
    assert months_before(day, months) == expected


def _presented(db: Session, demande: Demande, status: str) -> Candidacy:
    """Put `demande` on the agenda of a new séance, decide, then move it to `status`."""
    sitting = make_session(db)
    item = AgendaItem(session_id=sitting.id, dwelling_id=make_dwelling(db).id, position=0)
    db.add(item)
    db.flush()
    candidacy = add_candidacy(db, item, demande, 1)
    name = f"{demande.applicant_surname.upper()} {demande.applicant_first_names}"
    candidacy.household_summary = {"nur": demande.nur, "name": name,
                                   "civility": demande.applicant_civility,
                                   "postal_address": f"{demande.address} {demande.city}",
                                   "monthly_resources": "1873.42", "resources_stable": True,
                                   "filing_date": "2022-12-03"}
    # as rules.result.CheckResult.to_json() freezes a check: internal keys, raw figures
    candidacy.checks_snapshot = {"solvency": {
        "status": "pass", "reference": "art. R441-3-1 CCH",
        "explanation": "Taux d'effort = 22,95 % (inférieur à 30 %).",
        "effort_rate": "0.2295", "monthly_resources": "1873.42"}}
    # taken at the séance of 12 March 2025 (make_session), typed in two days later
    db.add(Decision(candidacy_id=candidacy.id, kind="attribution_rang", rank=1,
                    decided_at=datetime(2025, 3, 14, 9, 5, tzinfo=UTC)))
    db.flush()
    if status != "draft":
        sitting.status = status
        db.flush()
    return candidacy


@pytest.fixture
def population(engine: Engine) -> dict[str, int]:
    """The cases of the module docstring's reference day, by letter."""
    with session_scope(engine) as db:
        criterion = PriorityCriterion(code="HANDICAP", label="Personne en situation de handicap")
        db.add(criterion)
        db.flush()
        ids = {
            # A: radiated 14/06/2024, never presented → deleted
            "A": make_demande(db, status="radiated", status_date=date(2024, 6, 14)).id,
            # B: closed exactly 12 months ago → not past the limit
            "B": make_demande(db, status="closed", status_date=date(2024, 6, 15)).id,
            # E: active → never concerned
            "E": make_demande(db, status="active", filing_date=date(2015, 1, 5)).id,
            # F: closed without status date → counted apart
            "F": make_demande(db, status="closed").id,
        }
        c = make_demande(db, status="attributed", status_date=date(2023, 1, 10),
                         applicant_civility="Mme", applicant_surname="Durand",
                         applicant_first_names="Élodie", address="3 rue des Lilas",
                         postal_code="57000", city="Metz",
                         notes="suivi social en cours")
        c.members[1].first_names = "Léo"
        c.resources[0].label = "CDI chez Dupont SA"
        c.tax_income_n1_requested = True
        db.add(DemandePriority(demande_id=c.id, criterion_id=criterion.id))
        db.add(WishedCommune(demande_id=c.id, commune_id=make_commune(db).id, position=0))
        db.flush()
        ids["C"] = c.id
        ids["C_candidacy"] = _presented(db, c, "closed").id
        d = make_demande(db, status="attributed", status_date=date(2023, 1, 10))
        ids["D"] = d.id
        _presented(db, d, "draft")
    return {k: int(v) for k, v in ids.items()}  # type: ignore[arg-type]


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as db:
        return int(db.exec(select(func.count()).select_from(model)).one())


def test_preview_lists_each_case_and_changes_nothing(
    engine: Engine, population: dict[str, int]
) -> None:
    before = {m: _count(engine, m) for m in (Demande, HouseholdMember, AuditEntry)}
    plan = plan_purge(engine, retention_months=12, today=TODAY)
    assert plan.cutoff == date(2024, 6, 15)
    actions = {item.demande_id: item.action for item in plan.items}
    assert actions == {
        population["A"]: PurgeAction.DELETE,
        population["C"]: PurgeAction.ANONYMISE,
        population["D"]: PurgeAction.KEEP,
    }
    assert plan.undated == 1  # F
    text = plan.text()
    assert "- à supprimer : 1 demande jamais présentée en commission" in text
    assert "- à anonymiser : 1 demande présentée à des séances closes" in text
    assert "- conservées : 1 demande d'une séance non close" in text
    assert "- non traitées : 1 demande terminée sans date de changement de statut " \
           "(complétez la date pour qu'elle soit prise en compte)" in text
    assert "(s)" not in text
    assert "DURAND Élodie" in text
    assert "non close : conservée" in text
    assert {m: _count(engine, m) for m in before} == before


def test_apply_deletes_anonymises_and_keeps_legal_records(
    engine: Engine, population: dict[str, int]
) -> None:
    with session_scope(engine) as db:
        snapshot = db.get(Candidacy, population["C_candidacy"]).household_summary  # type: ignore[union-attr]
        births = [m.birth_date for m in db.get(Demande, population["C"]).members]  # type: ignore[union-attr]
    plan = plan_purge(engine, retention_months=12, today=TODAY)
    result = apply_purge(engine, plan)
    assert len(result.deleted) == 1 and len(result.anonymised) == 1 and not result.skipped

    with session_scope(engine) as db:
        assert db.get(Demande, population["A"]) is None
        orphans = db.exec(select(HouseholdMember).where(
            HouseholdMember.demande_id == population["A"])).all()
        assert orphans == []
        assert db.exec(select(Resource).where(Resource.demande_id == population["A"])).all() == []

        c = db.get(Demande, population["C"])
        assert c is not None
        assert c.nur == f"ANON-{population['C']:08d}"
        assert (c.applicant_civility, c.applicant_surname, c.applicant_first_names,
                c.address, c.postal_code, c.city, c.notes) == ("", "", "", "", "", "", "")
        # kept for the indicators: status, dates, department, income, household shape
        assert (c.status, c.status_date, c.department_code, c.reference_tax_income) == (
            "attributed", date(2023, 1, 10), "57", 20_000)
        assert [(m.role, m.surname, m.first_names) for m in c.members] == [
            ("applicant", "", ""), ("child", "", "")]
        # 04/05/1990 → 01/01/1990 and 01/01/2015 stays: the birth year only
        assert [m.birth_date for m in c.members] == [date(b.year, 1, 1) for b in births]
        assert [(r.monthly_cents, r.label) for r in c.resources] == [(180_000, "")]
        assert len(c.priorities) == 1
        assert c.wished_communes == []
        # the frozen séance still shows what the commission saw
        candidacy = db.get(Candidacy, population["C_candidacy"])
        assert candidacy is not None and candidacy.household_summary == snapshot
        assert candidacy.decision is not None and candidacy.decision.kind == "attribution_rang"

        for letter in ("B", "D", "E", "F"):
            kept = db.get(Demande, population[letter])
            assert kept is not None and not kept.nur.startswith("ANON-")
    report = verify_chain(engine)
    assert report.ok, report.text()
    assert plan_purge(engine, retention_months=12, today=TODAY).empty  # idempotent


def test_apply_never_goes_beyond_the_preview(engine: Engine, population: dict[str, int]) -> None:
    plan = plan_purge(engine, retention_months=12, today=TODAY)
    with session_scope(engine) as db:
        late = make_demande(db, status="radiated", status_date=date(2020, 1, 1)).id
        reactivated = db.get(Demande, population["A"])
        assert reactivated is not None
        reactivated.status = "active"
        db.add(reactivated)
    result = apply_purge(engine, plan)
    assert result.deleted == []
    assert len(result.skipped) == 1 and "modifiées depuis l'aperçu : 1" in result.text()
    with session_scope(engine) as db:
        assert db.get(Demande, late) is not None  # not in the preview: untouched
        assert db.get(Demande, population["A"]) is not None


@pytest.mark.parametrize("months", [-1, True, 1.5])
def test_invalid_retention_is_refused_in_french(engine: Engine, months: object) -> None:
    with pytest.raises(CaleolError, match="Durée de conservation invalide"):
        plan_purge(engine, retention_months=months, today=TODAY)  # type: ignore[arg-type]


# --- access request ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["elodie DURAND", "Durand Élodie", "  durand   élodie "])
def test_access_request_by_name_ignores_accents_and_case(
    engine: Engine, population: dict[str, int], query: str
) -> None:
    data = collect_person_data(engine, query)
    assert [d["demande"]["nom du demandeur"] for d in data["demandes"]] == ["Durand"]
    assert data["demandes"][0]["trouvée comme"] == "demandeur"


def test_access_request_holds_everything_about_the_demande(
    engine: Engine, population: dict[str, int]
) -> None:
    with session_scope(engine) as db:
        nur = db.get(Demande, population["C"]).nur  # type: ignore[union-attr]
    data = collect_person_data(engine, f" {nur} ",
                               now=datetime(2025, 6, 15, 9, 30, tzinfo=UTC))
    assert data["demande d'accès"]["établi le"] == "2025-06-15T09:30:00+00:00"
    (entry,) = data["demandes"]
    assert entry["trouvée comme"] == "NUR"
    fields = entry["demande"]
    assert (fields["adresse"], fields["commune"], fields["observations"]) == (
        "3 rue des Lilas", "Metz", "suivi social en cours")
    assert [m["prénoms"] for m in entry["ménage"]] == ["Élodie", "Léo"]
    assert entry["ressources"][0]["montant mensuel (€)"] == "1800"
    assert entry["critères de priorité"] == ["Personne en situation de handicap"]
    (passage,) = entry["passages en commission"]
    assert passage["statut de la séance"] == "close"
    assert passage["décision"]["décision"] == "Attribution par ordre de priorité"
    # the commission decided on the séance's day; caleol recorded it two days later
    assert passage["date de la séance"] == "2025-03-12"
    assert passage["décision"]["décision prise le"] == "2025-03-12"
    assert passage["décision"]["enregistrée dans le logiciel le"] == "2025-03-14T09:05:00+00:00"
    assert "décidée le" not in passage["décision"]
    assert fields["revenus n-1 retenus (demande du ménage)"] is True
    assert passage["ménage tel qu'examiné (instantané)"]["nom"] == "DURAND Élodie"
    assert passage["ménage tel qu'examiné (instantané)"]["civilité"] == "Madame"  # not « Mme »
    assert passage["vérifications (instantané)"] == [{
        "contrôle": "Taux d'effort et reste à vivre", "résultat": "conforme",
        "explication": "Taux d'effort = 22,95 % (inférieur à 30 %).",
        "référence": "art. R441-3-1 CCH"}]
    history = entry["historique des modifications"]
    elements = {h["élément"] for h in history}
    assert {"demande", "personne du ménage", "ressource", "critère de priorité",
            "commune souhaitée", "candidature en commission"} <= elements
    # who made each change in the office is not the person's data
    assert all("utilisateur" not in h and "table" not in h for h in history)
    assert all(h["action"] in ("création", "modification", "suppression") for h in history)
    # JSON round trip: the export is plain JSON with the French keys
    assert json.loads(access_json(data)) == data


def test_access_request_finds_a_household_member(
    engine: Engine, population: dict[str, int]
) -> None:
    data = collect_person_data(engine, "Léo Durand")
    assert [d["trouvée comme"] for d in data["demandes"]] == ["membre du ménage (DURAND Léo)"]


def test_anonymised_demande_is_still_found_through_the_seance_snapshot(
    engine: Engine, population: dict[str, int]
) -> None:
    with session_scope(engine) as db:
        nur = db.get(Demande, population["C"]).nur  # type: ignore[union-attr]
    apply_purge(engine, plan_purge(engine, retention_months=12, today=TODAY))
    data = collect_person_data(engine, nur)
    (entry,) = data["demandes"]
    assert entry["trouvée comme"].startswith("instantané d'une séance")
    assert entry["demande"]["nom du demandeur"] == ""
    assert "(anonymisée)" in summary(data)


def test_access_request_for_nobody_says_so(engine: Engine, population: dict[str, int]) -> None:
    data = collect_person_data(engine, "Personne Inconnue")
    assert data["demandes"] == [] and data["examens d'occupation"] == []
    assert summary(data).startswith("Aucune donnée détenue sur « Personne Inconnue »")
    with pytest.raises(CaleolError, match="Indiquez un NUR ou un nom"):
        collect_person_data(engine, " -- ")


def test_access_request_pdf_is_readable(
    engine: Engine, population: dict[str, int], tmp_path: Path
) -> None:
    data = collect_person_data(engine, "Durand Élodie")
    pdf = render_access_pdf(data, Letterhead(landlord="Vivest", agency="Agence de Metz"))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "acces.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    for expected in ("Droit d'accès aux données personnelles", "Élodie", "Léo",
                     "3 rue des Lilas", "Passages en commission", "Attribution par ordre",
                     "Historique des modifications", "page 1 /"):
        assert expected in text, expected



def test_access_request_pdf_is_plain_french(
    engine: Engine, population: dict[str, int]
) -> None:
    import getpass
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "documents"))
    from pdf_probe import text_of

    with session_scope(engine) as db:
        nur = db.get(Demande, population["C"]).nur  # type: ignore[union-attr]
    data = collect_person_data(engine, nur, now=datetime(2025, 6, 15, 9, 30, tzinfo=UTC))
    text = text_of(render_access_pdf(data, Letterhead(landlord="Vivest", agency="Metz")))
    # amounts, dates and checks as a French reader writes them
    for expected in ("Ressources mensuelles 1 873,42 € par mois",
                     "Revenu fiscal de référence 20 000 €",  # whole euros, as stored
                     "salaire 1 800,00 € oui CDI chez Dupont SA",
                     "Date de dépôt de la demande 3 décembre 2022",
                     "établi le 15 juin 2025",
                     "Taux d'effort et reste à vivre : conforme. Taux d'effort = 22,95 % "
                     "(inférieur à 30 %).",
                     "Décision de la commission",
                     "Attribution par ordre de priorité",
                     # the séance's day is the decision's; the recording is apart, in
                     # Paris time (09:05 UTC = 10 h 05 in March)
                     "Décision prise le 12 mars 2025",
                     "Enregistrée dans le logiciel le 14 mars 2025 à 10 h 05",
                     "Revenus n-1 retenus (demande du ménage) oui"):
        assert expected in text, expected
    # no key of the program, no raw figure, no office user, no table name
    for internal in ("monthly_resources", "effort_rate", "status", "explanation",
                     "household_member", "wished_commune", "candidacy", "1873.42", "0.2295",
                     "Décision : décision", "UTC", "utilisateur", "Décidée le"):
        assert internal not in text, internal
    assert not re.search(rf"\b{re.escape(getpass.getuser())}\b", text)


def test_export_writes_json_or_pdf_and_refuses_other_formats(
    engine: Engine, population: dict[str, int], tmp_path: Path
) -> None:
    settings = Settings()
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    export_access_request(engine, "Durand", tmp_path / "a.json", settings)
    assert json.loads((tmp_path / "a.json").read_text("utf-8"))["demandes"]
    # a PDF is issued by the landlord: none recorded, refused and nothing written
    with pytest.raises(CaleolError, match="Aucun bailleur n'est enregistré"):
        export_access_request(engine, "Durand", tmp_path / "a.PDF", settings)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    with session_scope(engine) as db:
        db.add(Landlord(name="Habitat Lorrain"))
    export_access_request(engine, "Durand", tmp_path / "a.PDF", settings)
    assert (tmp_path / "a.PDF").read_bytes().startswith(b"%PDF-")
    with pytest.raises(CaleolError, match=r"\.json ou \.pdf"):
        export_access_request(engine, "Durand", tmp_path / "a.docx", settings)
    with pytest.raises(CaleolError, match="Impossible d'écrire") as refused:
        export_access_request(engine, "Durand", tmp_path / "absent" / "a.json", settings)
    # the reason in French, not the system's « No such file or directory »
    assert str(refused.value).endswith(": fichier ou dossier introuvable.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.PDF", "a.json"]


def test_anonymisation_keeps_the_departement_read_from_the_nur(engine: Engine) -> None:
    with session_scope(engine) as db:
        demande = make_demande(db, nur="057240300123G5701", department_code="",
                               status="attributed", status_date=date(2023, 1, 10))
        _presented(db, demande, "closed")
        demande_id = demande.id
    apply_purge(engine, plan_purge(engine, retention_months=12, today=TODAY))
    with session_scope(engine) as db:
        anonymised = db.get(Demande, demande_id)
        assert anonymised is not None
        # "057…" → département 57, still counted in the département's indicators
        assert (anonymised.nur[:5], anonymised.department_code) == ("ANON-", "57")


DEMANDE_TABLES = ("demande", "household_member", "resource", "demande_priority",
                  "wished_commune")


def _audit_text(engine: Engine) -> str:
    """The log's images of the demandes' own rows. The frozen séance's candidacies keep
    the household as the commission saw it (a legal record, like the signed minutes):
    their entries are no more personal than the rows themselves and stay whole."""
    with session_scope(engine) as db:
        entries = db.exec(select(AuditEntry).where(
            AuditEntry.entity.in_(DEMANDE_TABLES))).all()  # type: ignore[attr-defined]
        return "\n".join(f"{e.before or ''} {e.after or ''}" for e in entries)


def test_purge_erases_the_personal_data_from_the_audit_log(
    engine: Engine, population: dict[str, int]
) -> None:
    with session_scope(engine) as db:
        deleted_name = db.get(Demande, population["A"]).applicant_surname  # type: ignore[union-attr]
        kept_nur = db.get(Demande, population["B"]).nur  # type: ignore[union-attr]
    log = _audit_text(engine)
    for personal in ("Durand", "Élodie", "Léo", "3 rue des Lilas", "suivi social en cours",
                     "CDI chez Dupont SA", deleted_name):
        assert personal in log  # written by the application, so in the log

    result = apply_purge(engine, plan_purge(engine, retention_months=12, today=TODAY))
    assert result.redacted_entries > 0
    assert f"Entrées du journal d'audit expurgées : {result.redacted_entries}" in result.text()

    log = _audit_text(engine)
    for personal in ("Durand", "Élodie", "Léo", "3 rue des Lilas", "suivi social en cours",
                     "CDI chez Dupont SA", deleted_name):
        assert personal not in log
    assert kept_nur in log  # B is within the retention period: its entries are whole
    with session_scope(engine) as db:
        c_entries = db.exec(select(AuditEntry).where(
            AuditEntry.entity == "demande", AuditEntry.entity_id == population["C"])
            .order_by(AuditEntry.id)).all()
    # the anonymised row's last image stays (nothing personal left in it)...
    assert c_entries[-1].after is not None and "ANON-" in c_entries[-1].after
    assert c_entries[-1].before is None and c_entries[-1].redacted_at is not None
    # ...every earlier image is gone, the digests remain
    assert all(e.before is None and e.after is None for e in c_entries[:-1])
    assert all(e.after_sha256 for e in c_entries)
    report = verify_chain(engine)
    assert report.ok, report.text()
    assert report.redacted == result.redacted_entries
    assert "expurgées par la purge de conservation" in report.text()


def test_the_preview_agrees_with_its_counts() -> None:
    """Two of each, three shown of four: plurals, « … et 1 autre », never « (s) »."""
    def item(number: int, action: PurgeAction) -> PurgeItem:
        return PurgeItem(number, f"05724010000{number}", "", "radiated", date(2023, 1, 5),
                         action, "motif")

    items = tuple(item(n, PurgeAction.DELETE) for n in range(4)) + tuple(
        item(n, PurgeAction.ANONYMISE) for n in range(4, 6))
    text = PurgePlan(TODAY, 12, date(2024, 6, 15), items, undated=2).text(limit=3)
    assert "- à supprimer : 4 demandes jamais présentées en commission" in text
    assert "- à anonymiser : 2 demandes présentées à des séances closes" in text
    assert "- conservées : 0 demande d'une séance non close" in text
    assert "2 demandes terminées sans date de changement de statut (complétez la date " \
           "pour qu'elles soient prises en compte)" in text
    assert "  … et 1 autre." in text
    assert "(s)" not in text
