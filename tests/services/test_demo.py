"""The demo database: content a secretary can work with, deterministic, fully audited."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from caleol.db.engine import open_database
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CandidacyEvent,
    CommissionMember,
    CommissionSession,
    Decision,
    Demande,
    Dwelling,
    HouseholdMember,
    QuartileThreshold,
    Reason,
    SignedDocument,
)
from caleol.errors import CaleolError
from caleol.rules.nur import check_nur
from caleol.services import sessions
from caleol.services.audit import verify_chain
from caleol.services.demo import DemoSummary, create_demo_database
from caleol.services.demo.households import HouseholdFactory
from caleol.services.demo.stock import dwelling_rows
from caleol.services.demo.territory import Territory

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, DemoSummary]:
    home = tmp_path_factory.mktemp("demo_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALEOL_HOME", str(home))
        summary = create_demo_database(home / "demo.sqlite3", today=TODAY)
        engine = open_database(str(home / "demo.sqlite3"))
        yield engine, summary
        engine.dispose()


def count(engine: Engine, statement: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())  # type: ignore[call-overload]


def column_values(engine: Engine, column: object) -> list[object]:
    with engine.connect() as connection:
        return list(connection.execute(select(column)).scalars())  # type: ignore[call-overload]


def test_sizes_of_the_small_demo(demo: tuple[Engine, DemoSummary]) -> None:
    engine, summary = demo
    assert count(engine, select(func.count()).select_from(Dwelling)) == 450
    assert count(engine, select(func.count()).select_from(Demande)) == 3000
    assert summary.history_sessions == 12
    assert summary.leases >= 12


def test_dwellings_cover_every_typology_financing_and_qpv_state(
    demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = demo
    assert set(column_values(engine, Dwelling.typology)) == {f"T{n}" for n in range(1, 8)}
    assert set(column_values(engine, Dwelling.financing)) == {
        "PLAI", "PLAI adapté", "PLUS", "PLS", "PLI", "LLI"
    }
    assert set(column_values(engine, Dwelling.qpv)) == {True, False, None}
    statuses = Counter(column_values(engine, Dwelling.status))
    assert statuses["vacant"] > 50 and statuses["let"] > 200


def test_households_include_the_edge_cases(demo: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo
    roles = Counter(column_values(engine, HouseholdMember.role))
    assert {"applicant", "partner", "child", "other_adult"} <= set(roles)
    assert roles["applicant"] == 3000
    assert count(engine, select(func.count()).where(HouseholdMember.visiting_rights)) > 10
    assert count(engine, select(func.count()).where(HouseholdMember.disabled)) > 50
    births = column_values(engine, HouseholdMember.birth_date)
    fourteen = [b for b in births if b is not None and _age(b, TODAY) == 14]  # type: ignore[arg-type]
    assert fourteen, "a child of exactly 14 (the 0,5 UC edge case)"
    assert count(engine, select(func.count()).where(Demande.dalo)) >= 12
    assert count(engine, select(func.count()).where(Demande.action_logement_employee)) > 100
    assert count(engine, select(func.count()).where(Demande.current_social_tenant)) > 100
    over = count(engine, select(func.count()).where(Demande.reference_tax_income > 45_000))
    assert over > 20, "some households above the ceiling"


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - int((on.month, on.day) < (birth.month, birth.day))


def test_every_nur_is_well_formed_and_unique(demo: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo
    with engine.connect() as connection:
        rows = connection.execute(select(Demande.nur, Demande.filing_date)).all()
    assert len({nur for nur, _ in rows}) == len(rows)
    for nur, filing in rows:
        verdict = check_nur(nur, filing, today=TODAY)
        assert verdict.valid, (nur, verdict.errors)
        assert verdict.department in ("57", "54")


def test_reference_tables(demo: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo
    # 22 EPCI (the official ones of the demo's communes, Val de Briey and Jarny in one) × 3 years
    assert count(engine, select(func.count()).select_from(QuartileThreshold)) == 22 * 3
    with engine.connect() as connection:
        unlawful = connection.execute(select(Reason.code).where(Reason.unlawful_alone)).scalars()
        unlawful = list(unlawful)
    assert set(unlawful) == {"RESSOURCES_FAIBLES", "PAS_DE_LIEN"}
    capacities = Counter(column_values(engine, CommissionMember.capacity))
    assert capacities["administrateur"] == 6 * 5
    assert capacities["representant_locataires"] == 6
    casting = count(engine, select(func.count()).where(CommissionMember.casting_vote))
    assert casting == 6  # one casting vote per commission


def test_past_session_is_closed_with_decisions_of_several_kinds(
    demo: tuple[Engine, DemoSummary],
) -> None:
    engine, summary = demo
    assert summary.signed_session_id is not None
    with engine.connect() as connection:
        status = connection.execute(
            select(CommissionSession.status)
            .where(CommissionSession.id == summary.signed_session_id)
        ).scalar_one()
        kinds = set(connection.execute(
            select(Decision.kind).join(Candidacy).join(AgendaItem)
            .where(AgendaItem.session_id == summary.signed_session_id)
        ).scalars())
        events = set(connection.execute(
            select(CandidacyEvent.kind)
            .join(Candidacy, CandidacyEvent.candidacy_id == Candidacy.id).join(AgendaItem)
            .where(AgendaItem.session_id == summary.signed_session_id)
        ).scalars())
    assert status == "signed"
    with Session(engine) as db:
        document = db.exec(select(SignedDocument)).scalars().one()
    assert document.session_id == summary.signed_session_id
    assert document.content.startswith(b"%PDF")
    assert hashlib.sha256(document.content).hexdigest() == document.sha256
    assert {"attribution", "attribution_rang", "attribution_sous_condition",
            "non_attribution", "irrecevabilite"} <= kinds
    assert {"refusal", "lease_signed"} <= events


def test_ready_and_preparing_sessions(demo: tuple[Engine, DemoSummary]) -> None:
    engine, summary = demo
    assert summary.ready_session_id and summary.preparing_session_id
    assert sessions.ready_problems(engine, summary.ready_session_id) == []
    problems = sessions.ready_problems(engine, summary.preparing_session_id)
    assert len(problems) == 1
    assert summary.blocked_dwelling in problems[0]
    with engine.connect() as connection:
        rows = connection.execute(select(CommissionSession.id, CommissionSession.status))
        statuses = dict(rows.all())
    assert statuses[summary.ready_session_id] == "ready"
    assert statuses[summary.preparing_session_id] == "draft"


def test_audit_chain_covers_the_bulk_rows(demo: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo
    report = verify_chain(engine)
    assert report.ok, report
    assert report.entries > 3000


def test_demo_certificate_is_lent_to_the_demo_only(
    demo: tuple[Engine, DemoSummary], monkeypatch: pytest.MonkeyPatch
) -> None:
    from caleol import settings as settings_module
    from caleol.services.demo import demo_settings

    _, summary = demo
    assert summary.certificate is not None and summary.certificate.exists()
    monkeypatch.setenv("CALEOL_HOME", str(summary.certificate.parents[2]))  # the demo's home
    pem = summary.certificate.with_suffix(".pem")
    assert pem.exists()
    # the user's settings never sign with it nor trust it (its passphrase lies beside it)
    on_disk = settings_module.load()
    assert on_disk.signing_certificate == ""
    assert str(pem) not in on_disk.trusted_certificates
    # the demo session gets it in memory, on top of the user's own trust list
    mine = on_disk.replace(trusted_certificates=("/srv/pki/organisme.pem",),
                           signing_certificate="/srv/pki/organisme.p12")
    lent = demo_settings(mine)
    assert lent.signing_certificate == str(summary.certificate)
    assert lent.trusted_certificates == ("/srv/pki/organisme.pem", str(pem))
    assert demo_settings(lent) == lent  # once


def test_same_seed_same_data() -> None:
    territory = _fake_territory()
    first = _sample(territory, 7)
    assert first == _sample(territory, 7)
    assert first != _sample(territory, 8)


def _sample(territory: Territory, seed: int) -> tuple[list[object], list[object]]:
    rng = random.Random(seed)
    factory = HouseholdFactory(rng, territory, TODAY)
    demandes = [factory.draft().row for _ in range(50)]
    ids = {"ETAT-57-PRIO": 1, "ETAT-54-PRIO": 2, "ETAT-AGENTS": 3, "ALS": 4,
           "METZ-METROPOLE": 5, "GRAND-NANCY": 6, "VILLE-THIONVILLE": 7, "CD57": 8, "VIVEST": 9}
    dwellings = list(dwelling_rows(rng, territory, 50, TODAY, 0.4, ids))
    return demandes, dwellings  # type: ignore[return-value]


def _fake_territory() -> Territory:
    from caleol.services.demo.territory import AGENCIES, PlaceInfo, read_rows

    territory = Territory()
    territory.agency_ids = {code: n for n, (code, *_rest) in enumerate(AGENCIES, start=1)}
    epcis = read_rows("epci.csv")
    territory.epci_ids = {row["siren"]: n for n, row in enumerate(epcis, start=1)}
    for n, row in enumerate(read_rows("communes.csv"), start=1):
        territory.places.append(PlaceInfo(
            commune_id=n, insee=row["insee"], name=row["nom"], postal_code=row["code_postal"],
            department=row["insee"][:2], epci_id=territory.epci_ids[row["epci_siren"]],
            agency_code=row["agence"], qpv=(),
        ))
    return territory


def test_refuses_a_database_with_data(demo: tuple[Engine, DemoSummary]) -> None:
    _, summary = demo
    path = summary.url.removeprefix("sqlite:///")
    with pytest.raises(CaleolError, match="contient déjà des données"):
        create_demo_database(path, today=TODAY, certificate=False)


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaleolError, match="Taille inconnue"):
        create_demo_database(tmp_path / "x.sqlite3", size="énorme")


def test_building_the_demo_leaves_no_backup_in_the_user_folder(
    demo: tuple[Engine, DemoSummary],
) -> None:
    _, summary = demo
    assert summary.certificate is not None
    user_backups = summary.certificate.parent.parent / "sauvegardes"  # <home>/data/sauvegardes
    assert not user_backups.exists() or not any(user_backups.iterdir())


def test_commission_members_civility_matches_the_first_name(
    demo: tuple[Engine, DemoSummary],
) -> None:
    from caleol.db.models import CommissionMember
    from caleol.services.demo.territory import read_lines

    names = read_lines("prenoms.txt")
    women, men = set(names[:40]), set(names[40:])
    assert "Léa" in women and "Mohamed" in men and len(names) == 80
    engine, _ = demo
    with engine.connect() as connection:
        members = connection.execute(
            select(CommissionMember.civility, CommissionMember.name)).all()
    checked = 0
    for title, name in members:
        first = name.split()[0]
        assert title in ("Mme", "M."), name
        assert first in (women if title == "Mme" else men), name
        checked += 1
    assert checked > 10


def test_the_applicants_civility_follows_their_first_name(
        demo: tuple[Engine, DemoSummary]) -> None:
    """prenoms.txt lists 40 women's first names, then 40 men's: « Mme » for the first
    half, « M. » for the second; the séances' snapshots carry it to the letters."""
    from caleol.services.demo.territory import read_lines

    names = read_lines("prenoms.txt")
    women, men = set(names[:40]), set(names[40:])
    engine, summary = demo
    with Session(engine) as db:
        rows = db.execute(select(Demande.applicant_civility, Demande.applicant_first_names)
                          ).all()
    assert rows and {c for c, _ in rows} == {"Mme", "M."}
    assert all((first in women) == (civility == "Mme") and first in women | men
               for civility, first in rows)
    detail = sessions.session_detail(engine, summary.signed_session_id)
    snapshots = [c.household for item in detail.agenda for c in item.candidacies]
    assert snapshots and all(s["civility"] in ("Mme", "M.") for s in snapshots)
    assert all(s["addressee"].split(" ")[0] in women | men for s in snapshots)


