"""Where caleol keeps its files: platformdirs locations, overridable for tests.

`CALEOL_HOME` (a directory) replaces every user location at once, so a test or a
portable install never touches the user's real profile.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "caleol"
APP_AUTHOR = "caleol"


def _home() -> Path | None:
    value = os.environ.get("CALEOL_HOME")
    return Path(value) if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    home = _home()
    return _ensure(home / "data" if home else platformdirs.user_data_path(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    home = _home()
    return _ensure(
        home / "config" if home else platformdirs.user_config_path(APP_NAME, APP_AUTHOR)
    )


def log_dir() -> Path:
    home = _home()
    return _ensure(home / "logs" if home else platformdirs.user_log_path(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return data_dir() / "caleol.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "caleol-demo.sqlite3"


def backup_dir() -> Path:
    return _ensure(data_dir() / "sauvegardes")


def documents_dir() -> Path:
    return _ensure(data_dir() / "documents")


def resources_dir() -> Path:
    return Path(__file__).resolve().parent / "resources"
