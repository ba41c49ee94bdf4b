"""The five decisions of R441-3 CCH and the consistency of one dwelling's decision set.

Decisions documented once here (`check_decision_set` enforces them):

* A dwelling goes either to **one** candidate (a plain attribution, or one unranked
  conditional attribution) or to a **ranking** (attribution par ordre de priorité):
  never both, and never two unranked attributions.
* Ranks are carried by `attribution_rang` (required) and may be carried by
  `attribution_sous_condition` (a ranked candidate whose attribution also waits for
  a document). Together they must read 1, 2, ... n with no gap and no duplicate.
  A plain attribution, a non-attribution or an irrecevabilité has no rank.
* A conditional attribution needs the condition (the missing document) and a
  deadline; a condition or a deadline on any other kind is an error.
* A non-attribution or an irrecevabilité needs a reason (notified in writing,
  L441-2-2 CCH).
* Nothing unjustified (`justification_grounds`): an attribution to a candidate whose
  ceiling, solvency or typology check failed *or is unknown* (« indéterminé »: a
  missing ceiling table, an incomplete file) needs a written justification; so does
  a refusal whose catalogue reason is contradicted by the candidate's own passing
  check (« ressources supérieures au plafond » while the ceiling check passes). The
  minutes print the justification beside the decision with the check's status.
* A candidate appears at most once in a dwelling's decisions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from caleol.rules.result import Status

# The checks an attribution's lawfulness rests on (charter §2: recevabilité, solvency,
# typology); the age of the application only informs priorities.
GATING_CHECKS = ("ceiling", "solvency", "typology")

CHECK_LABELS = {
    "ceiling": "plafond de ressources",
    "solvency": "solvabilité",
    "typology": "typologie",
    "waiting_time": "ancienneté de la demande",
    "candidate_count": "nombre de candidats",
}


class DecisionKind(StrEnum):
    ATTRIBUTION = "attribution"
    ATTRIBUTION_RANG = "attribution_rang"
    ATTRIBUTION_SOUS_CONDITION = "attribution_sous_condition"
    NON_ATTRIBUTION = "non_attribution"
    IRRECEVABILITE = "irrecevabilite"

    @property
    def label(self) -> str:
        return {
            "attribution": "Attribution",
            "attribution_rang": "Attribution par ordre de priorité",
            "attribution_sous_condition": "Attribution sous condition suspensive",
            "non_attribution": "Non-attribution",
            "irrecevabilite": "Rejet pour irrecevabilité",
        }[self.value]

    @property
    def is_attribution(self) -> bool:
        return self in (
            DecisionKind.ATTRIBUTION,
            DecisionKind.ATTRIBUTION_RANG,
            DecisionKind.ATTRIBUTION_SOUS_CONDITION,
        )

    @property
    def needs_reason(self) -> bool:
        return self in (DecisionKind.NON_ATTRIBUTION, DecisionKind.IRRECEVABILITE)


@dataclass(frozen=True)
class CitedReason:
    """A catalogue reason cited by a refusal, with what the rules need to know of it.

    `contradicts_check`: the check whose *pass* contradicts the reason (« ressources
    supérieures au plafond » ↔ `ceiling`); None when no check bears on it.
    """

    label: str
    unlawful_alone: bool = False
    contradicts_check: str | None = None


# The charter's default catalogue (its reason codes) → the check each reason asserts
# failed. A landlord's own reasons carry the same tag (`Reason.contradicts_check`).
DEFAULT_REASON_CHECKS: Mapping[str, str] = MappingProxyType({
    "PLAFOND": "ceiling",  # ressources supérieures au plafond réglementaire
    "SOLVABILITE": "solvency",  # taux d'effort et reste à vivre incompatibles
    "RESSOURCES_FAIBLES": "solvency",  # ressources insuffisantes
    "INADAPTE": "typology",  # logement inadapté à la composition du ménage
})


@dataclass(frozen=True)
class Decision:
    """One candidate's decision; `candidate_id` is the NUR or any stable candidate id.

    `cited`: the catalogue reasons of a refusal (the reason and a second one);
    `reason`: the free text of the reason (or the whole reason when nothing is cited).
    """

    candidate_id: str
    kind: DecisionKind
    rank: int | None = None
    condition: str = ""
    deadline: date | None = None
    reason: str = ""
    justification: str = ""
    cited: tuple[CitedReason, ...] = ()

    @property
    def reason_statement(self) -> str:
        """The reason as notified: the catalogue labels, then the free text."""
        parts = [c.label for c in self.cited] + [self.reason]
        return " ; ".join(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class JustificationGround:
    """Why a decision needs a written justification: a check and its status.

    `reason` is set when the check *passes* and so contradicts that cited reason.
    """

    check: str
    status: str  # result.Status value
    reason: str = ""

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.check, self.check)

    @property
    def sentence(self) -> str:
        """« plafond de ressources : indéterminé », or the contradicted reason."""
        if self.reason:
            return (f"motif « {self.reason} » contredit par le contrôle « {self.label} » "
                    f"({Status(self.status).label})")
        return f"{self.label} : {Status(self.status).label}"


def justification_grounds(
    kind: DecisionKind, statuses: Mapping[str, str] | None, cited: Sequence[CitedReason] = ()
) -> tuple[JustificationGround, ...]:
    """What a written justification must answer (empty: none is needed).

    Args:
        statuses: check name → `Status` value of the candidate's checks; None when
            unknown to the caller (nothing is then required). A gating check missing
            from a given mapping counts as unknown: never a silent pass.
    """
    if statuses is None:
        return ()
    if kind.is_attribution:
        return tuple(
            JustificationGround(name, statuses.get(name) or Status.UNKNOWN.value)
            for name in GATING_CHECKS
            if (statuses.get(name) or Status.UNKNOWN.value) != Status.PASS.value
        )
    if kind.needs_reason:
        return tuple(
            JustificationGround(c.contradicts_check, Status.PASS.value, c.label)
            for c in cited
            if c.contradicts_check and statuses.get(c.contradicts_check) == Status.PASS.value
        )
    return ()


def _justification_problem(grounds: Sequence[JustificationGround]) -> str:
    contradicted = [g for g in grounds if g.reason]
    failed = [g.label for g in grounds if not g.reason and g.status == Status.FAIL.value]
    unknown = [g.label for g in grounds if not g.reason and g.status != Status.FAIL.value]
    parts = []
    if failed:
        parts.append(f"contrôle non conforme ({', '.join(failed)})")
    if unknown:
        parts.append(f"contrôle indéterminé ({', '.join(unknown)})")
    parts += [f"le motif « {g.reason} » est contredit par le contrôle « {g.label} » "
              "(conforme)" for g in contradicted]
    return f"{' ; '.join(parts)} ; une justification est requise."


def decision_problems(d: Decision, statuses: Mapping[str, str] | None = None) -> dict[str, str]:
    """The problems of one decision on its own, by form field (`rank`, `condition`,
    `deadline`, `reason`, `justification`); messages start in lower case, to follow
    « Attribution (NUR) : » or to be capitalised beside a field.
    """
    problems: dict[str, str] = {}
    if d.rank is not None:
        if d.kind not in (DecisionKind.ATTRIBUTION_RANG, DecisionKind.ATTRIBUTION_SOUS_CONDITION):
            problems["rank"] = "ce type de décision ne porte pas de rang."
        elif isinstance(d.rank, bool) or not isinstance(d.rank, int) or d.rank < 1:
            problems["rank"] = "le rang doit être un entier à partir de 1."
    if d.kind is DecisionKind.ATTRIBUTION_RANG and d.rank is None:
        problems["rank"] = "le rang est obligatoire."
    if d.kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION:
        if not d.condition.strip():
            problems["condition"] = "indiquez la condition (pièce manquante)."
        if d.deadline is None:
            problems["deadline"] = "indiquez la date limite de la condition."
    elif d.condition.strip() or d.deadline is not None:
        problems["condition"] = (
            "une condition et un délai ne s'appliquent qu'à une attribution sous condition "
            "suspensive."
        )
    if d.kind.needs_reason and not d.reason_statement:
        problems["reason"] = "le motif est obligatoire."
    grounds = justification_grounds(d.kind, statuses, d.cited)
    if grounds and not d.justification.strip():
        problems["justification"] = _justification_problem(grounds)
    return problems


def check_decision_set(
    decisions: Sequence[Decision],
    checks_by_candidate: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """French problems of one dwelling's decisions; an empty list means consistent.

    Args:
        checks_by_candidate: candidate id → its checks' statuses (check name →
            `Status` value); see `justification_grounds`.
    """
    problems: list[str] = []
    checks = checks_by_candidate or {}

    seen: set[str] = set()
    for d in decisions:
        if d.candidate_id in seen:
            problems.append(f"Le candidat {d.candidate_id} a plusieurs décisions.")
        seen.add(d.candidate_id)

    for d in decisions:
        who = f"{d.kind.label} ({d.candidate_id})"
        statuses = checks.get(d.candidate_id) if checks_by_candidate is not None else None
        problems += [f"{who} : {p}" for p in decision_problems(d, statuses).values()]

    plain = [d for d in decisions if d.kind is DecisionKind.ATTRIBUTION]
    unranked = [d for d in decisions if d.kind.is_attribution and d.rank is None
                and d.kind is not DecisionKind.ATTRIBUTION_RANG]
    ranked = [d for d in decisions if d.kind.is_attribution and d.rank is not None]
    if len(plain) > 1:
        ids = ", ".join(d.candidate_id for d in plain)
        problems.append(f"Plusieurs attributions simples pour le même logement ({ids}).")
    elif len(unranked) > 1:
        ids = ", ".join(d.candidate_id for d in unranked)
        problems.append(
            f"Plusieurs attributions sans rang pour le même logement ({ids}) : "
            "classez-les par ordre de priorité."
        )
    if unranked and ranked:
        problems.append(
            "Le logement ne peut pas être à la fois attribué sans rang et attribué par "
            "ordre de priorité : classez toutes les attributions ou n'en gardez qu'une."
        )
    ranks = [d.rank for d in ranked if isinstance(d.rank, int) and not isinstance(d.rank, bool)]
    duplicates = sorted({r for r in ranks if ranks.count(r) > 1})
    for rank in duplicates:
        problems.append(f"Le rang {rank} est attribué plusieurs fois.")
    if ranks and sorted(set(ranks)) != list(range(1, len(set(ranks)) + 1)):
        missing = sorted(set(range(1, max(ranks) + 1)) - set(ranks))
        if missing:
            listed = ", ".join(str(r) for r in missing)
            problems.append(f"Rangs manquants : {listed} (les rangs vont de 1 à n sans trou).")
    return problems


def _normalized(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("'", " ").replace("’", " ").split())


MAX_EXTRA_WORDS = 3
UNLAWFUL_ALONE: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("ressources insuffisantes", "ressources trop faibles", "insuffisance de ressources",
         "revenus insuffisants", "revenus trop faibles"),
        "« ressources insuffisantes » ne peut pas motiver seul un refus : ajoutez un second "
        "motif légal, ou précisez en quoi le coût du logement est insupportable et "
        "qu'aucune garantie n'est possible.",
    ),
    (
        ("absence de lien avec la commune", "pas de lien avec la commune",
         "aucun lien avec la commune", "non originaire de la commune"),
        "« absence de lien avec la commune » ne peut pas motiver seul un refus "
        "(critère discriminatoire) : ajoutez un second motif légal.",
    ),
)


def _unlawful_ground(reason: str) -> int | None:
    """Index in `UNLAWFUL_ALONE` of the ground this reason amounts to, if any.

    A reason amounts to an unlawful ground when it contains one of its phrases and at
    most `MAX_EXTRA_WORDS` other words ("ressources insuffisantes pour ce loyer"); a
    longer text states something else as well and is left to the secretary.
    """
    text = _normalized(reason)
    for index, (phrases, _warning) in enumerate(UNLAWFUL_ALONE):
        for phrase in phrases:
            key = _normalized(phrase)
            if key in text:
                rest = "".join(c if c.isalnum() else " " for c in text.replace(key, " "))
                if len(rest.split()) <= MAX_EXTRA_WORDS:
                    return index
    return None


def _ground_warning(text: str, flagged: bool) -> str | None:
    index = _unlawful_ground(text)
    if index is not None:
        return UNLAWFUL_ALONE[index][1]
    if flagged:
        return (f"« {text.strip()} » ne peut pas motiver seul un refus : ajoutez un second "
                "motif légal.")
    return None


def unlawful_reason_warnings(reasons: Iterable[str | CitedReason]) -> list[str]:
    """Warnings when the refusal's grounds are only unlawful ones (DOMAIN, L441-2-2).

    "Resources too low" or "no link with the commune" may accompany a lawful reason,
    never stand alone. A catalogue reason flagged `unlawful_alone` counts as one; so
    does a text amounting to one of `UNLAWFUL_ALONE`. One warning per ground.
    """
    given = [(r.label, r.unlawful_alone) if isinstance(r, CitedReason) else (r, False)
             for r in reasons]
    given = [(text, flagged) for text, flagged in given if text.strip()]
    warnings = [_ground_warning(text, flagged) for text, flagged in given]
    if not given or any(w is None for w in warnings):
        return []
    return list(dict.fromkeys(w for w in warnings if w is not None))


def refusal_warnings(d: Decision) -> list[str]:
    """`unlawful_reason_warnings` over the grounds a refusal states.

    The free text details the first catalogue reason (one ground with it: « ressources
    insuffisantes » + « pour ce loyer » is still that ground alone; a longer text states
    a ground of its own); a second catalogue reason is another ground.
    """
    if not d.kind.needs_reason:
        return []
    if not d.cited:
        return unlawful_reason_warnings([d.reason])
    first, *others = d.cited
    text = d.reason.strip()
    combined = CitedReason(f"{first.label} {text}".strip(), first.unlawful_alone and not text)
    return unlawful_reason_warnings([combined, *others])
