"""`caleol setup apply`: create or update the organisation from a TOML file.

All or nothing: the whole file is applied in one transaction, and any error (every
one is listed, with its line where it can be found) leaves the database as it was.
Matching is by code: agency, réservataire, commission, member (within its
commission), reason and criterion codes, département code, EPCI SIREN, a target's
indicator, year and territory. A key absent from a table keeps the stored value (a
default for a new record); nothing absent from the file is deleted. Applying the same
file twice writes nothing the second time (no audit entry either).

When the reasons catalogue or the criteria list is empty, the charter's default set
is installed first (`defaults.py`); the file then edits or adds to it.

Letter templates are the user's own files, not rows: they are checked with the rest
and written once the transaction has committed.

This module reads the file, runs it in one transaction and reports what changed;
how each section updates the stored organisation is `setup_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry
from caleol.errors import CaleolError, ValidationError
from caleol.fr import counted
from caleol.services.documents.letter_templates import LetterKind
from caleol.services.organisation import setup_format as fmt
from caleol.services.organisation.fields import FieldError
from caleol.services.organisation.setup_read import Errors, Item, lower_first, read_items
from caleol.services.organisation.setup_sections import apply_sections
from caleol.services.organisation.templates import (
    check_template,
    customised_templates,
    save_template,
)

MAX_ERRORS = 100
_ENTITIES = {
    "landlord": "bailleur", "department": "départements", "epci": "EPCI",
    "agency": "agences", "reservataire": "réservataires", "commission": "commissions",
    "commission_agency": "agences couvertes par les commissions",
    "commission_member": "membres de commission", "reason": "motifs",
    "priority_criterion": "critères de priorité", "target": "objectifs",
}


@dataclass(frozen=True)
class ApplyReport:
    """What the file changed: French lines (« agences : 2 ajouts, 1 modification »)."""

    lines: tuple[str, ...]
    templates_written: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.lines or self.templates_written)



def apply_setup_data(engine: Engine, data: bytes, base_dir: Path) -> ApplyReport:
    """Apply a setup file's bytes; `base_dir` is where a relative logo path starts.

    Raises:
        ValidationError: every problem of the file, French, with its line; nothing
            has been written.
    """
    text, content = fmt.parse_text(data)
    errors = Errors(fmt.Locator(text))
    items = read_items(content, errors)
    templates = _templates(items.get(fmt.TEMPLATES.name, []), errors)
    logo = _logo(items.get(fmt.LANDLORD.name, []), base_dir, errors)
    with session_scope(engine) as db:  # on, despite errors: to list all of them
        start = db.execute(select(func.max(AuditEntry.id))).scalar() or 0
        apply_sections(db, items, logo, errors)
        _raise(errors)
        db.flush()
        lines = _changes(db, start)
    current = customised_templates()
    written: list[str] = []
    for kind, body in templates:  # after the commit: files are not transactional
        if current.get(kind) != body:
            save_template(kind, body)
            written.append(kind.value)
    return ApplyReport(lines, tuple(written))


def _raise(errors: Errors) -> None:
    if errors.lines:
        count = len(errors.lines)
        raise ValidationError(
            f"Fichier d'organisation refusé : {counted(count, 'erreur')} ; "
            "rien n'a été modifié.", details=errors.lines[:MAX_ERRORS])


def _templates(items: list[Item], errors: Errors) -> list[tuple[LetterKind, str]]:
    found: list[tuple[LetterKind, str]] = []
    for item in items:
        kind_text = str(item.values.get("kind", ""))
        try:
            kind = LetterKind(kind_text)
        except ValueError:
            known = ", ".join(k.value for k in LetterKind)
            errors.add(item.address, "type", f"{item.label} : type inconnu ({known}).")
            continue
        try:
            check_template(str(item.values.get("text", "")))
        except FieldError as exc:
            errors.add(item.address, "texte", f"{item.label} : {lower_first(exc.message)}")
            continue
        found.append((kind, str(item.values["text"])))
    return found


def _logo(items: list[Item], base_dir: Path, errors: Errors) -> bytes | bool | None:
    """The logo's bytes, None to remove it, or False when the file does not say."""
    if not items or "logo" not in items[0].values:
        return False
    name = str(items[0].values["logo"]).strip()
    if not name:
        return None
    path = Path(name) if Path(name).is_absolute() else base_dir / name
    try:
        return path.read_bytes()
    except OSError as exc:
        errors.add(items[0].address, "logo", f"bailleur : logo « {name} » illisible "
                                             f"({exc.strerror or exc}).")
        return None



def _changes(db: Session, start: int) -> tuple[str, ...]:
    """Rows added, modified or removed, each counted once by what the apply did to it
    as a whole: a substitute written, then linked to its titular, is one addition."""
    rows = db.execute(select(col(AuditEntry.entity), col(AuditEntry.entity_id),
                             col(AuditEntry.action))
                      .where(col(AuditEntry.id) > start)
                      .order_by(col(AuditEntry.id))).all()
    outcome: dict[tuple[str, int], str] = {}
    for entity, entity_id, action in rows:
        first = outcome.setdefault((entity, entity_id), action)
        if action == "delete":
            outcome[(entity, entity_id)] = "gone" if first == "insert" else "delete"
    counts: dict[str, dict[str, int]] = {}
    for (entity, _id), action in outcome.items():
        if action != "gone":  # added then removed within the apply: nothing changed
            actions = counts.setdefault(entity, {})
            actions[action] = actions.get(action, 0) + 1
    words = {"insert": ("ajout", "ajouts"), "update": ("modification", "modifications"),
             "delete": ("retrait", "retraits")}
    order = list(_ENTITIES)
    return tuple(
        f"{_ENTITIES.get(entity, entity)} : " + ", ".join(
            counted(actions[action], *word) for action, word in words.items()
            if action in actions)
        for entity, actions in sorted(counts.items(), key=lambda kv: (
            order.index(kv[0]) if kv[0] in order else len(order), kv[0])))


def apply_setup_file(engine: Engine, path: Path) -> ApplyReport:
    """Apply the setup file at `path` (see module doc).

    Raises:
        CaleolError: the file cannot be read.
        ValidationError: its problems, nothing written.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Fichier introuvable ou illisible : {path} "
                          f"({exc.strerror or exc}).") from None
    return apply_setup_data(engine, data, path.parent)
