"""What the last refreshes of the checks computed, keyed by everything they read.

Why: the secretary refreshes a séance's checks again and again while preparing it,
and between two refreshes almost nothing changes; running every rule again on 300
unchanged candidates was half of `refresh_checks` (issue 19). The rules are pure
functions of the demande's values, the dwelling's terms and the rule context (date,
ceiling table, solvency policy, préfet thresholds), so their JSON snapshot is kept
under exactly those values: a demande, resource, member, dwelling or setting that
changes gives another key, and the rules run again. Nothing is ever read from the
memo that the same inputs would not compute.

The memo holds the JSON texts as stored (`json.dumps`, as the JSON columns write
them), never the dicts given to the ORM: nothing written can alias it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

# Séances refreshed in turn (rule contexts: a date and the tables in force), and
# candidates remembered per context: three séances of 60 dwellings × 5 candidates on
# one date. An entry is some 5 kB (its key's values and two JSON texts): 20 MB at most.
MAX_CONTEXTS = 4
MAX_ENTRIES = 1024


@dataclass(frozen=True)
class Evaluated:
    """One candidate's checks and household summary, as the JSON text stored."""

    checks: str
    summary: str


class EvaluationMemo:
    """Evaluations by rule context, then by candidate key; least recently used first
    out. Safe to share between threads (a refresh may run off the GUI thread)."""

    def __init__(self, max_contexts: int = MAX_CONTEXTS,
                 max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._max_contexts = max_contexts
        self._max_entries = max_entries
        self._contexts: OrderedDict[Hashable, OrderedDict[Hashable, Evaluated]] = OrderedDict()

    def scope(self, context: Hashable) -> MemoScope:
        """The evaluations under one rule context (compared once per refresh: the
        ceiling table is in it, too long to hash for every candidate)."""
        with self._lock:
            entries = self._contexts.get(context)
            if entries is None:
                entries = self._contexts[context] = OrderedDict()
                while len(self._contexts) > self._max_contexts:
                    self._contexts.popitem(last=False)
            self._contexts.move_to_end(context)
            return MemoScope(self._lock, entries, self._max_entries)

    def clear(self) -> None:
        with self._lock:
            self._contexts.clear()

    def __len__(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._contexts.values())


class MemoScope:
    """The evaluations of one rule context (see `EvaluationMemo.scope`)."""

    def __init__(self, lock: threading.Lock, entries: OrderedDict[Hashable, Evaluated],
                 max_entries: int) -> None:
        self._lock = lock
        self._entries = entries
        self._max_entries = max_entries

    def get(self, key: Hashable) -> Evaluated | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Evaluated) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)


# the process's memo, used by `checks.refresh_session_checks`
MEMO = EvaluationMemo()
