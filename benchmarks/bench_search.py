"""The Demandes text search on 100 000 demandes: the trigram index against the scan.

Measure: what the list asks when a 3-letter fragment is typed, through
`caleol.services.browse.DemandeBrowser.first_page`: the count and the first page's ids
and columns (200 rows), with the text-search index (`caleol.db.text_search`). Target
≤ 16 ms. Baseline: the same browser with the index ignored, i.e. the `LIKE` scan of
every demande it replaces (on PostgreSQL, whose planner uses the `pg_trgm` indexes
for the same `LIKE`: the same query with bitmap index scans off). For information: a
2-letter fragment (no trigram: the scan, kept as the correct fallback) and a NUR typed
as digits.
"""

from __future__ import annotations

from typing import Any

from benchmarks.common import Measure, load_average, median_times

FRAGMENT = "mar"
PAGE = 200
LIMIT = 0.016


def search(browser: Any, text: str) -> int:
    from caleol.services.browse import DemandeFilters

    total, _page = browser.first_page(PAGE, None, DemandeFilters(text=text))
    return total


def run(url: str, runs: int, *, label: str = "SQLite") -> list[Measure]:
    from caleol.db.engine import open_database
    from caleol.services.browse import DemandeBrowser

    engine = open_database(url)
    postgres = engine.dialect.name == "postgresql"
    scan_engine = engine
    if postgres:
        # PostgreSQL answers the same LIKE from the pg_trgm GIN indexes: the baseline is
        # the same query with bitmap index scans off, i.e. the scan they replace
        from sqlalchemy import event

        scan_engine = open_database(url)

        @event.listens_for(scan_engine, "connect")
        def _no_index(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET enable_bitmapscan = off")
            dbapi_connection.commit()

    try:
        indexed = DemandeBrowser(engine)
        scan = DemandeBrowser(scan_engine)
        scan.text_search.use_scan_only()  # the LIKE scan the index replaces (today's search)
        found = search(indexed, FRAGMENT)
        if found != search(scan, FRAGMENT):
            raise RuntimeError("the index and the scan disagree")
        value, cpu = median_times(lambda: search(indexed, FRAGMENT), runs)
        baseline, baseline_cpu = median_times(lambda: search(scan, FRAGMENT), runs)
        short, short_cpu = median_times(lambda: search(indexed, FRAGMENT[:2]), runs)
        with engine.connect() as connection:
            from sqlalchemy import text

            nur = str(connection.execute(text("SELECT nur FROM demande ORDER BY id LIMIT 1"))
                      .scalar())
        digits = nur[:7]
        by_nur, nur_cpu = median_times(lambda: search(indexed, digits), runs)
        from caleol.db import text_search

        with engine.connect() as connection:
            if not text_search.has_index(connection):
                label += ", NO INDEX"
    finally:
        engine.dispose()
        scan_engine.dispose()
    load = load_average()
    return [
        Measure(f"text search « {FRAGMENT} » ({found} found, {label})", value, baseline,
                "LIKE scan", limit=LIMIT, load=load, cpu=cpu, baseline_cpu=baseline_cpu),
        Measure(f"text search « {FRAGMENT[:2]} » (scan fallback, {label})", short, baseline,
                "LIKE scan of 3 letters", load=load, cpu=short_cpu,
                baseline_cpu=baseline_cpu),
        Measure(f"text search NUR « {digits} » ({label})", by_nur, baseline,
                "LIKE scan of 3 letters", limit=LIMIT, load=load, cpu=nur_cpu,
                baseline_cpu=baseline_cpu),
    ]
