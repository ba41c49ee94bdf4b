"""Import of dwellings (logements); key: the dwelling reference."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from caleol.db.models import Agency, Commune, Dwelling, Reservataire
from caleol.db.models.enums import DwellingStatus
from caleol.db.typed import stored_id, table_of
from caleol.errors import ValidationError
from caleol.rules.ceilings import Financing
from caleol.rules.typology import Typology
from caleol.services.bulk import AuditedInserter
from caleol.services.imports import cells
from caleol.services.imports.cells import CellError
from caleol.services.imports.columns import DWELLING_COLUMNS, Column
from caleol.services.imports.csvfile import CsvRow
from caleol.services.imports.report import ImportReport
from caleol.services.territory.resolve import TerritoryResolver, create_unlisted_commune

INSEE = re.compile(r"^(\d{2}|2[AB])\d{3}$")
STATUSES = {
    **{s.value: s for s in DwellingStatus},
    **{s.label.casefold(): s for s in DwellingStatus},
    "propose": DwellingStatus.PROPOSED, "loue": DwellingStatus.LET,
}
HEADERS = {c.name: c.header for c in DWELLING_COLUMNS}


@dataclass
class DwellingRecord:
    reference: str
    values: dict[str, Any]  # Dwelling attribute -> value, only for the columns in the file
    new_commune: tuple[str, str, str] | None = None  # insee, name, postal code
    line: int = 0
    insee: str = ""  # the current commune's code (a former code is followed)


@dataclass
class DwellingImporter:
    today: date = field(default_factory=date.today)
    what: str = "logements"
    columns: tuple[Column, ...] = DWELLING_COLUMNS
    communes: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, int] = field(default_factory=dict)
    reservataires: dict[str, int] = field(default_factory=dict)
    announced: set[str] = field(default_factory=set)
    resolved: dict[str, int] = field(default_factory=dict)  # INSEE code -> commune id
    _territory: TerritoryResolver | None = None

    @property
    def territory(self) -> TerritoryResolver:
        assert self._territory is not None, "prepare() first"
        return self._territory

    def prepare(self, db: Session) -> None:
        self.communes = {c.insee_code: stored_id(c) for c in db.exec(select(Commune))}
        self._territory = TerritoryResolver(db)
        self.resolved = {}
        self.agencies = {}
        for agency in db.exec(select(Agency)):
            self.agencies[agency.code.casefold()] = stored_id(agency)
            self.agencies[agency.name.casefold()] = stored_id(agency)
        self.reservataires = {}
        for reservataire in db.exec(select(Reservataire)):
            self.reservataires[reservataire.code.casefold()] = stored_id(reservataire)
            self.reservataires[reservataire.name.casefold()] = stored_id(reservataire)

    def key(self, record: DwellingRecord) -> str:
        return record.reference

    # -- parsing ---------------------------------------------------------------------
    def parse(self, row: CsvRow, report: ImportReport) -> DwellingRecord | None:
        values: dict[str, Any] = {}
        cells_ = row.cells
        ok = True

        def read(column: str, attribute: str, parse: Callable[[str], Any]) -> None:
            nonlocal ok
            if column not in cells_:
                return
            try:
                values[attribute] = parse(cells_[column])
            except CellError as exc:
                report.error(row.line, HEADERS[column], str(exc))
                ok = False

        reference = cells_.get("reference", "")
        if not reference:
            report.error(row.line, HEADERS["reference"], "référence obligatoire")
            ok = False
        elif len(reference) > 40:
            report.error(row.line, HEADERS["reference"], "référence trop longue (40 caractères)")
            ok = False
        read("identifiant_rpls", "rpls_id", lambda v: cells.text(v, 40) or None)
        read("programme", "programme", lambda v: cells.text(v, 200))
        read("adresse", "address", lambda v: cells.text(v, 300))
        read("agence", "agency_id", self._agency)
        read("qpv", "qpv", cells.optional_boolean)
        read("code_qpv", "qpv_code", lambda v: cells.text(v, 20) or None)
        read("renouvellement_urbain", "urban_renewal", cells.boolean)
        read("typologie", "typology", _typology)
        read("surface", "surface_dm2", _surface)
        read("etage", "floor", lambda v: cells.optional_integer(v, -3, 60))
        read("ascenseur", "lift", cells.boolean)
        read("pmr", "pmr", cells.boolean)
        read("financement", "financing", _financing)
        read("loyer", "rent_cents", cells.money_cents)
        read("charges", "charges_cents", lambda v: cells.optional_money_cents(v) or 0)
        read("energie", "energy_cents", lambda v: cells.optional_money_cents(v) or 0)
        read("loyer_annexes", "annex_rent_cents", lambda v: cells.optional_money_cents(v) or 0)
        read("date_disponibilite", "availability_date", lambda v: cells.optional_day(
            v, not_before=date(1990, 1, 1), not_after=self.today + timedelta(days=3 * 366)))
        read("reservataire", "reservataire_id", self._reservataire)
        read("premiere_location", "first_letting", cells.boolean)
        read("annee_construction", "construction_year",
             lambda v: cells.optional_integer(v, 1800, self.today.year + 5))
        read("statut", "status", lambda v: cells.choice(
            v or "vacant", STATUSES, "Statut").value)
        record = DwellingRecord(reference=reference, values=values, line=row.line)
        commune_ok = self._commune(row, record, report)
        if values.get("qpv") is not True and values.get("qpv_code"):
            report.warning(row.line, HEADERS["code_qpv"],
                           "code QPV renseigné pour un logement hors QPV ou de QPV inconnu")
        return record if ok and commune_ok else None

    def _commune(self, row: CsvRow, record: DwellingRecord, report: ImportReport) -> bool:
        insee = row.cells.get("code_insee", "").upper()
        if not INSEE.match(insee):
            report.error(row.line, HEADERS["code_insee"],
                         f"« {insee} » : code INSEE de commune attendu (5 caractères, ex. 57463)")
            return False
        record.insee = insee
        if insee in self.communes:
            return True
        ref = self.territory.reference(insee)
        if ref is not None:
            if ref.insee != insee and insee not in self.announced:
                self.announced.add(insee)
                report.warning(row.line, HEADERS["code_insee"],
                               f"{insee} est un ancien code : commune actuelle {ref.insee} "
                               f"({ref.name})")
            record.insee = ref.insee
            return True
        name = row.cells.get("commune", "")
        if not name:
            report.error(row.line, HEADERS["code_insee"],
                         f"commune {insee} absente du référentiel des communes : vérifiez le "
                         "code, ou ajoutez la colonne « Commune » (nom) pour la créer")
            return False
        postal = row.cells.get("code_postal", "")
        if postal and not re.fullmatch(r"\d{5}", postal):
            report.error(row.line, HEADERS["code_postal"], f"« {postal} » : 5 chiffres attendus")
            return False
        record.new_commune = (insee, cells.text(name, 200), postal)
        if insee not in self.announced:
            self.announced.add(insee)
            report.warning(row.line, HEADERS["code_insee"],
                           f"commune {insee} ({name}) absente du référentiel des communes : "
                           "elle sera créée sans EPCI")
        return True

    def _agency(self, value: str) -> int | None:
        if not value:
            return None
        found = self.agencies.get(value.casefold())
        if found is None:
            raise CellError(f"agence inconnue « {value} »")
        return found

    def _reservataire(self, value: str) -> int | None:
        if not value:
            return None
        found = self.reservataires.get(value.casefold())
        if found is None:
            raise CellError(f"réservataire inconnu « {value} » (code ou nom du réservataire)")
        return found

    # -- writing ---------------------------------------------------------------------
    def write(self, db: Session, writer: AuditedInserter, records: Sequence[DwellingRecord],
              report: ImportReport) -> None:
        self._create_communes(db, records)
        existing = {
            d.reference: d for d in db.exec(
                select(Dwelling).where(col(Dwelling.reference).in_([r.reference for r in records]))
            )
        }
        new_rows = []
        for record in records:
            dwelling = existing.get(record.reference)
            if dwelling is None:
                new_rows.append({"reference": record.reference, **record.values})
                continue
            changed = {k: v for k, v in record.values.items() if getattr(dwelling, k) != v}
            if changed:
                for name, value in changed.items():
                    setattr(dwelling, name, value)
                report.updated += 1
            else:
                report.unchanged += 1
        db.flush()  # the ORM's audit entries first: the bulk entries chain after them
        writer.insert(table_of(Dwelling), new_rows)
        report.created += len(new_rows)

    def _create_communes(self, db: Session, records: Sequence[DwellingRecord]) -> None:
        """Resolve each commune once per import: created or completed from the reference."""
        db.flush()
        for record in records:
            insee = record.insee
            if insee not in self.resolved:
                found = self.territory.commune_id(insee)
                if found is None and record.new_commune is not None:
                    found = create_unlisted_commune(self.territory, *record.new_commune)
                assert found is not None  # parse() accepted the code
                self.resolved[insee] = found
            record.values["commune_id"] = self.resolved[insee]


def _typology(value: str) -> str:
    try:
        return Typology.parse(value).value
    except ValidationError as exc:
        raise CellError(exc.message) from None


def _financing(value: str) -> str:
    try:
        return Financing.parse(value).value
    except ValidationError as exc:
        raise CellError(exc.message) from None


def _surface(value: str) -> int | None:
    if not value:
        return None
    surface = cells.decimal(value, Decimal(5), Decimal(1000), 2)
    return int(surface * 100)
