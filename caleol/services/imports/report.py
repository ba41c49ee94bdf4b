"""What an import did, or every reason it did nothing, in French."""

from __future__ import annotations

from dataclasses import dataclass, field

from caleol.errors import CaleolError
from caleol.fr import format_decimal

MAX_LISTED = 500  # problems listed one by one; the rest are counted


@dataclass(frozen=True)
class RowProblem:
    """A problem of one cell (line 1 is the header line of the file)."""

    line: int
    column: str
    message: str

    def text(self) -> str:
        where = f"ligne {self.line}" if self.line else "fichier"
        return f"{where}, colonne « {self.column} » : {self.message}" if self.column else (
            f"{where} : {self.message}"
        )


@dataclass
class ImportReport:
    """Counts and problems of one import; `errors` non-empty means nothing was written."""

    what: str  # "logements" or "demandes"
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    more_errors: int = 0
    more_warnings: int = 0
    refused_rows: int = 0  # rows with at least one error
    stopped_at_line: int = 0  # reading stopped after this line (too many errors); 0: read whole
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def error(self, line: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_LISTED:
            self.errors.append(RowProblem(line, column, message))
        else:
            self.more_errors += 1

    def warning(self, line: int, column: str, message: str) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(RowProblem(line, column, message))
        else:
            self.more_warnings += 1

    def summary(self) -> str:
        if not self.ok:
            refused = (
                f"Import des {self.what} refusé ({self.filename}) : "
                f"{format_decimal(self.error_count, 0)} "
                f"erreur{'s' if self.error_count > 1 else ''}, rien n'a été enregistré."
            )
            if self.stopped_at_line:
                refused += (
                    f" Le fichier n'a pas été lu jusqu'au bout : trop d'erreurs "
                    f"({format_decimal(self.refused_rows, 0)} lignes refusées), lecture "
                    "arrêtée à la ligne "
                    f"{self.stopped_at_line}. Vérifiez qu'il s'agit du bon fichier et de "
                    "la bonne ligne d'en-tête, corrigez ces lignes puis relancez l'import."
                )
            return refused
        return (
            f"Import des {self.what} ({self.filename}) : {self.rows} ligne"
            f"{'s' if self.rows > 1 else ''} lue{'s' if self.rows > 1 else ''}, "
            f"{self.created} créée{'s' if self.created > 1 else ''}, "
            f"{self.updated} mise{'s' if self.updated > 1 else ''} à jour, "
            f"{self.unchanged} inchangée{'s' if self.unchanged > 1 else ''}."
        )

    def text(self) -> str:
        """The whole report as the CLI prints it and the GUI shows it."""
        lines = [self.summary()]
        if self.errors:
            lines.append("Erreurs :")
            lines += [f"- {p.text()}" for p in self.errors]
            if self.more_errors:
                lines.append(f"- … et {format_decimal(self.more_errors, 0)} autres erreurs.")
        if self.warnings:
            lines.append("Avertissements :")
            lines += [f"- {p.text()}" for p in self.warnings]
            if self.more_warnings:
                lines.append(f"- … et {self.more_warnings} autres avertissements.")
        return "\n".join(lines)


class ImportRejectedError(CaleolError):
    """The file has problems: nothing was written; `report` lists every one."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.text())
        self.report = report
