"""Timing, medians and the one-line report shared by every measure."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def median_times(work: Callable[[], object], runs: int, *, warmup: int = 1,
                 setup: Callable[[], object] | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time of this process over `runs` calls.

    `warmup` untimed calls come first (caches, imports); `setup`, if given, runs
    untimed before every call (e.g. clearing a filter). The CPU time shows how much
    of the wall time a loaded machine added: on an idle one they are close.
    """
    for _ in range(warmup):
        if setup is not None:
            setup()
        work()
    walls, cpus = [], []
    for _ in range(max(1, runs)):
        if setup is not None:
            setup()
        cpu = time.process_time()
        start = time.perf_counter()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def median_seconds(work: Callable[[], object], runs: int, *, warmup: int = 1,
                   setup: Callable[[], object] | None = None) -> float:
    """Median wall time of `runs` calls (see `median_times`)."""
    return median_times(work, runs, warmup=warmup, setup=setup)[0]


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} CPUs"


@dataclass(frozen=True)
class Measure:
    """One measure against its target.

    Attributes:
        name: what was measured.
        value: the median, in `unit` (seconds are shown in ms or s).
        baseline: the same-run baseline, same unit.
        baseline_name: what the baseline is.
        limit: absolute target (`value` must be ≤), None when only the ratio counts.
        max_ratio: target ratio to the baseline, None when only the limit counts.
        unit: "s" or "MB".
        load: the load average when it was measured.
        cpu: median CPU time of the measure (seconds), when measured in-process.
        baseline_cpu: median CPU time of the baseline, when measured in-process: on a
            loaded machine the ratio of the CPU times (shown beside) is the fairer one,
            the verdict stays on the wall times.
    """

    name: str
    value: float
    baseline: float
    baseline_name: str
    limit: float | None = None
    max_ratio: float | None = None
    unit: str = "s"
    load: str = ""
    cpu: float | None = None
    baseline_cpu: float | None = None

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline > 0 else float("inf")

    @property
    def cpu_ratio(self) -> float | None:
        if self.cpu is None or not self.baseline_cpu:
            return None
        return self.cpu / self.baseline_cpu

    @property
    def passed(self) -> bool:
        within_limit = self.limit is None or self.value <= self.limit
        within_ratio = self.max_ratio is None or self.ratio <= self.max_ratio
        return within_limit and within_ratio

    def target(self) -> str:
        parts = []
        if self.limit is not None:
            parts.append(f"≤ {show(self.limit, self.unit)}")
        if self.max_ratio is not None:
            parts.append(f"≤ {self.max_ratio:g}×")
        return " and ".join(parts) or "none (information)"

    def line(self) -> str:
        has_target = self.limit is not None or self.max_ratio is not None
        verdict = ("PASS" if self.passed else "FAIL") if has_target else "INFO"
        cpu = f" (cpu {show(self.cpu, 's')})" if self.cpu is not None else ""
        base_cpu = (f" (cpu {show(self.baseline_cpu, 's')})"
                    if self.baseline_cpu is not None else "")
        cpu_ratio = self.cpu_ratio
        by_cpu = f" (cpu {cpu_ratio:.2f}×)" if cpu_ratio is not None else ""
        return (f"{verdict}  {self.name:<46} {show(self.value, self.unit):>9}{cpu}  "
                f"baseline {show(self.baseline, self.unit):>9}{base_cpu} "
                f"({self.baseline_name})  ratio {self.ratio:5.2f}×{by_cpu}  "
                f"target {self.target()}  [{self.load}]")


def show(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"
