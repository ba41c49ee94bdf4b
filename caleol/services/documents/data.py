"""Plain input records of the documents: built from the database by the session services.

The renderers only read these frozen dataclasses, so a document can be produced (and
tested) without a database, and what is printed is exactly the frozen snapshot the
services hand over. Money is `Decimal` euros; checks are `CheckResult.to_json()` dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

# The five decisions of R441-3 CCH, part of what the documents are given (re-exported).
from caleol.rules.decisions import DecisionKind as DecisionKind
from caleol.rules.nur import normalize_nur

# Names of the check snapshots the documents know how to print, in table order.
CEILING = "ceiling"
SOLVENCY = "solvency"
TYPOLOGY = "typology"
WAITING_TIME = "waiting_time"


class SessionKind(StrEnum):
    PHYSICAL = "physical"
    REMOTE = "remote"

    @property
    def label(self) -> str:
        return {"physical": "en présentiel", "remote": "à distance (visioconférence)"}[self.value]


class Attendance(StrEnum):
    PRESENT = "present"
    REPRESENTED = "represented"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"present": "présent", "represented": "représenté", "absent": "absent"}[self.value]


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: printed in every page header, and the letters'
    sender block and contact (from the landlord and agency records)."""

    landlord: str
    agency: str
    address: str = ""  # agency postal address, one line per "\n"
    city: str = ""  # "Fait à <city>" / "<city>, le …"
    landlord_address: str = ""  # head office, one line per "\n"
    logo: bytes | None = field(default=None, repr=False)  # PNG or JPEG
    phone: str = ""  # the agency's, else the landlord's; empty: not printed
    email: str = ""


class SignatureMode(StrEnum):
    """How a PV (extract, rectificatif) is about to be signed, as it must say."""

    DRAFT = "draft"  # not signed: « PROJET — non signé » on every page, no « Fait à »
    SEAL = "seal"  # one organisation certificate in both boxes: the landlord's seal
    PERSONAL = "personal"  # one personal certificate each, named from its subject


@dataclass(frozen=True)
class SigningPlan:
    """What the signature section says before the signatures are put in.

    `organisation`: whose electronic seal (SEAL); `president_signer` and
    `secretary_signer`: the names the personal certificates give (PERSONAL);
    `timestamp_server`: the RFC 3161 server, empty when the signing time is the
    computer's clock. `sealed`: the boxes the seal fills (SEAL; empty: both), so the
    PV never says « dans chacun des deux cadres » of a box left unsigned.
    """

    mode: SignatureMode = SignatureMode.DRAFT
    organisation: str = ""
    president_signer: str = ""
    secretary_signer: str = ""
    timestamp_server: str = ""
    sealed: tuple[str, ...] = ()

    @property
    def draft(self) -> bool:
        return self.mode is SignatureMode.DRAFT


DRAFT = SigningPlan()
DRAFT_MARK = "PROJET — non signé"


@dataclass(frozen=True)
class SessionInfo:
    commission: str  # e.g. "CALEOL de l'agence de Forbach"
    date: date
    place: str
    kind: SessionKind = SessionKind.PHYSICAL
    start: time | None = None
    end: time | None = None
    reference: str = ""  # session number, e.g. "2026-10"
    # start and end confirmed by the secretary at the closing; False for a séance closed
    # before that confirmation existed (its end may be the clock of the closing)
    times_confirmed: bool = True
    # the time the members were called for (the agenda's), apart from the actual start
    convened: time | None = None


@dataclass(frozen=True)
class Member:
    name: str
    capacity: str  # "Administrateur, représentant des locataires", "Maire de Forbach"…
    deliberative: bool
    attendance: Attendance
    proxy: str = ""  # who represents or holds the proxy of this member


@dataclass(frozen=True)
class Quorum:
    deliberative_members: int
    present_or_represented: int
    required: int
    reached: bool


@dataclass(frozen=True)
class Dwelling:
    reference: str
    address: str
    commune: str
    qpv: bool | None  # None: unknown
    typology: str  # "T3"
    surface_m2: Decimal | None  # None: not known (documents then say nothing of it)
    financing: str  # "PLUS", "PLAI", "PLS"…
    rent: Decimal  # monthly, euros
    charges: Decimal
    energy: Decimal | None  # monthly energy estimate; None: not known
    reservataire: str  # contingent the vacancy is oriented to
    floor: str = ""  # "2e étage avec ascenseur"
    available_on: date | None = None
    annex_rent: Decimal = Decimal(0)  # garage, parking… (counts in the taux d'effort)

    @property
    def total_cost(self) -> Decimal:
        return self.rent + self.annex_rent + self.charges + (self.energy or Decimal(0))


@dataclass(frozen=True)
class CandidateRule:
    """Three-candidate rule status for one dwelling (R441-3 CCH)."""

    candidate_count: int
    satisfied: bool
    exception: str = ""  # ground of the exception, e.g. "Ménage prioritaire DALO"
    justification: str = ""


