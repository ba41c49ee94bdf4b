"""Qt test fixtures: fail on unexpected warnings, attach model testers, temp logs.

pytest.ini already sets `qt_log_level_fail = WARNING` (pytest-qt fails a test on any
Qt warning). `fail_on_log` does the same for Python logging (qutebrowser's log-fail
handler): a WARNING or worse that the test did not announce with
`fail_on_log.expect(...)` fails the test, so a swallowed error cannot hide.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Messages of the offscreen test platform itself, not of caleol.
PLATFORM_NOISE = (
    "This plugin does not support propagateSizeHints",
)
UI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_DIR in Path(str(item.fspath)).resolve().parents:
            for pattern in PLATFORM_NOISE:
                item.add_marker(pytest.mark.qt_log_ignore(pattern))


@dataclass
class _Expectation:
    logger: str
    level: int
    text: str
    seen: int = 0

    def matches(self, record: logging.LogRecord) -> bool:
        name_ok = record.name == self.logger or record.name.startswith(self.logger + ".")
        return name_ok and record.levelno == self.level and self.text in record.getMessage()


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class LogExpectations:
    """What a test announces it will log at WARNING or above."""

    collector: _Collector
    expected: list[_Expectation] = field(default_factory=list)

    def expect(self, logger: str, level: int = logging.WARNING, text: str = "") -> None:
        self.expected.append(_Expectation(logger, level, text))

    def unexpected(self) -> list[logging.LogRecord]:
        found = []
        for record in self.collector.records:
            hits = [e for e in self.expected if e.matches(record)]
            for e in hits:
                e.seen += 1
            if not hits:
                found.append(record)
        return found

    def records(self, logger: str = "") -> list[logging.LogRecord]:
        return [r for r in self.collector.records if r.name.startswith(logger)]


@pytest.fixture(autouse=True)
def fail_on_log() -> Iterator[LogExpectations]:
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    expectations = LogExpectations(collector)
    try:
        yield expectations
    finally:
        root.removeHandler(collector)
    unexpected = expectations.unexpected()
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"Unexpected log messages:\n{lines}", pytrace=False)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """caleol's file logging pointed at a temp directory, removed afterwards."""
    from caleol import logs

    caleol_logger = logging.getLogger("caleol")
    old_level = caleol_logger.level
    path = logs.configure_logging(directory=tmp_path / "logs")
    try:
        yield path
    finally:
        logs.remove_logging()
        caleol_logger.setLevel(old_level)


@pytest.fixture
def attach_model_tester(qtbot):
    """Keep a QAbstractItemModelTester on a model for the whole test.

    It re-checks the model on every signal (resets, inserts, sorts); its findings are
    Qt warnings, which `qt_log_level_fail = WARNING` turns into test failures.
    """
    from PySide6.QtTest import QAbstractItemModelTester

    testers = []

    def attach(model):
        tester = QAbstractItemModelTester(
            model, QAbstractItemModelTester.FailureReportingMode.Warning
        )
        testers.append(tester)
        return tester

    yield attach
    testers.clear()
