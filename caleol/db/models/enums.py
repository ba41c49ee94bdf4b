"""Statuses and kinds that belong to the stored records rather than to the rules.

Rule-level enums (Financing, Zone, Typology, Role, DecisionKind, CandidateException,
Adaptation...) live in `caleol.rules`; the columns store their `.value`.
"""

from enum import StrEnum


class DwellingStatus(StrEnum):
    VACANT = "vacant"
    PROPOSED = "proposed"
    LET = "let"

    @property
    def label(self) -> str:
        return {"vacant": "vacant", "proposed": "proposé", "let": "loué"}[self.value]


class DemandeStatus(StrEnum):
    ACTIVE = "active"
    ATTRIBUTED = "attributed"
    RADIATED = "radiated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "active": "active",
            "attributed": "attribuée",
            "radiated": "radiée",
            "closed": "close",
        }[self.value]


class ResourceKind(StrEnum):
    SALAIRE = "salaire"
    PENSION = "pension"
    PRESTATION = "prestation"
    PENSION_ALIMENTAIRE = "pension_alimentaire"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {
            "salaire": "salaire",
            "pension": "pension de retraite ou d'invalidité",
            "prestation": "prestation sociale",
            "pension_alimentaire": "pension alimentaire",
            "autre": "autre ressource",
        }[self.value]


class MutationMotive(StrEnum):
    SOUS_OCCUPATION = "sous_occupation"
    SUR_OCCUPATION = "sur_occupation"
    HANDICAP_AGE = "handicap_age"
    DEMOLITION_NPNRU = "demolition_npnru"
    VENTE = "vente"
    TRAVAIL = "travail"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {
            "sous_occupation": "sous-occupation",
            "sur_occupation": "sur-occupation",
            "handicap_age": "handicap ou âge",
            "demolition_npnru": "démolition / NPNRU",
            "vente": "vente du logement",
            "travail": "rapprochement du lieu de travail",
            "autre": "autre motif",
        }[self.value]


class CriterionSource(StrEnum):
    CCH = "CCH"
    PDALHPD = "PDALHPD"
    CIA = "CIA"
    CHARTE = "charte"  # the landlord's attribution charter

    @property
    def label(self) -> str:
        return {
            "CCH": "Code de la construction et de l'habitation",
            "PDALHPD": "plan départemental (PDALHPD)",
            "CIA": "convention intercommunale d'attribution",
            "charte": "charte des attributions du bailleur",
        }[self.value]


class ReasonKind(StrEnum):
    NON_ATTRIBUTION = "non_attribution"
    IRRECEVABILITE = "irrecevabilite"

    @property
    def label(self) -> str:
        return {
            "non_attribution": "non-attribution",
            "irrecevabilite": "irrecevabilité",
        }[self.value]


class ReservataireType(StrEnum):
    ETAT_PRIORITAIRES = "etat_prioritaires"
    ETAT_AGENTS = "etat_agents"
    ACTION_LOGEMENT = "action_logement"
    COMMUNE_EPCI = "commune_epci"
    DEPARTEMENT = "departement"
    AUTRE = "autre"
    BAILLEUR = "bailleur"

    @property
    def label(self) -> str:
        return {
            "etat_prioritaires": "État (publics prioritaires)",
            "etat_agents": "État (agents publics)",
            "action_logement": "Action Logement Services",
            "commune_epci": "commune ou EPCI",
            "departement": "département",
            "autre": "autre réservataire",
            "bailleur": "contingent propre du bailleur",
        }[self.value]


class MemberCapacity(StrEnum):
    ADMINISTRATEUR = "administrateur"
    REPRESENTANT_LOCATAIRES = "representant_locataires"
    MAIRE = "maire"
    PREFET = "prefet"
    PRESIDENT_EPCI = "president_epci"
    RESERVATAIRE = "reservataire"
    CONSEILLER_SOCIAL = "conseiller_social"

    @property
    def label(self) -> str:
        return {
            "administrateur": "administrateur désigné par le conseil",
            "representant_locataires": "représentant des locataires",
            "maire": "maire ou son représentant",
            "prefet": "représentant du préfet",
            "president_epci": "président de l'EPCI ou son représentant",
            "reservataire": "réservataire",
            "conseiller_social": "conseiller en économie sociale et familiale",
        }[self.value]


class SessionKind(StrEnum):
    PHYSICAL = "physical"
    REMOTE = "remote"

    @property
    def label(self) -> str:
        return {"physical": "en présentiel", "remote": "dématérialisée"}[self.value]


class SessionStatus(StrEnum):
    """Life of a séance. `closed` and `signed` are frozen (database triggers).

    draft → ready (agenda complete, three-candidate rule met) → held (attendance and
    decisions being recorded) → closed (frozen, minutes can be produced and signed)
    → signed (minutes signed). Only the closed → signed step may touch a frozen row.
    """

    DRAFT = "draft"
    READY = "ready"
    HELD = "held"
    CLOSED = "closed"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return {
            "draft": "en préparation",
            "ready": "prête",
            "held": "en cours",
            "closed": "close",
            "signed": "signée",
        }[self.value]

    @property
    def frozen(self) -> bool:
        return self in (SessionStatus.CLOSED, SessionStatus.SIGNED)


FROZEN_SESSION_STATUSES: tuple[str, ...] = (SessionStatus.CLOSED.value, SessionStatus.SIGNED.value)


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    REPRESENTED = "represented"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"present": "présent", "represented": "représenté", "absent": "absent"}[
            self.value
        ]


class CandidacyOrigin(StrEnum):
    RESERVATAIRE = "reservataire"
    BAILLEUR = "bailleur"
    SUGGESTION = "suggestion"

    @property
    def label(self) -> str:
        return {
            "reservataire": "proposé par le réservataire",
            "bailleur": "ajouté par le bailleur",
            "suggestion": "suggestion de l'application retenue",
        }[self.value]


class CandidacyEventKind(StrEnum):
    REFUSAL = "refusal"
    CONDITION_LAPSED = "condition_lapsed"
    CONDITION_MET = "condition_met"
    LEASE_SIGNED = "lease_signed"

    @property
    def label(self) -> str:
        return {
            "refusal": "refus du candidat",
            "condition_lapsed": "condition suspensive non levée",
            "condition_met": "condition suspensive levée",
            "lease_signed": "bail signé",
        }[self.value]


class ReviewMotive(StrEnum):
    SUR_OCCUPATION = "sur_occupation"
    SOUS_OCCUPATION = "sous_occupation"
    PMR_INUTILE = "pmr_inutile"
    HANDICAP_ADAPTATION = "handicap_adaptation"
    DEPASSEMENT_PLAFOND = "depassement_plafond"

    @property
    def label(self) -> str:
        return {
            "sur_occupation": "sur-occupation",
            "sous_occupation": "sous-occupation",
            "pmr_inutile": "logement adapté dont l'adaptation n'est plus nécessaire",
            "handicap_adaptation": "handicap nécessitant un logement adapté",
            "depassement_plafond": "ressources au-dessus du plafond",
        }[self.value]


class DocumentKind(StrEnum):
    PV = "pv"
    RECTIFICATIF = "rectificatif"
    EXTRAIT = "extrait"

    @property
    def label(self) -> str:
        return {
            "pv": "procès-verbal",
            "rectificatif": "procès-verbal rectificatif",
            "extrait": "extrait du procès-verbal",
        }[self.value]

