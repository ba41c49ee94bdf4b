"""Who signs a PV (extract, rectificatif) and what its signatures say they are.

One organisation certificate in both boxes is the landlord's electronic seal, put
there for the séance's president and secretary, who held the séance; two personal
certificates (one each) are the two persons' own signatures, named from their
certificates. Anything else would print something false, and is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from caleol.errors import CaleolError
from caleol.rules.charter import of_landlord
from caleol.services.certificates import Certificate
from caleol.services.documents.data import SignatureMode, SigningPlan
from caleol.services.documents.session_data import NOT_DESIGNATED
from caleol.services.documents.signatories import role
from caleol.services.documents.signature_boxes import PRESIDENT_FIELD, SECRETARY_FIELD
from caleol.services.signing import FieldSignature

ROLES = {PRESIDENT_FIELD: "président", SECRETARY_FIELD: "secrétaire"}
CIVILITIES = frozenset({"m", "mme", "mlle", "madame", "monsieur", "mademoiselle"})


def plan_signatures(organisation: str, president: str, secretary: str,
                    certificate: Certificate, secretary_certificate: Certificate | None = None,
                    *, timestamp_server: str = "",
                    fields: Sequence[str] = (PRESIDENT_FIELD, SECRETARY_FIELD),
                    ) -> tuple[SigningPlan, list[FieldSignature]]:
    """The plan the document prints and the signatures that carry it out.

    Args:
        organisation: the landlord (whose seal an organisation certificate is).
        president, secretary: the séance's president and secretary, as printed.
        certificate: the organisation's (both boxes), or the president's own.
        secretary_certificate: the secretary's own (then `certificate` is the
            president's).
        fields: the boxes to sign now (a seal may sign one box alone).

    Raises:
        CaleolError: a person's certificate asked to sign for someone else, or an
            organisation certificate given as one of two personal ones.
    """
    names = {PRESIDENT_FIELD: president, SECRETARY_FIELD: secretary}
    unknown = [f for f in fields if f not in names]
    if unknown or not fields:
        raise CaleolError(f"Champ de signature inconnu : {', '.join(unknown) or 'aucun'}.")
    missing = [f for f in names if names[f] == NOT_DESIGNATED]
    if secretary_certificate is None:
        # no seal « pour non désigné »: the box of a person not designated stays empty
        fields = [f for f in fields if f not in missing]
        if not fields:
            raise CaleolError("Aucun cadre à signer : le président et le secrétaire de "
                              "séance ne sont pas désignés.")
        if certificate.person:
            raise CaleolError(
                f"Le certificat de {certificate.person} est celui d'une personne : il ne "
                "peut pas signer pour le président et le secrétaire de séance. Donnez le "
                "certificat de l'organisme (cachet électronique), ou un certificat "
                "personnel pour chacun.")
        plan = SigningPlan(SignatureMode.SEAL, organisation=organisation,
                           timestamp_server=timestamp_server, sealed=tuple(fields))
        return plan, [_seal(field, organisation, names[field], certificate)
                      for field in fields]
    for cert in (certificate, secretary_certificate):
        if not cert.person:
            raise CaleolError(
                f"Le certificat « {cert.subject} » est celui d'un organisme : avec deux "
                "certificats, chacun doit être le certificat personnel de celui qui signe.")
    if missing:
        raise CaleolError(
            f"Aucun {ROLES[missing[0]]} de séance n'est désigné : personne ne peut signer "
            "son cadre avec un certificat personnel. Signez avec le certificat de "
            "l'organisme (cachet électronique, dans le cadre désigné seulement).")
    if tuple(fields) != (PRESIDENT_FIELD, SECRETARY_FIELD):
        raise CaleolError("Avec deux certificats personnels, les deux cadres sont signés "
                          "ensemble.")
    for field, cert in ((PRESIDENT_FIELD, certificate),
                        (SECRETARY_FIELD, secretary_certificate)):
        if not same_person(names[field], cert.person):
            raise CaleolError(
                f"Le certificat de {cert.person} ne peut pas signer pour "
                f"{names[field]}, {role(names[field], ROLES[field])} de séance : chacun "
                "signe avec son propre certificat (ou donnez le certificat de l'organisme "
                "seul, cachet électronique).")
    plan = SigningPlan(SignatureMode.PERSONAL, president_signer=certificate.person,
                       secretary_signer=secretary_certificate.person,
                       timestamp_server=timestamp_server)
    return plan, [_personal(PRESIDENT_FIELD, president, certificate),
                  _personal(SECRETARY_FIELD, secretary, secretary_certificate)]


def _seal(field: str, organisation: str, name: str, cert: Certificate) -> FieldSignature:
    held = f"{role(name, ROLES[field])} de séance"
    seal = f"Cachet électronique {of_landlord(organisation)}"
    return FieldSignature(
        field, cert, f"{seal}, pour {name}, {held}",
        (seal, f"pour {name}, {held}",
         f"Certificat : {cert.subject}"))


def _personal(field: str, name: str, cert: Certificate) -> FieldSignature:
    held = f"{role(name, ROLES[field])} de séance"
    return FieldSignature(
        field, cert, f"{cert.person}, {held}",
        ("Signé électroniquement par", f"{cert.person}, {held}",
         f"Certificat délivré par {cert.issuer}"))


def same_person(printed: str, person: str) -> bool:
    """Whether a certificate's holder is the person the PV names: a personal signature
    in the president's box by anyone else would be a false record. Civility, a quality
    after a comma (« M. Marc Roth, adjoint au maire »), accents, case, hyphens and the
    order of the names do not count; a middle name on one side only is accepted."""
    printed_words, person_words = _name_words(printed.split(",")[0]), _name_words(person)
    printed_words -= CIVILITIES
    if not printed_words or not person_words:
        return False
    return printed_words <= person_words or person_words <= printed_words


def _name_words(name: str) -> set[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return {w for w in re.split(r"[^a-z0-9]+", plain.casefold()) if w}
