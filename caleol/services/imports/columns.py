"""The columns of the dwelling and demande CSV files, declared once.

Imports read them (any header whose normalised form matches the name or an alias),
exports write `header`, and `docs/csv-columns.md` documents the same list. The
normalised form of each `header` is its `name`, so an exported file re-imports as is.
"""

from __future__ import annotations

from dataclasses import dataclass

from caleol.services.imports.csvfile import normalize_header


@dataclass(frozen=True)
class Column:
    name: str  # canonical, = normalize_header(header)
    header: str  # as exported
    required: bool = False
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        assert normalize_header(self.header) == self.name, (self.header, self.name)


DWELLING_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Référence", True, ("ref", "reference_logement", "numero_logement")),
    Column("identifiant_rpls", "Identifiant RPLS", aliases=("rpls", "id_rpls")),
    Column("programme", "Programme", aliases=("residence",)),
    Column("adresse", "Adresse"),
    Column("code_insee", "Code INSEE", True, ("insee", "commune_insee", "code_commune")),
    Column("commune", "Commune", aliases=("ville", "nom_commune")),
    Column("code_postal", "Code postal", aliases=("cp",)),
    # Exported for reading; ignored on import (derived from the INSEE code).
    Column("siren_epci", "SIREN EPCI"),
    Column("epci", "EPCI"),
    Column("zone_de_plafonds", "Zone de plafonds", aliases=("zone",)),
    Column("agence", "Agence"),
    Column("qpv", "QPV", aliases=("en_qpv",)),
    Column("code_qpv", "Code QPV"),
    Column("renouvellement_urbain", "Renouvellement urbain", aliases=("npnru", "anru")),
    Column("typologie", "Typologie", True, ("type", "typo")),
    Column("surface", "Surface (m²)", aliases=("surface_m2", "surface_habitable")),
    Column("etage", "Étage"),
    Column("ascenseur", "Ascenseur"),
    Column("pmr", "PMR", aliases=("adapte_pmr", "logement_adapte", "accessible")),
    Column("financement", "Financement", True, ("financement_logement",)),
    Column("loyer", "Loyer (€)", True, ("loyer_mensuel", "loyer_principal")),
    Column("charges", "Charges (€)", aliases=("charges_locatives", "provisions_charges")),
    Column("energie", "Énergie (€)", aliases=("energie_estimee", "cout_energie")),
    Column("loyer_annexes", "Loyer annexes (€)", aliases=("annexes", "garage", "parking")),
    Column("date_disponibilite", "Date disponibilité",
           aliases=("date_de_disponibilite", "disponibilite", "disponible_le")),
    Column("reservataire", "Réservataire", aliases=("contingent",)),
    Column("premiere_location", "Première location",
           aliases=("premiere_mise_en_location", "mise_en_service")),
    Column("annee_construction", "Année construction",
           aliases=("annee_de_construction", "construction")),
    Column("statut", "Statut"),
)

DEMANDE_COLUMNS: tuple[Column, ...] = (
    Column("nur", "NUR", True, ("numero_unique", "numero_unique_regional", "nur_demande")),
    Column("date_depot", "Date dépôt", True, ("date_de_depot", "depot", "date_depot_demande")),
    Column("date_renouvellement", "Date renouvellement",
           aliases=("date_de_renouvellement", "renouvellement")),
    Column("statut", "Statut"),
    Column("date_statut", "Date statut",
           aliases=("date_de_statut", "date_du_statut", "date_changement_statut",
                    "date_de_changement_de_statut", "date_changement_de_statut")),
    Column("civilite", "Civilité", aliases=("civilite_demandeur", "titre")),
    Column("nom", "Nom", aliases=("nom_demandeur",)),
    Column("prenoms", "Prénoms", aliases=("prenom", "prenom_demandeur")),
    Column("adresse", "Adresse"),
    Column("code_postal", "Code postal", aliases=("cp",)),
    Column("ville", "Ville", aliases=("commune",)),
    Column("departement", "Département", aliases=("dept",)),
    Column("membres", "Membres", True, ("menage", "composition", "composition_du_menage")),
    Column("ressources", "Ressources", aliases=("ressources_mensuelles",)),
    Column("revenu_fiscal_reference", "Revenu fiscal référence",
           aliases=("revenu_fiscal_de_reference", "rfr", "revenu_fiscal")),
    Column("annee_revenu_fiscal", "Année revenu fiscal",
           aliases=("annee_rfr", "annee_du_revenu_fiscal")),
    Column("revenus_n_1", "Revenus n-1", aliases=("revenus_n_1_demandes", "rfr_n_1")),
    Column("apl", "APL (€)", aliases=("aide_au_logement", "al")),
    Column("dalo", "DALO"),
    Column("date_comed", "Date COMED", aliases=("date_decision_comed",)),
    Column("syplo", "SYPLO", aliases=("label_syplo",)),
    Column("cotation", "Cotation", aliases=("score", "score_cotation")),
    Column("salarie_action_logement", "Salarié Action Logement",
           aliases=("action_logement", "salarie")),
    Column("locataire_hlm", "Locataire HLM", aliases=("locataire_social", "mutation")),
    Column("motif_mutation", "Motif mutation", aliases=("motif_de_mutation",)),
    Column("criteres_priorite", "Critères priorité",
           aliases=("criteres_de_priorite", "priorites", "criteres")),
    Column("communes_souhaitees", "Communes souhaitées", aliases=("communes", "souhaits_communes")),
    Column("typologies_souhaitees", "Typologies souhaitées",
           aliases=("typologies", "souhaits_typologies")),
    Column("loyer_max", "Loyer max (€)", aliases=("loyer_maximum",)),
    Column("bail_glissant", "Bail glissant", aliases=("association_bail_glissant",)),
    Column("garantie", "Garantie", aliases=("garantie_de_paiement", "visale", "fsl")),
    Column("notes", "Notes", aliases=("observations", "commentaire")),
)


def aliases_of(columns: tuple[Column, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in columns:
        found[column.name] = column.name
        for alias in column.aliases:
            found[alias] = column.name
    return found


def required_of(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.name for c in columns if c.required)
