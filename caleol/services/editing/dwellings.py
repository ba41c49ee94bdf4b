"""Create and update one dwelling from the Logements editor.

Validation is the dwelling import's (`DwellingImporter.parse`), writing too
(`DwellingImporter.write`: a new dwelling goes through the audited bulk insert, a
change through the ORM, audited by `caleol.db.audit`). The reference is the import
key: fixed once created, so a later import of the same file still finds the dwelling.
Séances keep their own snapshot of a dwelling (`AgendaItem.dwelling_snapshot`), so
editing a dwelling never changes what a closed séance recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Commune, Dwelling, Reservataire
from caleol.db.models.enums import DwellingStatus
from caleol.db.typed import stored_id
from caleol.errors import CaleolError
from caleol.fr import format_decimal, paris_today
from caleol.rules.ceilings import Financing
from caleol.rules.typology import Typology
from caleol.services.bulk import AuditedInserter
from caleol.services.editing.common import (
    Choice,
    Problems,
    check_version,
    commune_choices,
    csv_row,
    date_text,
    money_text,
    yes_no,
)
from caleol.services.imports.dwellings import HEADERS, DwellingImporter
from caleol.services.imports.report import ImportReport

WHAT = "Le logement"

# CSV column → form field (the importer reports problems by column).
COLUMN_FIELDS: dict[str, str] = {
    "reference": "reference", "identifiant_rpls": "rpls_id", "programme": "programme",
    "adresse": "address", "code_insee": "commune", "commune": "commune",
    "code_postal": "commune", "agence": "agency", "qpv": "qpv", "code_qpv": "qpv_code",
    "renouvellement_urbain": "urban_renewal", "typologie": "typology", "surface": "surface",
    "etage": "floor", "ascenseur": "lift", "pmr": "pmr", "financement": "financing",
    "loyer": "rent", "charges": "charges", "energie": "energy",
    "loyer_annexes": "annex_rent", "date_disponibilite": "availability_date",
    "reservataire": "reservataire", "premiere_location": "first_letting",
    "annee_construction": "construction_year", "statut": "status",
}


@dataclass
class DwellingForm:
    """A dwelling as its editor shows it: text as typed, codes for the lists.

    `id` and `version` are None for a new dwelling; `version` is the one read, so a
    save over someone else's change is refused. `qpv` is None when unknown.
    """

    id: int | None = None
    version: int | None = None
    reference: str = ""
    rpls_id: str = ""
    programme: str = ""
    address: str = ""
    commune: str = ""  # INSEE code
    agency: str = ""  # agency code, "" for none
    qpv: bool | None = None
    qpv_code: str = ""
    urban_renewal: bool = False
    typology: str = "T3"
    surface: str = ""  # m², `65,40`
    floor: str = ""
    lift: bool = False
    pmr: bool = False
    financing: str = Financing.PLUS.value
    rent: str = ""  # euros per month
    charges: str = ""
    energy: str = ""
    annex_rent: str = ""
    availability_date: str = ""  # JJ/MM/AAAA
    reservataire: str = ""  # reservataire code, "" for none
    first_letting: bool = False
    construction_year: str = ""
    status: str = DwellingStatus.VACANT.value


@dataclass(frozen=True)
class DwellingChoices:
    communes: tuple[Choice, ...]  # INSEE code → « Metz (57000) »
    agencies: tuple[Choice, ...]
    reservataires: tuple[Choice, ...]
    typologies: tuple[Choice, ...]
    financings: tuple[Choice, ...]
    statuses: tuple[Choice, ...]


def dwelling_choices(engine: Engine) -> DwellingChoices:
    """What the editor's lists offer (only active réservataires, plus none)."""
    with session_scope(engine) as db:
        communes = commune_choices(db)
        agencies = tuple(Choice(a.code, a.name)
                         for a in db.exec(select(Agency).order_by(col(Agency.name))))
        reservataires = tuple(
            Choice(r.code, r.name)
            for r in db.exec(select(Reservataire).order_by(col(Reservataire.name)))
        )
    return DwellingChoices(
        communes=communes, agencies=agencies, reservataires=reservataires,
        typologies=tuple(Choice(t.value, t.value) for t in Typology),
        financings=tuple(Choice(f.value, f.value) for f in Financing),
        statuses=tuple(Choice(s.value, s.label) for s in DwellingStatus),
    )


