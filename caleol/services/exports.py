"""CSV exports for Excel France: decisions (re-entry in the SNE), dwellings, demandes.

Same conventions as the report exports (`caleol.services.excel_csv`): `;`, UTF-8
with BOM, decimal comma, CRLF, text cells neutralised against formula injection.
Dwellings and demandes use the import columns (`caleol.services.imports.columns`), so
an exported file re-imports as is. Rows are written as they are read (a 100
000-demande table never sits in memory twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, RowMapping, Table, and_, select
from sqlmodel import Session, col

from caleol.db.models import (
    Agency,
    AgendaItem,
    Candidacy,
    CandidacyEvent,
    Commission,
    CommissionSession,
    Commune,
    Decision,
    Demande,
    DemandePriority,
    Dwelling,
    Epci,
    HouseholdMember,
    PriorityCriterion,
    Reason,
    Reservataire,
    Resource,
    WishedCommune,
)
from caleol.db.models.enums import (
    FROZEN_SESSION_STATUSES,
    CandidacyEventKind,
    DemandeStatus,
    DwellingStatus,
)
from caleol.db.typed import table_of
from caleol.errors import CaleolError
from caleol.rules.ceilings import Zone
from caleol.rules.decisions import DecisionKind
from caleol.rules.household import Role
from caleol.services.excel_csv import ENCODING, ExcelWriter, number
from caleol.services.imports.columns import DEMANDE_COLUMNS, DWELLING_COLUMNS
from caleol.services.imports.demandes import ROLE_WORDS

Cell = str | int | Decimal | None
PAGE = 2000

DECISION_HEADER = (
    "NUR", "Date de décision", "Décision", "Rang", "Motif", "Condition", "Date limite",
    "Logement", "Identifiant RPLS", "Code INSEE", "Commune", "Typologie", "Financement",
    "Réservataire", "Commission", "Séance n°", "Date du bail", "Refus du candidat",
)


def _yes(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _euros(cents: int | None) -> str:
    return "" if cents is None else number(Decimal(cents) / 100)


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write a CSV for Excel France; returns the number of data rows."""
    try:
        with path.open("w", encoding=ENCODING, newline="") as handle:
            count = ExcelWriter(handle).writerows(header, rows)
    except OSError as exc:
        raise CaleolError(f"Impossible d'écrire {path} : {exc.strerror}") from exc
    return count


# -- dwellings -----------------------------------------------------------------------------


def _dwelling_rows(engine: Engine) -> Iterator[list[Cell]]:
    with Session(engine) as db:
        communes = {c.id: c for c in db.execute(select(Commune)).scalars()}
        epcis = {e.id: e for e in db.execute(select(Epci)).scalars()}
        agencies = {a.id: a.code for a in db.execute(select(Agency)).scalars()}
        reservataires = {r.id: r.code for r in db.execute(select(Reservataire)).scalars()}
        dwellings = table_of(Dwelling)
        result = db.execute(dwellings.select().order_by(dwellings.c.reference))
        for d in result.mappings():
            commune = communes.get(d["commune_id"])
            epci = epcis.get(commune.epci_id) if commune and commune.epci_id else None
            yield [
                d["reference"], d["rpls_id"], d["programme"], d["address"],
                commune.insee_code if commune else "", commune.name if commune else "",
                commune.postal_code if commune else "", epci.siren if epci else "",
                epci.name if epci else "", _zone_label(commune.zone) if commune else "",
                agencies.get(d["agency_id"], ""),
                _yes(d["qpv"]), d["qpv_code"], _yes(d["urban_renewal"]), d["typology"],
                number(Decimal(d["surface_dm2"]) / 100) if d["surface_dm2"] is not None else "",
                d["floor"], _yes(d["lift"]), _yes(d["pmr"]), d["financing"],
                _euros(d["rent_cents"]), _euros(d["charges_cents"]), _euros(d["energy_cents"]),
                _euros(d["annex_rent_cents"]), _day(d["availability_date"]),
                reservataires.get(d["reservataire_id"], ""), _yes(d["first_letting"]),
                d["construction_year"], _status_label(DwellingStatus, d["status"]),
            ]


