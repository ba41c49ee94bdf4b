"""`caleol verify-db | backup | restore | db-upgrade`: looking after the database.

`--db` is accepted before or after the sub-command; without it the setting
`database_url`, then the default local database, are used. The database layer and
the services are imported by the handlers: building the parser for any `caleol`
command must not load SQLAlchemy or Alembic.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caleol import desktop
from caleol import settings as settings_module
from caleol.errors import CaleolError

EXIT_OK = 0
EXIT_PROBLEMS = 1


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """`--db` on a sub-command without hiding a `--db` given before it."""
    parser.add_argument(
        "--db", metavar="URL_OU_CHEMIN", default=argparse.SUPPRESS,
        help="base de données (chemin SQLite ou URL SQLAlchemy)",
    )


def database_from_args(args: argparse.Namespace) -> str:
    """The URL to open: --db, else the setting, else the default local database."""
    from caleol.db.engine import database_url

    value = getattr(args, "db", None) or settings_module.load().database_url or None
    url = database_url(value)
    warn_network_database(url)
    return url


def warn_network_database(url: str) -> None:
    """« Attention » on stderr for a SQLite file on a Windows network drive (desktop.py)."""
    from caleol.db.urls import sqlite_path

    warning = desktop.network_database_warning(sqlite_path(url))
    if warning:
        sys.stderr.write(f"Attention : {warning}\n")


def _existing(url: str) -> str:
    from caleol.db.engine import sqlite_path

    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise CaleolError(f"Base de données introuvable : {path}")
    return url


def register(subparsers: argparse._SubParsersAction) -> None:
    verify = subparsers.add_parser(
        "verify-db",
        help="vérifier l'intégrité de la base, la chaîne d'audit et les PV signés",
        description=(
            "Recalcule la chaîne d'audit, compare chaque ligne à sa dernière trace dans "
            "le journal, vérifie l'empreinte des documents signés (et, pour SQLite, "
            "l'intégrité du fichier). Code de sortie 0 si tout est intact, 1 sinon."
        ),
    )
    add_db_argument(verify)
    verify.add_argument(
        "--anchor", metavar="PV.pdf", type=Path, action="append", default=[],
        help="procès-verbal signé conservé hors de la base : prouve que le journal n'a pas "
             "été réécrit avant sa clôture (répétable)")
    verify.set_defaults(func=run_verify)

    backup = subparsers.add_parser(
        "backup", help="sauvegarder la base SQLite",
        description="Copie cohérente de la base SQLite, vérifiée, avec rotation des copies.",
    )
    add_db_argument(backup)
    backup.add_argument("-o", "--output", metavar="DOSSIER", type=Path,
                        help="dossier des sauvegardes (défaut : réglage ou dossier utilisateur)")
    backup.set_defaults(func=run_backup)

    restore_parser = subparsers.add_parser(
        "restore", help="restaurer la base depuis une sauvegarde",
        description=(
            "Vérifie la sauvegarde puis remplace la base ; l'ancienne base est conservée à "
            "côté (suffixe .remplacee-…). Fermez caleol avant de restaurer."
        ),
    )
    restore_parser.add_argument("file", metavar="FICHIER", type=Path, help="sauvegarde à restaurer")
    add_db_argument(restore_parser)
    restore_parser.set_defaults(func=run_restore)

    upgrade = subparsers.add_parser(
        "db-upgrade", help="mettre à jour le schéma de la base (sauvegarde préalable)",
        description="Met la base au niveau de cette version de caleol, après une sauvegarde.",
    )
    add_db_argument(upgrade)
    upgrade.set_defaults(func=run_upgrade)


def run_verify(args: argparse.Namespace) -> int:
    from caleol.db.engine import check_sqlite_integrity, open_database
    from caleol.db.schema_check import schema_problems
    from caleol.fr import counted
    from caleol.services import anchor
    from caleol.services.audit import verify_chain

    url = _existing(database_from_args(args))
    given = [(path, anchor.anchor_of_file(path)) for path in args.anchor]  # read first
    engine = open_database(url, upgrade=False)
    try:
        problems = check_sqlite_integrity(engine)
        schema = schema_problems(engine)
        report = verify_chain(engine)
        stored, anchored = anchor.stored_anchor_problems(engine)
        outside = [(path, head, anchor.verify_anchor(engine, head)) for path, head in given]
    finally:
        engine.dispose()
    for problem in anchored:
        report.problems.append(problem)
    if problems:
        print("Intégrité du fichier SQLite : ANOMALIES")
        for problem in problems[:20]:
            print(f"  • {problem}")
    elif engine.dialect.name == "sqlite":
        print("Intégrité du fichier SQLite : correcte")
    if schema:
        print("Schéma et protections de la base : ANOMALIES")
        for problem in schema[:20]:
            print(f"  • {problem}")
    else:
        print("Schéma et protections de la base : conformes")
    if stored:
        print("Empreintes du journal inscrites aux procès-verbaux signés de la base : "
              + counted(stored, "vérifiée", "vérifiées"))
    print(report.text())
    broken = False
    for path, head, found in outside:
        print(f"Procès-verbal {path.name} : empreinte du journal à la clôture "
              f"{head.head_hash} ({head.entry_count} entrées)")
        if found or report.first_broken_link:
            broken = True
            for problem in found or [f"la chaîne est rompue : {report.first_broken_link}"]:
                print(f"  • ANOMALIE : {problem}")
            if found:  # a PV of another base reads the same: say so before accusing
                print("  (à moins que ce procès-verbal ne soit celui d'une autre base : "
                      "vérifiez que --db désigne la base de cette commission)")
        else:
            print(f"  la {head.entry_count}e entrée du journal a toujours cette empreinte et "
                  "la chaîne qui y mène est intacte : la base n'a pas été réécrite avant la "
                  "clôture de cette séance.")
    return EXIT_OK if report.ok and not problems and not schema and not broken \
        else EXIT_PROBLEMS


def run_backup(args: argparse.Namespace) -> int:
    from caleol.db.engine import sqlite_path
    from caleol.services.backup import backup_database

    url = _existing(database_from_args(args))
    path = sqlite_path(url)
    if path is None:
        raise CaleolError(
            "La sauvegarde intégrée ne concerne que les bases SQLite locales ; pour un serveur "
            "PostgreSQL, utilisez les sauvegardes du serveur (pg_dump)."
        )
    settings = settings_module.load()
    if args.output:
        settings = settings.replace(backup_folder=str(args.output))
    saved = backup_database(path, settings)
    print(f"Sauvegarde écrite et vérifiée : {saved}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from caleol.db.engine import sqlite_path
    from caleol.services.backup import restore

    path = sqlite_path(database_from_args(args))
    if path is None:
        raise CaleolError("La restauration ne concerne que les bases SQLite locales.")
    aside = restore(args.file, path)
    print(f"Base restaurée depuis {args.file} : {path}")
    if aside is not None:
        print(f"L'ancienne base est conservée sous : {aside}")
    return EXIT_OK


def run_upgrade(args: argparse.Namespace) -> int:
    from caleol.db import migrate
    from caleol.db.engine import open_database
    from caleol.services.backup import backup_folder

    url = database_from_args(args)
    settings = settings_module.load()

    engine = open_database(
        url, upgrade=True, backup_dir=backup_folder(settings), backups_kept=settings.backups_kept
    )
    try:
        with engine.connect() as connection:
            revision = migrate.current_revision(connection)
    finally:
        engine.dispose()
    sys.stdout.write(f"Base à jour (révision {revision}).\n")
    return EXIT_OK
