"""The screens of the main window, each built the first time it is shown.

Those that need the database say what they are for while none is open; Paramètres
needs none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from caleol import settings as settings_module
from caleol.app.context import AppContext, session_settings, task_runner


def page_builders(ctx: AppContext, window: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """(id, title, build) of the screens that need the database, in navigation order.

    Each `build` runs the first time its screen is shown, once the database is open;
    without a database it makes a page that says what the screen is for.
    """
    from caleol.ui.pages.base import PlaceholderPage

    no_database = window.tr("Aucune base de données n'est ouverte : choisissez-en une "
                            "dans Paramètres puis redémarrez caleol.")

    def sessions() -> Any:
        if ctx.engine is None:
            return PlaceholderPage(
                "sessions", window.tr("Séances"),
                window.tr("Les séances de la commission : préparation de l'ordre du jour, "
                          "contrôle des candidatures, décisions, clôture et procès-verbal "
                          "signé."),
                [window.tr("liste des séances avec leur état (brouillon, prête, tenue, "
                           "signée)"),
                 window.tr("nouvelle séance : commission, date, lieu, membres convoqués"),
                 window.tr("espace de travail de la séance : logements, candidats, "
                           "contrôles, décisions, présences et quorum")],
                note=no_database)
        from caleol.ui.pages.sessions_page import SessionsPage

        return SessionsPage(ctx.engine, lambda: ctx.settings, task_runner(ctx))

    def dwellings() -> Any:
        if ctx.engine is None:
            return PlaceholderPage("dwellings", window.tr("Logements"), no_database, note="")
        from caleol.services.browse import DwellingBrowser
        from caleol.ui.pages.dwellings_page import DwellingsPage

        return DwellingsPage(DwellingBrowser(ctx.engine), engine=ctx.engine,
                             runner=task_runner(ctx))

    def demandes() -> Any:
        if ctx.engine is None:
            return PlaceholderPage("demandes", window.tr("Demandes"), no_database, note="")
        from caleol.services.browse import DemandeBrowser
        from caleol.ui.pages.demandes_page import DemandesPage

        return DemandesPage(DemandeBrowser(ctx.engine), engine=ctx.engine,
                            runner=task_runner(ctx))

    def indicators() -> Any:
        if ctx.engine is None:
            return PlaceholderPage(
                "indicators", window.tr("Indicateurs"),
                window.tr("Les objectifs annuels d'attribution : premier quartile hors QPV, "
                          "quartiles 2 à 4 en QPV, publics prioritaires, réservataires."),
                [window.tr("tableaux et graphiques par année et par EPCI"),
                 window.tr("rapports PDF (bilan annuel, bilan semestriel au préfet)")],
                note=no_database)
        from caleol.ui.pages.indicators_page import IndicatorsPage

        return IndicatorsPage(ctx.engine, task_runner(ctx), lambda: ctx.settings)

    def reference() -> Any:
        if ctx.engine is None:
            return PlaceholderPage(
                "reference", window.tr("Référentiels"),
                window.tr("Les données de référence : plafonds de ressources par année, "
                          "seuils de quartile par EPCI, critères de priorité, motifs de "
                          "non-attribution, modèles de courriers, commissions et membres."),
                [], note=no_database)
        from caleol.ui.pages.reference import ReferencePage

        return ReferencePage(ctx.engine)

    return [
        ("sessions", window.tr("Séances"), sessions),
        ("dwellings", window.tr("Logements"), dwellings),
        ("demandes", window.tr("Demandes"), demandes),
        ("indicators", window.tr("Indicateurs"), indicators),
        ("reference", window.tr("Référentiels"), reference),
    ]


def sessions_while_opening(ctx: AppContext, rows: tuple[Any, ...]) -> Any:
    """Séances before the database is open: the light read's rows, nothing offered."""
    from caleol.ui.pages.sessions_page import SessionsPage

    return SessionsPage(None, lambda: ctx.settings, None, rows=rows)


def database_opened(ctx: AppContext, window: Any) -> None:
    """The database is open: the Séances list shown while it opened becomes usable."""
    from caleol.ui.pages.base import LazyPage

    page = window.page("sessions")
    if isinstance(page, LazyPage) and page.built:
        from caleol.ui.pages.sessions_page import SessionsPage

        if isinstance(page.content, SessionsPage) and page.content.opening:
            page.content.attach(ctx.engine, task_runner(ctx))


def agency_names(ctx: AppContext) -> list[str]:
    """The active agencies of the open database, for Paramètres' « Agence » list."""
    if ctx.engine is None:
        return []
    from caleol.services.organisation.agencies import list_agencies

    return [agency.name for agency in list_agencies(ctx.engine, active_only=True)]


def settings_page(ctx: AppContext) -> Any:
    """Paramètres, which needs no database; saved settings are the session's at once."""
    from caleol.ui.pages.settings_page import SettingsPage

    demo = ctx.target is not None and ctx.target.demo
    # the page edits the user's file: never the demo certificate lent in memory
    page = SettingsPage(settings_module.load(ctx.settings_file) if demo else ctx.settings,
                        ctx.settings_file, agencies=lambda: agency_names(ctx))
    page.settings_saved.connect(
        lambda new: setattr(ctx, "settings", session_settings(ctx.target, new)))
    return page
