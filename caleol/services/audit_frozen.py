"""Log entries no caleol write can produce, found by `caleol verify-db` (issue 16).

The triggers refuse any change to a closed séance's rows and to the insert-only tables
(signed documents, events, rectifications, purge records, chain anchors). Whoever drops
a trigger, changes such a row, appends a well-formed entry for the change (the hash
algorithm is in the source) and puts the trigger back leaves a chain that verifies, a
row that matches its last image and a schema that is caleol's. What gives them away
is the entry itself: through caleol, none updates or deletes a row of an insert-only
table, and none touches a séance's presences, agenda, candidacies or decisions after
the head of the chain recorded at its closing (`chain_anchor`, written once the séance
is frozen). Séances closed before anchors existed are not covered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

INSERT_ONLY = frozenset({
    "signed_document", "candidacy_event", "rectification", "purged_row", "chain_anchor",
})
# A frozen séance's tables → the query giving each row's séance.
_SESSION_OF: dict[str, str] = {
    "attendance": "SELECT id, session_id FROM attendance",
    "agenda_item": "SELECT id, session_id FROM agenda_item",
    "occupation_review": "SELECT id, session_id FROM occupation_review",
    "candidacy": "SELECT c.id, a.session_id FROM candidacy c "
                 "JOIN agenda_item a ON a.id = c.agenda_item_id",
    "decision": "SELECT d.id, a.session_id FROM decision d "
                "JOIN candidacy c ON c.id = d.candidacy_id "
                "JOIN agenda_item a ON a.id = c.agenda_item_id",
}
# For a row gone since: the column of its image naming its parent, and the parent table.
_PARENT: dict[str, tuple[str, str | None]] = {
    "attendance": ("session_id", None),
    "agenda_item": ("session_id", None),
    "occupation_review": ("session_id", None),
    "candidacy": ("agenda_item_id", "agenda_item"),
    "decision": ("candidacy_id", "candidacy"),
}


@dataclass
class FrozenWatch:
    """Fed every entry of the chain in order (`see`), then asked for its findings."""

    anchors: dict[int, int] = field(default_factory=dict)  # séance → its anchor's entry
    # (entry, table, row, where) of updates and deletes of a séance's rows, once a
    # séance has been frozen (earlier ones cannot follow a freeze)
    writes: list[tuple[int, str, int, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def see(self, row: Mapping[Any, Any], where: str) -> None:
        entity, action = row["entity"], row["action"]
        if action == "insert":
            if entity == "chain_anchor" and row["after"] is not None:
                session_id = json.loads(row["after"]).get("session_id")
                if isinstance(session_id, int):
                    self.anchors.setdefault(session_id, row["id"])
            return
        if entity in INSERT_ONLY:
            self.problems.append(
                f"{where} : une ligne de {entity}, que caleol ne modifie ni ne supprime "
                "jamais, a été modifiée ou supprimée (protection de la base contournée)")
        elif entity in _SESSION_OF and self.anchors:
            self.writes.append((row["id"], entity, row["entity_id"], where))

    def findings(self, connection: Connection) -> list[str]:
        """The problems seen, and every write to a séance's row after its freeze."""
        found = list(self.problems)
        if not self.writes:
            return found
        sessions: dict[str, dict[int, int]] = {
            name: {r[0]: r[1] for r in connection.exec_driver_sql(query)}
            for name, query in _SESSION_OF.items()}
        for entry_id, entity, entity_id, where in self.writes:
            session_id = sessions[entity].get(entity_id)
            if session_id is None:  # deleted since: its image names its parent
                session_id = _session_of_gone(connection, sessions, entity, entry_id)
            frozen_at = self.anchors.get(session_id) if session_id is not None else None
            if frozen_at is not None and entry_id > frozen_at:
                found.append(
                    f"{where} : modifie une ligne de la séance n° {session_id} après sa "
                    f"clôture (empreinte du journal enregistrée à l'entrée n° {frozen_at}) : "
                    "aucune écriture de caleol ne le fait (protection de la base contournée)")
        return found


def _session_of_gone(connection: Connection, sessions: dict[str, dict[int, int]],
                     entity: str, entry_id: int) -> int | None:
    image = connection.execute(
        text('SELECT "before" FROM audit_entry WHERE id = :id'), {"id": entry_id}
    ).scalar_one_or_none()
    if image is None:
        return None  # erased by the purge: nothing to tell
    column, parent = _PARENT[entity]
    value = json.loads(image).get(column)
    if parent is None or value is None:
        return value if isinstance(value, int) else None
    return sessions[parent].get(value)
