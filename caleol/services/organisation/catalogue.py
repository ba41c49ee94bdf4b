"""The reasons catalogue and the priority criteria: list, create, edit, deactivate.

Moved from `services.reference` (which re-exports these names). The defaults a new
database starts from are in `organisation.defaults`. A reason or criterion is never
deleted (decisions and demandes cite them): it is deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import PriorityCriterion, Reason
from caleol.db.models.enums import CriterionSource, ReasonKind
from caleol.errors import CaleolError
from caleol.rules.evaluation import CHECK_NAMES
from caleol.services.organisation.common import assign
from caleol.services.organisation.fields import CODE_LENGTH, FieldError

LABEL_LENGTH = 500
CRITERION_LABEL_LENGTH = 300
REFERENCE_LENGTH = 200


@dataclass(frozen=True)
class CriterionInfo:
    """A priority criterion; `id` is 0 for one not yet saved."""

    id: int
    code: str
    label: str
    source: str  # enums.CriterionSource value
    legal_reference: str
    active: bool


def criterion_info(row: PriorityCriterion) -> CriterionInfo:
    return CriterionInfo(row.id or 0, row.code, row.label, row.source, row.legal_reference,
                         row.active)


def list_criteria(engine: Engine) -> list[CriterionInfo]:
    with session_scope(engine) as session:
        return [criterion_info(c) for c in session.exec(select(PriorityCriterion).order_by(
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
        if assign(row, active=active):
            session.add(row)
        return criterion_info(row)


def _code(text: str, what: str) -> str:
    code = text.strip()
    if not code:
        raise FieldError("code", f"Le code {what} est obligatoire.")
    if len(code) > CODE_LENGTH:
        raise FieldError("code", f"Le code {what} fait au plus {CODE_LENGTH} caractères.")
    return code


def _label(text: str, what: str, limit: int) -> str:
    label = " ".join(text.split())
    if not label:
        raise FieldError("label", f"Le libellé {what} est obligatoire.")
    if len(label) > limit:
        raise FieldError("label", f"Le libellé {what} fait au plus {limit} caractères.")
    return label


def _reference(text: str) -> str:
    reference = " ".join(text.split())
    if len(reference) > REFERENCE_LENGTH:
        raise FieldError("legal_reference", "La référence fait au plus "
                                            f"{REFERENCE_LENGTH} caractères.")
    return reference


def save_criterion_in(db: Session, criterion: CriterionInfo) -> PriorityCriterion:
    """Create (`id` 0) or update a priority criterion.

    Raises:
        FieldError: empty or duplicate code, empty label, unknown source.
    """
    code = _code(criterion.code, "du critère")
    label = _label(criterion.label, "du critère", CRITERION_LABEL_LENGTH)
    if criterion.source not in {s.value for s in CriterionSource}:
        known = ", ".join(s.value for s in CriterionSource)
        raise FieldError("source", f"Source « {criterion.source} » inconnue ({known}).")
    reference = _reference(criterion.legal_reference)
    clash = db.exec(select(PriorityCriterion).where(PriorityCriterion.code == code)).first()
    if clash is not None and clash.id != criterion.id:
        raise FieldError("code", f"Le code « {code} » est déjà celui d'un autre critère.")
    values: dict[str, Any] = {"code": code, "label": label, "source": criterion.source,
              "legal_reference": reference, "active": criterion.active}
    if criterion.id:
        row = db.get(PriorityCriterion, criterion.id)
        if row is None:
            raise CaleolError("Ce critère a été supprimé entre-temps ; rechargez la liste.")
        if assign(row, **values):
            db.add(row)
        return row
    row = PriorityCriterion(**values)
    db.add(row)
    db.flush()
    return row


def save_criterion(engine: Engine, criterion: CriterionInfo) -> CriterionInfo:
    """See `save_criterion_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_criterion_in(db, criterion)
        db.flush()
        return criterion_info(row)


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
    legal_reference: str = ""
    # the check whose pass contradicts the reason (`rules.evaluation.CHECK_NAMES`), or None
    contradicts_check: str | None = None

    @property
    def kind_label(self) -> str:
        return ReasonKind(self.kind).label


def reason_info(row: Reason) -> ReasonInfo:
    return ReasonInfo(row.id or 0, row.code, row.label, row.kind, row.unlawful_alone,
                      row.active, row.position, row.legal_reference, row.contradicts_check)


def list_reasons(engine: Engine) -> list[ReasonInfo]:
    with session_scope(engine) as session:
        return [reason_info(r) for r in session.exec(
            select(Reason).order_by(col(Reason.kind), col(Reason.position), col(Reason.id)))]


def save_reason_in(db: Session, reason: ReasonInfo, *, position: int | None = None) -> Reason:
    """Create (`id` 0) or update a reason of the catalogue.

    Args:
        position: its place in the catalogue (default: a new reason goes last, an
            edited one stays where it is).

    Raises:
        FieldError: empty code or label, unknown kind, code already used.
    """
    code = _code(reason.code, "du motif")
    label = _label(reason.label, "du motif", LABEL_LENGTH)
    if reason.kind not in {k.value for k in ReasonKind}:
        raise FieldError("kind", "Choisissez le type : non-attribution ou irrecevabilité.")
    reference = _reference(reason.legal_reference)
    if reason.contradicts_check not in (None, *CHECK_NAMES):
        raise FieldError("contradicts_check", f"Contrôle « {reason.contradicts_check} » "
                                              f"inconnu ({', '.join(CHECK_NAMES)}).")
    clash = db.exec(select(Reason).where(Reason.code == code)).first()
    if clash is not None and clash.id != reason.id:
        raise FieldError("code", f"Le code « {code} » est déjà utilisé par un autre motif.")
    values: dict[str, Any] = {  # the row's columns
        "code": code, "label": label, "kind": reason.kind,
        "unlawful_alone": reason.unlawful_alone, "active": reason.active,
        "legal_reference": reference, "contradicts_check": reason.contradicts_check}
    if position is not None:
        values["position"] = position
    if reason.id:
        row = db.get(Reason, reason.id)
        if row is None:
            raise CaleolError("Ce motif a été supprimé entre-temps ; rechargez la liste.")
        if assign(row, **values):
            db.add(row)
        return row
    if position is None:
        last = db.exec(select(Reason.position).order_by(col(Reason.position).desc())).first()
        values["position"] = (last or 0) + 1
    row = Reason(**values)
    db.add(row)
    db.flush()
    return row


def save_reason(engine: Engine, reason: ReasonInfo) -> ReasonInfo:
    """See `save_reason_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_reason_in(db, reason)
        db.flush()
        return reason_info(row)
