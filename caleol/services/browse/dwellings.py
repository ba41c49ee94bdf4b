"""The Logements list: filters, one page of rows, a dwelling's detail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from caleol.db.engine import session_scope
from caleol.db.models import Commune, Dwelling, Reservataire
from caleol.db.models.enums import DwellingStatus, ReservataireType
from caleol.errors import CaleolError
from caleol.fr import NBSP, format_decimal
from caleol.rules.ceilings import Financing
from caleol.rules.typology import Typology
from caleol.services.browse.labels import cents, date_text, money, status_label, yes_no
from caleol.services.browse.paging import Choice, SortLike, communes_in_use, ordered
from caleol.services.demande_search import contains

if TYPE_CHECKING:
    from caleol.services.browse.paging import Rows


@dataclass(frozen=True)
class DwellingFilters:
    text: str = ""  # reference, programme, address or commune
    typology: str | None = None
    commune_id: int | None = None
    financing: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class DwellingRow:
    id: int
    reference: str
    typology: str
    commune: str
    address: str
    financing: str
    rent: Decimal
    charges: Decimal
    surface_m2: Decimal | None
    availability_date: dt.date | None
    status: str
    status_label: str
    qpv: bool | None
    reservataire: str


@dataclass(frozen=True)
class DwellingDetail:
    id: int
    fields: tuple[tuple[str, str], ...]  # (French label, formatted value), in display order


class DwellingBrowser:
    """The Logements list."""

    SORT_COLUMNS: ClassVar[dict[str, Any]] = {
        "reference": Dwelling.reference,
        "typology": Dwelling.typology,
        "commune": Commune.name,
        "address": Dwelling.address,
        "financing": Dwelling.financing,
        "rent": Dwelling.rent_cents,
        "charges": Dwelling.charges_cents,
        "surface_m2": Dwelling.surface_dm2,
        "availability_date": Dwelling.availability_date,
        "status_label": Dwelling.status,
        "status": Dwelling.status,
        "qpv": Dwelling.qpv,
        "reservataire": Reservataire.name,
    }

    NOT_NULL = frozenset({"reference", "typology", "financing", "rent", "charges", "status",
                          "status_label", "address"})

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._plain_like = engine.dialect.name == "sqlite"

    def _where(self, filters: DwellingFilters | None) -> list[ColumnElement[bool]]:
        f = filters or DwellingFilters()
        where: list[ColumnElement[bool]] = []
        if f.typology:
            where.append(col(Dwelling.typology) == f.typology)
        if f.commune_id is not None:
            where.append(col(Dwelling.commune_id) == f.commune_id)
        if f.financing:
            where.append(col(Dwelling.financing) == f.financing)
        if f.status:
            where.append(col(Dwelling.status) == f.status)
        for word in f.text.split():
            plain = self._plain_like
            where.append(or_(
                contains(col(Dwelling.reference), word, plain),
                contains(col(Dwelling.programme), word, plain),
                contains(col(Dwelling.address), word, plain),
                contains(col(Commune.name), word, plain),
            ))
        return where

    def _base(self, statement: Rows) -> Rows:
        return (statement.select_from(Dwelling)
                .outerjoin(Commune, col(Commune.id) == Dwelling.commune_id)
                .outerjoin(Reservataire, col(Reservataire.id) == Dwelling.reservataire_id))

    def count(self, filters: DwellingFilters | None = None) -> int:
        statement = self._base(select(func.count(col(Dwelling.id)))).where(*self._where(filters))
        with session_scope(self._engine) as session:
            return int(session.execute(statement).scalar_one())

    def fetch(self, offset: int, limit: int, sort: SortLike | None = None,
              filters: DwellingFilters | None = None) -> list[DwellingRow]:
        statement = self._base(select(
            col(Dwelling.id), col(Dwelling.reference), col(Dwelling.typology),
            col(Commune.name), col(Dwelling.address), col(Dwelling.financing),
            col(Dwelling.rent_cents), col(Dwelling.charges_cents), col(Dwelling.surface_dm2),
            col(Dwelling.availability_date), col(Dwelling.status), col(Dwelling.qpv),
            col(Reservataire.name),
        )).where(*self._where(filters))
        statement = ordered(statement, self.SORT_COLUMNS, sort,
                            (col(Dwelling.reference),), col(Dwelling.id), self.NOT_NULL)
        statement = statement.offset(max(0, offset)).limit(max(0, limit))
        with session_scope(self._engine) as session:
            rows = session.execute(statement).all()
        return [
            DwellingRow(
                id=r[0], reference=r[1], typology=r[2], commune=r[3] or "", address=r[4],
                financing=r[5], rent=cents(r[6]) or Decimal(0),
                charges=cents(r[7]) or Decimal(0),
                surface_m2=None if r[8] is None else Decimal(r[8]) / 100,
                availability_date=r[9], status=r[10],
                status_label=status_label(r[10], DwellingStatus), qpv=r[11],
                reservataire=r[12] or "",
            )
            for r in rows
        ]

    def choices(self) -> dict[str, list[Choice]]:
        """Values for the filter combo boxes: communes in use, typologies, financings, statuses."""
        return {
            "commune": communes_in_use(self._engine, col(Dwelling.commune_id)),
            "typology": [Choice(t.value, t.value) for t in Typology],
            "financing": [Choice(f.value, f.value) for f in Financing],
            "status": [Choice(s.value, s.label) for s in DwellingStatus],
        }

    def detail(self, dwelling_id: int) -> DwellingDetail:
        with session_scope(self._engine) as session:
            dwelling = session.get(Dwelling, dwelling_id)
            if dwelling is None:
                raise CaleolError("Ce logement n'existe plus (supprimé par ailleurs ?).")
            commune = session.get(Commune, dwelling.commune_id) if dwelling.commune_id else None
            reservataire = (session.get(Reservataire, dwelling.reservataire_id)
                            if dwelling.reservataire_id else None)
            return DwellingDetail(
                id=dwelling_id,
                fields=_dwelling_fields(dwelling, commune, reservataire),
            )


def _dwelling_fields(d: Dwelling, commune: Commune | None,
                     reservataire: Reservataire | None) -> tuple[tuple[str, str], ...]:
    surface = ("" if d.surface_dm2 is None
               else f"{format_decimal(Decimal(d.surface_dm2) / 100)}{NBSP}m²")
    total = d.rent_cents + d.charges_cents + d.annex_rent_cents
    reservataire_text = ""
    if reservataire is not None:
        reservataire_text = (f"{reservataire.name} "
                             f"({status_label(reservataire.kind, ReservataireType)})")
    return (
        ("Référence", d.reference),
        ("Identifiant RPLS", d.rpls_id or ""),
        ("Programme", d.programme),
        ("Adresse", d.address),
        ("Commune", f"{commune.name} ({commune.postal_code})" if commune else ""),
        ("Quartier prioritaire (QPV)", yes_no(d.qpv) + (f" – {d.qpv_code}" if d.qpv_code else "")),
        ("Typologie", d.typology),
        ("Surface", surface),
        ("Étage", "" if d.floor is None else ("rez-de-chaussée" if d.floor == 0 else str(d.floor))),
        ("Ascenseur", yes_no(d.lift)),
        ("Adapté PMR", yes_no(d.pmr)),
        ("Financement", d.financing),
        ("Loyer", money(d.rent_cents)),
        ("Charges", money(d.charges_cents)),
        ("Annexes (garage…)", money(d.annex_rent_cents)),
        ("Énergie estimée", money(d.energy_cents)),
        ("Total mensuel hors énergie", money(total)),
        ("Disponible le", date_text(d.availability_date)),
        ("Réservataire", reservataire_text),
        ("Première mise en location", yes_no(d.first_letting)),
        ("Année de construction", "" if d.construction_year is None else str(d.construction_year)),
        ("Statut", status_label(d.status, DwellingStatus)),
    )
