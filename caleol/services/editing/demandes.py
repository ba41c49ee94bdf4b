"""Create and update one demande (applicant, household, resources, wishes, priorities).

Validation is the demande import's: `DemandeImporter.parse` for the demande's own
fields and lists, `parse_members` / `parse_resources` for the household and its
resources (one table row per member or resource instead of one `|`-separated cell).
Writing is the import's too (`DemandeImporter.write`): a new demande goes through the
audited bulk insert, a change through the ORM (audited by `caleol.db.audit`). The NUR
is the import key: fixed once the demande exists.

A change of the household or resources alone does not touch the demande's row; the
version is then bumped explicitly, so two editors of the same household still see
each other's saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Demande, DemandePriority, PriorityCriterion, WishedCommune
from caleol.db.models.enums import DemandeStatus, MutationMotive, ResourceKind
from caleol.db.typed import rel, stored_id
from caleol.errors import CaleolError
from caleol.fr import paris_today
from caleol.rules.household import Role
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
from caleol.services.imports import cells as cell
from caleol.services.imports.cells import CellError
from caleol.services.imports.demandes import (
    HEADERS,
    ROLE_WORDS,
    DemandeImporter,
    parse_members,
    parse_resources,
)
from caleol.services.imports.report import ImportReport

WHAT = "La demande"
NAME_LENGTH = 200
LABEL_LENGTH = 200

# CSV column → form field (the importer reports problems by column).
COLUMN_FIELDS: dict[str, str] = {
    "nur": "nur", "date_depot": "filing_date", "date_renouvellement": "renewal_date",
    "statut": "status", "civilite": "applicant_civility", "nom": "applicant_surname",
    "prenoms": "applicant_first_names",
    "adresse": "address", "code_postal": "postal_code", "ville": "city",
    "departement": "department_code", "revenu_fiscal_reference": "reference_tax_income",
    "annee_revenu_fiscal": "reference_tax_income_year", "apl": "housing_aid",
    "revenus_n_1": "tax_income_n1_requested", "dalo": "dalo",
    "date_comed": "comed_decision_date", "syplo": "syplo_label",
    "cotation": "cotation_score", "salarie_action_logement": "action_logement_employee",
    "locataire_hlm": "current_social_tenant", "motif_mutation": "mutation_motive",
    "criteres_priorite": "criteria", "communes_souhaitees": "wished_communes",
    "typologies_souhaitees": "wished_typologies", "loyer_max": "max_rent",
    "bail_glissant": "association_bail_glissant", "garantie": "payment_guarantee",
    "notes": "notes", "membres": "members", "ressources": "resources",
}


@dataclass
class MemberForm:
    """One row of the household table; `role` is a `rules.household.Role` value."""

    role: str = Role.CHILD.value
    surname: str = ""
    first_names: str = ""
    birth_date: str = ""  # JJ/MM/AAAA
    disabled: bool = False
    visiting_rights: bool = False


@dataclass
class ResourceForm:
    """One row of the resources table; `member` indexes `DemandeForm.members` (None:
    the household as a whole)."""

    kind: str = ResourceKind.SALAIRE.value
    amount: str = ""  # euros per month, `1 234,56`
    stable: bool = True
    member: int | None = None
    label: str = ""


@dataclass
class DemandeForm:
    """A demande as its editor shows it: text as typed, codes for the lists.

    `id` and `version` are None for a new demande; `version` is the one read, so a
    save over someone else's change is refused.
    """

    id: int | None = None
    version: int | None = None
    nur: str = ""
    filing_date: str = ""
    renewal_date: str = ""
    status: str = DemandeStatus.ACTIVE.value
    applicant_civility: str = ""  # « Mme », « M. », "" (not stated)
    applicant_surname: str = ""
    applicant_first_names: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    department_code: str = ""
    reference_tax_income: str = ""  # whole euros
    reference_tax_income_year: str = ""
    tax_income_n1_requested: bool = False  # the household asks for its incomes of n-1
    housing_aid: str = ""  # euros per month
    dalo: bool = False
    comed_decision_date: str = ""
    syplo_label: bool = False
    cotation_score: str = ""
    action_logement_employee: bool = False
    current_social_tenant: bool = False
    mutation_motive: str = ""
    wished_typologies: list[str] = field(default_factory=list)
    wished_communes: list[str] = field(default_factory=list)  # INSEE codes, in order
    max_rent: str = ""
    association_bail_glissant: bool = False
    payment_guarantee: bool = False
    notes: str = ""
    criteria: list[str] = field(default_factory=list)  # priority criterion codes
    members: list[MemberForm] = field(default_factory=list)
    resources: list[ResourceForm] = field(default_factory=list)


@dataclass(frozen=True)
class DemandeChoices:
    communes: tuple[Choice, ...]  # INSEE code → « Metz (57000) »
    criteria: tuple[Choice, ...]  # active criteria (code → label)
    typologies: tuple[Choice, ...]
    statuses: tuple[Choice, ...]
    motives: tuple[Choice, ...]  # with "" = none first
    roles: tuple[Choice, ...]
    kinds: tuple[Choice, ...]
    # « non précisée » first: a civility is never guessed from a first name
    civilities: tuple[Choice, ...] = (Choice("", "non précisée"), Choice("Mme", "Madame"),
                                      Choice("M.", "Monsieur"))


def demande_choices(engine: Engine) -> DemandeChoices:
    with session_scope(engine) as db:
        communes = commune_choices(db)
        criteria = tuple(
            Choice(c.code, c.label) for c in db.exec(
                select(PriorityCriterion).where(col(PriorityCriterion.active))
                .order_by(col(PriorityCriterion.label)))
        )
    return DemandeChoices(
        communes=communes, criteria=criteria,
        typologies=tuple(Choice(t.value, t.value) for t in Typology),
        statuses=tuple(Choice(s.value, s.label) for s in DemandeStatus),
        motives=(Choice("", "(aucun)"), *(Choice(m.value, m.label) for m in MutationMotive)),
        roles=tuple(Choice(r.value, r.label) for r in Role),
        kinds=tuple(Choice(k.value, k.label) for k in ResourceKind),
    )


def new_demande_form(today: date | None = None) -> DemandeForm:
    """An empty demande filed today, its household reduced to the applicant."""
    return DemandeForm(filing_date=date_text(today or paris_today()),
                       members=[MemberForm(role=Role.APPLICANT.value)])


def load_demande(engine: Engine, demande_id: int) -> DemandeForm:
    """The stored demande as a form, with the version read.

    Raises:
        CaleolError: the demande no longer exists.
    """
    with session_scope(engine) as db:
        demande = db.exec(select(Demande).where(Demande.id == demande_id).options(
            selectinload(rel(Demande.members)), selectinload(rel(Demande.resources)),
            selectinload(rel(Demande.priorities)).selectinload(rel(DemandePriority.criterion)),
            selectinload(rel(Demande.wished_communes)).selectinload(rel(WishedCommune.commune)),
        )).first()
        if demande is None:
            raise CaleolError("Cette demande n'existe plus (supprimée par ailleurs ?).")
        index = {m.id: i for i, m in enumerate(demande.members)}
        return DemandeForm(
            id=demande.id, version=demande.version, nur=demande.nur,
            filing_date=date_text(demande.filing_date),
            renewal_date=date_text(demande.renewal_date), status=demande.status,
            applicant_civility=demande.applicant_civility,
            applicant_surname=demande.applicant_surname,
            applicant_first_names=demande.applicant_first_names, address=demande.address,
            postal_code=demande.postal_code, city=demande.city,
            department_code=demande.department_code,
            reference_tax_income=_number(demande.reference_tax_income),
            reference_tax_income_year=_number(demande.reference_tax_income_year),
            tax_income_n1_requested=demande.tax_income_n1_requested,
            housing_aid=money_text(demande.housing_aid_cents), dalo=demande.dalo,
            comed_decision_date=date_text(demande.comed_decision_date),
            syplo_label=demande.syplo_label, cotation_score=_number(demande.cotation_score),
            action_logement_employee=demande.action_logement_employee,
            current_social_tenant=demande.current_social_tenant,
            mutation_motive=demande.mutation_motive or "",
            wished_typologies=demande.wished_typology_list,
            wished_communes=[w.commune.insee_code for w in demande.wished_communes],
            max_rent=money_text(demande.max_rent_cents),
            association_bail_glissant=demande.association_bail_glissant,
            payment_guarantee=demande.payment_guarantee, notes=demande.notes,
            criteria=sorted(p.criterion.code for p in demande.priorities),
            members=[MemberForm(m.role, m.surname, m.first_names, date_text(m.birth_date),
                                m.disabled, m.visiting_rights) for m in demande.members],
            resources=[ResourceForm(r.kind, money_text(r.monthly_cents), r.stable,
                                    index.get(r.member_id), r.label)
                       for r in sorted(demande.resources, key=lambda r: r.id or 0)],
        )


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _cells(form: DemandeForm) -> dict[str, str]:
    return {
        "nur": form.nur, "date_depot": form.filing_date,
        "date_renouvellement": form.renewal_date, "statut": form.status,
        "civilite": form.applicant_civility,
        "nom": form.applicant_surname, "prenoms": form.applicant_first_names,
        "adresse": form.address, "code_postal": form.postal_code, "ville": form.city,
        "departement": form.department_code,
        "revenu_fiscal_reference": form.reference_tax_income,
        "annee_revenu_fiscal": form.reference_tax_income_year, "apl": form.housing_aid,
        "revenus_n_1": yes_no(form.tax_income_n1_requested),
        "dalo": yes_no(form.dalo), "date_comed": form.comed_decision_date,
        "syplo": yes_no(form.syplo_label), "cotation": form.cotation_score,
        "salarie_action_logement": yes_no(form.action_logement_employee),
        "locataire_hlm": yes_no(form.current_social_tenant),
        "motif_mutation": form.mutation_motive,
        "criteres_priorite": " | ".join(form.criteria),
        "communes_souhaitees": " | ".join(form.wished_communes),
        "typologies_souhaitees": " | ".join(form.wished_typologies),
        "loyer_max": form.max_rent,
        "bail_glissant": yes_no(form.association_bail_glissant),
        "garantie": yes_no(form.payment_guarantee), "notes": form.notes,
    }


def _household(form: DemandeForm, today: date, problems: Problems
               ) -> tuple[list[dict[str, Any]], list[tuple[int | None, dict[str, Any]]]]:
    """Members and resources checked by the importer's own rules, with names and labels."""
    member_items = [
        [_role_word(m.role), m.birth_date.strip(),
         *(["handicap"] if m.disabled else []), *(["visite"] if m.visiting_rights else [])]
        for m in form.members
    ]
    members, member_problems = parse_members(member_items, today)
    for problem in member_problems:
        problems.add("members", problem)
    for number, member in enumerate(form.members, start=1):
        for text in (member.surname, member.first_names):
            try:
                cell.text(text.strip(), NAME_LENGTH)
            except CellError as exc:
                problems.add("members", f"membre {number} : {exc}")
        problems.check_nir("members", member.surname, member.first_names, member.birth_date)
    for values, member in zip(members, form.members, strict=False):
        values["surname"] = member.surname.strip()
        values["first_names"] = member.first_names.strip()
    resource_items = [
        [r.kind, r.amount.strip(), *([] if r.stable else ["précaire"]),
         *([] if r.member is None else [str(r.member + 1)])]
        for r in form.resources
    ]
    resources, resource_problems = parse_resources(resource_items, len(form.members))
    for problem in resource_problems:
        problems.add("resources", problem)
    for number, resource in enumerate(form.resources, start=1):
        try:
            cell.text(resource.label.strip(), LABEL_LENGTH)
        except CellError as exc:
            problems.add("resources", f"ressource {number} : {exc}")
        problems.check_nir("resources", resource.label, resource.amount)
    for (_member, values), resource in zip(resources, form.resources, strict=False):
        values["label"] = resource.label.strip()
    return members, resources


