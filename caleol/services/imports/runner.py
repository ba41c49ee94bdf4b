"""The import loop shared by every kind of file: stream, validate, write, all or nothing.

One transaction for the whole file. Rows are validated as they stream in; while no
error has been seen, valid rows are written in chunks inside the transaction (so a
large file never sits in memory); after the first error nothing more is written but
every remaining row is still checked, so the report lists every bad row at once —
up to `MAX_REFUSED_ROWS` refused rows: past them the file is hopeless (wrong file,
shifted columns), reading stops there and the report says where.
Any error → the transaction is rolled back and `ImportRejectedError` carries the
report: the database is exactly as before.

Progress (the window's progress bar) is the share of the file read, reported after
every chunk; the callback may raise to cancel, which rolls everything back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.fr import format_decimal
from caleol.rules.nir import MIN_LENGTH as NIR_MIN_LENGTH
from caleol.rules.nir import contains_nir
from caleol.services.bulk import AuditedInserter, bulk_cache, cache_for
from caleol.services.collector import collector_held
from caleol.services.imports.columns import Column, aliases_of, required_of
from caleol.services.imports.csvfile import (
    NIR_MESSAGE,
    CsvReader,
    CsvRow,
    UnreadableFileError,
)
from caleol.services.imports.report import ImportRejectedError, ImportReport

CHUNK = 2000
MAX_REFUSED_ROWS = 1000  # refused rows after which the rest of the file is not read
R = TypeVar("R")
Progress = Callable[[int, str], None]  # percent, French line (caleol.ui.tasks.TaskContext)


class Importer(Protocol[R]):
    what: str
    columns: tuple[Column, ...]

    def prepare(self, db: Session) -> None:
        """Load the lookups (communes, agencies...) once per import."""

    def parse(self, row: CsvRow, report: ImportReport) -> R | None:
        """A record, or None after adding the row's errors to `report`."""

    def key(self, record: R) -> str: ...

    def write(self, db: Session, writer: AuditedInserter, records: Sequence[R],
              report: ImportReport) -> None:
        """Create or update the records (counting them in `report`)."""


def run_import(engine: Engine, source: Path | BinaryIO, importer: Importer[R],
               progress: Progress | None = None) -> ImportReport:
    """Import a whole file or nothing.

    Args:
        progress: told the share of the file read after every chunk of rows; an
            exception it raises (a cancellation) rolls the whole import back.

    Raises:
        ImportRejectedError: the file has problems (every one in `.report`).
    """
    started = time.perf_counter()
    reader = CsvReader(source, aliases_of(importer.columns), required_of(importer.columns))
    report = ImportReport(importer.what, reader.filename)

    def tell(done: bool = False) -> None:
        if progress is None:
            return
        share = 1.0 if done else reader.share_read()
        lines = format_decimal(report.rows, 0)
        if report.ok:
            progress(min(99, int(99 * share)), f"{lines} lignes lues")
        else:
            progress(min(99, int(99 * share)), f"{lines} lignes vérifiées (fichier refusé : "
                     "les erreurs sont listées à la fin)")

    try:
        with collector_held(), session_scope(engine) as db, \
                bulk_cache(db.connection(), cache_for(reader.size)):
            importer.prepare(db)
            writer = AuditedInserter(db.connection())
            seen: dict[str, int] = {}
            chunk: list[R] = []
            try:
                for row in reader.rows():
                    report.rows += 1
                    errors_before = report.error_count
                    record = _checked(importer, row, report, seen)
                    if report.error_count > errors_before:
                        report.refused_rows += 1
                        if report.refused_rows >= MAX_REFUSED_ROWS:
                            report.stopped_at_line = row.line
                            break
                    if report.rows % CHUNK == 0:
                        tell()
                    if record is None or not report.ok:
                        continue
                    chunk.append(record)
                    if len(chunk) >= CHUNK:
                        importer.write(db, writer, chunk, report)
                        chunk = []
            except UnreadableFileError as exc:
                report.error(0, "", exc.message)
            if report.ok and report.rows == 0:
                report.error(0, "", "aucune ligne de données après la ligne d'en-tête")
            if report.ok and chunk:
                importer.write(db, writer, chunk, report)
            tell(done=True)
            if not report.ok:
                report.created = report.updated = report.unchanged = 0
                raise ImportRejectedError(report)
    finally:
        reader.close()
        report.seconds = time.perf_counter() - started
    return report


def _checked(importer: Importer[R], row: CsvRow, report: ImportReport,
             seen: dict[str, int]) -> R | None:
    if row.missing:
        report.error(row.line, "", f"ligne incomplète : {row.missing} colonne"
                     f"{'s' if row.missing > 1 else ''} manquante{'s' if row.missing > 1 else ''}"
                     " (ligne tronquée ?)")
        return None
    if row.extra:
        report.error(row.line, "", f"{row.extra} cellule{'s' if row.extra > 1 else ''} de trop "
                     "par rapport à l'en-tête (séparateur dans une valeur sans guillemets ?)")
        return None
    # most cells are shorter than any NIR: decided without a call
    nir = [column for column, value in row.cells.items()
           if len(value) >= NIR_MIN_LENGTH and contains_nir(value)]
    if nir:
        headers = {c.name: c.header for c in importer.columns}
        for column in nir:  # the value itself is never repeated
            report.error(row.line, headers.get(column, column), NIR_MESSAGE)
        return None
    errors_before = report.error_count
    record = importer.parse(row, report)
    if record is None or report.error_count > errors_before:
        return None
    key = importer.key(record)
    first = seen.get(key)
    if first is not None:
        report.error(row.line, importer.columns[0].header,
                     f"« {key} » figure déjà ligne {first} : une seule ligne par clé")
        return None
    seen[key] = row.line
    return record
