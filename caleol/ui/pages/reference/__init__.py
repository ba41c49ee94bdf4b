"""Référentiels: the reference data, one tab per module (see `page.py`)."""

from caleol.ui.pages.reference.page import ReferencePage

__all__ = ["ReferencePage"]
