"""An indicator's result: its figures, the ids behind them and the French explanation."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from caleol.fr import format_decimal, format_percent
from caleol.rules.indicators.definitions import Direction, IndicatorDefinition, Measure
from caleol.rules.indicators.quartile import ExclusionCause
from caleol.rules.indicators.records import CountingBasis, Period, Territory

RATE_PLACES = Decimal("0.0001")  # rates kept to 0.01 %
NOT_APPLICABLE = "sans objet"
NO_CONTINGENT_ATTRIBUTION = "aucune attribution sur ce contingent"


def rate_of(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator to 0.01 %, None when the denominator is 0."""
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator over one period and territory, with everything needed to explain it.

    `rate` is None when the denominator is 0 (nothing to measure, not 0 %). `gap` is
    `rate - target` for rates (a signed fraction: -0.05 is five points short) and
    `numerator - target` for counts. `missing` is how many more numerator attributions
    (AT_LEAST) or how many fewer (AT_MOST) would have met the target with the same
    denominator, the figure the CIL tables call "marge de progression".
    `target_source` names the text that sets the target (a stored target's source, or
    the article of the CCH that sets the legal default).
    `not_applicable` says why the target does not apply (« aucune attribution sur ce
    contingent »); the result is then neither met nor missed: `gap`, `met` and
    `missing` are None.
    """

    definition: IndicatorDefinition
    period: Period
    territory: Territory
    basis: CountingBasis
    numerator_ids: tuple[int, ...]
    denominator_ids: tuple[int, ...]
    excluded_ids: Mapping[ExclusionCause, tuple[int, ...]]
    target: Decimal | None
    explanation: str
    figures: Mapping[str, int] = field(default_factory=dict)
    target_source: str = ""
    not_applicable: str = ""

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def label(self) -> str:
        return self.definition.label

    @property
    def reference(self) -> str:
        return self.definition.reference

    @property
    def numerator(self) -> int:
        return len(self.numerator_ids)

    @property
    def denominator(self) -> int:
        return len(self.denominator_ids)

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.numerator, self.denominator)

    @property
    def excluded(self) -> dict[ExclusionCause, int]:
        return {cause: len(ids) for cause, ids in self.excluded_ids.items() if ids}

    @property
    def excluded_total(self) -> int:
        return sum(len(ids) for ids in self.excluded_ids.values())

    @property
    def gap(self) -> Decimal | None:
        if self.target is None or self.not_applicable:
            return None
        if self.definition.measure is Measure.COUNT:
            return self.numerator - self.target
        rate = self.rate
        return None if rate is None else rate - self.target

    @property
    def met(self) -> bool | None:
        gap = self.gap
        if gap is None:
            return None
        return gap >= 0 if self.definition.direction is Direction.AT_LEAST else gap <= 0

    @property
    def missing(self) -> int | None:
        if self.target is None or self.not_applicable:
            return None
        if self.definition.measure is Measure.COUNT:
            return max(0, math.ceil(self.target - self.numerator))
        if self.denominator == 0:
            return None
        needed = self.target * self.denominator
        if self.definition.direction is Direction.AT_LEAST:
            return max(0, math.ceil(needed) - self.numerator)
        return max(0, self.numerator - math.floor(needed))

    @property
    def basis_is_default(self) -> bool:
        """Counted on the basis the sources set (not one changed in the settings)."""
        return self.basis is self.definition.basis


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural_form or singular + 's')}"


def _signed(value: Decimal | None, places: int) -> str:
    assert value is not None
    text = format_decimal(value, places)
    return text if text.startswith("-") else "+" + text


def target_words(result: IndicatorResult) -> str:
    """« au moins 25,0 % », « au plus 5,0 % », « au moins 3 » (None: no target)."""
    assert result.target is not None
    d = result.definition
    word = "au moins" if d.direction is Direction.AT_LEAST else "au plus"
    if d.measure is Measure.COUNT:
        return f"{word} {format_decimal(result.target, 0)}"
    return f"{word} {format_percent(result.target, 1)}"


def _target_line(result: IndicatorResult) -> str:
    d = result.definition
    target_text = target_words(result)
    if result.target_source:
        target_text += f" ({result.target_source})"
    if result.not_applicable:
        return f"Objectif : {target_text} : {NOT_APPLICABLE}, {result.not_applicable}."
    if result.met is None:
        return f"Objectif : {target_text} (non évaluable)."
    verdict = "atteint" if result.met else "non atteint"
    if d.measure is Measure.COUNT:
        return f"Objectif : {target_text} ; écart {_signed(result.gap, 0)} : {verdict}."
    assert result.gap is not None
    points = result.gap * 100
    unit = "point" if abs(points) < 2 else "points"  # French: the plural from 2
    text = f"Objectif : {target_text} ; écart {_signed(points, 1)} {unit} : {verdict}"
    if not result.met and result.missing:
        verb = "manque" if d.direction is Direction.AT_LEAST else "dépassement de"
        text += f" ({verb} {plural(result.missing, 'attribution')})"
    return text + "."


def basis_line(result: IndicatorResult) -> str:
    """Which attributions are counted and why: the source, or the user's setting."""
    d = result.definition
    if result.basis_is_default:
        return f"Base de comptage : {result.basis.label} ({d.basis_reference})."
    return (
        f"Base de comptage : {result.basis.label}, choisie dans les paramètres ; les "
        f"sources retiennent les {d.basis.label} ({d.basis_reference})."
    )


def explain(result: IndicatorResult, notes: Sequence[str]) -> str:
    """The explanation: head, arithmetic, notes, target, exclusions, basis, reference."""
    d = result.definition
    n, den = result.numerator, result.denominator
    sentence = d.sentence.format(n=plural(n, "attribution"), d=plural(den, "attribution"))
    lines = [f"{d.label} — {result.period.label}, {result.territory.label}, "
             f"{result.basis.label}."]
    if d.measure is Measure.COUNT:
        lines.append(f"{sentence} : {n}.")
    elif result.rate is None:
        lines.append(f"{sentence} : aucune attribution au dénominateur, taux non calculable.")
    else:
        lines.append(f"{sentence} : {n} / {den} = {format_percent(result.rate, 1)}.")
    lines.extend(notes)
    if result.target is not None:
        lines.append(_target_line(result))
    if result.excluded_ids:
        parts = [
            f"{plural(len(ids), 'attribution')} ({cause.label})"
            for cause, ids in result.excluded_ids.items()
        ]
        lines.append("Exclues du calcul faute de donnée : " + " ; ".join(parts) + ".")
    lines.append(basis_line(result))
    lines.append(f"Référence : {d.reference}.")
    return "\n".join(lines)
