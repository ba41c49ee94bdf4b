"""Known, expected failures carry a French message for the user.

Anything that is not a `CaleolError` is a bug: the GUI's excepthook shows a report
and the CLI exits with a traceback in the log, never silently.
"""

from caleol.fr import counted


class CaleolError(Exception):
    """An expected failure whose message (in French) is shown to the user as is."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[str] = list(details or [])

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"- {d}" for d in self.details)


class ValidationError(CaleolError):
    """Input that breaks a rule (bad field, inconsistent decision set...).

    `fields` maps the form fields it is about to their French message (empty: the
    record as a whole), so a form can show each message beside its field; `message`
    and `details` say the same for a caller without a form (CLI, log).
    """

    def __init__(self, message: str, *, details: list[str] | None = None,
                 fields: dict[str, str] | None = None) -> None:
        super().__init__(message, details=details)
        self.fields: dict[str, str] = dict(fields or {})


class ConcurrentModificationError(CaleolError):
    """Optimistic version check failed: someone else saved the record first.

    `what` names the record with its article (« La séance », « Les présences »); it
    stays apart from the participle, which agrees with « enregistrement » only, so
    the sentence is right whatever the gender or number of `what`.
    """

    def __init__(self, what: str | None = None) -> None:
        message = "enregistrement modifié par ailleurs entre-temps ; rechargez avant d'enregistrer."
        if what:
            message = f"{what[:1].upper()}{what[1:]} : {message}"
        else:
            message = message[:1].upper() + message[1:]
        super().__init__(message)


class FrozenError(CaleolError):
    """A write was attempted on a closed or signed session."""


class NotFoundError(CaleolError):
    """The record asked for no longer exists: a screen asking in the background about
    a row that another action just removed drops its question instead of failing."""


class FormError(ValidationError):
    """Every bad field of a form at once: `fields` maps a field name to its French message.

    A form shows each message next to its field; the empty name "" means the record
    as a whole. `message` lists them all for a caller that has no form (CLI, log).
    """

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(
            f"{counted(len(fields), 'champ')} à corriger.",
            details=list(fields.values()), fields=fields,
        )


_ERRNO_TEXTS = {
    "EACCES": "droits insuffisants",
    "EPERM": "droits insuffisants",
    "EROFS": "support en lecture seule",
    "ENOENT": "fichier ou dossier introuvable",
    "ENOTDIR": "un élément du chemin n'est pas un dossier",
    "EISDIR": "c'est un dossier, pas un fichier",
    "ENOSPC": "disque plein",
    "EEXIST": "le fichier existe déjà",
    "ENAMETOOLONG": "nom de fichier trop long",
    "EBUSY": "fichier en cours d'utilisation",
}


def os_error_reason(exc: OSError) -> str:
    """Why a file operation failed, in French (« fichier ou dossier introuvable »): the
    system's own text (`strerror`) follows the machine's locale, usually English."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _ERRNO_TEXTS.get(name) or exc.strerror or "erreur d'accès"


def describe_os_error(exc: OSError) -> str:
    """A French sentence for a failed file operation."""
    reason = os_error_reason(exc)
    where = exc.filename if exc.filename is not None else ""
    return f"impossible d'accéder à « {where} » : {reason}." if where else (
        f"erreur d'accès à un fichier : {reason}.")
