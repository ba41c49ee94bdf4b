"""Reading and editing the reference tables (Référentiels screen, one transaction per call).

The GUI never holds a database session: each function opens its own transaction and
returns plain frozen records. Bad input raises `ValidationError` whose message is
French and whose `field` says which form field it belongs to, so a dialog can put the
message next to that field.
"""

from __future__ import annotations

import csv
import io
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import col, select

from caleol import fr, paths
from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    CeilingRow,
    Commission,
    CommissionMember,
    Department,
    Epci,
    PriorityCriterion,
    QuartileThreshold,
    Reason,
)
from caleol.db.models import Target as TargetRow
from caleol.db.models.enums import MemberCapacity, ReasonKind
from caleol.errors import CaleolError, ValidationError
from caleol.rules.ceilings import Financing, Zone
from caleol.rules.indicators import DEFINITIONS_BY_CODE, Measure
from caleol.services.documents.letter_templates import (
    USER_TEMPLATE_FOLDER,
    LetterKind,
    load_template,
)

MIN_YEAR = 2000
MAX_YEAR = 2100


class FieldError(ValidationError):
    """A `ValidationError` tied to one form field (`field` is the record's attribute)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_year(year: int, field: str = "year") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(field, f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.")


def parse_decimal(text: str, field: str, what: str) -> Decimal:
    """`fr.parse_decimal` whose failure is a `FieldError` on `field`.

    Raises:
        FieldError: the text is empty or not a finite number.
    """
    if not text.strip():
        raise FieldError(field, f"Indiquez {what}.")
    try:
        return fr.parse_decimal(text)
    except ValueError as exc:
        raise FieldError(field, f"{exc}.") from None


# --- territory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class TerritoryChoices:
    """What the territory filters offer, codes as `rules.indicators.Territory` uses them."""

    departments: tuple[Choice, ...]
    epcis: tuple[Choice, ...]
    agencies: tuple[Choice, ...]
    commissions: tuple[Choice, ...]


def territory_choices(engine: Engine) -> TerritoryChoices:
    with session_scope(engine) as session:
        return TerritoryChoices(
            departments=tuple(Choice(d.code, f"{d.code} — {d.name}") for d in
                              session.exec(select(Department).order_by(Department.code))),
            epcis=tuple(Choice(e.siren, e.name) for e in
                        session.exec(select(Epci).order_by(Epci.name))),
            agencies=tuple(Choice(a.code, a.name) for a in
                           session.exec(select(Agency).order_by(Agency.name))),
            commissions=tuple(Choice(c.code, c.name) for c in
                              session.exec(select(Commission).order_by(Commission.name))),
        )


# --- ceilings ----------------------------------------------------------------------------

CEILING_COLUMNS = ("financement", "zone", "date_effet", "cat1", "cat2", "cat3", "cat4",
                   "cat5", "cat6", "par_personne_supp", "source")


@dataclass(frozen=True)
class CeilingInfo:
    id: int
    financing: str
    zone: str
    effective_from: date
    amounts: tuple[int, ...]  # cat1..cat6 then per extra person, whole euros per year
    source: str
    imported: bool

    @property
    def zone_label(self) -> str:
        try:
            return Zone(self.zone).label
        except ValueError:
            return self.zone


def list_ceilings(engine: Engine) -> list[CeilingInfo]:
    """Shipped and imported rows, newest year first."""
    with session_scope(engine) as session:
        rows = session.exec(select(CeilingRow).order_by(
            col(CeilingRow.effective_from).desc(), CeilingRow.financing, CeilingRow.zone))
        return [
            CeilingInfo(r.id or 0, r.financing, r.zone, r.effective_from,
                        (r.cat1, r.cat2, r.cat3, r.cat4, r.cat5, r.cat6, r.per_extra),
                        r.source, r.imported)
            for r in rows
        ]


def _ceiling_from_csv(line: int, row: dict[str, str]) -> dict[str, object]:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    financing = cell("financement")
    if financing not in {f.value for f in Financing}:
        known = ", ".join(f.value for f in Financing)
        raise ValidationError(f"Ligne {line} : financement « {financing} » inconnu ({known}).")
    zone = cell("zone")
    if zone not in {z.value for z in Zone}:
        known = ", ".join(z.value for z in Zone)
        raise ValidationError(f"Ligne {line} : zone « {zone} » inconnue ({known}).")
    try:
        effective = date.fromisoformat(cell("date_effet"))
    except ValueError:
        raise ValidationError(f"Ligne {line} : date d'effet « {cell('date_effet')} » invalide "
                              "(AAAA-MM-JJ).") from None
    _check_year(effective.year)
    amounts: dict[str, object] = {}
    for name, attr in (("cat1", "cat1"), ("cat2", "cat2"), ("cat3", "cat3"), ("cat4", "cat4"),
                       ("cat5", "cat5"), ("cat6", "cat6"), ("par_personne_supp", "per_extra")):
        text = cell(name).replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if not text.isdigit() or len(text) > 9:
            raise ValidationError(f"Ligne {line} : « {name} » doit être un montant entier en "
                                  f"euros (lu : « {cell(name)} »).")
        amounts[attr] = int(text)
    cats = [amounts[f"cat{i}"] for i in range(1, 7)]
    if cats != sorted(cats):  # type: ignore[type-var]
        raise ValidationError(f"Ligne {line} : les plafonds doivent croître de la catégorie 1 "
                              "à la catégorie 6.")
    return {"financing": financing, "zone": zone, "effective_from": effective,
            "source": cell("source")[:300], **amounts}


def import_ceilings_csv(engine: Engine, data: bytes) -> int:
    """Merge a ceiling table (CSV, `;` or `,`) into the user's rows; all or nothing.

    A row with the same financing, zone and effective date as an existing one
    replaces its amounts (and marks it imported); others are added.

    Returns:
        The number of rows written.

    Raises:
        ValidationError: every bad line listed in `details`; nothing is written.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Le fichier n'est pas un CSV en UTF-8.") from None
    if not text.strip():
        raise ValidationError("Le fichier est vide.")
    dialect = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    missing = [c for c in CEILING_COLUMNS[:-1] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError("Colonnes manquantes : " + ", ".join(missing) + ".",
                              details=["Colonnes attendues : " + "; ".join(CEILING_COLUMNS)])
    parsed: list[dict[str, object]] = []
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        try:
            parsed.append(_ceiling_from_csv(number, row))
        except ValidationError as exc:
            errors.append(exc.message)
    if errors:
        raise ValidationError(f"Table non importée : {len(errors)} ligne(s) en erreur.",
                              details=errors[:50])
    if not parsed:
        raise ValidationError("Le fichier ne contient aucune ligne de plafonds.")
    with session_scope(engine) as session:
        for values in parsed:
            existing = session.exec(select(CeilingRow).where(
                CeilingRow.financing == values["financing"], CeilingRow.zone == values["zone"],
                CeilingRow.effective_from == values["effective_from"])).first()
            row = existing or CeilingRow(**values)  # type: ignore[arg-type]
            for key, value in values.items():
                setattr(row, key, value)
            row.imported = True
            session.add(row)
    return len(parsed)


# --- quartile thresholds --------------------------------------------------------------------


@dataclass(frozen=True)
class QuartileInfo:
    id: int
    epci_code: str
    epci_name: str
    year: int
    threshold: Decimal  # euros per consumption unit per year
    source: str


def list_quartiles(engine: Engine) -> list[QuartileInfo]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(QuartileThreshold, Epci).join(Epci, col(QuartileThreshold.epci_id) == Epci.id)
            .order_by(col(QuartileThreshold.year).desc(), Epci.name))
        return [QuartileInfo(q.id or 0, e.siren, e.name, q.year,
                             Decimal(q.threshold_cents) / 100, q.source) for q, e in rows]


