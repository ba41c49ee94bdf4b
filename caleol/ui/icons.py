"""The application's own icons (caleol/resources/icons, CC0), looked up in one place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from caleol import paths

# page id → file in icons/nav/
NAVIGATION_ICONS = {
    "sessions": "sessions.svg",
    "dwellings": "dwellings.svg",
    "demandes": "demandes.svg",
    "indicators": "indicators.svg",
    "reference": "reference.svg",
    "settings": "settings.svg",
}


def icons_dir() -> Path:
    return paths.resources_dir() / "icons"


def application_icon() -> QIcon:
    """Every rendered size, so window managers and the task bar pick a sharp one."""
    icon = QIcon()
    for png in sorted((icons_dir() / "hicolor").glob("*/apps/caleol.png")):
        icon.addFile(str(png))
    return icon


def navigation_icon(page_id: str) -> QIcon:
    """The page's icon, or an empty icon for a page without one."""
    name = NAVIGATION_ICONS.get(page_id)
    if name is None:
        return QIcon()
    path = icons_dir() / "nav" / name
    return QIcon(str(path)) if path.exists() else QIcon()
