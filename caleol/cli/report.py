"""`caleol report KIND --year 2026 [--half 1] -o FICHIER`: the yearly reports, headless.

KIND: `annuel` (yearly attribution report, PDF), `prefet` (half-year statement on
attributions outside QPV, loi 3DS, PDF), `reservataire` (yearly review of one
réservataire's flux, PDF), `csv` (indicators, EPCI, attribution list or réservataire
table for Excel).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caleol import settings as settings_module
from caleol.cli.dbtools import add_db_argument, database_from_args
from caleol.errors import CaleolError
from caleol.services.reports.contents import CsvContent

KINDS = ("annuel", "prefet", "reservataire", "csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="rapports d'attribution : annuel, état semestriel au préfet, réservataire, CSV",
        description=(
            "Produit un rapport à partir de la base : « annuel » (rapport annuel des "
            "attributions), « prefet » (état semestriel des attributions hors QPV, loi "
            "3DS ; --half obligatoire), « reservataire » (bilan annuel de la gestion en "
            "flux d'un réservataire ; --reservataire obligatoire), « csv » (export pour "
            "Excel, voir --contenu)."
        ),
    )
    parser.add_argument("kind", metavar="TYPE", choices=KINDS,
                        help="annuel, prefet, reservataire ou csv")
    parser.add_argument("--year", "--annee", dest="year", type=int, required=True,
                        metavar="ANNÉE", help="année civile du rapport")
    parser.add_argument("--half", "--semestre", dest="half", type=int, choices=(1, 2),
                        help="semestre (1 : janvier-juin, 2 : juillet-décembre)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FICHIER",
                        help="fichier à écrire (PDF ou CSV)")
    parser.add_argument("--reservataire", metavar="CODE", help="code du réservataire")
    parser.add_argument("--objectif", type=int, metavar="N",
                        help="objectif annuel du réservataire, en logements")
    parser.add_argument("--contenu", choices=[c.value for c in CsvContent],
                        default=CsvContent.INDICATEURS.value,
                        help="contenu de l'export CSV (défaut : indicateurs)")
    parser.add_argument("--departement", default="", metavar="CODE",
                        help="restreindre à un département (ex. 57)")
    parser.add_argument("--epci", default="", metavar="SIREN", help="restreindre à un EPCI")
    parser.add_argument("--agence", default="", metavar="CODE", help="restreindre à une agence")
    parser.add_argument("--commission", default="", metavar="CODE",
                        help="restreindre à une commission")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise CaleolError(f"Année invalide : {year}.")


def run(args: argparse.Namespace) -> int:
    from caleol.db.engine import open_database, sqlite_path
    from caleol.rules.indicators import Territory
    from caleol.services.reports import generate

    _check_year(args.year)
    if args.kind == "prefet" and args.half is None:
        raise CaleolError("L'état au préfet est semestriel : précisez --half 1 ou --half 2.")
    if args.kind == "reservataire" and not args.reservataire:
        raise CaleolError("Précisez le réservataire : --reservataire CODE.")
    if args.objectif is not None and args.objectif < 0:
        raise CaleolError("L'objectif ne peut pas être négatif.")
    settings = settings_module.load()
    territory = Territory(args.departement, args.epci, args.agence, args.commission)
    url = database_from_args(args)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise CaleolError(f"Base de données introuvable : {path}")
    engine = open_database(url, upgrade=False)
    try:
        if args.kind == "annuel":
            data = generate.annual_report_pdf(engine, args.year, settings, territory)
        elif args.kind == "prefet":
            data = generate.prefet_statement_pdf(engine, args.year, args.half, settings,
                                                 territory)
        elif args.kind == "reservataire":
            data = generate.reservataire_report_pdf(engine, args.year, args.reservataire,
                                                    settings, args.objectif)
        else:
            data = generate.csv_report(
                engine, args.year, CsvContent(args.contenu), settings,
                half=args.half, territory=territory, reservataire_code=args.reservataire,
                objective=args.objectif,
            )
    finally:
        engine.dispose()
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise CaleolError(f"Impossible d'écrire {args.output} : {exc.strerror}") from exc
    sys.stdout.write(f"Rapport écrit : {args.output}\n")
    return 0