def save_quartile(engine: Engine, epci_code: str, year: int, threshold: Decimal,
                  source: str = "") -> QuartileInfo:
    """Create or replace the EPCI's first-quartile threshold for the year.

    Raises:
        FieldError: unknown EPCI, year out of range, threshold not positive.
    """
    _check_year(year)
    if threshold <= 0 or threshold >= Decimal(1_000_000):
        raise FieldError("threshold", "Le seuil doit être un montant positif "
                                      "(euros par unité de consommation et par an).")
    cents = int((threshold * 100).to_integral_value())
    with session_scope(engine) as session:
        epci = session.exec(select(Epci).where(Epci.siren == epci_code)).first()
        if epci is None or epci.id is None:
            raise FieldError("epci_code", f"EPCI « {epci_code} » inconnu.")
        row = session.exec(select(QuartileThreshold).where(
            QuartileThreshold.epci_id == epci.id, QuartileThreshold.year == year)).first()
        row = row or QuartileThreshold(epci_id=epci.id, year=year, threshold_cents=cents)
        row.threshold_cents = cents
        row.source = source.strip()[:300]
        session.add(row)
        session.flush()
        return QuartileInfo(row.id or 0, epci.siren, epci.name, year,
                            Decimal(cents) / 100, row.source)


# --- priority criteria and reasons ----------------------------------------------------------


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    code: str
    label: str
    source: str
    legal_reference: str
    active: bool


