"""Access request (RGPD art. 15): everything caleol holds on one person.

A person is looked up by NUR (exact) or by name (every word of the query found in
the applicant's or a household member's surname and first names, accents and case
ignored). The result is plain JSON-ready data with French keys, written as JSON or
rendered as a PDF (`caleol.services.privacy.access_pdf`):
* each matching demande with its household, resources, priorities and wishes;
* every passage in commission: séance, dwelling, the snapshot the commission saw,
  the decision and what happened after;
* the signed documents of those séances (references and fingerprints; the
  documents themselves are legal records, an extract can be produced on request);
* the history of changes recorded in the audit log, with the images stored there;
* EOL occupation reviews naming the person.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caleol import __version__, fr
from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    AuditEntry,
    Candidacy,
    CandidacyEvent,
    Commission,
    CommissionSession,
    Decision,
    Demande,
    Dwelling,
    HouseholdMember,
    OccupationReview,
    SignedDocument,
)
from caleol.db.models.enums import (
    CandidacyEventKind,
    DemandeStatus,
    DocumentKind,
    MutationMotive,
    ResourceKind,
    ReviewMotive,
    SessionStatus,
)
from caleol.errors import CaleolError
from caleol.rules.decisions import DecisionKind
from caleol.rules.household import Role
from caleol.services.privacy import access_labels
from caleol.services.sessions.views import decision_view

CHILD_ENTITIES = ("household_member", "resource", "demande_priority", "wished_commune",
                  "candidacy")
ACTIONS = {"insert": "création", "update": "modification", "delete": "suppression"}


def normalise(text: str) -> list[str]:
    """Words of a name without accents or case: "Élodie  LE GALL" → ["elodie", "le", "gall"]."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return [w for w in re.split(r"[^0-9a-z]+", stripped.casefold()) if w]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _label(enum: Any, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def _euros(cents: int | None) -> str | None:
    return None if cents is None else str(Decimal(cents) / 100)


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.utcoffset() is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()


@dataclass(frozen=True)
class Match:
    demande_id: int
    how: str  # "demandeur", "NUR", "membre du ménage (…)"


def find_matches(db: Session, query: str) -> list[Match]:
    """Demandes concerning the person named or numbered by `query`."""
    words = normalise(query)
    if not words:
        raise CaleolError("Indiquez un NUR ou un nom (au moins une lettre ou un chiffre).")
    by_nur = db.exec(select(Demande.id, Demande.nur)).all()
    wanted = _compact(query)
    exact = [Match(i, "NUR") for i, nur in by_nur if i is not None and _compact(nur) == wanted]
    if exact:
        return exact
    found: dict[int, str] = {}
    for demande_id, surname, first in db.exec(
        select(Demande.id, Demande.applicant_surname, Demande.applicant_first_names)
    ).all():
        if demande_id is not None and set(words) <= set(normalise(f"{surname} {first}")):
            found[demande_id] = "demandeur"
    for demande_id, surname, first in db.exec(
        select(HouseholdMember.demande_id, HouseholdMember.surname, HouseholdMember.first_names)
    ).all():
        if demande_id is not None and demande_id not in found and (
            set(words) <= set(normalise(f"{surname} {first}"))
        ):
            found[demande_id] = f"membre du ménage ({surname.upper()} {first})".strip()
    # A demande anonymised after retention is still held through the frozen
    # snapshots of the séances it went to: found by the NUR or name seen then.
    for demande_id, snapshot in db.exec(
        select(Candidacy.demande_id, Candidacy.household_summary)
    ).all():
        if demande_id in found or not isinstance(snapshot, dict):
            continue
        nur, name = str(snapshot.get("nur") or ""), str(snapshot.get("name") or "")
        if (nur and _compact(nur) == wanted) or set(words) <= set(normalise(name)):
            found[demande_id] = f"instantané d'une séance ({nur} {name})".strip()
    return [Match(i, how) for i, how in sorted(found.items())]


