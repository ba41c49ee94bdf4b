"""Every check of a séance of 60 dwellings × 5 candidates.

Measure: `evaluate_inputs` over the 300 plain candidate records (every rule of the
charter plus the JSON snapshot the minutes print; records built anew, untimed,
before each run), target ≤ 50 ms. Baseline: the
bare loop building those 300 plain records from the loaded rows. Then
`refresh_checks` (load, evaluate and write the snapshots in one transaction, run
again the same day as the secretary does), target ≤ 50 ms (issue 19), against the
rules alone. For information, the same refresh with the memo of the checks emptied
before each run (`checks_memo`: every rule runs again, as on the first refresh of
the process or after a change of date, setting or ceiling table).

The séance is set up with `benchmarks.bench_sessions.populate` in a temporary
database (the checks do not depend on the number of demandes); with `pg_url` (a
PostgreSQL server), in a fresh database there (`benchmarks.pg`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_sessions import ON, populate
from benchmarks.common import Measure, load_average, median_times


def run(runs: int, *, dwellings: int = 60, per_dwelling: int = 5,
        pg_url: str | None = None) -> list[Measure]:
    from sqlalchemy import select

    from caleol.db.engine import open_database, session_scope
    from caleol.db.models import Commission, Demande
    from caleol.services import sessions
    from caleol.services.sessions.checks import (
        candidate_input,
        evaluate_inputs,
        load_session_candidacies,
    )
    from caleol.services.sessions.checks_memo import MEMO
    from caleol.services.sessions.inputs import rule_context
    from caleol.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        if pg_url is not None:
            from benchmarks.pg import fresh_database_url

            url = fresh_database_url(pg_url, "caleol_bench_checks")
        else:
            url = str(Path(folder) / "checks.sqlite3")
        engine = open_database(url, create=True, backup_dir=Path(folder))
        try:
            dwelling_ids = populate(engine, max(100, dwellings * per_dwelling * 2))
            with session_scope(engine) as db:
                commission_id = db.exec(select(Commission.id)).first()[0]
            session_id = sessions.create_session(engine, commission_id, ON)
            with engine.connect() as connection:
                demande_ids = list(connection.execute(
                    select(Demande.id).where(Demande.status == "active")
                    .limit(dwellings * per_dwelling)).scalars())
            for n, dwelling_id in enumerate(dwelling_ids[:dwellings]):
                item_id = sessions.add_dwelling(engine, session_id, dwelling_id)
                for k in range(per_dwelling):
                    sessions.add_candidate(engine, item_id, demande_ids[n * per_dwelling + k])
            with session_scope(engine) as db:
                ctx = rule_context(db, ON, Settings())
                items = load_session_candidacies(db, session_id)
                pairs = [(c, i.dwelling) for i in items for c in i.candidacies]
                inputs: list[list[Any]] = []

                def rebuild() -> None:
                    # new records, hence new households, for each run: a household
                    # keeps what it derived (units, category, summary) once asked
                    inputs[:] = [[candidate_input(c.id, c.demande, d, None, ON)
                                  for c, d in pairs]]

                value, cpu = median_times(lambda: evaluate_inputs(ctx, inputs[0]), runs,
                                          setup=rebuild)
                baseline, baseline_cpu = median_times(
                    lambda: [candidate_input(c.id, c.demande, d, None, ON) for c, d in pairs],
                    runs)
            full, full_cpu = median_times(lambda: sessions.refresh_checks(engine, session_id),
                                          max(1, runs // 2))
            cold, cold_cpu = median_times(lambda: sessions.refresh_checks(engine, session_id),
                                          max(1, runs // 2), setup=MEMO.clear)
        finally:
            engine.dispose()
    load = load_average()
    label = f"{dwellings} dwellings × {per_dwelling}"
    where = ", PostgreSQL" if pg_url is not None else ""
    return [
        Measure(f"session checks, rules + snapshots ({label}{where})", value, baseline,
                "building the plain inputs", limit=0.050, load=load, cpu=cpu,
                baseline_cpu=baseline_cpu),
        Measure(f"refresh_checks with DB I/O ({label}{where})", full, value,
                "rules alone, above", limit=0.050, load=load, cpu=full_cpu, baseline_cpu=cpu),
        Measure(f"refresh_checks, every rule run again ({label}{where})", cold, value,
                "rules alone, above", load=load, cpu=cold_cpu, baseline_cpu=cpu),
    ]
