"""Cold start to the main window shown, to the Séances list shown, and memory.

Each run is a fresh subprocess (`benchmarks.startup_child`, offscreen Qt platform,
its own `CALEOL_HOME`) timed from just before it is spawned until it reports:

- the window shown (its navigation, menus and status bar on screen);
- the Séances list showing its data (issue 19, target ≤ 2× as well): the rows of
  the light read (sqlite3, read-only, before SQLAlchemy is imported), painted. The
  list is then visibly not usable yet (buttons off, « ouverture de la base de
  données… »): the database is still being opened. When the light read is not
  possible, this point is the end of the full open, as before;
- for information (no target), the database fully open: SQLAlchemy and the models
  imported, the schema checked, the audit hooks installed, the list read again and
  usable. That is when a séance can be opened.

Baseline: a bare PySide6 window started the same way. Memory: the child's RSS once
the Demandes list of the 100 000-demande database is open and its first page
loaded; the bare window's RSS is given for comparison.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Measure, load_average

ROOT = Path(__file__).resolve().parent.parent


Timing = tuple[float, float, float]  # seconds since spawn, resident MB, CPU seconds


def spawn(args: list[str], home: Path) -> dict[str, Timing]:
    """What the child reported: `shown` (the window), and for caleol `listed` (the
    Séances list shows its rows) and `ready` (the database fully open; with
    `--demandes`, the Demandes list loaded too)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALEOL_HOME=str(home),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.time()
    done = subprocess.run([sys.executable, "-m", "benchmarks.startup_child", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    found: dict[str, Timing] = {}
    for line in done.stdout.splitlines():
        if line.startswith(("shown ", "listed ", "ready ")):
            what, stamp, _, rss, _, cpu = line.split()
            found[what] = (float(stamp) - start, int(rss) / 1024, float(cpu))
    if "shown" in found and (args[0] == "bare" or {"listed", "ready"} <= set(found)):
        return found
    raise RuntimeError(f"the child did not report its window (exit {done.returncode}):\n"
                       f"{done.stdout}\n{done.stderr[-2000:]}")


def run(db: Path, home: Path, runs: int) -> list[Measure]:
    home.mkdir(parents=True, exist_ok=True)
    spawn(["bare"], home)  # warm the file cache: "cold" means a new process, not a cold disk
    spawn(["caleol", "--db", str(db)], home)
    # interleaved, so a burst of load on the machine hits both sides alike
    bare: list[Timing] = []
    started: list[dict[str, Timing]] = []
    for _ in range(runs):
        bare.append(spawn(["bare"], home)["shown"])
        started.append(spawn(["caleol", "--db", str(db)], home))
    opened = [spawn(["caleol", "--db", str(db), "--demandes"], home)["ready"]
              for _ in range(max(1, runs // 2))]
    load = load_average()
    bare_time = statistics.median(t for t, _, _ in bare)
    bare_rss = statistics.median(m for _, m, _ in bare)
    shown = [s["shown"] for s in started]
    listed = [s["listed"] for s in started]
    ready = [s["ready"] for s in started]
    bare_cpu = statistics.median(c for _, _, c in bare)
    return [
        Measure("cold start to main window (100 000 demandes)",
                statistics.median(t for t, _, _ in shown), bare_time,
                "bare PySide6 window", max_ratio=2.0, load=load,
                cpu=statistics.median(c for _, _, c in shown), baseline_cpu=bare_cpu),
        Measure("cold start until the Séances list shows its data",
                statistics.median(t for t, _, _ in listed), bare_time,
                "bare PySide6 window", max_ratio=2.0, load=load,
                cpu=statistics.median(c for _, _, c in listed), baseline_cpu=bare_cpu),
        Measure("cold start until the database is fully open (list usable)",
                statistics.median(t for t, _, _ in ready), bare_time,
                "bare PySide6 window", load=load,
                cpu=statistics.median(c for _, _, c in ready), baseline_cpu=bare_cpu),
        Measure("resident memory, Demandes list open",
                statistics.median(m for _, m, _ in opened), bare_rss,
                "bare PySide6 window", limit=150.0, unit="MB", load=load),
    ]
