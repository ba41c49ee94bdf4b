"""Paged, filtered, sorted lists of dwellings and demandes for the browsers.

A browser never loads a whole table: `count(filters)` and `fetch(offset, limit, sort,
filters)` run one SQL query each (ORDER BY with the id as tie-breaker, so pages
never overlap or skip a row; LIMIT/OFFSET), and return plain frozen rows, not ORM
objects. Filters and sort keys are plain values; an unknown sort key falls back to
the default order instead of failing.

The Logements list is `dwellings.py`, the Demandes list `demandes.py` (its text filter
`caleol.services.demande_search`) and a demande's detail `demande_detail.py`; what
both lists share is `paging.py` (sort, filter choices) and `labels.py` (stored values
in French). The GUI imports from here.
"""

from caleol.services.browse.demande_detail import DemandeDetail, MemberLine, ResourceLine
from caleol.services.browse.demandes import (
    DemandeBrowser,
    DemandeFilters,
    DemandeRow,
    PriorityFilter,
)
from caleol.services.browse.dwellings import (
    DwellingBrowser,
    DwellingDetail,
    DwellingFilters,
    DwellingRow,
)
from caleol.services.browse.labels import waiting_months
from caleol.services.browse.paging import Choice, SortLike

__all__ = [
    "Choice",
    "DemandeBrowser",
    "DemandeDetail",
    "DemandeFilters",
    "DemandeRow",
    "DwellingBrowser",
    "DwellingDetail",
    "DwellingFilters",
    "DwellingRow",
    "MemberLine",
    "PriorityFilter",
    "ResourceLine",
    "SortLike",
    "waiting_months",
]
