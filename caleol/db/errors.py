"""Database failures the user can act on, turned into French `CaleolError`s.

Like qutebrowser's KnownError/BugError split: busy, read-only, disk full, corrupt,
unreachable server, a frozen séance... get a message; anything else stays a bug.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from caleol.errors import CaleolError, ConcurrentModificationError, FrozenError

FROZEN_MARK = "caleol:frozen"
IMMUTABLE_MARK = "caleol:immutable"
REFUSED_MARK = "caleol:refused"  # a write only raw SQL would attempt (revision 0007)

_TABLE_LABELS = {
    "commission_session": "la séance",
    "attendance": "les présences",
    "agenda_item": "l'ordre du jour",
    "candidacy": "les candidatures",
    "decision": "les décisions",
    "occupation_review": "les examens d'occupation",
    "signed_document": "un document signé",
    "audit_entry": "le journal d'audit",
    "candidacy_event": "les suites d'une décision",
    "rectification": "un rectificatif",
    "purged_row": "le registre des purges",
    "chain_anchor": "l'empreinte du journal d'un procès-verbal",
}


class TamperedDataError(CaleolError):
    """A write would build on a row changed behind caleol's back (issue 16)."""


class DatabaseBusyError(CaleolError):
    """Another process kept the database locked longer than the busy timeout."""


class DatabaseUnavailableError(CaleolError):
    """The database cannot be used at all (read-only, full disk, corrupt, unreachable)."""


def _table_in(message: str, mark: str) -> str:
    rest = message.split(mark, 1)[1]
    name = rest.lstrip(":").split()[0].strip("'\".,;:") if rest.strip(":").strip() else ""
    return _TABLE_LABELS.get(name, name or "ces données")


def is_busy(exc: BaseException) -> bool:
    """SQLite 'database is locked' / PostgreSQL lock timeout, worth retrying."""
    if isinstance(exc, DatabaseBusyError):
        return True
    if not isinstance(exc, sa_exc.OperationalError | sa_exc.DBAPIError):
        return False
    text = str(exc.orig if getattr(exc, "orig", None) else exc).lower()
    return (
        "database is locked" in text
        or "database table is locked" in text
        or "lock timeout" in text
        or "could not obtain lock" in text
        or "deadlock detected" in text
        or "could not serialize access" in text
    )


def translate_db_error(exc: BaseException) -> CaleolError | None:
    """A French `CaleolError` for a known database failure, None for a bug."""
    if isinstance(exc, CaleolError):
        return exc
    if isinstance(exc, StaleDataError):
        return ConcurrentModificationError()
    if not isinstance(exc, sa_exc.DBAPIError):
        return None
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc)
    lower = text.lower()
    if FROZEN_MARK in text:
        return FrozenError(
            "Modification refusée : la séance est close ou signée "
            f"({_table_in(text, FROZEN_MARK)}). Une correction se fait par un rectificatif."
        )
    if REFUSED_MARK in text:
        return FrozenError(
            f"Écriture refusée par la base de données ({_table_in(text, REFUSED_MARK)}) : "
            "elle ne respecte pas les règles que la base fait respecter (séance close, "
            "procès-verbal signé, journal d'audit chaîné). Rien n'a été enregistré."
        )
    if IMMUTABLE_MARK in text:
        return FrozenError(
            f"Modification refusée : {_table_in(text, IMMUTABLE_MARK)} ne peut être ni "
            "modifié ni supprimé."
        )
    if is_busy(exc):
        return DatabaseBusyError(
            "La base de données est occupée par un autre poste depuis trop longtemps ; "
            "réessayez dans un instant."
        )
    if "readonly" in lower or "read-only" in lower or "read only" in lower:
        return DatabaseUnavailableError(
            "La base de données est en lecture seule : vérifiez les droits sur le fichier "
            "ou le dossier, ou le support (clé USB verrouillée, partage réseau)."
        )
    if "disk is full" in lower or "no space left" in lower or "disk full" in lower:
        return DatabaseUnavailableError(
            "Le disque est plein : libérez de la place puis recommencez ; rien n'a été "
            "enregistré."
        )
    if "malformed" in lower or "not a database" in lower or "corrupt" in lower:
        return DatabaseUnavailableError(
            "La base de données est endommagée. Restaurez la dernière sauvegarde "
            "(caleol restore) ou contactez votre support."
        )
    if "unable to open database" in lower:
        return DatabaseUnavailableError(
            "Impossible d'ouvrir le fichier de la base de données : vérifiez le chemin et "
            "les droits d'accès."
        )
    if "does not exist" in lower and "database" in lower:
        return DatabaseUnavailableError(
            "La base de données demandée n'existe pas sur le serveur PostgreSQL : "
            "vérifiez son nom dans l'adresse ou faites-la créer par l'administrateur."
        )
    if "password authentication failed" in lower or "authentication failed" in lower:
        return DatabaseUnavailableError(
            "Le serveur PostgreSQL a refusé l'identifiant ou le mot de passe."
        )
    if "value too long" in lower:
        return CaleolError(
            "Enregistrement refusé : un texte dépasse la longueur permise pour ce champ."
        )
    if "connection refused" in lower or "could not connect" in lower or (
        "connection" in lower and "failed" in lower
    ):
        return DatabaseUnavailableError(
            "Le serveur de base de données est injoignable : vérifiez qu'il est démarré et "
            "accessible depuis ce poste."
        )
    if isinstance(exc, sa_exc.IntegrityError):
        if "unique" in lower or "duplicate key" in lower:
            return CaleolError(
                "Enregistrement refusé : une donnée identique existe déjà "
                f"({_constraint_hint(text)})."
            )
        if "foreign key" in lower:
            return CaleolError(
                "Enregistrement refusé : il fait référence à une donnée qui n'existe pas ou "
                "qui est encore utilisée ailleurs (supprimée par un autre poste ?). "
                "Rechargez et recommencez."
            )
    return None


def _constraint_hint(text: str) -> str:
    """The column or constraint named by the driver, for the technical part of a message."""
    for marker in ("UNIQUE constraint failed:", "Key ("):
        if marker in text:
            return text.split(marker, 1)[1].split("\n")[0].strip()
    return "contrainte d'unicité"
