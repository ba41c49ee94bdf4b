"""Reference tables of the demo: ceilings, quartiles, criteria, reasons, réservataires, targets."""

from __future__ import annotations

from dataclasses import dataclass, field

from caleol.db.models import (
    CeilingRow,
    PriorityCriterion,
    QuartileThreshold,
    Reason,
    Reservataire,
    Target,
)
from caleol.db.models.enums import CriterionSource, ReservataireType
from caleol.db.typed import table_of
from caleol.rules.ceilings import shipped_ceiling_table
from caleol.services.bulk import AuditedInserter
from caleol.services.demo.territory import Territory
from caleol.services.organisation.defaults import (
    default_criterion_rows,
    default_reason_rows,
    default_target_rows,
)

# The charter's default criteria and reasons (services.organisation.defaults), plus the
# local criteria of the demo territory's plans and conventions.
LOCAL_CRITERIA: tuple[tuple[str, str, CriterionSource, str], ...] = (
    ("PDALHPD_SANS_LOGEMENT", "Ménage sans logement suivi par le SIAO (PDALHPD)",
     CriterionSource.PDALHPD, "PDALHPD de la Moselle et de Meurthe-et-Moselle"),
    ("PDALHPD_TAUX_EFFORT", "Ménage dont le taux d'effort actuel dépasse 40 % (PDALHPD)",
     CriterionSource.PDALHPD, "PDALHPD"),
    ("CIA_DELAI", "Demande dépassant le délai anormalement long (CIA)", CriterionSource.CIA,
     "Convention intercommunale d'attribution"),
    ("CIA_RAPPROCHEMENT_EMPLOI", "Rapprochement du lieu de travail (CIA)",
     CriterionSource.CIA, "Convention intercommunale d'attribution"),
    ("CIA_RELOGEMENT_NPNRU", "Relogement au titre du renouvellement urbain (NPNRU)",
     CriterionSource.CIA, "Convention intercommunale d'attribution"),
)

# code, name, kind, delay (days)
RESERVATAIRES: tuple[tuple[str, str, ReservataireType, int], ...] = (
    ("ETAT-57-PRIO", "Préfecture de la Moselle (publics prioritaires)",
     ReservataireType.ETAT_PRIORITAIRES, 15),
    ("ETAT-54-PRIO", "Préfecture de Meurthe-et-Moselle (publics prioritaires)",
     ReservataireType.ETAT_PRIORITAIRES, 15),
    ("ETAT-AGENTS", "État (agents civils et militaires)", ReservataireType.ETAT_AGENTS, 15),
    ("ALS", "Action Logement Services", ReservataireType.ACTION_LOGEMENT, 30),
    ("METZ-METROPOLE", "Metz Métropole", ReservataireType.COMMUNE_EPCI, 15),
    ("GRAND-NANCY", "Métropole du Grand Nancy", ReservataireType.COMMUNE_EPCI, 15),
    ("VILLE-THIONVILLE", "Ville de Thionville", ReservataireType.COMMUNE_EPCI, 15),
    ("CD57", "Département de la Moselle", ReservataireType.DEPARTEMENT, 15),
    ("VIVEST", "Vivest (contingent propre)", ReservataireType.BAILLEUR, 0),
)


# code -> postal address, contact name, phone, e-mail (fictitious: see territory.LANDLORD)
RESERVATAIRE_CONTACTS: dict[str, tuple[str, str, str, str]] = {
    "ETAT-57-PRIO": ("DDETS de la Moselle\n9 place de la Préfecture\n57000 Metz",
                     "Service logement des publics prioritaires", "03 53 01 01 01",
                     "contingent.57@etat.example.org"),
    "ETAT-54-PRIO": ("DDETS de Meurthe-et-Moselle\n1 rue de la Préfecture\n54000 Nancy",
                     "Service logement des publics prioritaires", "03 53 01 01 02",
                     "contingent.54@etat.example.org"),
    "ETAT-AGENTS": ("Préfecture de la Moselle\n9 place de la Préfecture\n57000 Metz",
                    "Bureau du logement des agents de l'État", "03 53 01 01 03",
                    "logement.agents@etat.example.org"),
    "ALS": ("Action Logement Services\n10 rue Serpenoise\n57000 Metz",
            "Pôle attributions Grand Est", "03 53 01 01 04", "attributions@als.example.org"),
    "METZ-METROPOLE": ("Metz Métropole\n1 place du Parlement de Metz\n57000 Metz",
                       "Direction de l'habitat", "03 53 01 01 05",
                       "habitat@metzmetropole.example.org"),
    "GRAND-NANCY": ("Métropole du Grand Nancy\n22-24 viaduc Kennedy\n54000 Nancy",
                    "Direction de l'habitat", "03 53 01 01 06",
                    "habitat@grandnancy.example.org"),
    "VILLE-THIONVILLE": ("Mairie de Thionville\n11 place Anne Grommerch\n57100 Thionville",
                         "Service logement", "03 53 01 01 07",
                         "logement@thionville.example.org"),
    "CD57": ("Département de la Moselle\n1 rue du Pont Moreau\n57000 Metz",
             "Direction de la solidarité", "03 53 01 01 08", "logement@moselle.example.org"),
    "VIVEST": ("", "", "", ""),
}


@dataclass
class References:
    criterion_ids: dict[str, int] = field(default_factory=dict)
    reason_ids: dict[str, int] = field(default_factory=dict)
    reservataire_ids: dict[str, int] = field(default_factory=dict)


def create_references(writer: AuditedInserter, territory: Territory) -> References:
    refs = References()
    rows = []
    for row in shipped_ceiling_table().rows:
        cat = row.categories
        rows.append({
            "financing": row.financing.value, "zone": row.zone.value,
            "effective_from": row.effective_from, "cat1": cat[0], "cat2": cat[1],
            "cat3": cat[2], "cat4": cat[3], "cat5": cat[4], "cat6": cat[5],
            "per_extra": row.per_extra_person, "source": row.source, "imported": False,
        })
    writer.insert(table_of(CeilingRow), rows)
    writer.insert(table_of(QuartileThreshold), [
        {
            "epci_id": territory.epci_ids[siren], "year": year, "threshold_cents": euros * 100,
            "source": f"Démonstration : seuil plausible {year} (à remplacer par l'arrêté)",
        }
        for siren, years in territory.epci_thresholds.items()
        for year, euros in years.items()
    ])
    criteria = default_criterion_rows() + [
        {"code": code, "label": label, "source": source.value, "legal_reference": ref,
         "active": True}
        for code, label, source, ref in LOCAL_CRITERIA
    ]
    ids = writer.insert(table_of(PriorityCriterion), criteria)
    refs.criterion_ids = dict(zip((str(c["code"]) for c in criteria), ids, strict=True))
    reasons = default_reason_rows()
    ids = writer.insert(table_of(Reason), reasons)
    refs.reason_ids = dict(zip((str(r["code"]) for r in reasons), ids, strict=True))
    ids = writer.insert(table_of(Reservataire), [
        {"code": code, "name": name, "kind": kind.value, "proposal_delay_days": delay,
         **dict(zip(("address", "contact_name", "phone", "email"),
                    RESERVATAIRE_CONTACTS[code], strict=True))}
        for code, name, kind, delay in RESERVATAIRES
    ])
    refs.reservataire_ids = dict(zip((r[0] for r in RESERVATAIRES), ids, strict=True))
    # the landlord's targets installed with the charter (the CUS amendment's, per
    # département, and the charter's); the CCH's national targets need no row
    writer.insert(table_of(Target), default_target_rows())
    return refs
