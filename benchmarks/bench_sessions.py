"""Measures of the session services, with in-run baselines.

    python benchmarks/bench_sessions.py [--demandes 100000]

1. Checks: every check of 60 dwellings × 5 candidates (target ≤ 50 ms for the rules
   on plain records), then the same through `refresh_checks` (loading, evaluating and
   writing the snapshots in one transaction). Baseline: one `evaluate_candidate` call
   × 300 on identical inputs.
2. Suggestions on N demandes (default 100 000, bulk-inserted with Core): the SQL
   pre-filter plus the rules. Baseline: a full `SELECT count(*)` of the demandes with
   the resource sum (what the pre-filter must beat by using its conditions).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from caleol.db.engine import open_database, session_scope
from caleol.db.models import (
    Commission,
    CommissionMember,
    Commune,
    Demande,
    Dwelling,
    HouseholdMember,
    Resource,
    WishedCommune,
)
from caleol.db.typed import table_of
from caleol.rules.evaluation import evaluate_candidate
from caleol.services import sessions
from caleol.services.bulk import AuditedInserter
from caleol.services.sessions.checks import (
    candidate_input,
    evaluate_inputs,
    load_session_candidacies,
)
from caleol.services.sessions.inputs import rule_context
from caleol.settings import Settings

ON = date(2026, 3, 10)
TYPOLOGIES = ("T1", "T2", "T3", "T4", "T5")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def populate(engine, demandes: int, communes: int = 50, seed: int = 7) -> list[int]:
    """Communes, one commission, 60 dwellings, N demandes (Core bulk inserts)."""
    rng = random.Random(seed)
    with session_scope(engine) as db:
        rows = [Commune(insee_code=f"57{i:03d}", name=f"Commune {i}") for i in range(communes)]
        db.add_all(rows)
        commission = Commission(code="B", name="Banc d'essai")
        db.add(commission)
        db.flush()
        db.add_all(CommissionMember(commission_id=commission.id, name=f"M{i}",
                                    capacity="administrateur") for i in range(9))
        commune_ids = [c.id for c in rows]
    # through the audited inserter: caleol refuses to build a snapshot on a row the
    # audit log does not hold (issue 16), as it would on a real base
    with engine.begin() as connection:
        inserter = AuditedInserter(connection)
        inserter.insert(table_of(Dwelling), [
            {"reference": f"B-{i:05d}", "address": f"{i} rue du Banc",
             "commune_id": commune_ids[i % communes], "typology": TYPOLOGIES[i % 5],
             "financing": "PLUS", "rent_cents": 30_000 + 8_000 * (i % 5), "charges_cents": 7_000,
             "energy_cents": 5_000, "status": "vacant", "version": 1,
             "first_letting": False, "lift": False, "pmr": False, "urban_renewal": False}
            for i in range(60)
        ])
        batch = 10_000
        for start in range(0, demandes, batch):
            ids = range(start + 1, min(start + batch, demandes) + 1)
            inserted = inserter.insert(table_of(Demande), [
                {"nur": f"057{i:014d}",
                 "filing_date": ON - timedelta(days=rng.randint(30, 900)),
                 "status": "active" if i % 10 else "attributed", "department_code": "057",
                 "reference_tax_income": rng.randint(8_000, 45_000),
                 "cotation_score": rng.randint(0, 400), "dalo": i % 97 == 0,
                 "wished_typologies": ",".join(rng.sample(TYPOLOGIES, 2)),
                 "applicant_surname": f"Nom{i}", "version": 1, "syplo_label": False,
                 "action_logement_employee": i % 7 == 0, "current_social_tenant": False,
                 "association_bail_glissant": False, "payment_guarantee": False}
                for i in ids
            ])
            assert inserted == list(ids)  # a fresh base: the children's demande_id
            inserter.insert(table_of(HouseholdMember), [
                {"demande_id": i, "position": 0, "role": "applicant",
                 "birth_date": date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                 "disabled": False, "visiting_rights": False}
                for i in ids
            ] + [
                {"demande_id": i, "position": 1, "role": "child",
                 "birth_date": date(2010 + i % 15, 6, 1), "disabled": False,
                 "visiting_rights": False}
                for i in ids if i % 3
            ])
            inserter.insert(table_of(Resource), [
                {"demande_id": i, "kind": "salaire", "monthly_cents": rng.randint(60_000, 350_000),
                 "stable": True, "label": ""}
                for i in ids
            ])
            inserter.insert(table_of(WishedCommune), [
                {"demande_id": i, "commune_id": commune_ids[i % communes], "position": 0}
                for i in ids
            ])
    with engine.connect() as connection:
        return list(connection.execute(select(Dwelling.id).order_by(Dwelling.id)).scalars())


def bench_checks(engine, dwelling_ids: list[int]) -> None:
    with session_scope(engine) as db:
        commission_id = db.exec(select(Commission.id)).first()[0]
    session_id = sessions.create_session(engine, commission_id, ON)
    with engine.connect() as connection:
        demande_ids = list(connection.execute(
            select(Demande.id).where(Demande.status == "active").limit(300)).scalars())
    for n, dwelling_id in enumerate(dwelling_ids):
        item_id = sessions.add_dwelling(engine, session_id, dwelling_id)
        for k in range(5):
            sessions.add_candidate(engine, item_id, demande_ids[n * 5 + k])
    settings = Settings()
    with session_scope(engine) as db:
        ctx = rule_context(db, ON, settings)
        items = load_session_candidacies(db, session_id)
        pairs = [(c, i.dwelling) for i in items for c in i.candidacies]
        start = time.perf_counter()
        inputs = [candidate_input(c.id, c.demande, d, None, ON) for c, d in pairs]
        built = time.perf_counter() - start
        start = time.perf_counter()
        evaluate_inputs(ctx, inputs)
        rules = time.perf_counter() - start
        first = inputs[0]
        start = time.perf_counter()
        for _ in inputs:
            evaluate_candidate(ON, first.file, first.terms, ctx.table, ctx.policy, ctx.thresholds)
        baseline = time.perf_counter() - start
    start = time.perf_counter()
    count = sessions.refresh_checks(engine, session_id)
    full = time.perf_counter() - start
    print(f"checks, {count} candidates (60 dwellings × 5):")
    print(f"  plain records built          {_ms(built)}")
    print(f"  rules + JSON snapshots       {_ms(rules)}   (target ≤ 50 ms)")
    print(f"  baseline evaluate_candidate  {_ms(baseline)} for {len(inputs)} identical calls")
    print(f"  refresh_checks with DB I/O   {_ms(full)}")


def bench_suggestions(engine, dwelling_ids: list[int], demandes: int) -> None:
    with engine.connect() as connection:
        start = time.perf_counter()
        connection.execute(select(func.count(Demande.id), select(func.sum(Resource.monthly_cents))
                                  .scalar_subquery())).one()
        baseline = time.perf_counter() - start
    timings = []
    for dwelling_id in dwelling_ids[:10]:
        start = time.perf_counter()
        result = sessions.suggest_candidates(engine, dwelling_id=dwelling_id, on=ON)
        timings.append((time.perf_counter() - start, result.prefiltered, len(result.suggestions)))
    worst = max(timings)
    mean = sum(t for t, _, _ in timings) / len(timings)
    print(f"suggestions on {demandes} demandes (10 dwellings):")
    print(f"  mean {_ms(mean)}, worst {_ms(worst[0])} "
          f"({worst[1]} pre-filtered in SQL, {worst[2]} suggested)")
    print(f"  baseline full scan count+sum {_ms(baseline)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demandes", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(str(Path(folder) / "bench.sqlite3"), create=True,
                               backup_dir=Path(folder))
        start = time.perf_counter()
        dwelling_ids = populate(engine, args.demandes)
        print(f"populated in {time.perf_counter() - start:.1f} s")
        bench_suggestions(engine, dwelling_ids, args.demandes)
        bench_checks(engine, dwelling_ids)
        engine.dispose()


if __name__ == "__main__":
    main()
