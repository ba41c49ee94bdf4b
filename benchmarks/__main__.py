"""`python -m benchmarks [--quick]`: every measure against its target, one line each.

Builds (once) the large demo database in the benchmark folder, then runs each
measure several times and prints its median, the same-run baseline, the ratio and
PASS/FAIL with the load average. Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

MEASURES = ("browse", "search", "interactions", "checks", "minutes", "startup", "import")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs (3 instead of 7), for a first look")
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES),
                        help="run only these measures")
    parser.add_argument("--cache", type=Path, default=None,
                        help="benchmark folder (default: caleol-bench in the temp directory)")
    parser.add_argument("--runs", type=int, default=None, help="runs per measure")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the cached demo database and CSV (after demo changes)")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("CALEOL_BENCH_PG_URL"),
                        help="also measure filter, search, import and checks on this "
                        "PostgreSQL server (postgresql+psycopg://…; default: "
                        "$CALEOL_BENCH_PG_URL); its database gets the large demo once")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks import demo_db
    from benchmarks.common import Measure, load_average

    folder = args.cache or demo_db.default_folder()
    os.environ["CALEOL_HOME"] = str(folder / "home")  # never the user's profile
    if args.rebuild:
        for stale in (folder / "demo-large.ok", folder / "demo-large.pg.ok",
                      *folder.glob("demandes-*.csv")):
            stale.unlink(missing_ok=True)
    runs = args.runs or (3 if args.quick else 7)
    print(f"caleol benchmarks: {runs} runs per measure, medians; {load_average()}", flush=True)
    started = time.perf_counter()
    needs_demo = {"browse", "search", "interactions", "startup", "import"} & set(args.only)
    demo = demo_db.demo_database(folder) if needs_demo else None
    pg_demo = None
    if args.pg and {"browse", "search"} & set(args.only):
        from benchmarks import pg

        pg_demo = pg.demo_database(args.pg, folder)
    results: list[Measure] = []

    def report(measures: list[Measure]) -> None:
        for measure in measures:
            print(measure.line(), flush=True)
        results.extend(measures)

    if "browse" in args.only and demo is not None:
        from benchmarks import bench_browse
        report(bench_browse.run(demo, runs))
        if pg_demo is not None:
            report(bench_browse.run(pg_demo, runs, label="PostgreSQL"))
    if "search" in args.only and demo is not None:
        from benchmarks import bench_search
        report(bench_search.run(str(demo), runs))
        if pg_demo is not None:
            report(bench_search.run(pg_demo, runs, label="PostgreSQL"))
    if "interactions" in args.only and demo is not None:
        from benchmarks import bench_interactions
        report(bench_interactions.run(demo, runs))
    if "checks" in args.only:
        from benchmarks import bench_checks
        report(bench_checks.run(runs))
        if args.pg:
            report(bench_checks.run(runs, pg_url=args.pg))
    if "minutes" in args.only:
        from benchmarks import bench_minutes
        report(bench_minutes.run(runs))
    if "startup" in args.only and demo is not None:
        from benchmarks import bench_startup
        report(bench_startup.run(demo, folder / "home", runs))
    if "import" in args.only and demo is not None:
        from benchmarks import bench_import
        ten_thousand = bench_import.demandes_csv(demo, folder)
        report(bench_import.run(ten_thousand, max(1, runs // 2)))
        if args.pg:
            report(bench_import.run(ten_thousand, max(1, runs // 2), pg_url=args.pg))
        report(bench_import.run(bench_import.demandes_csv(demo, folder, 100_000), 1))
    failed = [m for m in results if not m.passed]
    print(f"{len(results) - len(failed)} / {len(results)} within target, "
          f"{len(failed)} missed, in {time.perf_counter() - started:.0f} s; {load_average()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