def load_dwelling(engine: Engine, dwelling_id: int) -> DwellingForm:
    """The stored dwelling as a form, with the version read.

    Raises:
        CaleolError: the dwelling no longer exists.
    """
    with session_scope(engine) as db:
        dwelling = db.get(Dwelling, dwelling_id)
        if dwelling is None:
            raise CaleolError("Ce logement n'existe plus (supprimé par ailleurs ?).")
        commune = db.get(Commune, dwelling.commune_id) if dwelling.commune_id else None
        agency = db.get(Agency, dwelling.agency_id) if dwelling.agency_id else None
        reservataire = (db.get(Reservataire, dwelling.reservataire_id)
                        if dwelling.reservataire_id else None)
        return DwellingForm(
            id=dwelling.id, version=dwelling.version, reference=dwelling.reference,
            rpls_id=dwelling.rpls_id or "", programme=dwelling.programme,
            address=dwelling.address, commune=commune.insee_code if commune else "",
            agency=agency.code if agency else "", qpv=dwelling.qpv,
            qpv_code=dwelling.qpv_code or "", urban_renewal=dwelling.urban_renewal,
            typology=dwelling.typology,
            surface="" if dwelling.surface_dm2 is None
            else format_decimal(Decimal(dwelling.surface_dm2) / 100),
            floor="" if dwelling.floor is None else str(dwelling.floor),
            lift=dwelling.lift, pmr=dwelling.pmr, financing=dwelling.financing,
            rent=money_text(dwelling.rent_cents), charges=money_text(dwelling.charges_cents),
            energy=money_text(dwelling.energy_cents),
            annex_rent=money_text(dwelling.annex_rent_cents),
            availability_date=date_text(dwelling.availability_date),
            reservataire=reservataire.code if reservataire else "",
            first_letting=dwelling.first_letting,
            construction_year="" if dwelling.construction_year is None
            else str(dwelling.construction_year),
            status=dwelling.status,
        )


def _cells(form: DwellingForm) -> dict[str, str]:
    return {
        "reference": form.reference, "identifiant_rpls": form.rpls_id,
        "programme": form.programme, "adresse": form.address, "code_insee": form.commune,
        "agence": form.agency, "qpv": yes_no(form.qpv), "code_qpv": form.qpv_code,
        "renouvellement_urbain": yes_no(form.urban_renewal), "typologie": form.typology,
        "surface": form.surface, "etage": form.floor, "ascenseur": yes_no(form.lift),
        "pmr": yes_no(form.pmr), "financement": form.financing, "loyer": form.rent,
        "charges": form.charges, "energie": form.energy, "loyer_annexes": form.annex_rent,
        "date_disponibilite": form.availability_date, "reservataire": form.reservataire,
        "premiere_location": yes_no(form.first_letting),
        "annee_construction": form.construction_year, "statut": form.status,
    }


def save_dwelling(engine: Engine, form: DwellingForm, *, today: date | None = None) -> int:
    """Create (`form.id` None) or update a dwelling in one transaction; its id.

    Raises:
        FormError: every bad field at once (French messages keyed by `DwellingForm`
            field names); nothing written.
        ConcurrentModificationError: the dwelling changed since `load_dwelling`.
        CaleolError: the dwelling no longer exists.
    """
    with session_scope(engine) as db:
        stored = _stored(db, form)
        problems = Problems()
        for field in fields(form):
            value = getattr(form, field.name)
            if isinstance(value, str):
                problems.check_nir(field.name, value)
        importer = DwellingImporter(today=today or paris_today())
        importer.prepare(db)
        report = ImportReport("logements", "")
        cells = _cells(form)
        if stored is not None:
            cells["reference"] = stored.reference  # the import key never changes
        record = importer.parse(csv_row(cells), report)
        problems.add_report(report, COLUMN_FIELDS, HEADERS)
        if not form.commune.strip():
            problems.fields["commune"] = "Choisissez la commune du logement."
        if stored is None and form.reference.strip():
            taken = db.exec(select(Dwelling.id).where(
                Dwelling.reference == form.reference.strip())).first()
            if taken is not None:
                problems.add("reference", f"un logement porte déjà la référence "
                                          f"« {form.reference.strip()} »")
        problems.raise_if_any()
        assert record is not None  # no problem reported means a record
        importer.write(db, AuditedInserter(db.connection()), [record], report)
        db.flush()
        if stored is not None:
            return stored_id(stored)
        return stored_id(db.exec(select(Dwelling).where(
            col(Dwelling.reference) == record.reference)).one())


def _stored(db: Session, form: DwellingForm) -> Dwelling | None:
    if form.id is None:
        return None
    dwelling = db.get(Dwelling, form.id)
    if dwelling is None:
        raise CaleolError("Ce logement n'existe plus (supprimé par ailleurs ?).")
    check_version(dwelling.version, form.version, WHAT)
    return dwelling