def test_every_justification_answers_a_check_of_its_own_candidate(
        demo: tuple[Engine, DemoSummary]) -> None:
    """Issue 15: nothing unjustified, nothing justified by what did not happen: each
    demo justification answers a check failed or unknown in the candidate's snapshot,
    and a ceiling sentence names the scale of that dwelling's own financing (the old
    signed PV justified PLUS attributions whose ceilings passed with « Barème PLAI »)."""
    from caleol.rules.decisions import DecisionKind, justification_grounds

    engine, summary = demo
    justified = 0
    for session_id in range(1, summary.signed_session_id + 1):  # every closed séance
        for item in sessions.session_detail(engine, session_id).agenda:
            for candidacy in item.candidacies:
                decision = candidacy.decision
                if decision is None or not decision.justification:
                    continue
                justified += 1
                statuses = {k: str(v.get("status")) for k, v in candidacy.checks.items()}
                grounds = justification_grounds(DecisionKind(decision.kind), statuses)
                assert grounds, (session_id, item.reference, decision.justification)
                if "Barème" in decision.justification:
                    assert any(g.check == "ceiling" for g in grounds)
                    table = "PLAI" if item.financing.startswith("PLAI") else item.financing
                    assert f"Barème {table} " in decision.justification, item.financing
    assert justified  # the demo shows justified attributions (PLAI ceilings unknown)


def test_a_ceiling_justification_answers_the_reason_it_is_unknown() -> None:
    from caleol.services.demo.seances import NOTICE_JUSTIFICATION, answer

    no_table = {"status": "unknown", "ceiling": None, "financing": "PLAI adapté", "year": 2026}
    assert answer("ceiling", no_table).startswith("Barème PLAI 2026 non chargé")
    old_notice = {"status": "unknown", "ceiling": "24316", "financing": "PLUS", "year": 2026}
    assert answer("ceiling", old_notice) == NOTICE_JUSTIFICATION
    assert "Barème" not in NOTICE_JUSTIFICATION
