"""Importing demandes CSVs into a database holding the reference data.

The files are the first 10 000 and all 100 000 demandes of the large demo, exported
by `caleol.services.exports.export_demandes` (every column: members, resources,
wished communes, priorities), made once and kept in the benchmark folder. Each run
imports one into a fresh database with the demo's territory and reference tables
(set-up untimed). Targets (issue 19): 10 000 ≤ 1 s, 100 000 ≤ 10 s. Baseline:
reading the same file with the `csv` module only.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from benchmarks.common import Measure, load_average, median_times

ROWS = 10_000
LIMITS = {10_000: 1.0, 100_000: 10.0}


def demandes_csv(demo: Path, folder: Path, rows: int = ROWS) -> Path:
    """`rows` demandes of the demo database as an Excel France CSV (cached)."""
    from caleol.db.engine import open_database
    from caleol.services.exports import ENCODING, export_demandes

    target = folder / f"demandes-{rows}.csv"
    if target.exists():
        return target
    full = folder / "demandes-all.csv"
    engine = open_database(str(demo), backup_dir=folder / "backups")
    try:
        export_demandes(engine, full)
    finally:
        engine.dispose()
    partial = target.with_suffix(".part")
    with full.open(encoding=ENCODING, newline="") as source, \
            partial.open("w", encoding=ENCODING, newline="") as out:
        reader = csv.reader(source, delimiter=";")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for n, row in enumerate(reader):
            if n > rows:
                break
            writer.writerow(row)
    partial.replace(target)
    full.unlink()
    return target


def parse_only(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle, delimiter=";")) - 1


def fresh_database(folder: Path, n: int, pg_url: str | None = None):  # type: ignore[no-untyped-def]
    from caleol.db.engine import open_database
    from caleol.services.bulk import AuditedInserter
    from caleol.services.demo.reference import create_references
    from caleol.services.demo.territory import create_territory

    if pg_url is not None:
        from benchmarks.pg import fresh_database_url

        url = fresh_database_url(pg_url, "caleol_bench_import")
    else:
        url = str(folder / f"import-{n}.sqlite3")
    engine = open_database(url, create=True, backup_dir=folder)
    with engine.begin() as connection:
        writer = AuditedInserter(connection)
        create_references(writer, create_territory(writer))
    return engine


def run(csv_path: Path, runs: int, *, pg_url: str | None = None) -> list[Measure]:
    from caleol.services.imports import import_demandes

    rows = parse_only(csv_path)
    engines = []
    with tempfile.TemporaryDirectory() as folder:
        databases = iter(range(10_000))

        def setup() -> None:
            if engines:
                engines[-1].dispose()  # PostgreSQL: the next fresh database drops it
            engines.append(fresh_database(Path(folder), next(databases), pg_url))

        def work() -> None:
            report = import_demandes(engines[-1], csv_path)
            if report.created != rows:
                raise RuntimeError(report.text())

        try:
            value, cpu = median_times(work, runs, warmup=0, setup=setup)
        finally:
            for engine in engines:
                engine.dispose()
    baseline, baseline_cpu = median_times(lambda: parse_only(csv_path), runs)
    where = ", PostgreSQL" if pg_url is not None else ""
    return [Measure(f"import a {rows}-row demandes CSV{where}", value, baseline,
                    "csv module parse only", limit=LIMITS.get(rows), load=load_average(),
                    cpu=cpu, baseline_cpu=baseline_cpu)]
