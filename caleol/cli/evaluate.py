"""`caleol evaluate`: one JSON document on stdin → the candidate's checks on stdout.

Thin on purpose: parsing, validation and the checks live in `caleol.rules`
(`evaluation_json`, `evaluation`); malformed input raises `ValidationError`, which
the dispatcher prints in French on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXAMPLE = """\
exemple :
  echo '{"date": "2026-03-10", "dwelling": {...}, "household": {...}}' | caleol evaluate

Sortie : {"checks": {"ceiling": {...}, "solvency": {...}, "typology": {...},
"waiting_time": {...}}}, chaque contrôle avec status (pass/fail/unknown),
explanation, reference et ses chiffres."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="évaluer un candidat (JSON sur l'entrée standard, JSON en sortie)",
        description=(
            "Lit un document JSON (date d'examen, logement, ménage) sur l'entrée standard "
            "et écrit les contrôles plafond, solvabilité, typologie et ancienneté en JSON "
            "sur la sortie standard. Entrée invalide : message en français sur la sortie "
            "d'erreur, code de sortie 2."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--plafonds",
        metavar="FICHIER.csv",
        type=Path,
        action="append",
        default=[],
        help="table de plafonds à ajouter à la table livrée (mêmes colonnes ; répétable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from caleol.rules.ceilings import load_ceiling_table, shipped_ceiling_table
    from caleol.rules.evaluation_json import evaluate_document
    from caleol.rules.json_reader import decode_document

    table = shipped_ceiling_table()
    for path in args.plafonds:
        table = table.merged(load_ceiling_table(path).rows)
    document = decode_document(sys.stdin.buffer.read())
    output = evaluate_document(document, table=table)
    text = json.dumps(output, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0
