"""`caleol evaluate`: JSON on stdin → the candidate's checks as JSON on stdout."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="évaluer un candidat (JSON sur l'entrée standard, JSON en sortie)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
