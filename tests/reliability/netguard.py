"""Refuse and record every network access of the process: caleol must open none.

Patched: creating an AF_INET/AF_INET6 socket, `connect`/`connect_ex`/`sendto`/`bind`
on any non-local socket, `socket.create_connection`, `socket.getaddrinfo` and
`socket.gethostbyname`. Local AF_UNIX sockets (socketpair, a PostgreSQL socket
file) stay allowed: they never leave the machine. Each attempt is recorded (with
the caller's stack) and raises `OSError`, so code that swallows the error still
fails the test that checks the record.
"""

from __future__ import annotations

import os
import socket
import traceback
from collections.abc import Callable
from typing import Any

MESSAGE = "caleol-test: accès réseau interdit"
LOG_ENV = "CALEOL_NETWORK_LOG"  # file where a guarded subprocess appends its attempts

_NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def install(record: Callable[[str], None]) -> Callable[[], None]:
    """Patch the socket module; returns the function that restores it."""
    saved: dict[tuple[Any, str], Any] = {}

    def patch(owner: Any, name: str, replacement: Any) -> None:
        saved[(owner, name)] = getattr(owner, name)
        setattr(owner, name, replacement)

    def refuse(what: str) -> OSError:
        stack = "".join(traceback.format_stack(limit=12)[:-2])
        record(f"{what}\n{stack}")
        return OSError(f"{MESSAGE} ({what})")

    original_init = socket.socket.__init__

    def guarded_init(self: socket.socket, family: Any = -1, type: Any = -1,
                     proto: Any = -1, fileno: Any = None) -> None:
        # family -1 without a file descriptor means the default, AF_INET
        if family in _NETWORK_FAMILIES or (family == -1 and fileno is None):
            raise refuse(f"socket.socket(family={family})")
        original_init(self, family, type, proto, fileno)

    def method(name: str) -> Callable[..., Any]:
        original = getattr(socket.socket, name)

        def guarded(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
            if self.family in _NETWORK_FAMILIES:
                raise refuse(f"socket.{name}{args!r}")
            return original(self, *args, **kwargs)

        return guarded

    def function(name: str) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            raise refuse(f"socket.{name}{args!r}")

        return guarded

    patch(socket.socket, "__init__", guarded_init)
    for name in ("connect", "connect_ex", "sendto", "bind"):
        patch(socket.socket, name, method(name))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        patch(socket, name, function(name))

    def restore() -> None:
        for (owner, name), value in saved.items():
            setattr(owner, name, value)

    return restore


def install_from_env() -> None:
    """In a guarded subprocess: append each attempt to the file named by LOG_ENV."""
    log_path = os.environ.get(LOG_ENV)
    if not log_path:
        return

    def record(text: str) -> None:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"[pid {os.getpid()}] {text}\n")

    install(record)
