"""A demande as the Demandes list's detail panel shows it: its fields, its household's
members and its resources, each already in French."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from caleol.db.models import Commune, Demande, DemandePriority, PriorityCriterion, WishedCommune
from caleol.db.models.enums import DemandeStatus, ResourceKind
from caleol.errors import CaleolError
from caleol.fr import format_short_date
from caleol.rules.household import Role
from caleol.services.browse.labels import date_text, money, status_label, waiting_months, yes_no


@dataclass(frozen=True)
class MemberLine:
    role: str
    name: str
    birth_date: str
    notes: str


@dataclass(frozen=True)
class ResourceLine:
    who: str
    kind: str
    monthly: str
    stable: str


@dataclass(frozen=True)
class DemandeDetail:
    id: int
    fields: tuple[tuple[str, str], ...]
    members: tuple[MemberLine, ...]
    resources: tuple[ResourceLine, ...]


def demande_detail(session: Session, demande_id: int, today: dt.date) -> DemandeDetail:
    """Raises `CaleolError` when the demande is gone (deleted meanwhile)."""
    demande = session.get(Demande, demande_id)
    if demande is None:
        raise CaleolError("Cette demande n'existe plus (supprimée par ailleurs ?).")
    members = tuple(
        MemberLine(
            role=status_label(m.role, Role),
            name=f"{m.surname.upper()} {m.first_names}".strip(),
            birth_date=format_short_date(m.birth_date) if m.birth_date else "",
            notes=", ".join(n for n, flag in (("handicap", m.disabled),
                                              ("droit de visite", m.visiting_rights))
                            if flag),
        )
        for m in demande.members
    )
    names = {m.id: f"{m.first_names}".strip() for m in demande.members}
    resources = tuple(
        ResourceLine(
            who=names.get(r.member_id, "ménage") if r.member_id else "ménage",
            kind=r.label or status_label(r.kind, ResourceKind),
            monthly=money(r.monthly_cents),
            stable="stable" if r.stable else "précaire",
        )
        for r in demande.resources
    )
    criteria = session.execute(
        select(col(PriorityCriterion.label))
        .join(DemandePriority, col(DemandePriority.criterion_id) == PriorityCriterion.id)
        .where(col(DemandePriority.demande_id) == demande_id)
        .order_by(col(PriorityCriterion.label))
    ).scalars().all()
    communes = session.execute(
        select(col(Commune.name))
        .join(WishedCommune, col(WishedCommune.commune_id) == Commune.id)
        .where(col(WishedCommune.demande_id) == demande_id)
        .order_by(col(WishedCommune.position))
    ).scalars().all()
    total = sum(r.monthly_cents for r in demande.resources)
    fields: tuple[tuple[str, str], ...] = (
        ("NUR", demande.nur),
        ("Demandeur", f"{demande.applicant_surname.upper()} "
                      f"{demande.applicant_first_names}".strip()),
        ("Adresse", " ".join(p for p in (demande.address, demande.postal_code,
                                         demande.city) if p)),
        ("Déposée le", date_text(demande.filing_date)),
        ("Ancienneté", f"{waiting_months(demande.filing_date, today)} mois"),
        ("Renouvelée le", date_text(demande.renewal_date)),
        ("Statut", status_label(demande.status, DemandeStatus)),
        ("Typologies souhaitées", demande.wished_typologies.replace(",", ", ")),
        ("Communes souhaitées", ", ".join(communes)),
        ("Loyer maximal souhaité", money(demande.max_rent_cents)),
        ("Ressources mensuelles", money(total)),
        ("Revenu fiscal de référence",
         "" if demande.reference_tax_income is None else
         f"{money(demande.reference_tax_income * 100)} "
         f"(revenus {demande.reference_tax_income_year or '?'})"),
        ("Aide au logement estimée", money(demande.housing_aid_cents)),
        ("DALO", yes_no(demande.dalo)
         + (f" (décision du {date_text(demande.comed_decision_date)})"
            if demande.comed_decision_date else "")),
        ("Critères de priorité", "; ".join(criteria)),
        ("Cotation", "" if demande.cotation_score is None else str(demande.cotation_score)),
        ("Salarié (Action Logement)", yes_no(demande.action_logement_employee)),
        ("Locataire du parc social", yes_no(demande.current_social_tenant)),
        ("Garantie de paiement", yes_no(demande.payment_guarantee)),
        ("Observations", demande.notes),
    )
    return DemandeDetail(id=demande_id, fields=fields, members=members, resources=resources)
