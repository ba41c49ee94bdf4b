"""Child process of the start-up and memory measures (run by `bench_startup`).

    python -m benchmarks.startup_child bare|caleol [--db PATH] [--demandes]

Prints one line `shown <time.time()> rss_kb <resident KiB> cpu <CPU seconds>` once the
main window has been shown and the event loop has run once (`QTimer.singleShot(0)`
after `show()`). `caleol` goes through `caleol.app.run_gui` exactly as the `caleol`
command does, then prints (same fields):

- `listed`: the Séances list shows its rows. After the light read
  (`caleol.app.show_light_list`) and one more turn of the event loop, as `shown`;
  when the light read was not possible, at once after `open_in_window`, which then
  loaded the list. The rows are shown, not yet usable: the database is still opening.
- `ready`: the database is fully open (`caleol.app.open_in_window` done: schema
  checked, audit hooks installed, the list read again and usable); then it quits.

`--demandes` also opens the Demandes list (its first page loaded) before the `ready`
line, for the memory measure.
"""

from __future__ import annotations

import argparse
import sys
import time


def resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _report(what: str) -> None:
    print(f"{what} {time.time():.6f} rss_kb {resident_kib()} cpu {time.process_time():.6f}",
          flush=True)


def _report_and_quit() -> None:
    from PySide6.QtWidgets import QApplication

    _report("shown")
    QApplication.quit()


def bare() -> int:
    """The baseline: a PySide6 window with a label, sized like caleol's, then shown."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(["bare"])
    window = QMainWindow()
    window.setCentralWidget(QLabel("fenêtre nue", window))
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(0, _report_and_quit)
    return int(app.exec())


def caleol(db: str, demandes: bool) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from caleol import app as app_module

    show_sized = app_module._show_sized
    show_light_list = app_module.show_light_list
    open_in_window = app_module.open_in_window
    listed = False

    def shown(window) -> None:  # type: ignore[no-untyped-def]
        show_sized(window)
        QTimer.singleShot(0, lambda: _report("shown"))  # as the bare window: one loop turn

    def light(ctx, window) -> bool:  # type: ignore[no-untyped-def]
        nonlocal listed
        listed = show_light_list(ctx, window)
        if listed:
            QTimer.singleShot(0, lambda: _report("listed"))  # painted, as `shown`
        return listed

    def opened(ctx, window) -> None:  # type: ignore[no-untyped-def]
        open_in_window(ctx, window)
        if not listed:
            _report("listed")
        if demandes:
            window.show_page("demandes")
        _report("ready")
        QApplication.quit()

    app_module._show_sized = shown
    app_module.show_light_list = light
    app_module.open_in_window = opened
    return app_module.run_gui(db=db)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("bare", "caleol"))
    parser.add_argument("--db", default="")
    parser.add_argument("--demandes", action="store_true")
    args = parser.parse_args()
    if args.kind == "bare":
        return bare()
    return caleol(args.db, args.demandes)


if __name__ == "__main__":
    sys.exit(main())