@dataclass(frozen=True)
class Votes:
    in_favour: int
    against: int
    abstention: int
    casting_vote_used: bool = False  # the president's casting vote settled a tie

    @property
    def label(self) -> str:
        text = f"pour {self.in_favour} · contre {self.against} · abst. {self.abstention}"
        return text + (" (voix prépondérante)" if self.casting_vote_used else "")


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    rank: int | None = None  # attribution par ordre de priorité
    condition: str = ""  # attribution sous condition: the missing document
    deadline: date | None = None  # … and when it must be supplied
    reason: str = ""  # non-attribution / irrecevabilité (every cited reason, then the text)
    # how many catalogue reasons `reason` cites: a letter announces « les motifs suivants »
    # for two (`reason` alone cannot tell, its free text may hold « ; » too)
    reason_count: int = 1
    votes: Votes | None = None
    justification: str = ""  # why the commission decided against a check (below)
    # the checks the justification answers, as the PV states them: « plafond de
    # ressources : indéterminé », « motif « … » contredit par le contrôle … (conforme) »
    justified: tuple[str, ...] = ()
    vote_sentence: str = ""  # « À l'unanimité des membres présents ou représentés… »


@dataclass(frozen=True)
class PreviousOffer:
    """An earlier offer to the applicant, for the fiche candidat."""

    date: date
    dwelling: str
    outcome: str  # "refusée (logement trop éloigné du travail)"


@dataclass(frozen=True)
class FollowUp:
    """What happened to a candidacy after the séance (`CandidacyEventKind` value)."""

    kind: str  # refusal, condition_met, condition_lapsed, lease_signed
    date: date
    reason: str = ""


@dataclass(frozen=True)
class Candidate:
    nur: str
    name: str
    household: str  # "Couple + 2 enfants (4 pers.)"
    checks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    priority: str = ""  # priority ground(s), empty if none
    dalo: bool = False
    presented_by: str = ""  # réservataire that presented the candidacy
    filed_on: date | None = None
    decision: Decision | None = None
    # What the fiche candidat and the letters need on top of the minutes:
    monthly_resources: Decimal | None = None
    resources_stable: bool | None = None
    housing_aid: Decimal | None = None
    cotation: str = ""  # score as printed by the SNE, e.g. "214 points"
    postal_address: str = ""  # one line per "\n"
    civility: str = ""  # « Mme », « M. », "" when not stated: the letters' « Madame, »
    addressee: str = ""  # « Élodie MARTIN » (first names, surname), under the civility
    previous_offers: tuple[PreviousOffer, ...] = ()
    notes: str = ""
    events: tuple[FollowUp, ...] = ()  # after the séance, in the order recorded

    def event(self, kind: str) -> FollowUp | None:
        return next((e for e in self.events if e.kind == kind), None)

    def check(self, name: str) -> Mapping[str, Any]:
        return self.checks.get(name, {})


@dataclass(frozen=True)
class DwellingExamination:
    """A dwelling, its candidates, and where its offer stands after the séance.

    `offer_holder`: the NUR of the candidate the dwelling is offered to now (the first
    attributed one, then the next when one refuses or lets a condition lapse; "" once
    a lease is signed or nobody is left); `lease_holder`: whose lease is signed.
    """

    dwelling: Dwelling
    candidate_rule: CandidateRule
    candidates: tuple[Candidate, ...]
    offer_holder: str = ""
    lease_holder: str = ""


@dataclass(frozen=True)
class OccupancyReview:
    """One case of the examen de l'occupation des logements and the commission's opinion."""

    tenant: str
    dwelling: str
    situation: str  # "Sous-occupation : T4 occupé par une personne"
    opinion: str  # "Avis favorable à une proposition de T2"
    comment: str = ""


@dataclass(frozen=True)
class OriginalReference:
    """The signed PV a rectifying document corrects."""

    session_date: date
    signed_on: date
    sha256: str


@dataclass(frozen=True)
class MinutesData:
    letterhead: Letterhead
    session: SessionInfo
    members: tuple[Member, ...]
    quorum: Quorum
    president: str
    secretary: str
    dwellings: tuple[DwellingExamination, ...]
    occupancy_reviews: tuple[OccupancyReview, ...] = ()
    rectifies: OriginalReference | None = None
    # Statements printed above the signatures of a signed PV, one paragraph each (e.g.
    # the audit chain's fingerprint at signing time).
    certifications: tuple[str, ...] = ()
    # The PDF's metadata keywords: the audit chain's head at the closing, read back by
    # `caleol verify-db --anchor` (caleol.services.anchor).
    keywords: tuple[str, ...] = ()

    def find_candidate(self, nur: str) -> tuple[DwellingExamination, Candidate]:
        """The examination a candidate was presented in (first match by NUR, typed with
        or without its spaces, as `caleol session add-candidate` takes it)."""
        wanted = normalize_nur(nur)
        for exam in self.dwellings:
            for candidate in exam.candidates:
                if normalize_nur(candidate.nur) == wanted:
                    return exam, candidate
        raise KeyError(nur)


@dataclass(frozen=True)
class Correction:
    """One change a rectificatif makes to a signed PV."""

    location: str  # the point of the PV: "Logement FOR-0123, candidat 0572403…, décision"
    before: str  # the wording the signed PV has ("" when it was not quoted)
    after: str  # the wording it takes
    reason: str = ""
    author: str = ""  # who recorded the rectification
    recorded_on: date | None = None


@dataclass(frozen=True)
class RectificatifData:
    letterhead: Letterhead
    session: SessionInfo
    original: OriginalReference
    corrections: tuple[Correction, ...]
    president: str
    secretary: str
    issued_on: date
