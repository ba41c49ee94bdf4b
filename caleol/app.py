"""Composition root: builds settings, engine, services and the main window once."""

from __future__ import annotations


def run_gui(db: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    label = QLabel("caleol")
    label.show()
    return app.exec()
