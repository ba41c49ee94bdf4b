"""« Importer un fichier CSV… » on a browser: the file imported all or nothing off the
GUI thread, then the list reloaded, or the refused file's report shown."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QPushButton

from caleol.errors import CaleolError
from caleol.services.imports import ImportRejectedError, ImportReport, Progress
from caleol.ui import file_dialogs, messages
from caleol.ui.dialogs.import_report import ImportReportDialog
from caleol.ui.pages.browser.listing import BrowserListing
from caleol.ui.tasks import Task, TaskContext, TaskRunner, run_with_progress

CSV_FILTER = "Fichiers CSV (*.csv)"


class ImportFile(Protocol):
    """Imports one file all or nothing, telling its progress (`import_demandes`…)."""

    def __call__(self, source: Path, *, progress: Progress) -> ImportReport: ...


class CsvImport(BrowserListing):
    """Records imported from a CSV file into the list."""

    import_button: QPushButton | None
    import_report_dialog: ImportReportDialog | None  # a refused file's problems
    import_task: Task | None  # kept alive until its signals are delivered
    _runner: TaskRunner | None
    _import_file: ImportFile | None

    def enable_import(self, runner: TaskRunner, import_file: ImportFile) -> None:
        """Add « Importer un fichier CSV… »; `import_file` runs off the GUI thread.

        Args:
            runner: the application's task runner.
            import_file: imports one file all or nothing (raises `ImportRejectedError`),
                telling the share of the file read to the progress bar (« Annuler »
                makes it raise, which rolls the import back).
        """
        self._runner = runner
        self._import_file = import_file
        self.import_button = QPushButton("Importer un fichier CSV…", self)
        self.import_button.setObjectName("importCsvButton")
        self.import_button.clicked.connect(self.choose_import_file)
        self._top_bar.addWidget(self.import_button)

    def choose_import_file(self) -> None:
        path = file_dialogs.open_file(self, "import-csv", f"Importer des {self._nouns[1]}",
                                      CSV_FILTER)
        if path is not None:
            self.import_csv(path)

    def import_csv(self, path: Path) -> None:
        if self._runner is None or self._import_file is None:
            return
        import_file = self._import_file

        def work(ctx: TaskContext) -> ImportReport:
            return import_file(path, progress=ctx.progress)

        self.import_task = run_with_progress(
            self, self._runner, f"Import des {self._nouns[1]}…", work,
            self._import_succeeded, on_error=self._import_failed)

    def _import_succeeded(self, report: ImportReport) -> None:
        self.reload()
        messages.show_status(self, report.summary())
        messages.show_info(self, report.summary(), "Import terminé")

    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRejectedError):
            self.import_report_dialog = ImportReportDialog(exc.report, self)
            self.import_report_dialog.open()  # window-modal, does not block the event loop
        elif isinstance(exc, CaleolError):
            messages.show_error(self, exc)
        else:
            messages.report_exception(exc)
