"""Filtering the Demandes list on 100 000 demandes, through the Qt model the GUI uses.

Measure: `PagedQueryModel.set_filters` (count + first page of 200 rows, the page's
computed columns) followed by the display text of the first 40 rows, i.e. what the
screen shows after the secretary picks a typology, a wished commune and types a name.
Baseline: the same two queries written by hand in raw `sqlite3` (same shape as
`caleol.services.browse`: wished commune as IN, bare LIKE), rows fetched as tuples.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from benchmarks.common import Measure, load_average, median_times

TYPOLOGY = "T3"
TEXT = "mar"  # Martin, Marchal, Marie…: a common fragment, not a rare one
VISIBLE_ROWS = 40
PAGE = 200

RAW_WHERE = """
    d.wished_typologies LIKE :typology
    AND d.id IN (SELECT w.demande_id FROM wished_commune w WHERE w.commune_id = :commune)
    AND (d.applicant_surname LIKE :text OR d.applicant_first_names LIKE :text
         OR d.nur LIKE :text)
"""
RAW_COUNT = f"SELECT count(*) FROM demande d WHERE {RAW_WHERE}"
RAW_PAGE = f"""
SELECT d.id, d.nur, d.applicant_surname, d.applicant_first_names, d.filing_date,
       (SELECT count(*) FROM household_member m WHERE m.demande_id = d.id),
       (SELECT coalesce(sum(r.monthly_cents), 0) FROM resource r WHERE r.demande_id = d.id),
       d.wished_typologies, d.city, d.dalo,
       (SELECT count(*) FROM demande_priority p WHERE p.demande_id = d.id),
       d.cotation_score, d.status
FROM demande d WHERE {RAW_WHERE}
ORDER BY d.filing_date, d.id LIMIT {PAGE}
"""


def busiest_commune(path: Path) -> int:
    """The wished commune with the most demandes (the slowest realistic filter)."""
    with sqlite3.connect(path) as connection:
        return int(connection.execute(
            "SELECT commune_id FROM wished_commune GROUP BY commune_id "
            "ORDER BY count(*) DESC LIMIT 1").fetchone()[0])


def raw_query(path: Path, commune_id: int) -> tuple[int, int]:
    params = {"typology": f"%{TYPOLOGY}%", "commune": commune_id, "text": f"%{TEXT}%"}
    connection = sqlite3.connect(path)
    try:
        total = connection.execute(RAW_COUNT, params).fetchone()[0]
        rows = connection.execute(RAW_PAGE, params).fetchall()
    finally:
        connection.close()
    return total, len(rows)


def raw_pg_query(engine, commune_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The same two queries through psycopg (ILIKE: PostgreSQL's LIKE minds case)."""
    params = {"typology": f"%{TYPOLOGY}%", "commune": commune_id, "text": f"%{TEXT}%"}

    def pg(sql: str) -> str:
        return re.sub(r":(\w+)", r"%(\1)s", sql).replace(" LIKE ", " ILIKE ")

    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(pg(RAW_COUNT), params)
        total = cursor.fetchone()[0]
        cursor.execute(pg(RAW_PAGE), params)
        rows = cursor.fetchall()
        connection.rollback()
    finally:
        connection.close()
    return total, len(rows)


def run(path: Path | str, runs: int, *, label: str = "") -> list[Measure]:
    """`path`: the SQLite demo; a PostgreSQL URL with `label` (« PostgreSQL »)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func, select

    from caleol.db.engine import open_database
    from caleol.db.models import WishedCommune
    from caleol.services.browse import DemandeBrowser, DemandeFilters
    from caleol.ui.models.paged import PagedQueryModel
    from caleol.ui.pages.demandes_page import DEMANDE_COLUMNS

    _app = QApplication.instance() or QApplication(["caleol-bench"])
    sqlite = isinstance(path, Path)
    engine = open_database(str(path), backup_dir=Path(path).parent / "backups" if sqlite
                           else None)
    if sqlite:
        commune_id = busiest_commune(path)
    else:
        with engine.connect() as connection:
            commune_id = connection.execute(
                select(WishedCommune.commune_id).group_by(WishedCommune.commune_id)
                .order_by(func.count().desc()).limit(1)).scalar_one()
    try:
        browser = DemandeBrowser(engine)
        model = PagedQueryModel(DEMANDE_COLUMNS, browser.fetch, browser.count,
                                filters=DemandeFilters(), page_size=PAGE)
        empty = DemandeFilters()
        wanted = DemandeFilters(text=TEXT, typology=TYPOLOGY, commune_id=commune_id)
        columns = model.columnCount()

        def apply_filter() -> int:
            model.set_filters(wanted)
            for row in range(min(VISIBLE_ROWS, model.rowCount())):
                for column in range(columns):
                    model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
            return model.rowCount()

        value, cpu = median_times(apply_filter, runs, setup=lambda: model.set_filters(empty))

        def raw() -> tuple[int, int]:
            return raw_query(path, commune_id) if sqlite else raw_pg_query(engine, commune_id)

        total, page = raw()
        baseline, baseline_cpu = median_times(raw, runs)
    finally:
        engine.dispose()
    where = f", {label}" if label else ""
    return [Measure(
        f"demandes filter via Qt model ({total} of 100 000, {page} rows{where})", value,
        baseline, "raw sqlite3" if sqlite else "raw psycopg", limit=0.100, max_ratio=3.0,
        load=load_average(), cpu=cpu, baseline_cpu=baseline_cpu)]
