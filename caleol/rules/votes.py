"""How the commission voted on a decision, and the sentence the minutes print.

A decision is adopted by the votes of the deliberative members present or
represented (R441-9 CCH; consultative members never vote). On a tie the casting
vote (voix prépondérante) decides: the mayor's, or the EPCI president's where the
EPCI has a PLH and a CIL (L441-2 CCH). The commission states the vote either as
counts (for, against, abstentions) or as unanimity « des membres présents ou
représentés »; when the casting vote settled a tie, the minutes name who held it.

Rules checked here (`vote_problems`), keyed by the form field they concern:
* counts are whole numbers ≥ 0 and never more than the members counted;
* the decision recorded is the one adopted: more votes for than against, or a tie
  settled by the casting vote of a member present (one holder only);
* the casting vote is used only on a tie, never with unanimity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

REFERENCE = "art. L441-2 et R441-9 CCH"
UNANIMITY = "à l'unanimité des membres présents ou représentés"


@dataclass(frozen=True)
class Vote:
    """The vote on one decision: counts, or unanimity (then the counts are ignored)."""

    in_favour: int = 0
    against: int = 0
    abstention: int = 0
    unanimous: bool = False
    casting_vote_used: bool = False

    @property
    def tie(self) -> bool:
        return not self.unanimous and self.in_favour == self.against and self.in_favour > 0


def _count_ok(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def vote_problems(
    vote: Vote | None, counted: int, casting_holders: Sequence[str] = ()
) -> dict[str, str]:
    """French problems of a vote, by field (`votes`, `casting_vote`); empty: consistent.

    Args:
        counted: deliberative members present or represented (the quorum's count).
        casting_holders: names of the members present who hold the casting vote.
    """
    if vote is None:
        return {}
    problems: dict[str, str] = {}
    if vote.unanimous:
        if vote.casting_vote_used:
            problems["casting_vote"] = (
                "La voix prépondérante ne s'utilise qu'en cas de partage des voix, pas "
                "avec un vote à l'unanimité."
            )
        if counted < 1:
            problems["votes"] = "Aucun membre à voix délibérative présent ou représenté."
        return problems
    counts = (vote.in_favour, vote.against, vote.abstention)
    if not all(_count_ok(c) for c in counts):
        return {"votes": "Les votes sont trois nombres entiers positifs : pour, contre, "
                         "abstention."}
    total = sum(counts)
    if total == 0:
        return {"votes": "Indiquez le nombre de voix pour, contre et d'abstentions, ou "
                         "l'unanimité."}
    if total > counted:
        problems["votes"] = (
            f"{total} votes exprimés pour {counted} membres à voix délibérative présents "
            "ou représentés."
        )
    elif vote.in_favour < vote.against or vote.in_favour == 0:
        problems["votes"] = (
            f"La décision n'est pas adoptée (pour {vote.in_favour} < contre {vote.against}) : "
            "enregistrez la décision votée."
            if vote.in_favour < vote.against else
            "Aucune voix pour : la décision n'est pas adoptée ; enregistrez la décision votée."
        )
    if vote.tie:
        if not vote.casting_vote_used:
            problems["casting_vote"] = (
                f"Partage des voix ({vote.in_favour} pour, {vote.against} contre) : la voix "
                "prépondérante décide ; cochez-la pour enregistrer la décision qu'elle a "
                "emportée."
            )
        elif not casting_holders:
            problems["casting_vote"] = (
                "Partage des voix : aucun membre détenant la voix prépondérante n'est présent."
            )
        elif len(casting_holders) > 1:
            problems["casting_vote"] = (
                f"Plusieurs membres présents détiennent la voix prépondérante "
                f"({', '.join(casting_holders)}) : un seul la détient (le maire, ou le "
                "président de l'EPCI doté d'un PLH et d'une CIL) ; corrigez la composition "
                "de la commission."
            )
    elif vote.casting_vote_used:
        problems["casting_vote"] = (
            "La voix prépondérante ne s'utilise qu'en cas de partage des voix."
        )
    return problems


def _abstentions(count: int) -> str:
    return f"{count} abstention{'s' if count > 1 else ''}"


def vote_sentence(vote: Vote | None, counted: int, casting_holder: str = "") -> str:
    """The vote as the minutes state it (empty when no vote is recorded).

    « À l'unanimité des membres présents ou représentés (7 voix). »
    « Adoptée par 5 voix pour, 2 contre et 1 abstention. »
    « Partage des voix (4 pour, 4 contre, 0 abstention) : adoptée par la voix
    prépondérante de M. Paul Hoffmann. »
    """
    if vote is None:
        return ""
    if vote.unanimous:
        return f"{UNANIMITY[:1].upper()}{UNANIMITY[1:]} ({counted} voix)."
    if vote.tie and vote.casting_vote_used:
        holder = f" de {casting_holder}" if casting_holder else ""
        return (
            f"Partage des voix ({vote.in_favour} pour, {vote.against} contre, "
            f"{_abstentions(vote.abstention)}) : adoptée par la voix prépondérante{holder}."
        )
    return (
        f"Adoptée par {vote.in_favour} voix pour, {vote.against} contre et "
        f"{_abstentions(vote.abstention)}."
    )