def list_criteria(engine: Engine) -> list[CriterionInfo]:
    with session_scope(engine) as session:
        return [CriterionInfo(c.id or 0, c.code, c.label, c.source, c.legal_reference, c.active)
                for c in session.exec(select(PriorityCriterion).order_by(
                    PriorityCriterion.source, PriorityCriterion.code))]


def set_criterion_active(engine: Engine, criterion_id: int, active: bool) -> CriterionInfo:
    """Offer a criterion on new demandes or not; demandes already recorded keep theirs.

    Raises:
        CaleolError: the criterion no longer exists.
    """
    with session_scope(engine) as session:
        row = session.get(PriorityCriterion, criterion_id)
        if row is None:
            raise CaleolError("Ce critère a été supprimé entre-temps ; rechargez la liste.")
        row.active = active
        session.add(row)
        return CriterionInfo(row.id or 0, row.code, row.label, row.source,
                             row.legal_reference, row.active)


@dataclass(frozen=True)
class ReasonInfo:
    """A reason of the catalogue; `id` is 0 for one not yet saved."""

    id: int
    code: str
    label: str
    kind: str  # enums.ReasonKind value
    unlawful_alone: bool
    active: bool
    position: int = 0

    @property
    def kind_label(self) -> str:
        return ReasonKind(self.kind).label


def list_reasons(engine: Engine) -> list[ReasonInfo]:
    with session_scope(engine) as session:
        return [ReasonInfo(r.id or 0, r.code, r.label, r.kind, r.unlawful_alone, r.active,
                           r.position)
                for r in session.exec(select(Reason).order_by(Reason.kind, Reason.position,
                                                              Reason.id))]


def save_reason(engine: Engine, reason: ReasonInfo) -> ReasonInfo:
    """Create (`id` 0) or update a reason of the catalogue.

    Raises:
        FieldError: empty code or label, unknown kind, code already used.
    """
    code = reason.code.strip()
    label = " ".join(reason.label.split())
    if not code:
        raise FieldError("code", "Le code du motif est obligatoire.")
    if len(code) > 40:
        raise FieldError("code", "Le code du motif fait au plus 40 caractères.")
    if not label:
        raise FieldError("label", "Le libellé du motif est obligatoire.")
    if len(label) > 500:
        raise FieldError("label", "Le libellé du motif fait au plus 500 caractères.")
    if reason.kind not in {k.value for k in ReasonKind}:
        raise FieldError("kind", "Choisissez le type : non-attribution ou irrecevabilité.")
    with session_scope(engine) as session:
        clash = session.exec(select(Reason).where(Reason.code == code)).first()
        if clash is not None and clash.id != reason.id:
            raise FieldError("code", f"Le code « {code} » est déjà utilisé par un autre motif.")
        if reason.id:
            row = session.get(Reason, reason.id)
            if row is None:
                raise CaleolError("Ce motif a été supprimé entre-temps ; rechargez la liste.")
        else:
            last = session.exec(select(Reason.position).order_by(
                col(Reason.position).desc())).first()
            row = Reason(code=code, label=label, kind=reason.kind, position=(last or 0) + 1)
        row.code, row.label, row.kind = code, label, reason.kind
        row.unlawful_alone, row.active = reason.unlawful_alone, reason.active
        session.add(row)
        session.flush()
        return ReasonInfo(row.id or 0, row.code, row.label, row.kind, row.unlawful_alone,
                          row.active, row.position)


