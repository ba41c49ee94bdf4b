"""The `caleol` command: no sub-command opens the GUI; sub-commands work headless.

Each sub-command lives in its own module of this package exposing
`register(subparsers)`; the module list below is the only place that names them.
Expected failures (`CaleolError`) print their French message on stderr and exit 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from caleol import __version__
from caleol.errors import CaleolError

log = logging.getLogger(__name__)

# Modules of caleol.cli that provide sub-commands, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "evaluate",
    "documents",
    "dbtools",
    "report",
    "privacy",
    "data",
    "session",
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with errors in French and exit code 2, like the other input errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"caleol : erreur : {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="caleol",
        description=(
            "Commissions d'attribution de logements (CALEOL). Sans sous-commande : "
            "ouvre l'application."
        ),
    )
    parser.add_argument("--version", action="version", version=f"caleol {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="ouvrir l'application sur une base de démonstration")
    parser.add_argument("--db", metavar="URL_OU_CHEMIN",
                        help="base de données (chemin SQLite ou URL SQLAlchemy)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE",
                                parser_class=FrenchArgumentParser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"caleol.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from caleol.app import run_gui

        return run_gui(db=args.db, demo=args.demo)
    try:
        return int(args.func(args) or EXIT_OK)
    except CaleolError as exc:
        sys.stderr.write(f"Erreur : {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        return 130
