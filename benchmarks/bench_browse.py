"""Filtering the Demandes list on 100 000 demandes, through the Qt model the GUI uses.

Measure: `PagedQueryModel.set_filters` (count + first page of 200 rows, the page's
computed columns) followed by the display text of the first 40 rows, i.e. what the
screen shows after the secretary picks a typology, a wished commune and types a name.
Baseline: the same two queries written by hand in raw `sqlite3` (same shape as
`caleol.services.browse`: wished commune as IN, bare LIKE), rows fetched as tuples.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.common import Measure, load_average, median_seconds, median_times

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


def run(path: Path, runs: int) -> list[Measure]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from caleol.db.engine import open_database
    from caleol.services.browse import DemandeBrowser, DemandeFilters
    from caleol.ui.models.table import PagedQueryModel
    from caleol.ui.pages.demandes_page import DEMANDE_COLUMNS

    _app = QApplication.instance() or QApplication(["caleol-bench"])
    commune_id = busiest_commune(path)
    engine = open_database(str(path), backup_dir=path.parent / "backups")
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
        total, page = raw_query(path, commune_id)
        baseline = median_seconds(lambda: raw_query(path, commune_id), runs)
    finally:
        engine.dispose()
    return [Measure(
        f"demandes filter via Qt model ({total} of 100 000, {page} rows)", value, baseline,
        "raw sqlite3", limit=0.100, max_ratio=3.0, load=load_average(), cpu=cpu)]
