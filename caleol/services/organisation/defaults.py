"""The charter's default reasons catalogue, priority criteria and indicator targets,
each with its basis.

A new database starts from these (`install_charter_defaults`); the secretary then
edits, adds and deactivates them (Référentiels, or the setup file). Sources: the
model attribution charter (docs/reference/charte-des-attributions.txt, §2 « Les
conditions d'attribution », §3 for Action Logement) and the CCH articles it names;
for the targets, the model's CUS and its 2024-2026 amendment
(docs/reference/metz-metropole-cus-vivest-2021-2026.txt,
vivest-cus-politique-attribution.txt). The priority publics of L441-1 CCH are cited
by the article, not by its lettered items, whose lettering the successive laws
changed. The texts cite the landlord's own charter and CUS by subject
(`rules.charter`: documents name the landlord), never the model's sections or name.
The national targets of the CCH are not here: the indicator rules apply
them where no stored target does (`rules.indicators.definitions`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.db.models import PriorityCriterion, Reason, Target
from caleol.db.models.enums import CriterionSource, ReasonKind
from caleol.rules.charter import CHARTER
from caleol.rules.decisions import DEFAULT_REASON_CHECKS

_L441_1 = "L441-1 CCH (publics prioritaires)"
_CHARTER = f"{CHARTER.capitalize()} (critères de priorité)"

# code, label, source, legal reference
CRITERIA: tuple[tuple[str, str, CriterionSource, str], ...] = (
    ("HANDICAP", "Personne en situation de handicap ou famille ayant à charge une telle "
     "personne", CriterionSource.CCH, _L441_1),
    ("SORTIE_HEBERGEMENT", "Personne sortant d'un appartement de coordination "
     "thérapeutique", CriterionSource.CCH, _L441_1),
    ("DIFFICULTES", "Personne mal logée ou défavorisée, difficultés particulières de "
     "logement", CriterionSource.CCH, _L441_1),
    ("HEBERGE", "Personne hébergée ou logée temporairement dans un établissement ou un "
     "logement de transition", CriterionSource.CCH, _L441_1),
    ("REPRISE_ACTIVITE", "Personne reprenant une activité après une période de chômage de "
     "longue durée", CriterionSource.CCH, _L441_1),
    ("VIOLENCES", "Personne exposée à des violences au sein du couple ou menacée de "
     "mariage forcé", CriterionSource.CCH, _L441_1),
    ("TRAITE", "Personne victime de traite ou de proxénétisme", CriterionSource.CCH,
     _L441_1),
    ("INDECENT", "Personne dépourvue de logement ou logée dans des locaux impropres à "
     "l'habitation, insalubres ou indécents", CriterionSource.CCH, _L441_1),
    ("SUROCCUPATION", "Personne logée dans un logement sur-occupé avec un enfant mineur ou "
     "une personne handicapée", CriterionSource.CCH, _L441_1),
    ("MENACE_EXPULSION", "Personne menacée d'expulsion sans relogement", CriterionSource.CCH,
     _L441_1),
    ("DALO", "Ménage reconnu prioritaire et urgent par la commission de médiation (DALO)",
     CriterionSource.CCH, "L441-2-3 CCH"),
    ("MOBILITE_REDUITE", "Personne à mobilité réduite", CriterionSource.CHARTE, _CHARTER),
    ("RAPPROCHEMENT_TRAVAIL", "Rapprochement du lieu de travail (deux bassins d'habitat "
     "distincts)", CriterionSource.CHARTE, _CHARTER),
    ("LOYER_RESSOURCES", "Inadéquation entre le loyer actuel et les ressources",
     CriterionSource.CHARTE, _CHARTER),
    ("TAILLE_LOGEMENT", "Inadéquation entre la taille du ménage et celle du logement actuel",
     CriterionSource.CHARTE, _CHARTER),
    ("ENVIRONNEMENT", "Demande motivée par l'environnement (insécurité, état du logement)",
     CriterionSource.CHARTE, _CHARTER),
    ("CONFORT", "Niveau de confort du logement actuel", CriterionSource.CHARTE, _CHARTER),
)

# code, label, kind, unlawful alone, legal reference
REASONS: tuple[tuple[str, str, ReasonKind, bool, str], ...] = (
    ("TITRE_SEJOUR", "Absence de titre de séjour en cours de validité",
     ReasonKind.IRRECEVABILITE, False, "R441-1 CCH (séjour régulier)"),
    ("PLAFOND", "Ressources supérieures au plafond réglementaire", ReasonKind.IRRECEVABILITE,
     False, "R441-1 CCH et arrêté annuel des plafonds de ressources"),
    ("SANS_NUR", "Demande sans numéro unique d'enregistrement", ReasonKind.IRRECEVABILITE,
     False, "L441-2-1 CCH (aucune attribution sans numéro unique)"),
    ("PROPRIETAIRE", "Propriétaire d'un logement adapté aux besoins du ménage",
     ReasonKind.NON_ATTRIBUTION, False, "L441-2-2 CCH"),
    ("PIECES", "Pièces justificatives manquantes ou non conformes",
     ReasonKind.NON_ATTRIBUTION, False, f"{CHARTER.capitalize()} (examen de la demande)"),
    ("INADAPTE", "Logement inadapté à la composition du ménage (sur- ou sous-occupation)",
     ReasonKind.NON_ATTRIBUTION, False, f"R441-3 CCH ; {CHARTER} (typologie adaptée)"),
    ("ACCESSIBILITE", "Logement inadapté aux besoins d'accessibilité du ménage",
     ReasonKind.NON_ATTRIBUTION, False,
     f"{CHARTER.capitalize()} (adéquation des besoins du ménage et des équipements du "
     "logement)"),
    ("ELOIGNEMENT", "Logement trop éloigné du lieu de travail", ReasonKind.NON_ATTRIBUTION,
     False, f"{CHARTER.capitalize()} (critères de priorité : rapprochement du lieu de travail)"),
    ("SOLVABILITE", "Taux d'effort et reste à vivre incompatibles avec le loyer, sans garantie "
     "possible", ReasonKind.NON_ATTRIBUTION, False,
     f"{CHARTER.capitalize()} (solvabilité des ménages) ; arrêté du 10 mars 2011 (taux "
     "d'effort)"),
    ("MIEUX_CLASSE", "Attribution à un candidat mieux classé", ReasonKind.NON_ATTRIBUTION,
     False, "R441-3 CCH (attribution par ordre de priorité)"),
    ("FRAGILITE", "Résidence signalée fragile par la CIA : la candidature en accroîtrait la "
     "fragilité", ReasonKind.NON_ATTRIBUTION, False,
     "Convention intercommunale d'attribution (L441-1-6 CCH)"),
    ("RESSOURCES_FAIBLES", "Ressources insuffisantes", ReasonKind.NON_ATTRIBUTION, True,
     "Insuffisant à lui seul : motiver par le taux d'effort et le reste à vivre "
     f"({CHARTER}, solvabilité des ménages)"),
    ("PAS_DE_LIEN", "Absence de lien avec la commune", ReasonKind.NON_ATTRIBUTION, True,
     "L441-1 CCH : ne peut motiver à lui seul une non-attribution"),
)


# The targets are the model's commitments (its CUS amendment, its charter): their
# source says they are caleol's defaults, never another landlord's CUS nor a CUS this
# landlord may not have; the landlord replaces value and source with its own.
_MODEL_CUS = "Valeur par défaut de caleol (CUS type, avenant 2024-2026)"
_CUS_YEARS = (2024, 2025, 2026)

# indicator, département ("" landlord-wide), percentage per year of _CUS_YEARS, source
TARGETS: tuple[tuple[str, str, tuple[str, str, str], str], ...] = (
    # PS-2 « Engagements annuels en pourcentage », « % total » and « % hors QPV »
    ("PS-2", "54", ("25", "26", "25"), f"{_MODEL_CUS}, PS-2 % total, 54-Meurthe-et-Moselle"),
    ("PS-2", "57", ("25", "25", "25"), f"{_MODEL_CUS}, PS-2 % total, 57-Moselle"),
    ("PS-2-HQPV", "54", ("90", "90", "90"),
     f"{_MODEL_CUS}, PS-2 % hors QPV, 54-Meurthe-et-Moselle"),
    ("PS-2-HQPV", "57", ("60", "60", "60"), f"{_MODEL_CUS}, PS-2 % hors QPV, 57-Moselle"),
    # « Engagement de 2024 à 2026 » au profit des services de l'État
    ("ETAT-PRIO", "", ("25", "25", "25"),
     f"{_MODEL_CUS}, contingent de l'État : 25 % à minima aux publics prioritaires (PDALHPD)"),
    ("ETAT-AGENTS", "", ("5", "5", "5"),
     f"{_MODEL_CUS}, contingent de l'État : 5 % au plus aux agents de l'État"),
    ("PP-5", "", ("30", "30", "30"),
     f"{_MODEL_CUS}, PP-5 : 30 % des attributions aux locataires du parc social"),
    ("AL-SALARIES", "", ("50", "50", "50"),
     "Valeur par défaut de caleol (charte type), Action Logement : 50 % minimum des "
     "attributions au bénéfice de salariés"),
)


def default_target_rows() -> list[dict[str, Any]]:
    """The rows of `TARGETS`, one per year (rates as fractions: 25 → 0.25)."""
    return [{"indicator_code": code, "year": year, "value": Decimal(value) / 100,
             "department_code": department, "epci_code": "", "agency_code": "",
             "commission_code": "", "source": source}
            for code, department, values, source in TARGETS
            for year, value in zip(_CUS_YEARS, values, strict=True)]


def default_criterion_rows() -> list[dict[str, Any]]:
    """The rows of `CRITERIA`, as inserted (the demo's bulk writer uses them too)."""
    return [{"code": code, "label": label, "source": source.value, "legal_reference": ref,
             "active": True}
            for code, label, source, ref in CRITERIA]


def default_reason_rows() -> list[dict[str, Any]]:
    """The rows of `REASONS`, in the catalogue's order (`position` 1, 2…), each tagged
    with the check whose pass contradicts it (`rules.decisions.DEFAULT_REASON_CHECKS`)."""
    return [{"code": code, "label": label, "kind": kind.value, "unlawful_alone": unlawful,
             "legal_reference": ref, "position": position, "active": True,
             "contradicts_check": DEFAULT_REASON_CHECKS.get(code)}
            for position, (code, label, kind, unlawful, ref) in enumerate(REASONS, start=1)]


def install_charter_defaults_in(db: Session) -> tuple[int, int, int]:
    """Fill an empty reasons catalogue, criteria list and targets list with the defaults.

    A catalogue or list that already holds anything is left as it is (the landlord's
    own choices win). Returns the number of reasons, criteria and targets added.
    """
    added_reasons = added_criteria = added_targets = 0
    if not db.execute(sa_select(func.count()).select_from(Reason)).scalar_one():
        for values in default_reason_rows():
            db.add(Reason(**values))
            added_reasons += 1
    if not db.execute(sa_select(func.count()).select_from(PriorityCriterion)).scalar_one():
        for values in default_criterion_rows():
            db.add(PriorityCriterion(**values))
            added_criteria += 1
    if not db.execute(sa_select(func.count()).select_from(Target)).scalar_one():
        for values in default_target_rows():
            db.add(Target(**values))
            added_targets += 1
    db.flush()
    return added_reasons, added_criteria, added_targets


def install_charter_defaults(engine: Engine) -> tuple[int, int, int]:
    """See `install_charter_defaults_in` (one transaction)."""
    with session_scope(engine) as db:
        return install_charter_defaults_in(db)
