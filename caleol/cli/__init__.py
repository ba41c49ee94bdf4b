"""The `caleol` command: no sub-command opens the GUI; sub-commands work headless.

Each sub-command lives in its own module of this package exposing
`register(subparsers)`; the module list below is the only place that names them.
Expected failures (`CaleolError`) print their French message on stderr and exit 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, NoReturn

from caleol import __version__
from caleol.errors import CaleolError, describe_os_error

log = logging.getLogger(__name__)

# Modules of caleol.cli that provide sub-commands, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "evaluate",
    "documents",
    "dbtools",
    "report",
    "privacy",
    "data",
    "reference",
    "session",
    "setup",
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


USAGE_PREFIX = "Utilisation : "

# argparse's messages (Python 3.11 to 3.13) and their French: argparse builds them with
# gettext, but caleol ships no catalogue and must not depend on the system's locale.
_INT_TYPES = {"int": "nombre entier", "float": "nombre"}
_TRANSLATIONS: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern, re.DOTALL), french) for pattern, french in (
        (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
        (r"one of the arguments (.*) is required", r"l'un des arguments \1 est obligatoire"),
        (r"invalid choice: (.*?) \(choose from (.*)\)",
         lambda m: f"choix invalide : « {_unquote(m[1])} » (choisir parmi : "
                   f"{', '.join(_unquote(c) for c in m[2].split(', '))})"),
        (r"expected one argument", "une valeur attendue"),
        (r"expected at most one argument", "au plus une valeur attendue"),
        (r"expected at least one argument", "au moins une valeur attendue"),
        (r"expected (\d+) arguments?", r"\1 valeurs attendues"),
        (r"invalid (\w+) value: (.*)",
         lambda m: f"valeur invalide « {_unquote(m[2])} »"
                   + (f" ({_INT_TYPES[m[1]]} attendu)" if m[1] in _INT_TYPES else "")),
        (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
        (r"not allowed with argument (.*)", r"incompatible avec l'argument \1"),
        (r"ambiguous option: (.*?) could match (.*)", r"option ambiguë : \1 peut désigner \2"),
        (r"ignored explicit argument (.*)", lambda m: f"valeur « {_unquote(m[1])} » inattendue"),
        (r"unknown parser (.*?) \(choices: (.*)\)",
         lambda m: f"commande inconnue « {_unquote(m[1])} » (choisir parmi : {m[2]})"),
    )
)
_ARGUMENT = re.compile(r"argument (.+?): (.*)", re.DOTALL)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def french_message(message: str) -> str:
    """argparse's English message in French; one it does not know is left as is."""
    prefix = ""
    match = _ARGUMENT.fullmatch(message)
    if match:
        prefix, message = f"argument {match[1]} : ", match[2]
    for pattern, french in _TRANSLATIONS:
        found = pattern.fullmatch(message)
        if found:
            return prefix + (french(found) if callable(french) else found.expand(french))
    return prefix + message


# A space that French typography keeps with its neighbour: after « and before », :, ;,
# ? and !. Wrapping never breaks there (a line does not start with « : » or end on « «).
_GLUED_SPACE = re.compile(r"(?<=«) | (?=[»:;?!])")
_NO_BREAK = "\u00a0"


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Help text in lines of `width`, never cut at a hyphen (« --sign-secretary ») nor
    at the space of French punctuation."""
    text = _GLUED_SPACE.sub(_NO_BREAK, " ".join(text.split()))
    lines = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
                          break_on_hyphens=False, break_long_words=False)
    return [line.replace(_NO_BREAK, " ") for line in lines]


@functools.cache
def _french_formatter(base: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    raw_description = base._fill_text is not argparse.HelpFormatter._fill_text

    # A class built on the formatter asked for: mypy takes no variable as a base class.
    class FrenchFormatter(base):  # type: ignore[valid-type,misc]
        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
            super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

        def start_section(self, heading: str | None) -> None:
            # argparse writes « heading: »; French puts a space before the colon
            super().start_section(f"{heading} " if heading else heading)

        def _split_lines(self, text: str, width: int) -> list[str]:
            return _wrap(text, width)

        def _fill_text(self, text: str, width: int, indent: str) -> str:
            if raw_description:  # RawDescriptionHelpFormatter: the text as written
                return str(super()._fill_text(text, width, indent))
            return "\n".join(_wrap(text, width, indent))

    return FrenchFormatter


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse in French (usage, help, every error) with exit code 2 on errors, like the
    other input errors. `last_error` keeps the last French message (tests)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["formatter_class"] = _french_formatter(
            kwargs.get("formatter_class", argparse.HelpFormatter))
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # added below, in French
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments positionnels"
        self._optionals.title = "options"
        self.last_error = ""
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        self.last_error = french_message(message)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"caleol : erreur : {self.last_error}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="caleol",
        description=(
            "Commissions d'attribution de logements (CALEOL). Sans sous-commande : "
            "ouvre l'application."
        ),
    )
    parser.add_argument("--version", action="version", version=f"caleol {__version__}",
                        help="afficher le numéro de version et quitter")
    parser.add_argument("--demo", action="store_true",
                        help="ouvrir l'application sur la base de démonstration (créée la "
                             "première fois)")
    parser.add_argument("--reset", action="store_true",
                        help="avec --demo : reconstruire la base de démonstration")
    parser.add_argument("--db", metavar="URL_OU_CHEMIN",
                        help="base de données (chemin SQLite ou URL SQLAlchemy)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE",
                                parser_class=FrenchArgumentParser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"caleol.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a reader gone from the pipe (`caleol … | head -1`) ends it quietly."""
    from caleol import desktop

    desktop.utf8_redirected_output()  # Windows: « → » in a redirected output, not a crash
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # inside the try: a closed pipe fails here, not at exit
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_FAILURE


def _discard_stdout() -> None:
    """Point stdout at the null device: the interpreter flushes it again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests' capture)
        pass


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.reset and not args.demo:
        parser.error("--reset ne s'emploie qu'avec --demo (reconstruire la démonstration)")
    if args.command is None:
        from caleol.app import run_gui

        return run_gui(db=args.db, demo=args.demo, reset=args.reset)
    try:
        return int(args.func(args) or EXIT_OK)
    except CaleolError as exc:
        sys.stderr.write(f"Erreur : {exc}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except OSError as exc:  # a file or folder given on the command line
        log.info("command failed on a file", exc_info=True)
        sys.stderr.write(f"Erreur : {describe_os_error(exc)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        return 130
