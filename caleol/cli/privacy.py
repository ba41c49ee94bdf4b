"""`caleol purge` and `caleol access-request`: the applicants' personal data.

`purge --preview` lists what the retention rule would delete or anonymise and
changes nothing; `purge --apply` backs the SQLite database up, then applies that
same list in one transaction. `access-request` writes everything held on one person
(NUR or name) as JSON or PDF.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from caleol import settings as settings_module
from caleol.cli.dbtools import add_db_argument, database_from_args
from caleol.errors import CaleolError

if TYPE_CHECKING:
    from sqlalchemy import Engine

EXIT_OK = 0


def register(subparsers: argparse._SubParsersAction) -> None:
    purge = subparsers.add_parser(
        "purge",
        help="supprimer ou anonymiser les demandes terminées depuis trop longtemps",
        description=(
            "Demandes attribuées, radiées ou closes depuis plus que la durée de conservation "
            "(réglage « retention_months », 12 mois par défaut) : celles jamais présentées "
            "en commission sont supprimées, les autres anonymisées (les procès-verbaux "
            "signés sont conservés). --preview montre la liste sans rien changer ; --apply "
            "sauvegarde la base puis applique cette liste."
        ),
    )
    mode = purge.add_mutually_exclusive_group(required=True)
    mode.add_argument("--preview", action="store_true", help="montrer ce qui partirait")
    mode.add_argument("--apply", action="store_true", help="supprimer et anonymiser")
    purge.add_argument("--mois", type=int, metavar="N", dest="months",
                       help="durée de conservation en mois (défaut : le réglage)")
    add_db_argument(purge)
    purge.set_defaults(func=run_purge)

    access = subparsers.add_parser(
        "access-request",
        help="exporter toutes les données détenues sur une personne (droit d'accès)",
        description=(
            "Recherche par NUR (exact) ou par nom (tous les mots, sans tenir compte des "
            "accents ni des majuscules) et écrit tout ce qui est détenu sur la personne : "
            "demandes, ménage, ressources, passages en commission, décisions, historique."
        ),
    )
    access.add_argument("query", metavar="NUR_OU_NOM", help="NUR ou nom de la personne")
    access.add_argument("-o", "--output", metavar="FICHIER", type=Path, required=True,
                        help="fichier à écrire (.json ou .pdf)")
    add_db_argument(access)
    access.set_defaults(func=run_access_request)


def _open(args: argparse.Namespace) -> Engine:
    from caleol.db.engine import open_database, sqlite_path

    url = database_from_args(args)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise CaleolError(f"Base de données introuvable : {path}")
    return open_database(url, upgrade=False)


def run_purge(args: argparse.Namespace) -> int:
    # imported here: `caleol --help` and the other commands need not load them
    from caleol.services.backup import backup_database
    from caleol.services.privacy import apply_purge, plan_purge

    settings = settings_module.load()
    months = settings.retention_months if args.months is None else args.months
    engine = _open(args)
    try:
        plan = plan_purge(engine, retention_months=months)
        print(plan.text())
        if args.preview or plan.empty:
            if args.preview and not plan.empty:
                print("Aperçu seulement : rien n'a été modifié (caleol purge --apply pour "
                      "appliquer).")
            return EXIT_OK
        if engine.dialect.name == "sqlite":
            saved = backup_database(engine, settings, label="avant-purge")
            print(f"Sauvegarde préalable : {saved}")
        result = apply_purge(engine, plan)
    finally:
        engine.dispose()
    print(result.text())
    return EXIT_OK


def run_access_request(args: argparse.Namespace) -> int:
    from caleol.services.privacy import export_access_request, summary

    settings = settings_module.load()
    engine = _open(args)
    try:
        data = export_access_request(engine, args.query, args.output, settings)
    finally:
        engine.dispose()
    print(summary(data))
    print(f"Export écrit : {args.output}")
    return EXIT_OK
