"""Attribution indicators (mixité, priority publics, réservataires) over plain records.

The CUS (convention d'utilité sociale) and the law define each indicator as a count of
attributions "parmi le nombre total des attributions" of some population. The
indicators are rows of a table (`definitions.DEFINITIONS`) evaluated by one function
(`evaluation.evaluate`); each counts on its own basis, the sources' by default
(`records.CountingBasis`: PS-1 on signed leases, the QPV objective on proposals).

Modules: `records` (attributions, periods, territories), `quartile` (first quartile,
exclusion causes), `criteria` (who is in a population, who is counted),
`definitions` (the table), `targets` (stored, CUS and legal targets), `results`
(figures and explanation), `evaluation`, `breakdown` (per EPCI, per département, live
impact).
"""

from caleol.rules.indicators.breakdown import (
    DepartmentPriority,
    EpciMixite,
    impact_of_attribution,
    mixite_by_epci,
    priority_by_department,
)
from caleol.rules.indicators.definitions import (
    ACTION_LOGEMENT_EMPLOYEES,
    DEFINITIONS,
    DEFINITIONS_BY_CODE,
    ETAT_AGENTS,
    ETAT_PRIORITAIRES,
    PP5_INTERNAL_MUTATIONS,
    PP5_SOCIAL_TENANTS,
    PS2_OUTSIDE_QPV,
    PS2_PRIORITY,
    PS3_DALO,
    PS3_OUTSIDE_QPV,
    Q1_OUTSIDE_QPV,
    QPV_Q2_Q4,
    Direction,
    IndicatorDefinition,
    Measure,
)
from caleol.rules.indicators.evaluation import (
    SOURCE_BASES,
    Bases,
    bases_from_setting,
    basis_of,
    compute_all,
    evaluate,
)
from caleol.rules.indicators.quartile import (
    ExclusionCause,
    QuartileTable,
    is_first_quartile,
    quartile_consumption_units,
    quartile_table,
)
from caleol.rules.indicators.records import (
    EVERYWHERE,
    AttributionRecord,
    CountingBasis,
    EtatContingent,
    Period,
    ReservataireKind,
    Territory,
    annual_resources_from_monthly,
    attributions_in,
    select_records,
)
from caleol.rules.indicators.results import (
    NOT_APPLICABLE,
    IndicatorResult,
    basis_line,
    rate_of,
)
from caleol.rules.indicators.targets import Target, find_target, select_target

__all__ = [
    "ACTION_LOGEMENT_EMPLOYEES", "DEFINITIONS", "DEFINITIONS_BY_CODE",
    "ETAT_AGENTS", "ETAT_PRIORITAIRES", "EVERYWHERE", "NOT_APPLICABLE", "PP5_INTERNAL_MUTATIONS",
    "PP5_SOCIAL_TENANTS", "PS2_OUTSIDE_QPV", "PS2_PRIORITY", "PS3_DALO", "PS3_OUTSIDE_QPV",
    "Q1_OUTSIDE_QPV", "QPV_Q2_Q4", "SOURCE_BASES", "AttributionRecord", "Bases",
    "CountingBasis", "DepartmentPriority", "Direction", "EpciMixite", "EtatContingent",
    "ExclusionCause", "IndicatorDefinition", "IndicatorResult", "Measure", "Period",
    "QuartileTable", "ReservataireKind", "Target", "Territory",
    "annual_resources_from_monthly", "attributions_in", "bases_from_setting", "basis_line",
    "basis_of",
    "compute_all", "evaluate", "find_target", "impact_of_attribution",
    "is_first_quartile", "mixite_by_epci", "priority_by_department",
    "quartile_consumption_units", "quartile_table", "rate_of", "select_records",
    "select_target",
]
