"""Everything the rules say about one draft decision, before it is saved.

`review_decision` is the one function the decision form calls as the secretary types
(live warnings, the justification field shown when required, the faulty fields in
red) and the service calls to accept or refuse the save: the same draft gives the
same answer on screen and in the database.

* `problems` (field → French message) block the save: a missing rank, condition,
  deadline or reason, a justification the checks require (`decisions.
  justification_grounds`), a vote that did not adopt the decision (`votes`).
* `warnings` do not: a refusal resting only on grounds that cannot stand alone
  (a second, lawful reason removes it; the closing refuses it, as it refuses a
  missing vote), a reason whose check is « indéterminé », a vote not stated yet (it
  is required to close the séance).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from caleol.rules.decisions import (
    CHECK_LABELS,
    Decision,
    JustificationGround,
    decision_problems,
    justification_grounds,
    refusal_warnings,
)
from caleol.rules.nir import NIR_FIELD_MESSAGE, contains_nir
from caleol.rules.result import Status
from caleol.rules.votes import Vote, vote_problems

VOTE_MISSING = ("Vote non indiqué : indiquez l'unanimité ou le décompte des voix (il est "
                "exigé pour clore la séance).")


@dataclass(frozen=True)
class DecisionReview:
    problems: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    grounds: tuple[JustificationGround, ...] = ()  # what the justification must answer
    second_reason_advised: bool = False  # the reasons given cannot stand alone

    @property
    def justification_required(self) -> bool:
        return bool(self.grounds)

    @property
    def accepted(self) -> bool:
        return not self.problems


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def review_decision(
    decision: Decision,
    statuses: Mapping[str, str] | None,
    vote: Vote | None,
    counted: int,
    casting_holders: Sequence[str] = (),
) -> DecisionReview:
    """The rules' verdict on one draft decision.

    Args:
        statuses: the candidate's checks (name → `Status` value), as snapshotted.
        vote: the vote stated, None when not (yet) stated.
        counted: deliberative members present or represented.
        casting_holders: names of the members present holding the casting vote.
    """
    problems = {name: _capitalised(text)
                for name, text in decision_problems(decision, statuses).items()}
    problems.update(vote_problems(vote, counted, casting_holders))
    # Printed in the signed PV and the letters, kept for decades: never a NIR (CNIL,
    # délibération n° 2019-055; the rule the import and the editors apply).
    for name, typed in (("condition", decision.condition), ("reason_text", decision.reason),
                        ("justification", decision.justification)):
        if contains_nir(typed):
            problems[name] = _capitalised(NIR_FIELD_MESSAGE) + "."
    unlawful = refusal_warnings(decision)
    warnings = list(unlawful)
    if decision.kind.needs_reason and statuses is not None:
        for cited in decision.cited:
            check = cited.contradicts_check
            if check and (statuses.get(check) or Status.UNKNOWN.value) == Status.UNKNOWN.value:
                warnings.append(
                    f"Le motif « {cited.label} » ne peut pas être vérifié : le contrôle "
                    f"« {CHECK_LABELS.get(check, check)} » est indéterminé ; dites dans la "
                    "justification sur quoi il repose."
                )
    if vote is None:
        warnings.append(VOTE_MISSING)
    return DecisionReview(
        problems=problems,
        warnings=tuple(dict.fromkeys(warnings)),
        grounds=justification_grounds(decision.kind, statuses, decision.cited),
        second_reason_advised=bool(unlawful),
    )
