"""Checking that nothing was altered: the audit chain, the rows, the signed documents.

`verify_chain` checks that the entries are numbered 1, 2, 3… without gap (the primary
key is what prevents a fork since revision 0012), recomputes every entry's hash and
link (and each kept image's digest), checks that each entry builds on the previous
one of the same row (its « before » is that entry's « after »: a row forged then
written by caleol would otherwise launder the forgery into the log), then compares
each row of every audited table with the last image the log recorded for it, and each
signed document with its stored sha256.
Anything written behind the application's back (raw SQL, another tool) shows up: a
changed, added or deleted row, an edited, inserted or removed log entry, a replaced
PDF, images erased outside the retention purge, and what the database triggers guard
(a séance signed without its PV, a document, an event or a rectification that breaks
the rules) should they have been dropped.

Two legitimate changes are not anomalies: images erased by the retention purge (only
for the rows it recorded in `purged_row`; counted in the report), and columns a
schema upgrade added to a table after a row's last entry (only the columns both
images know are compared).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select

from caleol.db.audit import (
    GENESIS,
    audited_tables,
    changed_columns,
    entry_hash,
    image_digest,
    row_image,
)
from caleol.db.models import AuditEntry, Demande, PurgedRow, SignedDocument
from caleol.db.models.integrity import ANONYMISED_PREFIX
from caleol.db.typed import table_of
from caleol.fr import counted
from caleol.services.audit_frozen import FrozenWatch

_STREAM = 2000


@dataclass
class AuditReport:
    """What `caleol verify-db` prints; `ok` when nothing was found."""

    entries: int = 0
    redacted: int = 0  # entries whose personal data the retention purge erased
    rows: int = 0
    documents: int = 0
    first_broken_link: str | None = None
    problems: list[str] = field(default_factory=list)
    truncated: int = 0  # problems not listed beyond the limit

    @property
    def ok(self) -> bool:
        return not self.problems and self.first_broken_link is None

    def text(self) -> str:
        lines = [
            "Vérification de la base de données",
            "- journal d'audit : "
            + counted(self.entries, "entrée vérifiée", "entrées vérifiées")
            + (f", dont {counted(self.redacted, 'expurgée', 'expurgées')} par la purge de "
               "conservation" if self.redacted else ""),
            f"- données : {counted(self.rows, 'ligne comparée', 'lignes comparées')} au journal",
            "- documents signés : "
            + counted(self.documents, "empreinte vérifiée", "empreintes vérifiées"),
        ]
        if self.ok:
            lines.append("Résultat : aucune anomalie, la chaîne d'audit est intacte.")
            return "\n".join(lines)
        if self.first_broken_link:
            lines.append(f"Premier maillon rompu : {self.first_broken_link}")
        lines.append(f"Anomalies ({len(self.problems) + self.truncated}) :")
        lines.extend(f"  • {p}" for p in self.problems)
        if self.truncated:
            more = counted(self.truncated, "autre anomalie non affichée",
                           "autres anomalies non affichées")
            lines.append(f"  … et {more}.")
        return "\n".join(lines)


class _Collector:
    def __init__(self, report: AuditReport, limit: int) -> None:
        self.report = report
        self.limit = limit

    def add(self, text: str) -> None:
        if len(self.report.problems) < self.limit:
            self.report.problems.append(text)
        else:
            self.report.truncated += 1


@dataclass
class _Latest:
    entry_id: int
    action: str
    digest: str | None  # sha256 (hex) of the after image


def verify_chain(engine: Engine, *, limit: int = 50) -> AuditReport:
    """Recompute the audit chain and compare the data and signed documents with it.

    Args:
        engine: an open caleol database.
        limit: at most this many problems are listed (the rest are counted).

    Returns:
        The report; `report.ok` is True when nothing was altered.
    """
    report = AuditReport()
    problems = _Collector(report, limit)
    latest: dict[tuple[str, int], _Latest] = {}
    # (where, entry, previous entry of the row): digests differ, texts to compare
    unlinked: list[tuple[str, int, int, tuple[str, int]]] = []
    table = table_of(AuditEntry)
    frozen = FrozenWatch()
    with engine.connect() as connection:
        purged = _purged_rows(connection)
        prev = GENESIS
        numbered = 0  # the id the previous entry had: ids count 1, 2, 3…
        result = connection.execution_options(yield_per=_STREAM).execute(
            select(table).order_by(table.c.id)
        )
        for row in result.mappings():
            report.entries += 1
            where = (
                f"entrée n° {row['id']} du {row['at']:%d/%m/%Y à %H:%M:%S} UTC "
                f"({row['entity']} n° {row['entity_id']}, {row['action']}, par {row['os_user']})"
            )
            if row["prev_hash"] != prev:
                text = (
                    f"{where} : ne suit pas l'entrée précédente (entrée supprimée, insérée ou "
                    "modifiée avant elle)"
                )
                report.first_broken_link = report.first_broken_link or text
                problems.add(text)
            if row["id"] != numbered + 1:
                # the primary key guards forks only while ids count 1, 2, 3…
                text = (
                    f"{where} : chaîne rompue, numérotation discontinue (l'entrée n° "
                    f"{numbered + 1} devait suivre l'entrée n° {numbered} : entrée "
                    "supprimée, insérée ou renumérotée hors de l'application)"
                )
                report.first_broken_link = report.first_broken_link or text
                problems.add(text)
            expected = entry_hash(
                at=row["at"], os_user=row["os_user"], entity=row["entity"],
                entity_id=row["entity_id"], action=row["action"],
                before_sha256=row["before_sha256"], after_sha256=row["after_sha256"],
                prev_hash=row["prev_hash"],
            )
            images_match = all(
                row[image] is None or image_digest(row[image]) == row[f"{image}_sha256"]
                for image in ("before", "after")
            )
            if expected != row["hash"] or not images_match:
                text = f"{where} : contenu modifié après écriture (empreinte différente)"
                report.first_broken_link = report.first_broken_link or text
                problems.add(text)
            key = (row["entity"], row["entity_id"])
            if row["redacted_at"] is not None:
                report.redacted += 1
                if key not in purged:
                    problems.add(f"{where} : images effacées alors qu'aucune purge de "
                                 "conservation n'a porté sur cette ligne")
            before = latest.get(key)
            if row["action"] == "insert":
                if before is not None and before.action != "delete":
                    problems.add(
                        f"{where} : la ligne existait encore d'après l'entrée n° "
                        f"{before.entry_id} (supprimée hors de l'application, puis son "
                        "numéro réutilisé)")
            elif before is None or before.action == "delete":
                problems.add(f"{where} : aucune insertion de cette ligne ne la précède "
                             "(ajoutée ou réinsérée hors de l'application)")
            elif row["before_sha256"] != before.digest:
                unlinked.append((where, row["id"], before.entry_id, key))
            frozen.see(row, where)
            prev = row["hash"]
            numbered = row["id"]
            latest[key] = _Latest(row["id"], row["action"], row["after_sha256"])

        for where, entry_id, previous_id, key in unlinked:
            recorded, current = _images(connection, previous_id, entry_id)
            if recorded is None or current is None:
                if key in purged:
                    continue  # erased by the purge: nothing left to compare
                changed = ["image expurgée, colonnes inconnues"]
            else:
                changed = changed_columns(recorded, current)
                if not changed:
                    continue  # only columns added by a schema upgrade differ
            problems.add(
                f"{where} : son image « avant » n'est pas la dernière enregistrée (entrée "
                f"n° {previous_id}) : la ligne a été modifiée hors de l'application avant "
                f"cette écriture (colonnes : {', '.join(changed)})")

        for data_table in audited_tables():
            result = connection.execution_options(yield_per=_STREAM).execute(
                select(data_table).order_by(data_table.c.id)
            )
            for data_row in result.mappings():
                report.rows += 1
                key = (data_table.name, data_row["id"])
                seen = latest.pop(key, None)
                label = f"{data_table.name} n° {data_row['id']}"
                if seen is None:
                    problems.add(f"{label} : absente du journal (ajoutée hors de l'application)")
                    continue
                if seen.action == "delete":
                    problems.add(
                        f"{label} : supprimée d'après l'entrée n° {seen.entry_id} du journal, "
                        "mais présente (réinsérée hors de l'application)"
                    )
                    continue
                image = row_image(data_row)
                if image_digest(image) != seen.digest:
                    recorded = connection.execute(
                        select(table.c.after).where(table.c.id == seen.entry_id)
                    ).scalar_one_or_none()
                    if recorded is None:
                        columns = "image expurgée, colonnes inconnues"
                    else:
                        changed = changed_columns(recorded, image)
                        if not changed:
                            continue  # only columns added by a schema upgrade differ
                        columns = ", ".join(changed)
                    problems.add(
                        f"{label} : modifiée hors de l'application depuis l'entrée "
                        f"n° {seen.entry_id} du journal (colonnes : {columns})"
                    )
        for (name, entity_id), seen in sorted(latest.items()):
            if seen.action != "delete":
                problems.add(
                    f"{name} n° {entity_id} : supprimée hors de l'application (dernière trace : "
                    f"entrée n° {seen.entry_id} du journal)"
                )

        documents = table_of(SignedDocument)
        result = connection.execution_options(yield_per=50).execute(
            select(documents.c.id, documents.c.session_id, documents.c.sha256,
                   documents.c.content).order_by(documents.c.id)
        )
        for doc in result.mappings():
            report.documents += 1
            if hashlib.sha256(bytes(doc["content"])).hexdigest() != doc["sha256"]:
                problems.add(
                    f"document signé n° {doc['id']} (séance n° {doc['session_id']}) : le "
                    "contenu ne correspond plus à l'empreinte enregistrée à la signature"
                )
        for problem in [*_rule_problems(connection), *frozen.findings(connection)]:
            problems.add(problem)
    return report


def _purged_rows(connection: Connection) -> set[tuple[str, int]]:
    rows = table_of(PurgedRow)
    return {(r[0], r[1]) for r in connection.execute(select(rows.c.entity, rows.c.entity_id))}


def _images(connection: Connection, after_of: int, before_of: int
            ) -> tuple[str | None, str | None]:
    """The « after » of one entry and the « before » of another (None: erased)."""
    table = table_of(AuditEntry)
    recorded = connection.execute(
        select(table.c.after).where(table.c.id == after_of)).scalar_one_or_none()
    current = connection.execute(
        select(table.c.before).where(table.c.id == before_of)).scalar_one_or_none()
    return recorded, current


# What the triggers of revision 0007 refuse, checked again here (a trigger can be
# dropped by whoever can write to the file): (query of the offending rows, message).
_RULES: tuple[tuple[str, str], ...] = (
    ("SELECT s.id FROM commission_session s WHERE s.status = 'signed' AND NOT EXISTS ("
     "SELECT 1 FROM signed_document d WHERE d.session_id = s.id AND d.kind = 'pv')",
     "séance n° {} : signée sans procès-verbal signé enregistré"),
    ("SELECT d.id FROM signed_document d JOIN commission_session s ON s.id = d.session_id "
     "WHERE s.status NOT IN ('closed', 'signed') OR (d.kind = 'pv' AND EXISTS ("
     "SELECT 1 FROM signed_document o WHERE o.session_id = d.session_id AND o.kind = 'pv' "
     "AND o.id < d.id))",
     "document signé n° {} : séance non close, ou second procès-verbal de la séance"),
    ("SELECT e.id FROM candidacy_event e JOIN candidacy c ON c.id = e.candidacy_id "
     "JOIN agenda_item a ON a.id = c.agenda_item_id "
     "JOIN commission_session s ON s.id = a.session_id "
     "WHERE s.status NOT IN ('closed', 'signed') OR e.date < s.date OR NOT EXISTS ("
     "SELECT 1 FROM decision d WHERE d.candidacy_id = e.candidacy_id "
     "AND d.kind IN ('attribution', 'attribution_rang', 'attribution_sous_condition'))",
     "suite de décision n° {} : séance non close, date antérieure à la séance ou "
     "candidat sans attribution"),
    ("SELECT r.id FROM rectification r JOIN commission_session s ON s.id = r.session_id "
     "WHERE s.status NOT IN ('closed', 'signed')",
     "rectification n° {} : d'une séance qui n'est pas close"),
)


def _rule_problems(connection: Connection) -> list[str]:
    found = [message.format(row[0])
             for query, message in _RULES
             for row in connection.exec_driver_sql(query)]
    demande = table_of(Demande)
    purged = table_of(PurgedRow)
    for purged_id, demande_id, nur in connection.execute(
        select(purged.c.id, purged.c.demande_id, demande.c.nur)
        .join(demande, demande.c.id == purged.c.demande_id)
    ):
        if not nur.startswith(ANONYMISED_PREFIX):
            found.append(f"purge n° {purged_id} : la demande n° {demande_id} est toujours là, "
                         "ni supprimée ni anonymisée")
    return found
