"""Who signs a document of the séance, and how its signature section words it.

Shared by the PV, its extract and the rectificatif: « Fait à », the sentences saying
how the document is signed (personal certificates or the landlord's seal, in one box
or both) and where its time comes from, then the two signature boxes. The roles are
worded for the person holding them (« la présidente de séance » for « Mme … »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from caleol.fr import format_date
from caleol.rules.charter import of_landlord
from caleol.services.documents.data import DRAFT_MARK, SignatureMode, SigningPlan
from caleol.services.documents.layout import markup, para, styles, text
from caleol.services.documents.session_data import NOT_DESIGNATED
from caleol.services.documents.signature_boxes import (
    PRESIDENT_FIELD,
    SECRETARY_FIELD,
    signature_row,
)
from caleol.services.signing import SignatureSlot, timestamp_host

PRESIDENT_TITLE = "Le président de séance"
SECRETARY_TITLE = "Le secrétaire de séance"

@dataclass(frozen=True)
class Signatories:
    """Who signs a document of the séance, and where."""

    city: str
    president: str
    secretary: str
    certifications: tuple[str, ...] = ()


def signature_block(who: Signatories, number: int, slots: list[SignatureSlot],
                    plan: SigningPlan, *, dated: date, intro: str = "") -> list[Flowable]:
    """The signature section of a PV, an extract or a rectificatif."""
    st = styles()
    block: list[Flowable] = [para(f"{number}. Signatures", st.h1)]
    if plan.draft:
        block.append(markup(
            f"<b>{text(DRAFT_MARK)}.</b> Ce projet ne vaut pas original : il le devient une "
            "fois signé électroniquement par le président et le secrétaire de séance.",
            st.body))
    else:
        if intro:
            block.append(para(intro, st.body))
        block.append(para(f"Fait à {who.city}, le {format_date(dated)}.", st.body))
        block += [para(line, st.small) for line in signing_sentences(who, plan)]
    block += [
        Spacer(1, 3 * mm),
        signature_row(
            [(title_for(PRESIDENT_TITLE, who.president), who.president, PRESIDENT_FIELD),
             (title_for(SECRETARY_TITLE, who.secretary), who.secretary, SECRETARY_FIELD)],
            [] if plan.draft else slots),
    ]
    return [Spacer(1, 4 * mm), KeepTogether(block)]


def signing_sentences(who: Signatories, plan: SigningPlan) -> list[str]:
    """What the signatures are and where their time comes from (plain text)."""
    president = f"{role(who.president, 'président')} de séance"
    secretary = f"{role(who.secretary, 'secrétaire')} de séance"
    if plan.mode is SignatureMode.SEAL and len(plan.sealed) == 1:
        signed = _one_box_sealed(who, plan)
    elif plan.mode is SignatureMode.SEAL:
        signed = (f"Document revêtu du cachet électronique {of_landlord(plan.organisation)}, "
                  "apposé dans chacun des deux cadres ci-dessous pour le compte des personnes "
                  f"qui ont tenu la séance : {who.president}, {president}, et "
                  f"{who.secretary}, {secretary}.")
    else:
        signed = (f"Signé électroniquement par {plan.president_signer} ({president}) et "
                  f"par {plan.secretary_signer} ({secretary}), chacun avec son certificat "
                  "personnel.")
    if plan.timestamp_server:
        when = ("Les dates et heures de signature sont en heure de Paris ; chaque signature "
                "porte un jeton d'horodatage RFC 3161 du serveur "
                f"{timestamp_host(plan.timestamp_server)}.")
    else:
        when = ("Les dates et heures de signature sont en heure de Paris et données par "
                "l'horloge de l'ordinateur qui a signé (aucun serveur d'horodatage "
                "n'est configuré).")
    return [signed, when, *who.certifications]


def _one_box_sealed(who: Signatories, plan: SigningPlan) -> str:
    """The seal in one box only (the other unticked, or its person not designated)."""
    boxes = {PRESIDENT_FIELD: (who.president, "président"),
             SECRETARY_FIELD: (who.secretary, "secrétaire")}
    (field,) = plan.sealed
    name, word = boxes[field]
    other_name, other_word = next(v for k, v in boxes.items() if k != field)
    if other_name == NOT_DESIGNATED:
        other = f"aucun {other_word} de séance n'a été désigné"
    else:
        other = f"le cadre {_of(other_name, other_word)} n'est pas signé"
    return (f"Document revêtu du cachet électronique {of_landlord(plan.organisation)}, "
            f"apposé dans le seul cadre {_of(name, word)} pour le compte de {name} ; "
            f"{other}.")


def _of(name: str, word: str) -> str:
    """« de la présidente de séance », « du secrétaire de séance »."""
    return f"de la {role(name, word)} de séance" if feminine(name) else f"du {word} de séance"


def feminine(name: str) -> bool:
    """`Mme …`: the civility says how to word the role."""
    return name.startswith(("Mme ", "Mlle "))


def role(name: str, word: str) -> str:
    """`président` → `présidente` for « Mme … » (`secrétaire` is both)."""
    return f"{word}e" if feminine(name) and not word.endswith("e") else word


def title_for(title: str, name: str) -> str:
    """`Le président de séance` → `La présidente de séance` for « Mme … »."""
    if not feminine(name):
        return title
    return title.replace("Le président", "La présidente").replace("Le secrétaire",
                                                                   "La secrétaire")