def _demande_fields(d: Demande) -> dict[str, Any]:
    return {
        "NUR": d.nur,
        "date de dépôt": _iso(d.filing_date),
        "date de renouvellement": _iso(d.renewal_date),
        "statut": _label(DemandeStatus, d.status),
        "date du statut": _iso(d.status_date),
        "civilité du demandeur": fr.CIVILITY_WORDS.get(d.applicant_civility, "non précisée"),
        "nom du demandeur": d.applicant_surname,
        "prénoms du demandeur": d.applicant_first_names,
        "adresse": d.address,
        "code postal": d.postal_code,
        "commune": d.city,
        "département": d.department_code,
        "revenu fiscal de référence (€)": d.reference_tax_income,
        "année du revenu fiscal": d.reference_tax_income_year,
        "revenus n-1 retenus (demande du ménage)": d.tax_income_n1_requested,
        "aide au logement estimée (€/mois)": _euros(d.housing_aid_cents),
        "reconnu prioritaire DALO": d.dalo,
        "date de la décision de la commission de médiation": _iso(d.comed_decision_date),
        "labellisé SYPLO": d.syplo_label,
        "cotation": d.cotation_score,
        "salarié (Action Logement)": d.action_logement_employee,
        "déjà locataire HLM": d.current_social_tenant,
        "motif de mutation": _label(MutationMotive, d.mutation_motive),
        "typologies souhaitées": d.wished_typologies,
        "loyer maximal souhaité (€)": _euros(d.max_rent_cents),
        "bail glissant (association)": d.association_bail_glissant,
        "garantie de paiement": d.payment_guarantee,
        "observations": d.notes,
    }


def _household(d: Demande) -> list[dict[str, Any]]:
    return [
        {
            "rôle": _label(Role, m.role),
            "nom": m.surname,
            "prénoms": m.first_names,
            "date de naissance": _iso(m.birth_date),
            "handicap": m.disabled,
            "droit de visite et d'hébergement": m.visiting_rights,
        }
        for m in d.members
    ]


def _resources(d: Demande) -> list[dict[str, Any]]:
    return [
        {
            "nature": _label(ResourceKind, r.kind),
            "montant mensuel (€)": _euros(r.monthly_cents),
            "stable": r.stable,
            "libellé": r.label,
            "personne": (
                f"{r.member.surname.upper()} {r.member.first_names}".strip()
                if r.member else "ménage"
            ),
        }
        for r in d.resources
    ]


def _decision(decision: Decision | None, session_day: date) -> dict[str, Any] | None:
    """The decision as notified: taken by the commission on the séance's day; the
    instant it was typed into caleol (`decided_at`) is only when it was recorded."""
    if decision is None:
        return None
    return {
        "décision": _label(DecisionKind, decision.kind),
        "rang": decision.rank,
        "condition": decision.condition,
        "échéance": _iso(decision.deadline),
        "motif": decision.reason.label if decision.reason else None,
        "motif (précisions)": decision.reason_text,
        "justification": decision.justification,
        "vote": decision_view(decision).vote_sentence or None,
        "voix pour": decision.votes_for,
        "voix contre": decision.votes_against,
        "abstentions": decision.votes_abstain,
        "décision prise le": _iso(session_day),
        "enregistrée dans le logiciel le": _iso(decision.decided_at),
    }


def _passages(db: Session, demande_id: int) -> tuple[list[dict[str, Any]], set[int]]:
    rows = db.exec(
        select(Candidacy, AgendaItem, CommissionSession)
        .join(AgendaItem, col(AgendaItem.id) == Candidacy.agenda_item_id)
        .join(CommissionSession, col(CommissionSession.id) == AgendaItem.session_id)
        .where(Candidacy.demande_id == demande_id)
        .order_by(col(CommissionSession.date), col(Candidacy.id))
    ).all()
    passages: list[dict[str, Any]] = []
    sessions: set[int] = set()
    for candidacy, item, sitting in rows:
        assert sitting.id is not None
        sessions.add(sitting.id)
        commission = db.get(Commission, sitting.commission_id)
        dwelling = db.get(Dwelling, item.dwelling_id)
        events = db.exec(
            select(CandidacyEvent).where(CandidacyEvent.candidacy_id == candidacy.id)
            .order_by(col(CandidacyEvent.id))
        ).all()
        passages.append({
            "séance n°": sitting.id,
            "date de la séance": _iso(sitting.date),
            "commission": commission.name if commission else None,
            "statut de la séance": _label(SessionStatus, sitting.status),
            "logement": dwelling.reference if dwelling else None,
            "rang proposé": candidacy.proposed_rank,
            "décision": _decision(candidacy.decision, sitting.date),
            "suites": [
                {"évènement": _label(CandidacyEventKind, e.kind), "date": _iso(e.date),
                 "motif": e.reason}
                for e in events
            ],
            "ménage tel qu'examiné (instantané)":
                access_labels.household_snapshot(candidacy.household_summary),
            "vérifications (instantané)":
                access_labels.checks_snapshot(candidacy.checks_snapshot),
            "date des vérifications": _iso(candidacy.checks_date),
        })
    return passages, sessions


