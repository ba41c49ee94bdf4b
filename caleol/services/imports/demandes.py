"""Import of demandes, one row per demande; key: the NUR.

Household members and resources are lists in one cell each (see
`docs/csv-columns.md`), separated by `|`:

* Membres: `rôle:date de naissance[:handicap][:visite]`, the applicant first, e.g.
  `demandeur:02/03/1985 | conjoint:10/01/1987 | enfant:01/06/2014:visite`;
* Ressources: `nature:montant mensuel[:précaire][:n° du membre]`, e.g.
  `salaire:1850,50:1 | salaire:920:précaire:2 | prestation:320`.

Here: reading and checking each row (`DemandeImporter.parse`) and the chunk's write;
the household cells are `household_cells`, comparing with and writing the stored
demandes `demande_rows`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from caleol.db.models import Commune, Demande, PriorityCriterion
from caleol.db.models.enums import DemandeStatus, MutationMotive
from caleol.db.typed import rel, stored_id
from caleol.errors import ValidationError
from caleol.rules.nur import check_nur
from caleol.rules.typology import Typology
from caleol.services.bulk import AuditedInserter
from caleol.services.imports import cells
from caleol.services.imports.cells import CellError
from caleol.services.imports.columns import DEMANDE_COLUMNS, Column
from caleol.services.imports.csvfile import CsvRow, normalize_header
from caleol.services.imports.demande_rows import (
    DemandeRecord,
    date_status_change,
    differs,
    insert_demandes,
    stored_demandes,
    update_demande,
)
from caleol.services.imports.household_cells import ROLE_WORDS, parse_members, parse_resources
from caleol.services.imports.report import ImportReport
from caleol.services.territory.resolve import TerritoryResolver

HEADERS = {c.name: c.header for c in DEMANDE_COLUMNS}
STATUSES = {
    **{s.value: s for s in DemandeStatus},
    **{normalize_header(s.label): s for s in DemandeStatus},
}
MOTIVES = {
    **{m.value: m for m in MutationMotive},
    **{normalize_header(m.label): m for m in MutationMotive},
}


def _key(text: str) -> str:
    return normalize_header(text)


@dataclass
class DemandeImporter:
    today: date = field(default_factory=date.today)
    what: str = "demandes"
    columns: tuple[Column, ...] = DEMANDE_COLUMNS
    communes: dict[str, int] = field(default_factory=dict)
    criteria: dict[str, int] = field(default_factory=dict)
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
        self.criteria = {}
        for criterion in db.exec(select(PriorityCriterion)):
            self.criteria[criterion.code.casefold()] = stored_id(criterion)

    def key(self, record: DemandeRecord) -> str:
        return record.nur

    # -- parsing ---------------------------------------------------------------------
    def parse(self, row: CsvRow, report: ImportReport) -> DemandeRecord | None:
        values: dict[str, Any] = {}
        data = row.cells
        failed = False

        def read(column: str, attribute: str, parse: Callable[[str], Any]) -> Any:
            nonlocal failed
            if column not in data:
                return None
            try:
                values[attribute] = parse(data[column])
            except CellError as exc:
                report.error(row.line, HEADERS[column], str(exc))
                failed = True
                return None
            return values[attribute]

        filing = read("date_depot", "filing_date",
                      lambda v: cells.day(v, not_after=self.today, not_before=date(1990, 1, 1)))
        raw_nur = data.get("nur", "")
        verdict = check_nur(raw_nur, filing, today=self.today)
        for problem in verdict.errors:
            report.error(row.line, HEADERS["nur"], problem)
        for problem in verdict.warnings:
            report.warning(row.line, HEADERS["nur"], problem)
        failed = failed or not verdict.valid
        read("date_renouvellement", "renewal_date",
             lambda v: cells.optional_day(v, not_after=self.today, not_before=date(1990, 1, 1)))
        if filing and values.get("renewal_date") and values["renewal_date"] < filing:
            report.error(row.line, HEADERS["date_renouvellement"],
                         "date de renouvellement antérieure à la date de dépôt")
            failed = True
        read("statut", "status", lambda v: cells.choice(_key(v or "active"), STATUSES,
                                                         "Statut").value)
        if not self._status_date(row, report, values, filing):
            failed = True
        read("civilite", "applicant_civility", cells.civility)
        read("nom", "applicant_surname", lambda v: cells.text(v, 200))
        read("prenoms", "applicant_first_names", lambda v: cells.text(v, 200))
        read("adresse", "address", lambda v: cells.text(v, 300))
        read("code_postal", "postal_code", _postal_code)
        read("ville", "city", lambda v: cells.text(v, 200))
        read("departement", "department_code", _department)
        if not values.get("department_code") and verdict.department:
            values["department_code"] = verdict.department
        read("revenu_fiscal_reference", "reference_tax_income",
             lambda v: cells.optional_integer(v, 0, 10_000_000))
        read("annee_revenu_fiscal", "reference_tax_income_year",
             lambda v: cells.optional_integer(v, 1990, self.today.year))
        read("revenus_n_1", "tax_income_n1_requested", cells.boolean)
        read("apl", "housing_aid_cents", cells.optional_money_cents)
        dalo = read("dalo", "dalo", cells.boolean)
        comed = read("date_comed", "comed_decision_date",
                     lambda v: cells.optional_day(v, not_after=self.today))
        if comed and dalo is False:
            report.warning(row.line, HEADERS["date_comed"],
                           "date de décision COMED pour une demande non DALO")
        read("syplo", "syplo_label", cells.boolean)
        read("cotation", "cotation_score", lambda v: cells.optional_integer(v, 0, 100_000))
        read("salarie_action_logement", "action_logement_employee", cells.boolean)
        tenant = read("locataire_hlm", "current_social_tenant", cells.boolean)
        motive = read("motif_mutation", "mutation_motive",
                      lambda v: cells.choice(_key(v), MOTIVES, "Motif de mutation").value
                      if v else None)
        if motive and tenant is False:
            report.warning(row.line, HEADERS["motif_mutation"],
                           "motif de mutation pour un demandeur qui n'est pas locataire HLM")
        read("typologies_souhaitees", "wished_typologies", _typologies)
        read("loyer_max", "max_rent_cents", cells.optional_money_cents)
        read("bail_glissant", "association_bail_glissant", cells.boolean)
        read("garantie", "payment_guarantee", cells.boolean)
        read("notes", "notes", lambda v: cells.text(v, 2000))
        record = DemandeRecord(nur=verdict.nur, values=values, line=row.line)
        if "membres" in data:
            record.members = self._members(row, report, filing)
            failed = failed or record.members is None
        if "ressources" in data:
            count = len(cells.split_list_pipe(data.get("membres", "")))
            record.resources = self._resources(row, report, count)
            failed = failed or record.resources is None
        if "criteres_priorite" in data:
            record.criterion_ids = self._criteria(row, report)
            failed = failed or record.criterion_ids is None
        if "communes_souhaitees" in data:
            record.wished_insee = self._communes(row, report)
            failed = failed or record.wished_insee is None
        return None if failed else record

    def _status_date(self, row: CsvRow, report: ImportReport, values: dict[str, Any],
                     filing: date | None) -> bool:
        """Read « Date statut » into `values`; False after reporting a wrong cell.

        The date is when the demande was attributed, struck off or closed (the retention
        purge counts from it), so it needs that status on the same row: a date beside an
        active demande, or with no « Statut » column, is most likely a forgotten status
        and is refused rather than guessed. An empty cell never erases a stored date
        (`_date_status_change` dates the status changes).
        """
        raw = row.cells.get("date_statut", "")
        if not raw:
            return True
        column = HEADERS["date_statut"]
        try:
            when = cells.day(raw, not_after=self.today, not_before=date(1990, 1, 1))
        except CellError as exc:
            report.error(row.line, column, str(exc))
            return False
        if "statut" not in row.cells:
            report.error(row.line, column, "date de statut sans colonne « Statut » : ajoutez "
                         "au fichier le statut (attribuée, radiée ou close) qu'elle date")
            return False
        status = values.get("status")
        if status is None:
            return False  # the « Statut » cell is wrong, already reported
        if status == DemandeStatus.ACTIVE.value:
            report.error(row.line, column, "date de statut pour une demande active : c'est la "
                         "date d'attribution, de radiation ou de clôture ; indiquez le statut "
                         "ou videz la cellule")
            return False
        if filing and when < filing:
            report.error(row.line, column, "date de statut antérieure à la date de dépôt")
            return False
        values["status_date"] = when
        return True

    def _members(self, row: CsvRow, report: ImportReport, filing: date | None
                 ) -> list[dict[str, Any]] | None:
        items = [[p.strip() for p in item.split(":")]
                 for item in cells.split_list_pipe(row.cells["membres"])]
        members, problems = parse_members(items, self.today)
        for problem in problems:
            report.error(row.line, HEADERS["membres"], problem)
        return None if problems else members

    def _resources(self, row: CsvRow, report: ImportReport, member_count: int
                   ) -> list[tuple[int | None, dict[str, Any]]] | None:
        items = [[p.strip() for p in item.split(":")]
                 for item in cells.split_list_pipe(row.cells["ressources"])]
        resources, problems = parse_resources(items, member_count)
        for problem in problems:
            report.error(row.line, HEADERS["ressources"], problem)
        return None if problems else resources

    def _criteria(self, row: CsvRow, report: ImportReport) -> list[int] | None:
        ids: list[int] = []
        for code in cells.split_list(row.cells["criteres_priorite"]):
            found = self.criteria.get(code.casefold())
            if found is None:
                report.error(row.line, HEADERS["criteres_priorite"],
                             f"critère de priorité inconnu « {code} » (codes de la table des "
                             "critères)")
                return None
            if found not in ids:
                ids.append(found)
        return ids

    def _communes(self, row: CsvRow, report: ImportReport) -> list[str] | None:
        """The wished communes' current INSEE codes: stored or in the territory reference."""
        codes: list[str] = []
        for insee in cells.split_list(row.cells["communes_souhaitees"]):
            code = insee.upper()
            if code not in self.communes:
                ref = self.territory.reference(code)
                if ref is None:
                    report.error(row.line, HEADERS["communes_souhaitees"],
                                 f"commune souhaitée inconnue « {insee} » (code INSEE absent "
                                 "du référentiel des communes)")
                    return None
                code = ref.insee
            if code not in codes:
                codes.append(code)
        return codes

    def _resolve_communes(self, records: Sequence[DemandeRecord]) -> None:
        for record in records:
            if record.wished_insee is None:
                continue
            ids: list[int] = []
            for code in record.wished_insee:
                if code not in self.resolved:
                    found = self.territory.commune_id(code)
                    assert found is not None  # parse() accepted the code
                    self.resolved[code] = found
                if self.resolved[code] not in ids:
                    ids.append(self.resolved[code])
            record.commune_ids = ids

    # -- writing ---------------------------------------------------------------------
    def write(self, db: Session, writer: AuditedInserter, records: Sequence[DemandeRecord],
              report: ImportReport) -> None:
        self._resolve_communes(records)
        stored = stored_demandes(db, [r.nur for r in records])
        for record in records:
            date_status_change(record, stored.get(record.nur), self.today)
        changed_nurs = [r.nur for r in records if r.nur in stored and differs(r, stored[r.nur])]
        existing = {
            d.nur: d for d in db.exec(
                select(Demande).where(col(Demande.nur).in_(changed_nurs))
                .options(selectinload(rel(Demande.members)),
                         selectinload(rel(Demande.resources)),
                         selectinload(rel(Demande.priorities)),
                         selectinload(rel(Demande.wished_communes)))
            )
        } if changed_nurs else {}
        new: list[DemandeRecord] = []
        for record in records:
            if record.nur not in stored:
                new.append(record)
            elif record.nur in existing and update_demande(db, existing[record.nur], record):
                report.updated += 1
            else:
                report.unchanged += 1
        db.flush()  # the ORM's audit entries first: the bulk entries chain after them
        insert_demandes(writer, new)
        report.created += len(new)


_POSTAL_CODE = re.compile(r"\d{5}")
_DEPARTMENT = re.compile(r"\d{2}|2[AB]|97\d")


def _postal_code(value: str) -> str:
    if value and not _POSTAL_CODE.fullmatch(value):
        raise CellError(f"« {value} » : code postal de 5 chiffres attendu")
    return value


def _department(value: str) -> str:
    cleaned = value.strip().upper()
    if cleaned.startswith("0") and len(cleaned) == 3:
        cleaned = cleaned[1:]
    if cleaned and not _DEPARTMENT.fullmatch(cleaned):
        raise CellError(f"« {value} » : code de département attendu (57, 54, 2A…)")
    return cleaned


@lru_cache(maxsize=1024)
def _typologies(value: str) -> str:
    """`T2 | T3` → `T2,T3`; remembered (a file repeats a few dozen spellings)."""
    found: list[str] = []
    for part in cells.split_list(value):
        try:
            typology = Typology.parse(part).value
        except ValidationError as exc:
            raise CellError(exc.message) from None
        if typology not in found:
            found.append(typology)
    return ",".join(found)


__all__ = ["HEADERS", "ROLE_WORDS", "DemandeImporter", "DemandeRecord", "insert_demandes",
           "parse_members", "parse_resources"]