# --- targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInfo:
    """A stored target; rates as fractions (0.25), counts as numbers. `id` 0: new."""

    id: int
    indicator_code: str
    year: int
    value: Decimal
    department_code: str = ""
    epci_code: str = ""
    agency_code: str = ""
    commission_code: str = ""
    source: str = ""

    @property
    def indicator_label(self) -> str:
        definition = DEFINITIONS_BY_CODE.get(self.indicator_code)
        return definition.label if definition else self.indicator_code

    @property
    def is_rate(self) -> bool:
        definition = DEFINITIONS_BY_CODE.get(self.indicator_code)
        return definition is None or definition.measure is Measure.RATE

    @property
    def territory_label(self) -> str:
        parts = [f"dép. {self.department_code}" if self.department_code else "",
                 f"EPCI {self.epci_code}" if self.epci_code else "",
                 f"agence {self.agency_code}" if self.agency_code else "",
                 f"commission {self.commission_code}" if self.commission_code else ""]
        return ", ".join(p for p in parts if p) or "ensemble du patrimoine"


def _target_info(row: TargetRow) -> TargetInfo:
    return TargetInfo(row.id or 0, row.indicator_code, row.year, Decimal(row.value),
                      row.department_code, row.epci_code, row.agency_code,
                      row.commission_code, row.source)


def list_targets(engine: Engine, year: int | None = None) -> list[TargetInfo]:
    with session_scope(engine) as session:
        query = select(TargetRow).order_by(col(TargetRow.year).desc(), TargetRow.indicator_code)
        if year is not None:
            query = query.where(TargetRow.year == year)
        return [_target_info(r) for r in session.exec(query)]


def save_target(engine: Engine, target: TargetInfo) -> TargetInfo:
    """Create (`id` 0) or update a target.

    Raises:
        FieldError: unknown indicator, year out of range, a rate outside 0-100 %, a
            negative count, or the same indicator/year/territory already set.
    """
    definition = DEFINITIONS_BY_CODE.get(target.indicator_code)
    if definition is None:
        raise FieldError("indicator_code", f"Indicateur « {target.indicator_code} » inconnu.")
    _check_year(target.year)
    if definition.measure is Measure.RATE and not 0 <= target.value <= 1:
        raise FieldError("value", "Un objectif de taux est compris entre 0 % et 100 %.")
    if definition.measure is Measure.COUNT and target.value < 0:
        raise FieldError("value", "Un objectif en nombre d'attributions ne peut être négatif.")
    territory = dict(department_code=target.department_code.strip(),
                     epci_code=target.epci_code.strip(), agency_code=target.agency_code.strip(),
                     commission_code=target.commission_code.strip())
    with session_scope(engine) as session:
        clash = session.exec(select(TargetRow).where(
            TargetRow.indicator_code == target.indicator_code, TargetRow.year == target.year,
            *(getattr(TargetRow, k) == v for k, v in territory.items()))).first()
        if clash is not None and clash.id != target.id:
            raise FieldError("value", "Un objectif existe déjà pour cet indicateur, cette année "
                                      "et ce territoire : modifiez-le plutôt.")
        if target.id:
            row = session.get(TargetRow, target.id)
            if row is None:
                raise CaleolError("Cet objectif a été supprimé entre-temps ; rechargez la liste.")
        else:
            row = TargetRow(indicator_code=target.indicator_code, year=target.year,
                            value=target.value)
        row.indicator_code, row.year, row.value = target.indicator_code, target.year, target.value
        for key, value in territory.items():
            setattr(row, key, value)
        row.source = target.source.strip()[:300]
        session.add(row)
        session.flush()
        return _target_info(row)


def delete_target(engine: Engine, target_id: int) -> None:
    with session_scope(engine) as session:
        row = session.get(TargetRow, target_id)
        if row is not None:
            session.delete(row)


# --- commissions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInfo:
    """A commission member; `id` 0 for one not yet saved."""

    name: str
    capacity: str
    deliberative: bool
    casting_vote: bool
    active: bool
    id: int = 0

    @property
    def capacity_label(self) -> str:
        try:
            return MemberCapacity(self.capacity).label
        except ValueError:
            return self.capacity


@dataclass(frozen=True)
class CommissionInfo:
    id: int
    code: str
    name: str
    territory: str
    quorum: str
    members: tuple[MemberInfo, ...]


def _member_info(m: CommissionMember) -> MemberInfo:
    return MemberInfo(m.name, m.capacity, m.deliberative, m.casting_vote, m.active, m.id or 0)


