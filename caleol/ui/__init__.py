"""The PySide6 desktop application: main window, pages, dialogs, models."""
