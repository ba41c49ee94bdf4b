"""`caleol demo | import | export`: demonstration data and CSV exchanges.

`caleol demo` without `--db` writes the demo file of the user data folder (never the
real database); with `--db` the target must be new or empty.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from caleol.cli.dbtools import add_db_argument
from caleol.fr import paris_today

EXIT_OK = 0
# The keys of caleol.services.demo.SIZES, spelled here so that building the parser
# does not load the demo service (tests/cli/test_startup.py checks they agree).
DEMO_SIZES = ("small", "large")


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date invalide « {text} » (attendu : AAAA-MM-JJ)"
        ) from None


def run_demo(args: argparse.Namespace) -> int:
    from caleol.services.demo import DEFAULT_SEED, create_demo_database

    target = getattr(args, "db", None)
    if args.size == "large":
        print("Base de démonstration volumineuse : 100 000 demandes, 20 000 logements…")
    seed = DEFAULT_SEED if args.seed is None else args.seed
    summary = create_demo_database(
        target, seed=seed, size=args.size, today=args.date,
        progress=lambda line: print(line, flush=True),
    )
    print(f"Base de démonstration créée en {summary.seconds:.1f} s : {summary.url}")
    print(f"  {summary.dwellings} logements, {summary.demandes} demandes, "
          f"{summary.history_sessions} séances passées, {summary.leases} baux signés")
    if summary.signed_session_id:
        print(f"  séance passée, procès-verbal signé : n° {summary.signed_session_id}")
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


def run_import(args: argparse.Namespace) -> int:
    from caleol.cli.dbtools import database_from_args
    from caleol.db.engine import open_database
    from caleol.services.imports import import_demandes, import_dwellings

    importer = {"dwellings": import_dwellings, "demandes": import_demandes}[args.what]
    engine = open_database(database_from_args(args))
    try:
        report = importer(engine, Path(args.file))
    finally:
        engine.dispose()
    print(report.text())
    print(f"Durée : {report.seconds:.1f} s")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from caleol.cli.dbtools import database_from_args
    from caleol.db.engine import open_database
    from caleol.services import exports

    engine = open_database(database_from_args(args))
    output = Path(args.output)
    try:
        if args.what == "decisions":
            year = args.year or paris_today().year
            start = args.start or date(year, 1, 1)
            end = args.end or date(year, 12, 31)
            count = exports.export_decisions(engine, output, start, end)
            what = f"décisions du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
        else:
            count = exports.TABLES[args.what](engine, output)
            what = {"dwellings": "logements", "demandes": "demandes"}[args.what]
    finally:
        engine.dispose()
    print(f"{count} ligne{'s' if count > 1 else ''} ({what}) écrite{'s' if count > 1 else ''} "
          f"dans {output}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    # No import of caleol.services.demo here: building the parser of any `caleol`
    # command must stay cheap (the default seed is resolved in run_demo).
    demo = subparsers.add_parser(
        "demo", help="créer une base de démonstration (données fictives)",
        description=(
            "Crée une base de démonstration réaliste et reproductible (territoire Vivest, "
            "Moselle et Meurthe-et-Moselle). Sans --db : le fichier de démonstration du "
            "dossier utilisateur, remplacé s'il existe."
        ),
    )
    add_db_argument(demo)
    demo.add_argument("--seed", metavar="N", type=int, default=None,
                      help="graine du tirage (défaut : celle de la démonstration de référence)")
    demo.add_argument("--size", choices=DEMO_SIZES, default="small",
                      help="small (défaut) ou large (100 000 demandes, pour les mesures)")
    demo.add_argument("--date", type=_parse_day, default=None, metavar="AAAA-MM-JJ",
                      help="jour de référence de la démonstration (défaut : aujourd'hui)")
    demo.set_defaults(func=run_demo)

    importing = subparsers.add_parser(
        "import", help="importer des logements ou des demandes (CSV)",
        description=(
            "Importe un fichier CSV (UTF-8, « ; » ou « , », virgule décimale acceptée). Tout "
            "ou rien : au moindre problème rien n'est enregistré et chaque ligne fautive est "
            "listée. Un nouvel import du même fichier met à jour (clés : référence du "
            "logement, NUR). Colonnes : docs/csv-columns.md."
        ),
    )
    importing.add_argument("what", metavar="TABLE", choices=("dwellings", "demandes"),
                           help="dwellings (logements) ou demandes")
    importing.add_argument("file", metavar="FICHIER.csv", help="fichier CSV à importer")
    add_db_argument(importing)
    importing.set_defaults(func=run_import)

    exporting = subparsers.add_parser(
        "export", help="exporter les décisions (SNE), les logements ou les demandes (CSV)",
        description=(
            "Exporte en CSV pour Excel (« ; », UTF-8 avec BOM, virgule décimale). "
            "decisions : décisions des séances closes de la période, pour la saisie au SNE."
        ),
    )
    exporting.add_argument("what", metavar="TABLE", choices=("decisions", "dwellings", "demandes"),
                           help="decisions (décisions des séances closes), dwellings "
                                "(logements) ou demandes")
    exporting.add_argument("-o", "--output", required=True, metavar="FICHIER.csv",
                           help="fichier CSV à écrire")
    exporting.add_argument("--year", metavar="ANNÉE", type=int,
                           help="année des décisions (défaut : l'année en cours)")
    exporting.add_argument("--start", type=_parse_day, metavar="AAAA-MM-JJ",
                           help="début de la période des décisions")
    exporting.add_argument("--end", type=_parse_day, metavar="AAAA-MM-JJ",
                           help="fin de la période des décisions")
    add_db_argument(exporting)
    exporting.set_defaults(func=run_export)
