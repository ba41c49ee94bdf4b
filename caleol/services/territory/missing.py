"""What a séance or a year lacks among the yearly tables: the banners' plain data.

A ceiling table is missing when no row of the séance's year is in force on the
séance date for the financing and zone of a dwelling on its agenda (the ceiling
check then says « inconnu »); a quartile threshold is missing when an EPCI of a
dwelling (on the agenda, or in the stock for a year's indicators) has none for the
year (its attributions then fall into « seuil inconnu »). The UI only shows this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    CommissionSession,
    Commune,
    Dwelling,
    Epci,
    QuartileThreshold,
)
from caleol.errors import CaleolError
from caleol.rules.ceilings import Financing, Zone
from caleol.services.sessions.inputs import ceiling_table


@dataclass(frozen=True)
class MissingTables:
    year: int
    ceilings: tuple[str, ...] = ()  # « PLAI, zone autres régions »
    quartiles: tuple[str, ...] = ()  # « Metz Métropole (SIREN 200039865) »

    @property
    def empty(self) -> bool:
        return not self.ceilings and not self.quartiles

    @property
    def text(self) -> str:
        """One French paragraph saying what is missing and what it means."""
        parts: list[str] = []
        if self.ceilings:
            parts.append(f"Plafonds de ressources {self.year} manquants : "
                         f"{' ; '.join(self.ceilings)} — le contrôle du plafond restera "
                         "« inconnu » pour ces logements.")
        if len(self.quartiles) == 1:
            parts.append(f"Seuil de premier quartile {self.year} manquant : "
                         f"{self.quartiles[0]} — les attributions de cet EPCI seront "
                         "comptées en « seuil inconnu ».")
        elif self.quartiles:
            parts.append(f"Seuils de premier quartile {self.year} manquants : "
                         f"{' ; '.join(self.quartiles)} — les attributions de ces EPCI "
                         "seront comptées en « seuil inconnu ».")
        return " ".join(parts)


def _missing_quartiles(db: Session, epci_ids: set[int], year: int) -> tuple[str, ...]:
    if not epci_ids:
        return ()
    known = set(db.exec(select(QuartileThreshold.epci_id).where(
        col(QuartileThreshold.year) == year)).all())
    epcis = db.exec(select(Epci).where(col(Epci.id).in_(epci_ids - known))
                    .order_by(col(Epci.name))).all()
    return tuple(f"{e.name} (SIREN {e.siren})" for e in epcis)


def missing_for_session(engine: Engine, session_id: int) -> MissingTables:
    """The tables the séance's checks and indicators need and the database lacks.

    Raises:
        CaleolError: the séance no longer exists.
    """
    with session_scope(engine) as db:
        seance = db.get(CommissionSession, session_id)
        if seance is None:
            raise CaleolError("Cette séance n'existe plus.")
        on: date = seance.date
        rows = db.exec(select(Dwelling.financing, Commune.zone, Commune.epci_id)
                       .join(AgendaItem, col(AgendaItem.dwelling_id) == Dwelling.id)
                       .join(Commune, col(Commune.id) == Dwelling.commune_id, isouter=True)
                       .where(col(AgendaItem.session_id) == session_id)).all()
        table = ceiling_table(db)
        ceilings: list[str] = []
        epci_ids: set[int] = set()
        for financing_text, zone_text, epci_id in rows:
            if epci_id is not None:
                epci_ids.add(epci_id)
            try:
                financing = Financing.parse(financing_text)
                zone = Zone.parse(zone_text or Zone.AUTRES_REGIONS.value)
            except CaleolError:
                continue  # the check itself reports an unreadable dwelling
            if table.row_for(financing, zone, on) is None:
                label = f"{financing.table.value}, zone {zone.label}"
                if label not in ceilings:
                    ceilings.append(label)
        return MissingTables(on.year, tuple(sorted(ceilings)),
                             _missing_quartiles(db, epci_ids, on.year))


def missing_for_year(engine: Engine, year: int) -> MissingTables:
    """The quartile thresholds a year's indicators need: every EPCI of the dwellings' communes."""
    with session_scope(engine) as db:
        epci_ids = {e for e in db.exec(
            select(Commune.epci_id).join(Dwelling, col(Dwelling.commune_id) == Commune.id)
            .where(col(Commune.epci_id).is_not(None)).distinct()).all()
            if e is not None}
        return MissingTables(year, (), _missing_quartiles(db, epci_ids, year))
