"""The garbage collector held back while a PV is laid out or a file imported.

Why: reportlab makes hundreds of thousands of short-lived containers for a PV (frags,
lines, table cells); each batch of them triggers a collection, and a full one walks
every object the process holds. In the application, after séances and lists have been
opened, that is some 240,000 objects: a PV of 60 dwellings × 3 took 790–816 ms there
against 757–765 ms in a fresh process, and 733 ms with the collector held back
(`python -m benchmarks --only interactions minutes`). Reference cycles made meanwhile
are collected at the next automatic collection after it, so memory is not lost.

The import of a demandes file makes millions of short-lived objects likewise (cells,
records, rows, audit images): 10 000 demandes 1.96 → 1.77 s CPU, 100 000 21.5 → 19.1 s,
the same peak memory (595 MB; nothing is left for the collector to free).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_held() -> Iterator[None]:
    """No automatic collection inside; the collector is enabled again after, even on
    an error, unless it was already held when this began (nested uses)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
