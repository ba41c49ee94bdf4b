"""Checking that nothing was altered: the audit chain, the rows, the signed documents.

`verify_chain` recomputes every entry's hash and link (and each kept image's digest),
then compares each row of every audited table with the last image the log recorded
for it, and each signed document with its stored sha256. Anything written behind the
application's back (raw SQL, another tool) shows up: a changed, added or deleted row,
an edited or removed log entry, a replaced PDF.

Two legitimate changes are not anomalies: images erased by the retention purge
(`redacted_at` set; counted in the report), and columns a schema upgrade added to a
table after a row's last entry (only the columns the image recorded are compared).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from caleol.db.audit import GENESIS, audited_tables, entry_hash, image_digest, row_image
from caleol.db.models import AuditEntry, SignedDocument
from caleol.fr import counted

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


def _changed_columns(recorded: str, current: str) -> list[str]:
    """Columns whose value differs from the recorded image. Only columns both know are
    compared: the others were added or dropped by a schema upgrade (DDL, which only
    a migration runs), not by a write behind the application's back."""
    before: dict[str, Any] = json.loads(recorded)
    now: dict[str, Any] = json.loads(current)
    return sorted(k for k in before if k in now and before[k] != now[k])


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
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        prev = GENESIS
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
            if row["redacted_at"] is not None:
                report.redacted += 1
            prev = row["hash"]
            latest[(row["entity"], row["entity_id"])] = _Latest(
                row["id"], row["action"], row["after_sha256"])

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
                        changed = _changed_columns(recorded, image)
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

        documents = SignedDocument.__table__  # type: ignore[attr-defined]
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
    return report
