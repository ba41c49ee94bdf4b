"""`caleol setup export | apply`: the organisation as a TOML file (docs/organisation-toml.md).

`apply` works on any database, and creates it when `--db` names a SQLite file that
does not exist yet (that file is removed again if the setup file is refused). A bad
file is refused whole: the French list of its errors with their lines, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caleol.cli.dbtools import add_db_argument, database_from_args
from caleol.errors import CaleolError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "setup", help="organisation du bailleur : exporter ou appliquer un fichier TOML",
        description="Le bailleur, ses agences, réservataires, commissions et membres, motifs, "
                    "critères, objectifs et modèles de courriers, dans un fichier TOML lisible "
                    "(format : docs/organisation-toml.md).",
    )
    actions = parser.add_subparsers(dest="setup_command", metavar="ACTION", required=True,
                                    parser_class=type(parser))
    export = actions.add_parser(
        "export", help="écrire l'organisation de la base dans un fichier TOML",
        description="Écrit l'organisation de la base (et le logo du bailleur à côté du "
                    "fichier). Deux exports de la même base donnent le même fichier.")
    export.add_argument("-o", "--output", metavar="FICHIER.toml", type=Path, required=True,
                        help="fichier TOML à écrire")
    add_db_argument(export)
    export.set_defaults(func=run_export)
    apply = actions.add_parser(
        "apply", help="créer ou mettre à jour l'organisation d'après un fichier TOML",
        description="Crée ou met à jour l'organisation, en une seule transaction : tout ou "
                    "rien. Appliquer deux fois le même fichier ne change rien. Une base "
                    "SQLite qui n'existe pas encore est créée.")
    apply.add_argument("file", metavar="FICHIER.toml", type=Path, help="fichier à appliquer")
    add_db_argument(apply)
    apply.set_defaults(func=run_apply)


def run_export(args: argparse.Namespace) -> int:
    from caleol.db.engine import open_database, sqlite_path
    from caleol.services.organisation import export_setup

    url = database_from_args(args)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise CaleolError(f"Base de données introuvable : {path}")
    output: Path = args.output
    if not output.parent.is_dir():
        raise CaleolError(f"Dossier introuvable : {output.parent}")
    engine = open_database(url, upgrade=False)
    try:
        export = export_setup(engine, output)
    finally:
        engine.dispose()
    print(f"Organisation exportée : {output}")
    if export.logo_name:
        print(f"Logo du bailleur : {output.parent / export.logo_name}")
    return 0


def run_apply(args: argparse.Namespace) -> int:
    from caleol.db.engine import open_database, sqlite_path
    from caleol.services.organisation import apply_setup_file

    source: Path = args.file
    if not source.is_file():
        raise CaleolError(f"Fichier introuvable : {source}")
    url = database_from_args(args)
    path = sqlite_path(url)
    created = path is not None and not path.exists()
    if path is not None and created and not path.parent.is_dir():
        raise CaleolError(f"Dossier introuvable : {path.parent}")
    # `create`: a missing file, or an empty one (or server database), becomes a caleol base
    engine = open_database(url, create=True, upgrade=created)
    try:
        report = apply_setup_file(engine, source)
    except BaseException:
        engine.dispose()
        if created and path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    engine.dispose()
    where = str(path) if path is not None else "la base"
    if created:
        print(f"Base créée : {where}")
    if not report.changed:
        print(f"Aucun changement : {where} correspond déjà à {source.name}.")
        return 0
    print(f"Organisation appliquée à {where} :")
    for line in report.lines:
        print(f"  {line}")
    if report.templates_written:
        print("  modèles de courriers enregistrés : " + ", ".join(report.templates_written))
    return 0
