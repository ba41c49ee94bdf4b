"""Columns of the Séances list, over `caleol.services.session_list.SessionSummary`.

Apart from the other séance models (`session_models`) because the list is shown at
start, before the séance services, the rules and SQLAlchemy are imported (issue 19):
this module needs Qt, `caleol.fr` and the table model only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from caleol.services.session_list import SessionSummary
from caleol.ui.models.table import RIGHT, Column, ColumnTableModel, date_column

# French status names of the Séances list (issue 7 wording).
STATUS_TEXT: dict[str, str] = {
    "draft": "brouillon",
    "ready": "prête",
    "held": "tenue",
    "closed": "close",
    "signed": "signée",
}
KIND_TEXT = {"physical": "présentiel", "remote": "à distance"}


def status_text(status: str) -> str:
    return STATUS_TEXT.get(status, status)


SESSION_COLUMNS: tuple[Column[SessionSummary], ...] = (
    date_column("date", "Date"),
    Column("status", "État", formatter=status_text,
           foreground=lambda s: QColor("#1b7a35") if s.status == "signed" else None,
           bold=lambda s: s.status in ("draft", "ready", "held")),
    Column("commission", "Commission"),
    Column("place", "Lieu", value=lambda s: s.place or KIND_TEXT.get(s.kind, "")),
    Column("kind", "Forme", formatter=lambda k: KIND_TEXT.get(k, k)),
    Column("dwellings", "Logements", alignment=RIGHT),
    Column("candidacies", "Candidats", alignment=RIGHT),
    Column("decisions", "Décisions", alignment=RIGHT),
)


def sessions_model(rows: tuple[SessionSummary, ...] = (), parent: Any = None
                   ) -> ColumnTableModel[SessionSummary]:
    return ColumnTableModel(SESSION_COLUMNS, rows, parent)
