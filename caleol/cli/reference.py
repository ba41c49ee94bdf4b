"""`caleol reference import communes|qpv|quartiles|ceilings FICHIER`: territory, yearly tables.

Every import is all or nothing; a refused file prints the French report of each bad
line and exits 2 (CaleolError, handled by `caleol.cli`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caleol.cli.dbtools import add_db_argument

EXIT_OK = 0
KINDS = ("communes", "qpv", "quartiles", "ceilings")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def run_import(args: argparse.Namespace) -> int:
    from caleol.cli.dbtools import database_from_args
    from caleol.db.engine import open_database
    from caleol.errors import CaleolError
    from caleol.services.territory import updates, yearly
    from caleol.services.territory.csv_text import read_limited

    if args.file is None and args.kind != "communes":
        raise CaleolError(f"Indiquez le fichier à importer : caleol reference import "
                          f"{args.kind} FICHIER.")
    data = read_limited(Path(args.file)) if args.file is not None else None
    engine = open_database(database_from_args(args))
    try:
        if args.kind == "communes":
            result = updates.import_communes(engine, data)
            state = "importé et " if result.stored else ""
            print(f"Référentiel des communes {result.info.label}, {result.info.licence} : "
                  f"{state}appliqué ; {_plural(result.communes_updated, 'commune')} et "
                  f"{_plural(result.epcis_updated, 'EPCI')} mis à jour dans la base.")
        elif args.kind == "qpv":
            assert data is not None
            count = updates.import_qpv(engine, data, args.source or "")
            s = "s" if count > 1 else ""
            print(f"{count} quartier{s} prioritaire{s} importé{s}.")
        elif args.kind == "quartiles":
            assert data is not None
            count = yearly.import_quartile_file(engine, data)
            print(f"{_plural(count, 'seuil')} de premier quartile importé"
                  f"{'s' if count > 1 else ''}.")
        else:
            assert data is not None
            count = yearly.import_ceiling_file(engine, data)
            print(f"{_plural(count, 'ligne')} de plafonds importée{'s' if count > 1 else ''}.")
    finally:
        engine.dispose()
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    reference = subparsers.add_parser(
        "reference", help="référentiels : communes, QPV, seuils de quartile, plafonds",
        description="Importe les référentiels territoriaux et les tables annuelles "
                    "(docs/csv-columns.md, docs/guide.md).",
    )
    sub = reference.add_subparsers(dest="action", metavar="ACTION", required=True,
                                   parser_class=type(reference))
    importing = sub.add_parser(
        "import", help="importer un référentiel (tout ou rien)",
        description=(
            "communes : un paquet npm @etalab/decoupage-administratif (.tgz de « npm pack ») "
            "ou un fichier .json.gz de tools/territory_resource.py ; sans fichier, applique "
            "le référentiel en vigueur aux communes déjà enregistrées. qpv : la liste des "
            "quartiers prioritaires (CSV : code_qp, nom_qp, insee_com, source). quartiles : "
            "seuils de premier quartile (CSV : siren_epci, annee, seuil, source). ceilings : "
            "table de plafonds (CSV : financement, zone, date_effet, cat1…cat6, "
            "par_personne_supp, source). Chaque ligne cite sa source officielle."
        ),
    )
    importing.add_argument("kind", metavar="RÉFÉRENTIEL", choices=KINDS,
                           help="communes, qpv, quartiles ou ceilings")
    importing.add_argument("file", nargs="?", metavar="FICHIER",
                           help="fichier à importer (facultatif pour communes)")
    importing.add_argument("--source", help="qpv : source des lignes sans colonne « source » "
                                            "(ex. « décret n° 2023-1314 du 28 décembre 2023 »)")
    add_db_argument(importing)
    importing.set_defaults(func=run_import)
