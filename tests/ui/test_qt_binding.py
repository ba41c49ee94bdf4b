"""The Qt binding must not corrupt reference counts (PySide6 6.12.0 did, on Python 3.11).

With that release every `data()` override returning None through C++ and every
`Signal.emit()` lost a reference to None / True: after a few thousand calls the
interpreter aborted (« deallocating None »). pyproject.toml excludes it; this test
fails if such a binding comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

CALLS = 200
SLACK = 20  # unrelated objects may take or drop a few references meanwhile


class _NoneModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> None:
        return None


class _Emitter(QObject):
    fired = Signal()


def test_none_returned_by_a_model_override_keeps_its_references(qapp) -> None:
    model = _NoneModel()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)  # calls from C++ into the Python override
    index = proxy.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        proxy.data(index)
    assert sys.getrefcount(None) > before - SLACK


def test_signal_emit_keeps_the_references_of_true(qapp) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(lambda: received.append(1))
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.fired.emit()
    assert len(received) == CALLS
    assert sys.getrefcount(True) > before - SLACK
