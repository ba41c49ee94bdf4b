"""The frozen snapshots and audit entries of an access request, in plain French.

A séance keeps, for each candidate, the household and the checks as the commission
saw them, under the program's internal keys (`monthly_resources`, `status`…). The
person asking what is held on them reads French labels, and each check as a
sentence (its explanation already states its figures and inputs); RGPD art. 12
asks for clear and plain language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caleol.fr import CIVILITY_WORDS

# Household snapshot key → French label (amounts: the label says the unit).
HOUSEHOLD_LABELS = {
    "nur": "NUR",
    "name": "nom",
    "civility": "civilité",
    "addressee": "destinataire des courriers",
    "summary": "composition du ménage",
    "persons": "nombre de personnes",
    "consumption_units": "unités de consommation",
    "monthly_resources": "ressources mensuelles (€/mois)",
    "resources_stable": "ressources stables",
    "housing_aid": "aide au logement (€/mois)",
    "reference_tax_income": "revenu fiscal de référence (€)",
    "reference_tax_income_year": "année du revenu fiscal",
    "payment_guarantee": "garantie de paiement",
    "dalo": "reconnu prioritaire DALO",
    "priorities": "critères de priorité",
    "cotation": "cotation",
    "filing_date": "date de dépôt de la demande",
    "action_logement_employee": "salarié (Action Logement)",
    "postal_address": "adresse",
    "examined_on": "date de l'examen",
}
CHECK_TITLES = {
    "ceiling": "Plafond de ressources",
    "solvency": "Taux d'effort et reste à vivre",
    "typology": "Typologie du logement",
    "waiting_time": "Ancienneté de la demande",
    "candidate_count": "Nombre de candidats",
}
STATUS_WORDS = {"pass": "conforme", "fail": "non conforme",
                "unknown": "indéterminé (donnée manquante)"}
# Audit entity → what it is, for the person.
ENTITY_LABELS = {
    "demande": "demande",
    "household_member": "personne du ménage",
    "resource": "ressource",
    "demande_priority": "critère de priorité",
    "wished_commune": "commune souhaitée",
    "candidacy": "candidature en commission",
}


def household_snapshot(snapshot: Any) -> dict[str, Any] | None:
    """The household as the commission saw it, under French labels (unknown keys,
    if a later version adds some, keep a readable form of their name)."""
    if not isinstance(snapshot, Mapping):
        return None
    return {HOUSEHOLD_LABELS.get(str(k), str(k).replace("_", " ")):
            CIVILITY_WORDS.get(str(v), "non précisée") if k == "civility" else v
            for k, v in snapshot.items()}


def checks_snapshot(snapshot: Any) -> list[dict[str, str]]:
    """Each check presented to the commission: title, result, explanation, reference."""
    if not isinstance(snapshot, Mapping):
        return []
    out = []
    for name, check in snapshot.items():
        check = check if isinstance(check, Mapping) else {}
        out.append({
            "contrôle": CHECK_TITLES.get(str(name), str(name).replace("_", " ")),
            "résultat": STATUS_WORDS.get(str(check.get("status")), "non évalué"),
            "explication": str(check.get("explanation") or ""),
            "référence": str(check.get("reference") or ""),
        })
    return out


def check_sentence(check: Mapping[str, str]) -> str:
    """`Plafond de ressources : conforme. Ménage de catégorie 2 …`."""
    sentence = f"{check['contrôle']} : {check['résultat']}."
    if check.get("explication"):
        sentence += f" {check['explication']}"
    return sentence


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity.replace("_", " "))