def add_member(engine: Engine, commission_id: int, member: MemberInfo) -> MemberInfo:
    """Add a member to a commission (existing members are never renamed: past séances
    name them; a member who leaves is made inactive instead).

    Raises:
        FieldError: empty name, unknown capacity, casting vote without a deliberative
            vote or while another active member holds it.
    """
    name = " ".join(member.name.split())
    if not name:
        raise FieldError("name", "Le nom du membre est obligatoire.")
    if len(name) > 200:
        raise FieldError("name", "Le nom fait au plus 200 caractères.")
    if member.capacity not in {c.value for c in MemberCapacity}:
        raise FieldError("capacity", "Choisissez la qualité du membre.")
    if member.casting_vote and not member.deliberative:
        raise FieldError("casting_vote", "La voix prépondérante suppose une voix délibérative.")
    with session_scope(engine) as session:
        commission = session.get(Commission, commission_id)
        if commission is None:
            raise CaleolError("Cette commission n'existe plus ; rechargez la liste.")
        if member.casting_vote:
            holder = session.exec(select(CommissionMember).where(
                CommissionMember.commission_id == commission_id,
                col(CommissionMember.casting_vote), col(CommissionMember.active))).first()
            if holder is not None:
                raise FieldError("casting_vote", f"{holder.name} a déjà la voix "
                                                 "prépondérante dans cette commission.")
        row = CommissionMember(commission_id=commission_id, name=name,
                               capacity=member.capacity, deliberative=member.deliberative,
                               casting_vote=member.casting_vote, active=member.active)
        session.add(row)
        session.flush()
        return _member_info(row)


def set_member_active(engine: Engine, member_id: int, active: bool) -> MemberInfo:
    """Raises:
    CaleolError: the member no longer exists.
    """
    with session_scope(engine) as session:
        row = session.get(CommissionMember, member_id)
        if row is None:
            raise CaleolError("Ce membre a été supprimé entre-temps ; rechargez la liste.")
        row.active = active
        session.add(row)
        return _member_info(row)


def list_commissions(engine: Engine) -> list[CommissionInfo]:
    with session_scope(engine) as session:
        commissions = list(session.exec(select(Commission).order_by(Commission.name)))
        members: dict[int, list[MemberInfo]] = {}
        for m in session.exec(select(CommissionMember).order_by(CommissionMember.id)):
            members.setdefault(m.commission_id, []).append(_member_info(m))
        return [CommissionInfo(c.id or 0, c.code, c.name, c.territory,
                               f"{c.quorum_numerator}/{c.quorum_denominator}",
                               tuple(members.get(c.id or 0, ()))) for c in commissions]


# --- letter templates ---------------------------------------------------------------------------


def user_template_dir() -> Path:
    """Where the user's copies of the letter templates live (they win over the shipped)."""
    return paths.config_dir() / USER_TEMPLATE_FOLDER


@dataclass(frozen=True)
class TemplateInfo:
    kind: LetterKind
    text: str
    customised: bool


def list_templates() -> list[TemplateInfo]:
    return [TemplateInfo(kind, load_template(kind),
                         (user_template_dir() / f"{kind.value}.txt").is_file())
            for kind in LetterKind]


def save_template(kind: LetterKind, text: str) -> TemplateInfo:
    """Write the user's copy of a letter template after checking that it fills.

    Raises:
        FieldError: a `$` field is malformed (unknown field names are reported when a
            letter is produced, since the fields depend on the letter).
    """
    if not text.strip():
        raise FieldError("text", "Le modèle ne peut pas être vide.")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("##"))
    if not string.Template(body).is_valid():
        raise FieldError("text", "Le modèle contient un « $ » mal formé ; écrivez $$ pour un "
                                 "signe dollar et $nom ou ${nom} pour un champ.")
    folder = user_template_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{kind.value}.txt").write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CaleolError(f"Impossible d'enregistrer le modèle dans {folder} ({exc}).") from None
    return TemplateInfo(kind, text, True)


def reset_template(kind: LetterKind) -> TemplateInfo:
    """Remove the user's copy: the shipped template applies again."""
    path = user_template_dir() / f"{kind.value}.txt"
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise CaleolError(f"Impossible de supprimer {path} ({exc}).") from None
    return TemplateInfo(kind, load_template(kind), False)

