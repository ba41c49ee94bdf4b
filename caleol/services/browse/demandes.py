"""The Demandes list: filters (text, wished typology and commune, status, priority),
one page of rows in two queries, a demande's detail (`demande_detail.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from caleol.db.engine import session_scope
from caleol.db.models import Demande, DemandePriority, HouseholdMember, Resource, WishedCommune
from caleol.db.models.enums import DemandeStatus
from caleol.fr import paris_today
from caleol.rules.typology import Typology
from caleol.services.browse.demande_detail import DemandeDetail, demande_detail
from caleol.services.browse.labels import cents, waiting_months
from caleol.services.browse.paging import (
    Choice,
    SortLike,
    communes_in_use,
    count_then_fetch,
    ordered,
)
from caleol.services.demande_search import DemandeTextSearch, TextCondition, contains


class PriorityFilter(StrEnum):
    PRIORITY = "priority"  # any priority criterion, or DALO
    DALO = "dalo"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"priority": "prioritaire (tout critère)", "dalo": "DALO",
                "none": "sans priorité"}[self.value]


@dataclass(frozen=True)
class DemandeFilters:
    text: str = ""  # NUR (prefix) or name
    typology: str | None = None  # among the wished typologies
    commune_id: int | None = None  # among the wished communes
    status: str | None = None
    priority: str | None = None  # a PriorityFilter value


@dataclass(frozen=True)
class DemandeRow:
    id: int
    nur: str
    name: str
    filing_date: dt.date
    waiting_months: int
    household_size: int
    monthly_resources: Decimal
    wished_typologies: str
    city: str
    dalo: bool
    priority_count: int
    cotation_score: int | None
    status: str
    status_label: str

    @property
    def priority(self) -> str:
        """« DALO », « prioritaire (2) » or « »."""
        if self.dalo:
            return "DALO" + (f" + {self.priority_count}" if self.priority_count else "")
        return f"prioritaire ({self.priority_count})" if self.priority_count else ""


class DemandeBrowser:
    """The Demandes list."""

    NOT_NULL = frozenset({"nur", "name", "filing_date", "waiting_months", "status",
                          "status_label", "wished_typologies", "city", "household_size",
                          "monthly_resources", "priority"})

    def __init__(self, engine: Engine, today: dt.date | None = None) -> None:
        self._engine = engine
        self._today = today
        self._plain_like = engine.dialect.name == "sqlite"
        self.text_search = DemandeTextSearch(engine)

    def today(self) -> dt.date:
        return self._today or paris_today()

    @staticmethod
    def _household_size() -> Any:
        return (select(func.count(col(HouseholdMember.id)))
                .where(col(HouseholdMember.demande_id) == Demande.id)
                .correlate(Demande).scalar_subquery())

    @staticmethod
    def _resources() -> Any:
        return (select(func.coalesce(func.sum(col(Resource.monthly_cents)), 0))
                .where(col(Resource.demande_id) == Demande.id)
                .correlate(Demande).scalar_subquery())

    @staticmethod
    def _priorities() -> Any:
        return (select(func.count(col(DemandePriority.id)))
                .where(col(DemandePriority.demande_id) == Demande.id)
                .correlate(Demande).scalar_subquery())

    def _sort_columns(self) -> dict[str, Any]:
        return {
            "nur": Demande.nur,
            # Unaccented, case-folded and indexed: « Élodie » sorts with E, through an
            # index (`caleol.db.models.demande.name_sort_key`).
            "name": Demande.name_sort_key,
            "filing_date": Demande.filing_date,
            "waiting_months": Demande.filing_date,  # longer wait = earlier filing
            "household_size": self._household_size(),
            "monthly_resources": self._resources(),
            "wished_typologies": Demande.wished_typologies,
            "city": Demande.city,
            "priority": self._priorities(),
            "cotation_score": Demande.cotation_score,
            "status_label": Demande.status,
            "status": Demande.status,
        }

    def _conditions(self, filters: DemandeFilters | None
                    ) -> tuple[list[ColumnElement[bool]], TextCondition]:
        """The filters as SQL: the plain conditions, and the text's."""
        f = filters or DemandeFilters()
        where: list[ColumnElement[bool]] = []
        if f.status:
            where.append(col(Demande.status) == f.status)
        if f.typology:
            where.append(contains(col(Demande.wished_typologies), f.typology, self._plain_like))
        if f.commune_id is not None:
            # IN, not a correlated EXISTS: SQLite then starts from the commune's index
            # entries instead of testing every demande (count 98 → 29 ms on 100 000).
            where.append(col(Demande.id).in_(select(col(WishedCommune.demande_id))
                                        .where(col(WishedCommune.commune_id) == f.commune_id)))
        has_priority = exists().where(col(DemandePriority.demande_id) == Demande.id)
        if f.priority == PriorityFilter.DALO:
            where.append(col(Demande.dalo).is_(True))
        elif f.priority == PriorityFilter.PRIORITY:
            where.append(or_(col(Demande.dalo).is_(True), has_priority))
        elif f.priority == PriorityFilter.NONE:
            where.append(and_(col(Demande.dalo).is_(False), ~has_priority))
        text = self.text_search.condition(f.text)
        return [*where, *text.scanned], text

    def _where(self, filters: DemandeFilters | None, *, walk_order: bool = False
               ) -> list[ColumnElement[bool]]:
        where, text = self._conditions(filters)
        if text.match is not None:
            where.append(self.text_search.found(text.match, walk_order=walk_order))
        return where

    def count(self, filters: DemandeFilters | None = None) -> int:
        where, text = self._conditions(filters)
        if text.match is not None and not where:  # the text alone: the index counts
            return self.text_search.count_found(text.match)
        if text.match is not None:
            where.append(self.text_search.found(text.match))
        statement = select(func.count(col(Demande.id))).where(*where)
        with session_scope(self._engine) as session:
            return int(session.execute(statement).scalar_one())

    def fetch(self, offset: int, limit: int, sort: SortLike | None = None,
              filters: DemandeFilters | None = None) -> list[DemandeRow]:
        """One page, in two queries: the page's ids (ordered, cheap columns only), then
        the computed columns (household size, resources, priorities) for those ids
        alone, so a page deep in 100 000 demandes never computes them for every row.
        """
        match = self.text_search.condition(filters.text if filters else "").match
        many = match is not None and self.text_search.many_found(match)
        page_ids = select(col(Demande.id)).where(*self._where(filters, walk_order=many))
        page_ids = ordered(page_ids, self._sort_columns(), sort,
                           (col(Demande.filing_date),), col(Demande.id), self.NOT_NULL)
        page_ids = page_ids.offset(max(0, offset)).limit(max(0, limit))
        with session_scope(self._engine) as session:
            ids = list(session.execute(page_ids).scalars())
            return self._rows(session, ids)

    def first_page(self, limit: int, sort: SortLike | None = None,
                   filters: DemandeFilters | None = None) -> tuple[int, list[DemandeRow]]:
        """How many demandes the filters find, and the first `limit` of them.

        On PostgreSQL, a text filter in the default order is answered by one scan of
        the demandes its trigram indexes designate (each rechecked once, counted by a
        window over them, the page sorted from them) rather than by a count and a page
        that would each recheck them: « mar » on 100 000 demandes, 10 → 6 ms on the
        server. Elsewhere (SQLite's FTS5 index counts by itself), the count then the
        page.
        """
        where, text = self._conditions(filters)
        if self._plain_like or not text.scanned or sort is not None:
            total, rows = count_then_fetch(self.count, self.fetch, limit, sort, filters)
            return total, list(rows)
        # MATERIALIZED: without it the planner walks the whole filing-date index
        # (LIMIT) while the window needs every row found (143 ms instead of 6)
        found = (select(col(Demande.id), col(Demande.filing_date)).where(*where)
                 .cte("found").prefix_with("MATERIALIZED"))
        page = (select(found.c.id, func.count().over())
                .order_by(found.c.filing_date, found.c.id).limit(max(0, limit)))
        with session_scope(self._engine) as session:
            rows = session.execute(page).all()
            return (int(rows[0][1]) if rows else 0,
                    self._rows(session, [row[0] for row in rows]))

    def _rows(self, session: Session, ids: list[int]) -> list[DemandeRow]:
        """The list's rows of these demandes, in this order."""
        if not ids:
            return []
        rows = session.execute(select(
            col(Demande.id), col(Demande.nur), col(Demande.applicant_surname),
            col(Demande.applicant_first_names), col(Demande.filing_date),
            self._household_size(), self._resources(), col(Demande.wished_typologies),
            col(Demande.city), col(Demande.dalo), self._priorities(),
            col(Demande.cotation_score), col(Demande.status),
        ).where(col(Demande.id).in_(ids))).all()
        position = {demande_id: i for i, demande_id in enumerate(ids)}
        rows = sorted(rows, key=lambda r: position[r[0]])
        today = self.today()
        labels = {s.value: s.label for s in DemandeStatus}
        return [
            DemandeRow(
                id=r[0], nur=r[1], name=f"{r[2].upper()} {r[3]}".strip(), filing_date=r[4],
                waiting_months=waiting_months(r[4], today), household_size=int(r[5] or 0),
                monthly_resources=cents(int(r[6] or 0)) or Decimal(0),
                wished_typologies=r[7].replace(",", ", "), city=r[8], dalo=bool(r[9]),
                priority_count=int(r[10] or 0), cotation_score=r[11], status=r[12],
                status_label=labels.get(r[12]) or r[12],
            )
            for r in rows
        ]

    def choices(self) -> dict[str, list[Choice]]:
        return {
            "commune": communes_in_use(self._engine, col(WishedCommune.commune_id)),
            "typology": [Choice(t.value, t.value) for t in Typology],
            "status": [Choice(s.value, s.label) for s in DemandeStatus],
            "priority": [Choice(p.value, p.label) for p in PriorityFilter],
        }

    def detail(self, demande_id: int) -> DemandeDetail:
        with session_scope(self._engine) as session:
            return demande_detail(session, demande_id, self.today())
