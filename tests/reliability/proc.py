"""Driving real caleol processes from a test: line protocol on pipes, never sleeps.

A worker prints one line per step on stdout (flushed) and may wait for a command
line on stdin; the test reads with a deadline, so a hung worker fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

WORKERS = Path(__file__).resolve().parent / "workers"
DEFAULT_TIMEOUT = 60.0


def worker_command(script: str, *args: str) -> list[str]:
    return [sys.executable, "-u", str(WORKERS / script), *args]


class Worker:
    """A subprocess whose stdout lines arrive on a queue (read by a daemon thread)."""

    def __init__(self, argv: Sequence[str], *, env: dict[str, str] | None = None) -> None:
        self.argv = list(argv)
        self.process = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env if env is not None else dict(os.environ),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._pump, daemon=True),
            threading.Thread(target=self._pump_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _pump_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    @property
    def pid(self) -> int:
        return self.process.pid

    def next_line(self, timeout: float = DEFAULT_TIMEOUT) -> str | None:
        """The next stdout line, None at end of output; fails after `timeout` seconds."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise AssertionError(
                f"worker silent for {timeout}s; seen {self.seen[-5:]}; stderr {self.stderr()}"
            ) from None
        if line is not None:
            self.seen.append(line)
        return line

    def expect(self, prefix: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Read lines until one starts with `prefix`; fail if the output ends first."""
        while True:
            line = self.next_line(timeout)
            if line is None:
                self.process.wait(timeout=timeout)
                raise AssertionError(
                    f"worker ended (code {self.process.returncode}) before «{prefix}»; "
                    f"seen {self.seen[-5:]}; stderr:\n{self.stderr()}"
                )
            if line.startswith(prefix):
                return line

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def finish(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the end (draining stdout) and return the exit code."""
        while self.next_line(timeout) is not None:
            pass
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=DEFAULT_TIMEOUT)

    def stderr(self) -> str:
        return "".join(self._stderr)
