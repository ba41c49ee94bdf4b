"""Import of demandes, one row per demande; key: the NUR.

Household members and resources are lists in one cell each (see
`docs/csv-columns.md`), separated by `|`:

* Membres: `rôle:date de naissance[:handicap][:visite]`, the applicant first, e.g.
  `demandeur:02/03/1985 | conjoint:10/01/1987 | enfant:01/06/2014:visite`;
* Ressources: `nature:montant mensuel[:précaire][:n° du membre]`, e.g.
  `salaire:1850,50:1 | salaire:920:précaire:2 | prestation:320`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from caleol.db.models import (
    Commune,
    Demande,
    DemandePriority,
    HouseholdMember,
    PriorityCriterion,
    Resource,
    WishedCommune,
)
from caleol.db.models.demande import name_sort_key
from caleol.db.models.enums import DemandeStatus, MutationMotive, ResourceKind
from caleol.db.typed import rel, stored_id, table_of
from caleol.errors import ValidationError
from caleol.rules.household import Household, Member, Role, age_on
from caleol.rules.nur import check_nur
from caleol.rules.typology import Typology
from caleol.services.bulk import AuditedInserter
from caleol.services.imports import cells
from caleol.services.imports.cells import CellError
from caleol.services.imports.columns import DEMANDE_COLUMNS, Column
from caleol.services.imports.csvfile import CsvRow, normalize_header
from caleol.services.imports.report import ImportReport
from caleol.services.territory.resolve import TerritoryResolver

MAX_MEMBERS = 20
HEADERS = {c.name: c.header for c in DEMANDE_COLUMNS}
ROLES = {
    "demandeur": Role.APPLICANT, "demandeuse": Role.APPLICANT, "applicant": Role.APPLICANT,
    "conjoint": Role.PARTNER, "conjointe": Role.PARTNER, "partner": Role.PARTNER,
    "enfant": Role.CHILD, "child": Role.CHILD,
    "autre": Role.OTHER_ADULT, "autre_adulte": Role.OTHER_ADULT,
    "other_adult": Role.OTHER_ADULT,
}
ROLE_WORDS = {Role.APPLICANT: "demandeur", Role.PARTNER: "conjoint", Role.CHILD: "enfant",
              Role.OTHER_ADULT: "autre_adulte"}
KINDS = {
    **{k.value: k for k in ResourceKind},
    **{normalize_header(k.label): k for k in ResourceKind},
    "retraite": ResourceKind.PENSION, "pension_de_retraite": ResourceKind.PENSION,
    "pension_d_invalidite": ResourceKind.PENSION, "alimentaire": ResourceKind.PENSION_ALIMENTAIRE,
    "prestations": ResourceKind.PRESTATION, "prestation_sociale": ResourceKind.PRESTATION,
}
STATUSES = {
    **{s.value: s for s in DemandeStatus},
    **{normalize_header(s.label): s for s in DemandeStatus},
}
MOTIVES = {
    **{m.value: m for m in MutationMotive},
    **{normalize_header(m.label): m for m in MutationMotive},
}
PRECARIOUS = {"precaire", "precaires", "instable", "non_stable"}
STABLE = {"stable", "stables"}
FLAG_DISABLED = {"handicap", "handicape", "handicapee", "h"}
FLAG_VISITING = {"visite", "droit_de_visite", "garde", "dvh", "v"}


@dataclass
class DemandeRecord:
    nur: str
    values: dict[str, Any]  # Demande attribute -> value (columns present in the file)
    members: list[dict[str, Any]] | None = None
    resources: list[tuple[int | None, dict[str, Any]]] | None = None
    criterion_ids: list[int] | None = None
    commune_ids: list[int] | None = None  # resolved by write() from `wished_insee`
    wished_insee: list[str] | None = None  # current INSEE codes, in order
    line: int = 0
    # The demande editor's records also carry the members' names and the resources'
    # labels (a CSV file has neither): they then count when comparing with the stored
    # demande, instead of being ignored.
    names: bool = False


def _member_key(member: dict[str, Any], names: bool) -> tuple[Any, ...]:
    key = (member["role"], member["birth_date"], member["disabled"], member["visiting_rights"])
    return (*key, member.get("surname", ""), member.get("first_names", "")) if names else key


def _resource_key(resource: dict[str, Any], member: int | None,
                  names: bool) -> tuple[Any, ...]:
    key = (resource["kind"], resource["monthly_cents"], resource["stable"], member)
    return (*key, resource.get("label", "")) if names else key


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
        stored = _stored(db, [r.nur for r in records])
        for record in records:
            _date_status_change(record, stored.get(record.nur), self.today)
        changed_nurs = [r.nur for r in records if r.nur in stored and _differs(r, stored[r.nur])]
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
            elif record.nur in existing and _update(db, existing[record.nur], record):
                report.updated += 1
            else:
                report.unchanged += 1
        db.flush()  # the ORM's audit entries first: the bulk entries chain after them
        insert_demandes(writer, new)
        report.created += len(new)


@dataclass
class _Stored:
    """A stored demande as plain rows (no ORM objects: comparing must stay cheap)."""

    row: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    member_positions: dict[int, int] = field(default_factory=dict)
    resources: list[tuple[int | None, dict[str, Any]]] = field(default_factory=list)
    criteria: list[int] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)


def _stored(db: Session, nurs: list[str]) -> dict[str, _Stored]:
    connection = db.connection()
    demande = table_of(Demande)
    found: dict[str, _Stored] = {}
    by_id: dict[int, _Stored] = {}
    for row in connection.execute(demande.select().where(demande.c.nur.in_(nurs))).mappings():
        item = _Stored(dict(row))
        found[row["nur"]] = item
        by_id[row["id"]] = item
    if not by_id:
        return found
    ids = list(by_id)
    members = table_of(HouseholdMember)
    for row in connection.execute(members.select().where(members.c.demande_id.in_(ids))
                                  .order_by(members.c.demande_id, members.c.position)).mappings():
        item = by_id[row["demande_id"]]
        item.member_positions[row["id"]] = row["position"]
        item.members.append(dict(row))
    resources = table_of(Resource)
    for row in connection.execute(resources.select().where(resources.c.demande_id.in_(ids))
                                  ).mappings():
        item = by_id[row["demande_id"]]
        item.resources.append((item.member_positions.get(row["member_id"]), dict(row)))
    priorities = table_of(DemandePriority)
    for row in connection.execute(priorities.select().where(priorities.c.demande_id.in_(ids))
                                  ).mappings():
        by_id[row["demande_id"]].criteria.append(row["criterion_id"])
    wishes = table_of(WishedCommune)
    for row in connection.execute(wishes.select().where(wishes.c.demande_id.in_(ids))
                                  .order_by(wishes.c.demande_id, wishes.c.position)).mappings():
        by_id[row["demande_id"]].communes.append(row["commune_id"])
    return found


def _date_status_change(record: DemandeRecord, stored: _Stored | None, today: date) -> None:
    """Date a status this record changes: the file's date, else `today` (the import day).

    Back to active, the date goes (it dated the end of the demande). A new demande keeps
    the file's date or none: caleol cannot know when it ended, and the purge preview
    lists it apart so the secretary completes it.
    """
    status = record.values.get("status")
    if status is None or stored is None or stored.row["status"] == status:
        return
    if status == DemandeStatus.ACTIVE.value:
        record.values["status_date"] = None
    else:
        record.values.setdefault("status_date", today)


def _differs(record: DemandeRecord, stored: _Stored) -> bool:
    if any(stored.row[name] != value for name, value in record.values.items()):
        return True
    names = record.names
    if record.members is not None:
        wanted = [_member_key(m, names) for m in record.members]
        if wanted != [_member_key(m, names) for m in stored.members]:
            return True
    if record.resources is not None:
        wanted_resources = sorted((_resource_key(r, pos, names) for pos, r in record.resources),
                                  key=repr)
        if wanted_resources != sorted((_resource_key(r, pos, names)
                                       for pos, r in stored.resources), key=repr):
            return True
    if record.criterion_ids is not None and sorted(record.criterion_ids) != sorted(
        stored.criteria
    ):
        return True
    return record.commune_ids is not None and record.commune_ids != stored.communes


def _update(db: Session, demande: Demande, record: DemandeRecord) -> bool:
    """Apply the record to a stored demande; False when nothing differs."""
    changed = False
    for name, value in record.values.items():
        if getattr(demande, name) != value:
            setattr(demande, name, value)
            changed = True
    if record.members is not None:
        names = record.names
        stored = [_member_key(m.model_dump(), names) for m in demande.members]
        wanted = [_member_key(m, names) for m in record.members]
        positions = {m.id: m.position for m in demande.members}
        stored_resources = sorted(
            (_resource_key(r.model_dump(), positions.get(r.member_id), names)
             for r in demande.resources), key=repr
        )
        wanted_resources = sorted(
            (_resource_key(r, pos, names)
             for pos, r in (record.resources if record.resources is not None else [])), key=repr
        )
        members_differ = stored != wanted
        resources_differ = record.resources is not None and stored_resources != wanted_resources
        if members_differ or resources_differ:
            for resource in list(demande.resources):
                db.delete(resource)
            if members_differ:
                for member in list(demande.members):
                    db.delete(member)
                db.flush()
                new_members = [HouseholdMember(demande_id=demande.id, **m) for m in record.members]
                db.add_all(new_members)
            else:
                new_members = list(demande.members)
            db.flush()
            kept = record.resources if record.resources is not None else []
            db.add_all(Resource(demande_id=demande.id,
                                member_id=None if pos is None else new_members[pos].id, **r)
                       for pos, r in kept)
            changed = True
    if record.criterion_ids is not None:
        stored_ids = sorted(p.criterion_id for p in demande.priorities)
        if stored_ids != sorted(record.criterion_ids):
            for priority in list(demande.priorities):
                db.delete(priority)
            db.flush()
            db.add_all(DemandePriority(demande_id=demande.id, criterion_id=c)
                       for c in record.criterion_ids)
            changed = True
    if record.commune_ids is not None:
        stored_ids = [w.commune_id for w in demande.wished_communes]
        if stored_ids != record.commune_ids:
            for wish in list(demande.wished_communes):
                db.delete(wish)
            db.flush()
            db.add_all(WishedCommune(demande_id=demande.id, commune_id=c, position=i)
                       for i, c in enumerate(record.commune_ids))
            changed = True
    if changed:
        db.flush()  # expiring first would drop the unflushed changes of the demande row
        db.expire(demande)  # its collections were changed behind the relationships
    return changed


def insert_demandes(writer: AuditedInserter, records: Sequence[DemandeRecord]) -> list[int]:
    """Insert new demandes and their household, resources, priorities and wishes."""
    ids = writer.insert(table_of(Demande), [
        {"nur": r.nur, **r.values,
         "name_sort_key": name_sort_key(r.values.get("applicant_surname", ""),
                                        r.values.get("applicant_first_names", ""))}
        for r in records
    ])
    member_ids = writer.insert(table_of(HouseholdMember), [
        {**member, "demande_id": demande_id}
        for record, demande_id in zip(records, ids, strict=True)
        for member in record.members or []
    ])
    position = 0
    resources: list[dict[str, Any]] = []
    for record, demande_id in zip(records, ids, strict=True):
        own = member_ids[position: position + len(record.members or [])]
        position += len(own)
        resources += [
            {**resource, "demande_id": demande_id,
             "member_id": None if member is None else own[member]}
            for member, resource in record.resources or []
        ]
    writer.insert(table_of(Resource), resources)
    writer.insert(table_of(DemandePriority), [
        {"demande_id": demande_id, "criterion_id": criterion_id}
        for record, demande_id in zip(records, ids, strict=True)
        for criterion_id in record.criterion_ids or []
    ])
    writer.insert(table_of(WishedCommune), [
        {"demande_id": demande_id, "commune_id": commune_id, "position": index}
        for record, demande_id in zip(records, ids, strict=True)
        for index, commune_id in enumerate(record.commune_ids or [])
    ])
    return ids


def parse_members(items: Sequence[Sequence[str]], today: date
                  ) -> tuple[list[dict[str, Any]], list[str]]:
    """The household from `[rôle, date de naissance, *options]` items, applicant first.

    Shared by the CSV import (one `|`-separated cell) and the demande editor (one
    table row per member), so both accept and refuse exactly the same households.

    Returns:
        The member values (`position`, `role`, `birth_date`, `disabled`,
        `visiting_rights`) and every problem found, in French (empty when valid).
    """
    if not items:
        return [], ["au moins un membre : le demandeur"]
    if len(items) > MAX_MEMBERS:
        return [], [f"ménage de {len(items)} personnes : au plus {MAX_MEMBERS} (vérifiez "
                    "la cellule)"]
    members: list[dict[str, Any]] = []
    rule_members: list[Member] = []
    problems: list[str] = []
    for number, parts in enumerate(items, start=1):
        role = ROLES.get(_key(parts[0])) if parts else None
        if role is None:
            problems.append(f"membre {number} : rôle inconnu « {parts[0] if parts else ''} » "
                            "(demandeur, conjoint, enfant ou autre adulte)")
            continue
        if len(parts) < 2 or not parts[1]:
            problems.append(f"membre {number} ({parts[0]}) : date de naissance manquante")
            continue
        try:
            birth = cells.day(parts[1], not_after=today)
        except CellError as exc:
            problems.append(f"membre {number} ({parts[0]}) : {exc}")
            continue
        flags = {_key(p) for p in parts[2:] if p}
        unknown = flags - FLAG_DISABLED - FLAG_VISITING
        if unknown:
            listed = ", ".join(sorted(unknown))
            problems.append(f"membre {number} : option inconnue « {listed} » (handicap ou "
                            "visite)")
            continue
        disabled = bool(flags & FLAG_DISABLED)
        visiting = bool(flags & FLAG_VISITING)
        members.append({"position": number - 1, "role": role.value, "birth_date": birth,
                        "disabled": disabled, "visiting_rights": visiting})
        rule_members.append(Member(role, age_on(birth, today), disabled, visiting))
    if not problems:
        if members and members[0]["role"] != Role.APPLICANT.value:
            problems.append("le demandeur doit être le premier membre")
        try:
            Household(tuple(rule_members))
        except ValidationError as exc:
            problems += [d.replace(" (rôle « applicant »)", "").rstrip(".")
                         for d in exc.details] or [exc.message]
    return ([] if problems else members), problems


def parse_resources(items: Sequence[Sequence[str]], member_count: int
                    ) -> tuple[list[tuple[int | None, dict[str, Any]]], list[str]]:
    """Resources from `[nature, montant mensuel, *options]` items (options: précaire,
    stable, n° du membre from 1).

    Returns:
        `(member index or None, values)` per resource and every problem, in French.
    """
    resources: list[tuple[int | None, dict[str, Any]]] = []
    problems: list[str] = []
    for number, parts in enumerate(items, start=1):
        kind = KINDS.get(_key(parts[0])) if parts else None
        if kind is None:
            problems.append(f"ressource {number} : nature inconnue « {parts[0] if parts else ''} "
                            "» (salaire, pension, prestation, pension alimentaire, autre)")
            continue
        if len(parts) < 2:
            problems.append(f"ressource {number} ({parts[0]}) : montant mensuel manquant")
            continue
        try:
            amount = cells.money_cents(parts[1])
        except CellError as exc:
            problems.append(f"ressource {number} ({parts[0]}) : {exc}")
            continue
        stable = True
        member: int | None = None
        for option in parts[2:]:
            word = _key(option)
            if word in PRECARIOUS:
                stable = False
            elif word in STABLE:
                stable = True
            elif word.isdigit() and 1 <= int(word) <= member_count:
                member = int(word) - 1
            else:
                problems.append(f"ressource {number} : « {option} » n'est ni « précaire » "
                                f"ni un numéro de membre (1 à {member_count})")
        resources.append((member, {"kind": kind.value, "monthly_cents": amount,
                                   "stable": stable, "label": ""}))
    return ([] if problems else resources), problems


def _postal_code(value: str) -> str:
    if value and not re.fullmatch(r"\d{5}", value):
        raise CellError(f"« {value} » : code postal de 5 chiffres attendu")
    return value


def _department(value: str) -> str:
    cleaned = value.strip().upper()
    if cleaned.startswith("0") and len(cleaned) == 3:
        cleaned = cleaned[1:]
    if cleaned and not re.fullmatch(r"\d{2}|2[AB]|97\d", cleaned):
        raise CellError(f"« {value} » : code de département attendu (57, 54, 2A…)")
    return cleaned


def _typologies(value: str) -> str:
    found: list[str] = []
    for part in cells.split_list(value):
        try:
            typology = Typology.parse(part).value
        except ValidationError as exc:
            raise CellError(exc.message) from None
        if typology not in found:
            found.append(typology)
    return ",".join(found)


__all__ = ["ROLE_WORDS", "DemandeImporter", "DemandeRecord", "insert_demandes", "parse_members",
           "parse_resources"]
