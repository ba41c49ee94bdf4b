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
* Any attribution to a candidate with a failed check needs a written justification.
* A candidate appears at most once in a dwelling's decisions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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
class Decision:
    """One candidate's decision; `candidate_id` is the NUR or any stable candidate id."""

    candidate_id: str
    kind: DecisionKind
    rank: int | None = None
    condition: str = ""
    deadline: date | None = None
    reason: str = ""
    justification: str = ""


def check_decision_set(
    decisions: Sequence[Decision],
    failed_checks_by_candidate: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
    """French problems of one dwelling's decisions; an empty list means consistent.

    Args:
        failed_checks_by_candidate: candidate id → names of its failed checks
            (`ceiling`, `solvency`...); an attribution against one needs a justification.
    """
    problems: list[str] = []
    failed = {k: tuple(v) for k, v in (failed_checks_by_candidate or {}).items()}

    seen: set[str] = set()
    for d in decisions:
        if d.candidate_id in seen:
            problems.append(f"Le candidat {d.candidate_id} a plusieurs décisions.")
        seen.add(d.candidate_id)

    for d in decisions:
        who = f"{d.kind.label} ({d.candidate_id})"
        if d.rank is not None:
            if d.kind not in (
                DecisionKind.ATTRIBUTION_RANG, DecisionKind.ATTRIBUTION_SOUS_CONDITION
            ):
                problems.append(f"{who} : ce type de décision ne porte pas de rang.")
            elif isinstance(d.rank, bool) or not isinstance(d.rank, int) or d.rank < 1:
                problems.append(f"{who} : le rang doit être un entier à partir de 1.")
        if d.kind is DecisionKind.ATTRIBUTION_RANG and d.rank is None:
            problems.append(f"{who} : le rang est obligatoire.")
        if d.kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION:
            if not d.condition.strip():
                problems.append(f"{who} : indiquez la condition (pièce manquante).")
            if d.deadline is None:
                problems.append(f"{who} : indiquez la date limite de la condition.")
        elif d.condition.strip() or d.deadline is not None:
            problems.append(
                f"{who} : une condition et un délai ne s'appliquent qu'à une attribution "
                "sous condition suspensive."
            )
        if d.kind.needs_reason and not d.reason.strip():
            problems.append(f"{who} : le motif est obligatoire.")
        failed_checks = failed.get(d.candidate_id, ())
        if d.kind.is_attribution and failed_checks and not d.justification.strip():
            names = ", ".join(CHECK_LABELS.get(n, n) for n in failed_checks)
            problems.append(
                f"{who} : contrôle non conforme ({names}) ; une justification est requise."
            )

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
        "« ressources insuffisantes » ne peut pas motiver seul un refus : précisez en quoi "
        "le coût du logement est insupportable et qu'aucune garantie n'est possible.",
    ),
    (
        ("absence de lien avec la commune", "pas de lien avec la commune",
         "aucun lien avec la commune", "non originaire de la commune"),
        "« absence de lien avec la commune » ne peut pas motiver seul un refus "
        "(critère discriminatoire) : ajoutez un motif légal.",
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


def unlawful_reason_warnings(reasons: Iterable[str]) -> list[str]:
    """Warnings when the refusal's reasons are only unlawful grounds (DOMAIN, L441-2-2).

    "Resources too low" or "no link with the commune" may accompany a lawful reason,
    never stand alone.
    """
    given = [r for r in reasons if r.strip()]
    grounds = [_unlawful_ground(r) for r in given]
    if not given or any(g is None for g in grounds):
        return []
    return [UNLAWFUL_ALONE[g][1] for g in sorted({g for g in grounds if g is not None})]