def _zone_label(value: str) -> str:
    label = _status_label(Zone, value)
    return label[:1].upper() + label[1:]


def _status_label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def export_dwellings(engine: Engine, path: Path) -> int:
    """Every dwelling, in the import columns; returns the number of rows."""
    return write_rows(path, [c.header for c in DWELLING_COLUMNS], _dwelling_rows(engine))


# -- demandes ------------------------------------------------------------------------------


def members_cell(members: Iterable[Any]) -> str:
    parts = []
    for member in members:
        role = ROLE_WORDS.get(Role(member["role"]), member["role"])
        text = f"{role}:{_day(member['birth_date'])}"
        if member["disabled"]:
            text += ":handicap"
        if member["visiting_rights"]:
            text += ":visite"
        parts.append(text)
    return " | ".join(parts)


def resources_cell(resources: Iterable[Any], positions: dict[int, int]) -> str:
    parts = []
    for resource in resources:
        text = f"{resource['kind']}:{_euros(resource['monthly_cents'])}"
        if not resource["stable"]:
            text += ":précaire"
        if resource["member_id"] in positions:
            text += f":{positions[resource['member_id']] + 1}"
        parts.append(text)
    return " | ".join(parts)


def _children(connection: Connection, table: Table, ids: list[int], order: Column[Any]
              ) -> dict[int, list[RowMapping]]:
    found: dict[int, list[RowMapping]] = {}
    rows = connection.execute(
        table.select().where(table.c.demande_id.in_(ids)).order_by(table.c.demande_id, order)
    ).mappings()
    for row in rows:
        found.setdefault(row["demande_id"], []).append(row)
    return found


def _status_day(demande: Any) -> str:
    """The status date of an ended demande; none for an active one (the import refuses it)."""
    if demande["status"] == DemandeStatus.ACTIVE.value:
        return ""
    return _day(demande["status_date"])


def _demande_rows(engine: Engine) -> Iterator[list[Cell]]:
    demande = table_of(Demande)
    members_t = table_of(HouseholdMember)
    resources_t = table_of(Resource)
    priorities_t = table_of(DemandePriority)
    wishes_t = table_of(WishedCommune)
    with engine.connect() as connection:
        insee = dict(connection.execute(
            select(col(Commune.id), col(Commune.insee_code))).all())
        criteria = dict(connection.execute(
            select(col(PriorityCriterion.id), col(PriorityCriterion.code))).all())
        last_id = 0
        while True:
            page = connection.execute(
                demande.select().where(demande.c.id > last_id).order_by(demande.c.id).limit(PAGE)
            ).mappings().all()
            if not page:
                return
            ids = [d["id"] for d in page]
            members = _children(connection, members_t, ids, members_t.c.position)
            resources = _children(connection, resources_t, ids, resources_t.c.id)
            priorities = _children(connection, priorities_t, ids, priorities_t.c.id)
            wishes = _children(connection, wishes_t, ids, wishes_t.c.position)
            for d in page:
                own = members.get(d["id"], [])
                positions = {m["id"]: m["position"] for m in own}
                typologies = [t for t in d["wished_typologies"].split(",") if t.strip()]
                yield [
                    d["nur"], _day(d["filing_date"]), _day(d["renewal_date"]),
                    _status_label(DemandeStatus, d["status"]), _status_day(d),
                    d["applicant_civility"], d["applicant_surname"],
                    d["applicant_first_names"], d["address"], d["postal_code"], d["city"],
                    d["department_code"], members_cell(own),
                    resources_cell(resources.get(d["id"], []), positions),
                    d["reference_tax_income"], d["reference_tax_income_year"],
                    _yes(d["tax_income_n1_requested"]),
                    _euros(d["housing_aid_cents"]), _yes(d["dalo"]),
                    _day(d["comed_decision_date"]), _yes(d["syplo_label"]), d["cotation_score"],
                    _yes(d["action_logement_employee"]), _yes(d["current_social_tenant"]),
                    d["mutation_motive"] or "",
                    " | ".join(criteria[p["criterion_id"]] for p in priorities.get(d["id"], [])),
                    " | ".join(insee[w["commune_id"]] for w in wishes.get(d["id"], [])),
                    " | ".join(typologies), _euros(d["max_rent_cents"]),
                    _yes(d["association_bail_glissant"]), _yes(d["payment_guarantee"]),
                    d["notes"],
                ]
            last_id = ids[-1]


