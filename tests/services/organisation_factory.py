"""An organisation entered through `caleol.services.organisation`, as a landlord would
(no demo code): a landlord with its logo, the Moselle, Metz Métropole, two agencies,
two réservataires, one commission with titular members and a substitute, a reason of
its own, a target and a letter template of its own."""

from __future__ import annotations

import io
from decimal import Decimal

from sqlalchemy import Engine

from caleol.services import organisation as org
from caleol.services.documents.letter_templates import LetterKind

LANDLORD_SIREN = "732829320"  # nine digits whose Luhn key is right (a made-up landlord)
METZ_METROPOLE = "200039865"


def png_logo(width: int = 120, height: int = 40) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 110, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def build_organisation(engine: Engine) -> None:
    org.install_charter_defaults(engine)
    org.save_landlord(engine, org.LandlordRecord(
        "Habitat Lorrain", LANDLORD_SIREN, "3 rue des Clercs\n57000 Metz", "03 53 01 00 00",
        "contact@habitat-lorrain.example.org", png_logo()))
    org.save_department(engine, org.DepartmentRecord("57", "Moselle", 18))
    org.save_epci(engine, org.EpciRecord(METZ_METROPOLE, "Metz Métropole", "57", True))
    for code, name in (("METZ", "Agence de Metz"), ("WOIPPY", "Agence de Woippy")):
        org.save_agency(engine, org.AgencyRecord(
            code, name, f"1 rue de la Gare\n57000 {name[10:]}", "57", "03 53 01 00 10",
            f"agence.{code.lower()}@habitat-lorrain.example.org"))
    org.save_reservataire(engine, org.ReservataireRecord(
        "ALS", "Action Logement Services", "action_logement", "10 rue Serpenoise\n57000 Metz",
        "Pôle attributions", "03 53 01 01 04", "attributions@als.example.org", 30))
    org.save_reservataire(engine, org.ReservataireRecord(
        "ETAT-57", "Préfecture de la Moselle", "etat_prioritaires", proposal_delay_days=15))
    org.save_commission(engine, org.CommissionRecord(
        "CALEOL-METZ", "CALEOL de Metz", ("METZ", "WOIPPY"), METZ_METROPOLE,
        "Metz, Woippy", "1/2", True))
    members = (
        ("ADM1", "Mme", "Claire Martin", "administrateur", True, False, "", ""),
        ("ADM2", "M.", "Paul Weber", "administrateur", True, False, "", ""),
        ("LOC", "Mme", "Inès Haddad", "representant_locataires", True, False, "", ""),
        ("MAIRE", "M.", "Marc Roth, adjoint au maire", "maire", True, False, "", ""),
        ("EPCI", "Mme", "Lucie Klein", "president_epci", True, True, "", ""),
        ("PREFET", "M.", "Hugo Schmitt, DDETS", "prefet", True, False, "", ""),
        ("ALS", "M.", "Karim Benali", "reservataire", False, False, "ALS", ""),
        ("PREFET-S", "Mme", "Anne Muller, DDETS", "prefet", True, False, "", "PREFET"),
    )
    for code, civility, name, capacity, deliberative, casting, reservataire, titular in members:
        org.save_member(engine, org.MemberRecord(
            "CALEOL-METZ", code, name, capacity, civility, deliberative, casting, reservataire,
            titular))
    org.save_reason(engine, org.ReasonInfo(0, "LOGEMENT_ETAGE", "Étage élevé sans ascenseur "
                                           "incompatible avec la mobilité du ménage",
                                           "non_attribution", False, True,
                                           legal_reference="Charte §2"))
    org.save_target(engine, org.TargetInfo(0, "Q1-HQPV", 2026, Decimal("0.25"),
                                           epci_code=METZ_METROPOLE, source="CIA de Metz"))
    org.save_template(LetterKind.OFFER, "Objet : proposition de logement\n\n"
                                        "Madame, Monsieur,\n\nNous vous proposons $logement.\n")
