"""Plain records for the indicators and the flux review, read from the database.

`seances` reads the séances of a period with a few flat queries; `attributions` turns
them into the indicators' `AttributionRecord`s (with the targets and the live
impact); `orientations` into the flux review's `OrientationRecord`s.
"""

from caleol.services.reports.queries.attributions import (
    IndicatorSnapshot,
    attribution_records_in,
    indicator_results,
    indicator_snapshot,
    live_impact,
    load_attribution_records,
    load_targets,
    targets_in,
)
from caleol.services.reports.queries.orientations import (
    ReservataireInfo,
    find_reservataire,
    load_orientations,
    load_reservataires,
    orientation_records_in,
)

__all__ = [
    "IndicatorSnapshot", "ReservataireInfo", "attribution_records_in", "find_reservataire",
    "indicator_results", "indicator_snapshot", "live_impact", "load_attribution_records",
    "load_orientations", "load_reservataires", "load_targets", "orientation_records_in",
    "targets_in",
]
