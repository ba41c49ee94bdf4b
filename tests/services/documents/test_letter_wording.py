"""Letters read by the candidate: what is not known is left out, never printed as a
broken sentence (seen in the audit, on a landlord's base without the demo: « disponible
le dès que possible », « la cotation … était de non communiquée », and a condition typed
« … à fournir » printed « … à fournir, à fournir au plus tard le … »)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pdf_probe import text_of

from caleol.services.documents.data import DecisionKind, MinutesData
from caleol.services.documents.letters import LetterOptions, candidate_letter, render_letter
from caleol.services.documents.samples import sample_minutes_data

OPTIONS = LetterOptions(issued_on=date(2026, 3, 11), signatory="M. Thomas Lefèvre")


def flat(content: str) -> str:
    return " ".join(content.replace("\u00a0", " ").replace("\u202f", " ").split())


def with_candidate(data: MinutesData, kind: DecisionKind, **changes: object
                   ) -> tuple[MinutesData, str, int]:
    """The sample with the first candidate decided `kind` changed; its NUR and dwelling."""
    for index, exam in enumerate(data.dwellings):
        for position, candidate in enumerate(exam.candidates):
            if candidate.decision is not None and candidate.decision.kind is kind:
                decision = changes.pop("decision", None)
                changed = replace(candidate, **changes)
                if decision:
                    changed = replace(changed, decision=replace(candidate.decision,
                                                                **decision))  # type: ignore[arg-type]
                candidates = list(exam.candidates)
                candidates[position] = changed
                dwellings = list(data.dwellings)
                dwellings[index] = replace(exam, candidates=tuple(candidates))
                return replace(data, dwellings=tuple(dwellings)), candidate.nur, index
    raise AssertionError(f"no {kind} in the sample")


@pytest.fixture(scope="module")
def sample() -> MinutesData:
    return sample_minutes_data(4, 3)


def test_unknown_cotation_and_availability_are_left_out(sample: MinutesData) -> None:
    data, nur, index = with_candidate(sample, DecisionKind.ATTRIBUTION_RANG, cotation="")
    exam = data.dwellings[index]
    dwellings = list(data.dwellings)
    dwellings[index] = replace(exam, dwelling=replace(exam.dwelling, available_on=None))
    data = replace(data, dwellings=tuple(dwellings))
    content = flat(text_of(render_letter(candidate_letter(data, nur, OPTIONS))))
    assert "Objet : proposition d'attribution" in content  # the rank-1 offer
    assert "disponible dès que possible." in content
    assert "disponible le dès que possible" not in content
    assert "cotation" not in content  # no « était de non communiquée »
    assert "Nous vous prions d'agréer" in content


def test_known_cotation_and_availability_are_stated(sample: MinutesData) -> None:
    data, nur, index = with_candidate(sample, DecisionKind.ATTRIBUTION_RANG,
                                      cotation="214 points")
    exam = data.dwellings[index]
    dwellings = list(data.dwellings)
    dwellings[index] = replace(exam, dwelling=replace(exam.dwelling,
                                                      available_on=date(2026, 4, 1)))
    data = replace(data, dwellings=tuple(dwellings))
    content = flat(text_of(render_letter(candidate_letter(data, nur, OPTIONS))))
    assert "disponible le 1er avril 2026." in content
    assert ("Pour information, la cotation de votre demande à la date de la commission "
            "était de 214 points.") in content


@pytest.mark.parametrize("typed", ["Avis d'imposition 2025 à fournir",
                                   "Avis d'imposition 2025, à fournir.",
                                   "Avis d'imposition 2025"])
def test_a_condition_is_to_be_provided_once(sample: MinutesData, typed: str) -> None:
    data, nur, _ = with_candidate(sample, DecisionKind.ATTRIBUTION_SOUS_CONDITION,
                                  decision={"condition": typed,
                                            "deadline": date(2026, 3, 24)})
    content = flat(text_of(render_letter(candidate_letter(data, nur, OPTIONS))))
    assert ("sous condition suspensive : Avis d'imposition 2025, à fournir au plus tard "
            "le 24 mars 2026.") in content
    assert content.count("à fournir") == 1