def _role_word(value: str) -> str:
    """The import's word for a role; an unknown role as it is (the importer refuses it)."""
    try:
        return ROLE_WORDS[Role(value)]
    except (ValueError, KeyError):
        return value


def save_demande(engine: Engine, form: DemandeForm, *, today: date | None = None) -> int:
    """Create (`form.id` None) or update a demande in one transaction; its id.

    Raises:
        FormError: every bad field at once (French messages keyed by `DemandeForm`
            field names: `members` and `resources` for the tables); nothing written.
        ConcurrentModificationError: the demande changed since `load_demande`.
        CaleolError: the demande no longer exists.
    """
    today = today or paris_today()
    with session_scope(engine) as db:
        stored = _stored(db, form)
        problems = Problems()
        for item in fields(form):
            value = getattr(form, item.name)
            if isinstance(value, str):
                problems.check_nir(item.name, value)
        importer = DemandeImporter(today=today)
        importer.prepare(db)
        report = ImportReport("demandes", "")
        cells = _cells(form)
        if stored is not None:
            cells["nur"] = stored.nur  # the import key never changes
        record = importer.parse(csv_row(cells), report)
        problems.add_report(report, COLUMN_FIELDS, HEADERS)
        members, resources = _household(form, today, problems)
        if stored is None and not problems.fields.get("nur") and record is not None:
            taken = db.exec(select(Demande.id).where(Demande.nur == record.nur)).first()
            if taken is not None:
                problems.add("nur", f"une demande porte déjà le NUR « {record.nur} »")
        problems.raise_if_any()
        assert record is not None  # no problem reported means a record
        record.members, record.resources, record.names = members, resources, True
        importer.write(db, AuditedInserter(db.connection()), [record], report)
        db.flush()
        if stored is None:
            return stored_id(db.exec(select(Demande).where(
                col(Demande.nur) == record.nur)).one())
        if report.updated:
            db.refresh(stored)
            if stored.version == form.version:  # only the household or lists changed
                flag_modified(stored, "notes")
                db.flush()
        return stored_id(stored)


def _stored(db: Session, form: DemandeForm) -> Demande | None:
    if form.id is None:
        return None
    demande = db.get(Demande, form.id)
    if demande is None:
        raise CaleolError("Cette demande n'existe plus (supprimée par ailleurs ?).")
    check_version(demande.version, form.version, WHAT)
    return demande