def export_demandes(engine: Engine, path: Path) -> int:
    """Every demande, in the import columns (one row per demande)."""
    return write_rows(path, [c.header for c in DEMANDE_COLUMNS], _demande_rows(engine))


# -- decisions -----------------------------------------------------------------------------


def _decision_rows(engine: Engine, start: date, end: date) -> Iterator[list[Cell]]:
    session_t = table_of(CommissionSession)
    query = (
        select(Decision, Candidacy, AgendaItem, CommissionSession, Dwelling, Demande)
        .join(Candidacy, col(Decision.candidacy_id) == Candidacy.id)
        .join(AgendaItem, col(Candidacy.agenda_item_id) == AgendaItem.id)
        .join(CommissionSession, col(AgendaItem.session_id) == CommissionSession.id)
        .join(Dwelling, col(AgendaItem.dwelling_id) == Dwelling.id)
        .join(Demande, col(Candidacy.demande_id) == Demande.id)
        .where(and_(session_t.c.date >= start, session_t.c.date <= end,
                    session_t.c.status.in_(FROZEN_SESSION_STATUSES)))
        .order_by(session_t.c.date, col(CommissionSession.id), col(AgendaItem.position),
                  col(Candidacy.proposed_rank))
    )
    with Session(engine) as db:
        communes = {c.id: c for c in db.execute(select(Commune)).scalars()}
        reasons = {r.id: r.label for r in db.execute(select(Reason)).scalars()}
        reservataires = {r.id: r.name for r in db.execute(select(Reservataire)).scalars()}
        commissions = {c.id: c.name for c in db.execute(select(Commission)).scalars()}
        events: dict[int, dict[str, date]] = {}
        for event in db.execute(select(CandidacyEvent)).scalars():
            events.setdefault(event.candidacy_id, {}).setdefault(event.kind, event.date)
        for decision, candidacy, item, seance, dwelling, demande in db.execute(query):
            commune = communes.get(dwelling.commune_id)
            reason = " ; ".join(
                t for t in (reasons.get(decision.reason_id, ""), decision.reason_text) if t
            )
            happened = events.get(candidacy.id, {})
            yield [
                demande.nur, _day(seance.date), DecisionKind(decision.kind).label,
                decision.rank, reason, decision.condition, _day(decision.deadline),
                dwelling.reference, dwelling.rpls_id, commune.insee_code if commune else "",
                commune.name if commune else "", dwelling.typology, dwelling.financing,
                reservataires.get(item.reservataire_id or 0, ""),
                commissions.get(seance.commission_id, ""), seance.id,
                _day(happened.get(CandidacyEventKind.LEASE_SIGNED.value)),
                _day(happened.get(CandidacyEventKind.REFUSAL.value)),
            ]


def export_decisions(engine: Engine, path: Path, start: date, end: date) -> int:
    """Decisions of the closed or signed séances held from `start` to `end` (inclusive)."""
    if end < start:
        raise CaleolError("La fin de la période précède son début.")
    return write_rows(path, DECISION_HEADER, _decision_rows(engine, start, end))


TABLES = {"dwellings": export_dwellings, "demandes": export_demandes}
