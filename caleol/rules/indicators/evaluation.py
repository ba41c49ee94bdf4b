"""One function evaluates every indicator row; the counting basis of each is a setting.

Every result keeps its numerator, its denominator, the ids behind both (drill-down)
and the records left out because a needed datum is unknown: an unknown is never
silently counted as a "no", and never hidden inside a percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from caleol.rules.indicators.definitions import (
    DEFINITIONS,
    DEFINITIONS_BY_CODE,
    IndicatorDefinition,
)
from caleol.rules.indicators.quartile import ExclusionCause
from caleol.rules.indicators.records import (
    EVERYWHERE,
    AttributionRecord,
    CountingBasis,
    Period,
    Territory,
    select_records,
)
from caleol.rules.indicators.results import (
    NO_CONTINGENT_ATTRIBUTION,
    IndicatorResult,
    explain,
    plural,
)
from caleol.rules.indicators.targets import Target, find_target

# indicator code → counting basis; a missing code counts on its definition's basis
Bases = Mapping[str, CountingBasis]
SOURCE_BASES: Bases = {d.code: d.basis for d in DEFINITIONS}


def bases_from_setting(setting: Mapping[str, str]) -> dict[str, CountingBasis]:
    """The setting `indicator_bases` (code → « baux » / « propositions ») completed with
    the sources' basis for every indicator it does not name; unknown codes and values
    are ignored (the settings file is the user's)."""
    bases = dict(SOURCE_BASES)
    for code, value in setting.items():
        if code in bases and value in set(CountingBasis):
            bases[code] = CountingBasis(value)
    return bases


def basis_of(definition: IndicatorDefinition, bases: Bases | None) -> CountingBasis:
    return (bases or {}).get(definition.code, definition.basis)


@dataclass
class _Tally:
    numerator: list[AttributionRecord] = field(default_factory=list)
    denominator: list[int] = field(default_factory=list)
    excluded: dict[ExclusionCause, list[int]] = field(default_factory=dict)

    def exclude(self, cause: ExclusionCause, record: AttributionRecord) -> None:
        self.excluded.setdefault(cause, []).append(record.id)


def _tally(definition: IndicatorDefinition, records: Iterable[AttributionRecord]) -> _Tally:
    tally = _Tally()
    for record in records:
        member = definition.population(record)
        if isinstance(member, ExclusionCause):
            tally.exclude(member, record)
            continue
        if not member:
            continue
        counted = definition.counted(record)
        if isinstance(counted, ExclusionCause):
            tally.exclude(counted, record)
            continue
        tally.denominator.append(record.id)
        if counted:
            tally.numerator.append(record)
    return tally


def evaluate(
    definition: IndicatorDefinition | str,
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    basis: CountingBasis | None = None,
) -> IndicatorResult:
    """One indicator over the records of the period and territory.

    Args:
        definition: a row of `DEFINITIONS` or its code.
        targets: the targets stored by the landlord (`targets` module: what applies).
        basis: None counts on the definition's basis (the sources').

    Raises:
        KeyError: unknown indicator code.
    """
    if isinstance(definition, str):
        definition = DEFINITIONS_BY_CODE[definition]
    basis = basis or definition.basis
    selected = select_records(records, period, territory, basis)
    tally = _tally(definition, selected)
    scope = definition.scope
    void = scope is not None and not any(scope(r) is True for r in selected)
    found = find_target(targets, definition.code, period.start.year, territory)
    target = found.value if found is not None else definition.legal_default
    target_source = (found.source if found is not None
                     else definition.legal_default_reference if target is not None else "")
    figures = {f.key: f.count(tally.numerator) for f in definition.figures}
    notes = [
        f.note.format(count=plural(figures[f.key], f.noun))
        for f in definition.figures if figures[f.key]
    ]
    result = IndicatorResult(
        definition=definition,
        period=period,
        territory=territory,
        basis=basis,
        numerator_ids=tuple(r.id for r in tally.numerator),
        denominator_ids=tuple(tally.denominator),
        excluded_ids={cause: tuple(ids) for cause, ids in tally.excluded.items() if ids},
        target=target,
        explanation="",
        figures=figures,
        target_source=target_source,
        not_applicable=NO_CONTINGENT_ATTRIBUTION if void else "",
    )
    return replace(result, explanation=explain(result, notes))


def compute_all(
    records: Sequence[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    bases: Bases | None = None,
) -> list[IndicatorResult]:
    """Every indicator in the order the reports show them, each on its own basis."""
    targets = list(targets)
    return [
        evaluate(d, records, period, territory, targets, basis_of(d, bases))
        for d in DEFINITIONS
    ]