def _documents(db: Session, session_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = sorted(session_ids)
    if not ids:
        return []
    rows = db.execute(
        sa_select(col(SignedDocument.id), col(SignedDocument.session_id),
                  col(SignedDocument.kind), col(SignedDocument.filename),
                  col(SignedDocument.signed_at), col(SignedDocument.signer),
                  col(SignedDocument.sha256))
        .where(col(SignedDocument.session_id).in_(ids))
        .order_by(col(SignedDocument.id))
    ).all()
    return [
        {"document n°": i, "séance n°": s, "nature": _label(DocumentKind, k),
         "fichier": f, "signé le": _iso(at), "signataire": who, "empreinte SHA-256": sha}
        for i, s, k, f, at, who, sha in rows
    ]


def _history(db: Session, demande_id: int) -> list[dict[str, Any]]:
    """Audit entries of the demande and of every row that pointed to it."""
    marks = [f'%"demande_id":{demande_id},%', f'%"demande_id":{demande_id}}}%']
    child = or_(*(
        col(field).like(mark) for field in (AuditEntry.before, AuditEntry.after)
        for mark in marks
    ))
    entries = db.exec(
        select(AuditEntry)
        .where(or_(
            (col(AuditEntry.entity) == "demande") & (col(AuditEntry.entity_id) == demande_id),
            col(AuditEntry.entity).in_(CHILD_ENTITIES) & child,
        ))
        .order_by(col(AuditEntry.id))
    ).all()
    # Who made a change is an employee's data, not the person's: not part of the answer.
    return [
        {
            "entrée n°": e.id,
            "date": _iso(e.at),
            "élément": access_labels.entity_label(e.entity),
            "action": ACTIONS.get(e.action, e.action),
            "avant (valeurs enregistrées)": json.loads(e.before) if e.before else None,
            "après (valeurs enregistrées)": json.loads(e.after) if e.after else None,
        }
        for e in entries
    ]


def _occupation_reviews(db: Session, query: str) -> list[dict[str, Any]]:
    words = set(normalise(query))
    reviews = []
    for review in db.exec(select(OccupationReview).order_by(col(OccupationReview.id))).all():
        if (words and words <= set(normalise(review.tenant_name))) or (
            review.tenant_reference and _compact(review.tenant_reference) == _compact(query)
        ):
            reviews.append({
                "séance n°": review.session_id,
                "locataire": review.tenant_name,
                "référence": review.tenant_reference,
                "motif": _label(ReviewMotive, review.motive),
                "avis": review.opinion,
                "proposition": review.proposal,
            })
    return reviews


def collect_person_data(
    engine: Engine, query: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything held on the person `query` (NUR or name), as JSON-ready data.

    Raises:
        CaleolError: an empty query.
    """
    with session_scope(engine) as db:
        matches = find_matches(db, query)
        demandes = []
        for match in matches:
            demande = db.get(Demande, match.demande_id)
            assert demande is not None
            passages, sessions = _passages(db, match.demande_id)
            demandes.append({
                "trouvée comme": match.how,
                "demande": _demande_fields(demande),
                "ménage": _household(demande),
                "ressources": _resources(demande),
                "critères de priorité": sorted(
                    p.criterion.label for p in demande.priorities if p.criterion
                ),
                "communes souhaitées": [w.commune.name for w in demande.wished_communes
                                        if w.commune],
                "passages en commission": passages,
                "documents signés": _documents(db, sessions),
                "historique des modifications": _history(db, match.demande_id),
            })
        return {
            "demande d'accès": {
                "recherche": query,
                "établi le": _iso(now or datetime.now(UTC)),
                "logiciel": f"caleol {__version__}",
                "demandes trouvées": len(demandes),
            },
            "demandes": demandes,
            "examens d'occupation": _occupation_reviews(db, query),
        }


def access_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def summary(data: dict[str, Any]) -> str:
    """What the CLI prints: how many demandes, and which, so homonyms can be told apart."""
    demandes: Sequence[dict[str, Any]] = data["demandes"]
    reviews = data["examens d'occupation"]
    if not demandes and not reviews:
        query = data["demande d'accès"]["recherche"]
        return (f"Aucune donnée détenue sur « {query} » "
                "(ni demande, ni examen d'occupation).")
    count = len(demandes)
    lines = [f"{count} demande{'s' if count > 1 else ''} trouvée{'s' if count > 1 else ''} :"]
    for d in demandes:
        fields = d["demande"]
        name = f"{fields['nom du demandeur'].upper()} {fields['prénoms du demandeur']}".strip()
        lines.append(f"  • {fields['NUR']} – {name or '(anonymisée)'} ({d['trouvée comme']})")
    if reviews:
        lines.append(f"{len(reviews)} examen{'s' if len(reviews) > 1 else ''} d'occupation.")
    if len(demandes) > 1:
        lines.append("Plusieurs demandes : vérifiez qu'il s'agit bien de la même personne "
                     "(sinon, relancez avec le NUR).")
    return "\n".join(lines)
