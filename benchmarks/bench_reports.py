"""Measures of the indicators and reports over a year of attributions, with a baseline.

    python benchmarks/bench_reports.py [--attributions 3000]

A year of N attributed dwellings (3 candidacies each, the first attributed, 80 % with
a signed lease) is bulk-inserted with Core in a temporary SQLite database, then:

1. `load_attribution_records` (ORM load of séances, candidacies, decisions, events,
   demandes with members and resources) — baseline: one Core `SELECT` joining the same
   tables row by row, i.e. the cost of just reading the data.
2. `compute_all` over the plain records (rules only).
3. The yearly report PDF and the indicators CSV from the records.
4. `live_impact` for one undecided candidacy (the session workspace's figure).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from caleol.db.engine import open_database, session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CandidacyEvent,
    Commission,
    CommissionSession,
    Commune,
    Decision,
    Demande,
    Department,
    Dwelling,
    Epci,
    HouseholdMember,
    QuartileThreshold,
    Resource,
)
from caleol.rules.indicators import Period, compute_all
from caleol.services.reports import csv_export, queries
from caleol.services.reports.annual import AnnualReportInput, build_annual_report


def _timed(label: str, work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed * 1000:9.1f} ms")
    return result, elapsed


def populate(engine, attributions: int, seed: int = 8) -> int:  # type: ignore[no-untyped-def]
    """Returns the id of one undecided candidacy (for the live impact)."""
    rng = random.Random(seed)
    with session_scope(engine) as s:
        dept = Department(code="57", name="Moselle")
        s.add(dept)
        s.flush()
        epcis = [Epci(siren=f"2000{i:05d}", name=f"EPCI {i}", department_id=dept.id)
                 for i in range(10)]
        s.add_all(epcis)
        s.flush()
        communes = [Commune(insee_code=f"57{i:03d}", name=f"Commune {i}",
                            epci_id=epcis[i % 10].id, department_id=dept.id)
                    for i in range(100)]
        s.add_all(communes)
        s.add_all(QuartileThreshold(epci_id=e.id, year=2026, threshold_cents=900_000)
                  for e in epcis)
        commission = Commission(code="BENCH", name="CALEOL banc d'essai")
        s.add(commission)
        s.flush()
        commune_ids = [c.id for c in communes]
        commission_id = commission.id
    with engine.begin() as conn:
        sessions = conn.execute(insert(CommissionSession).returning(CommissionSession.id), [
            {"commission_id": commission_id, "date": date(2026, 1, 5) + timedelta(days=7 * w),
             "place": "Metz", "kind": "physical", "status": "held", "secretary_name": "",
             "notes": "", "version": 1}
            for w in range(50)
        ]).scalars().all()
        dwellings = conn.execute(insert(Dwelling).returning(Dwelling.id), [
            {"reference": f"B-{i:06d}", "programme": "", "address": f"{i} rue du Banc",
             "commune_id": rng.choice(commune_ids), "qpv": rng.random() < 0.3,
             "urban_renewal": False, "typology": "T3", "financing": "PLUS", "lift": False,
             "pmr": False, "rent_cents": 45_000, "charges_cents": 8_000, "energy_cents": 6_000,
             "annex_rent_cents": 0, "first_letting": False, "status": "proposed", "version": 1}
            for i in range(attributions + 1)
        ]).scalars().all()
        count = 3 * attributions + 1
        demandes = conn.execute(insert(Demande).returning(Demande.id), [
            {"nur": f"057260{i:07d}", "filing_date": date(2025, 1, 1), "status": "active",
             "applicant_surname": f"Nom{i}", "applicant_first_names": "Camille", "address": "",
             "postal_code": "", "city": "", "department_code": "57", "dalo": rng.random() < 0.05,
             "syplo_label": rng.random() < 0.2, "action_logement_employee": rng.random() < 0.4,
             "current_social_tenant": rng.random() < 0.3, "wished_typologies": "",
             "association_bail_glissant": False, "payment_guarantee": False, "notes": "",
             "version": 1}
            for i in range(count)
        ]).scalars().all()
        members = conn.execute(insert(HouseholdMember).returning(HouseholdMember.id), [
            {"demande_id": d, "position": 0, "role": "applicant", "surname": "", "first_names": "",
             "birth_date": date(1985, 1, 1), "disabled": False, "visiting_rights": False}
            for d in demandes
        ]).scalars().all()
        conn.execute(insert(Resource), [
            {"demande_id": d, "member_id": m, "kind": "salaire",
             "monthly_cents": rng.randint(0, 250_000), "stable": True, "label": ""}
            for d, m in zip(demandes, members, strict=True)
        ])
        items = conn.execute(insert(AgendaItem).returning(AgendaItem.id), [
            {"session_id": sessions[i % len(sessions)], "dwelling_id": dwellings[i],
             "position": i, "exception_justification": ""}
            for i in range(attributions + 1)
        ]).scalars().all()
        candidacy_rows = []
        for i, item in enumerate(items[:-1]):
            for rank in (1, 2, 3):
                candidacy_rows.append({
                    "agenda_item_id": item, "demande_id": demandes[3 * i + rank - 1],
                    "proposed_rank": rank, "added_by": "bailleur", "suggestion_reasons": "",
                })
        candidacy_rows.append({"agenda_item_id": items[-1], "demande_id": demandes[-1],
                               "proposed_rank": 1, "added_by": "bailleur",
                               "suggestion_reasons": ""})
        candidacies = conn.execute(insert(Candidacy).returning(Candidacy.id),
                                   candidacy_rows).scalars().all()
        decided = candidacies[:-1]
        conn.execute(insert(Decision), [
            {"candidacy_id": c, "kind": "attribution_rang" if n % 3 < 2 else "non_attribution",
             "rank": (n % 3) + 1 if n % 3 < 2 else None, "condition": "", "reason_text": "",
             "justification": "", "casting_vote_used": False, "version": 1}
            for n, c in enumerate(decided)
        ])
        conn.execute(insert(CandidacyEvent), [
            {"candidacy_id": decided[3 * i], "kind": "lease_signed",
             "date": date(2026, 1, 20) + timedelta(days=i % 330), "reason": ""}
            for i in range(attributions) if rng.random() < 0.8
        ])
    return candidacies[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attributions", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(str(Path(folder) / "bench.sqlite3"), create=True,
                               backup_dir=Path(folder) / "backups")
        undecided_id, setup = _timed(
            f"set-up: {args.attributions} attributions (Core inserts)",
            lambda: populate(engine, args.attributions),
        )
        year = Period.year(2026)

        def baseline() -> int:
            with engine.connect() as conn:
                rows = conn.execute(
                    select(AgendaItem.id, Candidacy.id, Decision.kind, Demande.dalo,
                           Resource.monthly_cents, HouseholdMember.birth_date,
                           CandidacyEvent.date)
                    .join(Candidacy, Candidacy.agenda_item_id == AgendaItem.id)
                    .join(Demande, Demande.id == Candidacy.demande_id)
                    .join(HouseholdMember, HouseholdMember.demande_id == Demande.id)
                    .join(Resource, Resource.demande_id == Demande.id)
                    .outerjoin(Decision, Decision.candidacy_id == Candidacy.id)
                    .outerjoin(CandidacyEvent, CandidacyEvent.candidacy_id == Candidacy.id)
                ).all()
            return len(rows)

        _, base = _timed("baseline: one Core SELECT of the same rows", baseline)
        records, load = _timed("load_attribution_records (year)",
                               lambda: queries.load_attribution_records(engine, year))
        print(f"  → {len(records)} records, {load / base:.1f} × the baseline")
        results, _ = _timed("compute_all (11 indicators, rules only)",
                            lambda: compute_all(records, year))
        _timed("yearly report PDF", lambda: build_annual_report(
            AnnualReportInput("Vivest", 2026, records, date(2027, 1, 15))))
        _timed("indicators CSV", lambda: csv_export.csv_bytes(
            csv_export.INDICATOR_HEADER, csv_export.indicator_rows(results)))
        _timed("live_impact (one undecided candidacy)",
               lambda: queries.live_impact(engine, undecided_id))
        engine.dispose()
        print(f"(set-up took {setup:.1f} s)")


if __name__ == "__main__":
    main()
