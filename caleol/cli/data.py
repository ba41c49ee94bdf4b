"""`caleol demo | import | export`: demonstration data and CSV exchanges.

`caleol demo` without `--db` writes the demo file of the user data folder (never the
real database); with `--db` the target must be new or empty.
"""

from __future__ import annotations

import argparse
from datetime import date

from caleol.cli.dbtools import add_db_argument

EXIT_OK = 0


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date invalide « {text} » (attendu : AAAA-MM-JJ)"
        ) from None


def run_demo(args: argparse.Namespace) -> int:
    from caleol.services.demo import create_demo_database

    target = getattr(args, "db", None)
    if args.size == "large":
        print("Base de démonstration volumineuse : 100 000 demandes, 20 000 logements…")
    summary = create_demo_database(
        target, seed=args.seed, size=args.size, today=args.date,
        progress=lambda line: print(line, flush=True),
    )
    print(f"Base de démonstration créée en {summary.seconds:.1f} s : {summary.url}")
    print(f"  {summary.dwellings} logements, {summary.demandes} demandes, "
          f"{summary.history_sessions} séances passées, {summary.leases} baux signés")
    if summary.signed_session_id:
        print(f"  séance passée (close ou signée) : n° {summary.signed_session_id}")
    if summary.ready_session_id:
        print(f"  séance prête à tenir : n° {summary.ready_session_id}")
    if summary.preparing_session_id:
        print(f"  séance en préparation : n° {summary.preparing_session_id} (logement "
              f"{summary.blocked_dwelling} : deux candidats, sans exception)")
    if summary.certificate:
        print(f"  certificat de démonstration : {summary.certificate}")
    for note in summary.notes:
        print(f"  {note}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    from caleol.services.demo import DEFAULT_SEED, SIZES

    demo = subparsers.add_parser(
        "demo", help="créer une base de démonstration (données fictives)",
        description=(
            "Crée une base de démonstration réaliste et reproductible (territoire Vivest, "
            "Moselle et Meurthe-et-Moselle). Sans --db : le fichier de démonstration du "
            "dossier utilisateur, remplacé s'il existe."
        ),
    )
    add_db_argument(demo)
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED,
                      help=f"graine du tirage (défaut : {DEFAULT_SEED})")
    demo.add_argument("--size", choices=sorted(SIZES), default="small",
                      help="small (défaut) ou large (100 000 demandes, pour les mesures)")
    demo.add_argument("--date", type=_parse_day, default=None, metavar="AAAA-MM-JJ",
                      help="jour de référence de la démonstration (défaut : aujourd'hui)")
    demo.set_defaults(func=run_demo)
