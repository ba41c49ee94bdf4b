"""Communes, EPCI and départements written to the database on demand, from the reference.

Why on demand: loading the ~35 000 communes when a database is created costs 5,5 s
and turns a 0,5 MB empty database into 26 MB (each row has its audit entry); a
landlord uses a few hundred communes. So the first import, editor or setup that
names an INSEE code (or a département) creates that commune with its EPCI,
département and ceiling zone, in the caller's transaction, audited like any write.

A commune already stored without EPCI or département (created by an import before
the reference shipped) is completed the first time it is named again; its name,
postal code and a different EPCI are left alone here (`updates.apply_dataset`
aligns every stored commune on a reference on request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from caleol.db.models import Commune, Department, Epci, TerritoryDatasetRow
from caleol.rules.zones import ceiling_zone, department_of, is_insee_code
from caleol.services.territory.dataset import (
    CommuneRef,
    TerritoryDataset,
    load_compact,
    shipped_dataset,
    shipped_departments,
)

_DECODED: dict[str, TerritoryDataset] = {}


def _newer_import_id(db: Session) -> int | None:
    """The last reference imported into this database, when it is not older than the
    shipped one (which is then in force); None: the shipped reference is."""
    newest = db.exec(select(col(TerritoryDatasetRow.id), col(TerritoryDatasetRow.data_date))
                     .order_by(col(TerritoryDatasetRow.data_date).desc(),
                               col(TerritoryDatasetRow.id).desc())).first()
    if newest is None or newest[1] < date.fromisoformat(shipped_departments().date):
        return None
    return newest[0]


def dataset_in_force(db: Session) -> TerritoryDataset:
    """The newest of the shipped reference and the last one imported into this database."""
    row_id = _newer_import_id(db)
    if row_id is None:
        return shipped_dataset()
    row = db.get(TerritoryDatasetRow, row_id)
    assert row is not None
    if row.sha256 not in _DECODED:
        _DECODED[row.sha256] = load_compact(row.content)
    return _DECODED[row.sha256]


def departments_in_force(db: Session) -> dict[str, str]:
    """The départements of the reference in force (code → name): the shipped ones from
    their small list, without decoding every commune."""
    if _newer_import_id(db) is None:
        return dict(shipped_departments().departments)
    return dict(dataset_in_force(db).departments)


@dataclass
class TerritoryResolver:
    """Finds or creates territory rows in one session (one import, one form save)."""

    db: Session
    dataset: TerritoryDataset | None = None
    created: list[str] = field(default_factory=list)  # INSEE codes of communes created
    completed: list[str] = field(default_factory=list)  # INSEE codes of communes completed

    @property
    def data(self) -> TerritoryDataset:
        """The reference, read when first needed (an import of stored communes never does)."""
        if self.dataset is None:
            self.dataset = dataset_in_force(self.db)
        return self.dataset

    def reference(self, insee: str) -> CommuneRef | None:
        """The reference commune of `insee` (a former code gives the current commune)."""
        return self.data.commune(insee) if is_insee_code(insee) else None

    def department_id(self, code: str) -> int | None:
        """The id of département `code`, created from the reference; None if unknown."""
        found = self.db.exec(select(Department).where(Department.code == code)).first()
        if found is not None:
            return found.id
        name = self.data.departments.get(code)
        if name is None:
            return None
        row = Department(code=code, name=name)
        self.db.add(row)
        self.db.flush()
        return row.id

    def epci_id(self, siren: str) -> int | None:
        """The id of the EPCI `siren`, created from the reference; None if unknown."""
        found = self.db.exec(select(Epci).where(Epci.siren == siren)).first()
        if found is not None:
            if not found.kind and siren in self.data.epcis:
                found.kind = self.data.epcis[siren].kind
                self.db.add(found)
            return found.id
        ref = self.data.epcis.get(siren)
        if ref is None:
            return None
        department = self.data.epci_department(siren)
        row = Epci(siren=siren, name=ref.name, kind=ref.kind,
                   department_id=self.department_id(department) if department else None)
        self.db.add(row)
        self.db.flush()
        return row.id

    def commune_id(self, insee: str) -> int | None:
        """The stored commune of `insee` (created or completed from the reference).

        None when the code is neither stored nor in the reference. A former code
        gives the current commune.
        """
        stored = self.db.exec(select(Commune).where(Commune.insee_code == insee)).first()
        if stored is not None and stored.epci_id is not None and stored.department_id is not None:
            return stored.id  # complete already
        ref = self.reference(insee)
        if stored is None and ref is not None and ref.insee != insee:
            stored = self.db.exec(select(Commune).where(
                Commune.insee_code == ref.insee)).first()
        if stored is not None:
            if ref is not None and ref.insee == stored.insee_code:
                self._complete(stored, ref)
            return stored.id
        if ref is None:
            return None
        epci = self.data.epci_of(ref)
        row = Commune(insee_code=ref.insee, name=ref.name, postal_code=ref.postal_code,
                      epci_id=self.epci_id(epci.siren) if epci else None,
                      department_id=self.department_id(ref.department),
                      zone=ceiling_zone(ref.insee).value)
        self.db.add(row)
        self.db.flush()
        self.created.append(ref.insee)
        return row.id

    def _complete(self, stored: Commune, ref: CommuneRef) -> None:
        changed = False
        if stored.department_id is None:
            stored.department_id = self.department_id(ref.department)
            changed = True
        epci = self.data.epci_of(ref)
        if stored.epci_id is None and epci is not None:
            stored.epci_id = self.epci_id(epci.siren)
            changed = True
        zone = ceiling_zone(ref.insee).value
        if stored.zone != zone:
            stored.zone = zone
            changed = True
        if changed:
            self.db.add(stored)
            self.db.flush()
            self.completed.append(stored.insee_code)


def create_unlisted_commune(resolver: TerritoryResolver, insee: str, name: str,
                            postal_code: str) -> int:
    """A commune the reference does not list, as a file names it: no EPCI, derived zone.

    Kept for a code newer than the reference (a commune nouvelle of 1 January): the
    import warns that it has no EPCI until a newer reference is imported.
    """
    row = Commune(insee_code=insee, name=name, postal_code=postal_code,
                  department_id=resolver.department_id(department_of(insee)),
                  zone=ceiling_zone(insee).value)
    resolver.db.add(row)
    resolver.db.flush()
    resolver.created.append(insee)
    assert row.id is not None
    return row.id
