"""When the main window has opened an empty database, offer the assistant; once it is
finished, go where the user asked (the Séances screen, or an import)."""

from __future__ import annotations

import logging
from typing import Any

from caleol.services.organisation.draft import organisation_started
from caleol.ui import messages
from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard

log = logging.getLogger(__name__)


def offer_setup(ctx: Any, window: Any) -> SetupWizard | None:
    """Open the assistant over `window` when `ctx.engine` holds no organisation yet.

    Args:
        ctx: the application's `AppContext` (its settings take the certificate chosen).
        window: the main window (its screens are where the assistant leads).

    Returns:
        The assistant shown (window-modal, not blocking), or None.
    """
    if ctx.engine is None or organisation_started(ctx.engine):
        return None
    wizard = SetupWizard(ctx.engine, ctx.settings, ctx.settings_file, window)
    wizard.settings_saved.connect(lambda new: setattr(ctx, "settings", new))
    wizard.completed.connect(lambda action: after_setup(window, action))
    window.setup_wizard = wizard
    wizard.open()
    log.info("setup assistant offered on an empty database")
    return wizard


IMPORTS = {"dwellings": "dwellings", "demandes": "demandes"}


def after_setup(window: Any, action: str) -> None:
    """The Séances screen, or the import the user chose on the last page."""
    if action in IMPORTS:
        page = window.show_page(IMPORTS[action]).content
        page.choose_import_file()
        return
    if action in ("ceilings", "quartiles"):
        page = window.show_page("reference").content
        page.start_import(action)
        return
    if action == "departments":
        window.show_page("reference").content.show_departments()
        return
    window.show_page("sessions")
    messages.show_status(window, window.tr(
        "Organisation enregistrée. Créez votre première séance : « Nouvelle séance… » "
        "(Ctrl+N)."))
