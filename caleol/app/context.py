"""What the application's screens may be given, built once by `caleol.app.start`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caleol.app.database import DatabaseTarget
from caleol.settings import Settings


@dataclass
class AppContext:
    """Everything the pages may be given; built once by `start`."""

    settings: Settings
    settings_file: Path
    log_file: Path | None
    target: DatabaseTarget | None = None
    engine: Any = None
    services: dict[str, Any] = field(default_factory=dict)
    tasks: Any = None  # caleol.ui.tasks.TaskRunner, made by `task_runner()`
    opened: bool = False  # `open_in_window` has run (the database is open, or failed)


def session_settings(target: DatabaseTarget | None, settings: Settings) -> Settings:
    """The settings the window works with: the demo database lends its certificate."""
    if target is None or not target.demo:
        return settings
    from caleol.services.demo import demo_settings

    return demo_settings(settings)


def task_runner(ctx: AppContext) -> Any:
    """The application's one `TaskRunner`, made when first needed (not before the
    window shows: the thread pool and its imports are not free)."""
    if ctx.tasks is None:
        from caleol.ui.tasks import TaskRunner

        ctx.tasks = TaskRunner()
    return ctx.tasks

