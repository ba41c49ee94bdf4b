"""`caleol setup export`: the whole organisation as a readable TOML file.

The output depends on the data only (no date, fixed order: codes, then the order the
members and reasons were entered), so exporting twice, or exporting after applying
the file elsewhere, gives the same bytes. Table headers and comments are written
here; each value is written by `tomli_w` (quoting and escaping).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    Commission,
    Department,
    Epci,
    PriorityCriterion,
    Reason,
    Reservataire,
)
from caleol.db.models import Target as TargetRow
from caleol.errors import CaleolError
from caleol.services.organisation import setup_format as fmt
from caleol.services.organisation.agencies import agency_record
from caleol.services.organisation.commissions import commission_record
from caleol.services.organisation.fields import logo_type
from caleol.services.organisation.landlord import landlord_record, landlord_row
from caleol.services.organisation.members import commission_members, member_record
from caleol.services.organisation.places import department_record, epci_record
from caleol.services.organisation.reservataires import reservataire_record
from caleol.services.organisation.templates import customised_templates

LOGO_STEM = "logo-bailleur"
HEADER = """\
# Organisation caleol : bailleur, agences, réservataires, commissions et membres,
# motifs, critères de priorité, objectifs et modèles de courriers.
# Format : docs/organisation-toml.md. Appliquer à une base :
#   caleol setup apply FICHIER.toml --db BASE
# Une clé absente garde la valeur enregistrée ; rien n'est jamais supprimé
# (« actif = false » ou « active = false » désactive).
"""


@dataclass(frozen=True)
class SetupExport:
    """The TOML text, and the logo to write beside it (`logo_name`, empty: none)."""

    text: str
    logo: bytes | None
    logo_name: str


def _values(section: fmt.Section, record: object, **override: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in section.keys:
        value = override[key.attr] if key.attr in override else getattr(record, key.attr)
        if value is None:
            value = "" if key.kind is str else None
        if isinstance(value, tuple):
            value = list(value)
        if value is not None:
            out[key.name] = value
    return out


def _table(header: str, values: dict[str, Any]) -> str:
    body = tomli_w.dumps(values, multiline_strings=True)
    return f"{header}\n{body}"


def _section(parts: list[str], section: fmt.Section, tables: list[dict[str, Any]]) -> None:
    if not tables:
        return
    parts.append("\n".join(f"# {line}" for line in _wrap(section.comment)) + "\n"
                 if section.comment else "")
    for values in tables:
        parts.append(_table(f"[[{section.name}]]", values) + "\n")


def _wrap(text: str, width: int = 86) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _departments_and_epcis(db: Session) -> tuple[list[Department], list[Epci]]:
    """The EPCI commissions name or that hold a PLH and a CIL; the départements agencies
    or those EPCI name, or whose délai anormalement long is set."""
    commission_epcis = {c.epci_id for c in db.exec(select(Commission)) if c.epci_id}
    epcis = [e for e in db.exec(select(Epci).order_by(col(Epci.siren)))
             if e.id in commission_epcis or e.has_plh_and_cil]
    wanted = {a.department_id for a in db.exec(select(Agency))} | {
        e.department_id for e in epcis}
    departments = [d for d in db.exec(select(Department).order_by(col(Department.code)))
                   if d.id in wanted or d.abnormal_delay_months is not None]
    return departments, epcis


def export_setup_text(engine: Engine) -> SetupExport:
    """The organisation of the database as TOML (see module doc)."""
    parts = [HEADER, "\n", tomli_w.dumps({"format": fmt.FORMAT_VERSION}), "\n"]
    logo: bytes | None = None
    logo_name = ""
    with session_scope(engine) as db:
        landlord = landlord_row(db)
        if landlord is not None:
            record = landlord_record(landlord)
            logo = record.logo
            if logo:
                logo_name = f"{LOGO_STEM}.{logo_type(logo) or 'png'}"
            parts.append("\n".join(f"# {line}" for line in _wrap(fmt.LANDLORD.comment)) + "\n")
            parts.append(_table("[bailleur]", _values(fmt.LANDLORD, record, logo=logo_name))
                         + "\n")
        departments, epcis = _departments_and_epcis(db)
        _section(parts, fmt.DEPARTMENTS, [
            _values(fmt.DEPARTMENTS, department_record(d)) for d in departments])
        _section(parts, fmt.EPCIS, [_values(fmt.EPCIS, epci_record(db, e)) for e in epcis])
        _section(parts, fmt.AGENCIES, [
            _values(fmt.AGENCIES, agency_record(db, a))
            for a in db.exec(select(Agency).order_by(col(Agency.code)))])
        _section(parts, fmt.RESERVATAIRES, [
            _values(fmt.RESERVATAIRES, reservataire_record(r))
            for r in db.exec(select(Reservataire).order_by(col(Reservataire.code)))])
        _commissions(db, parts)
        words = {check: word for word, check in fmt.CHECKS.items()}
        _section(parts, fmt.REASONS, [
            _values(fmt.REASONS, r, contradicts_check=words.get(r.contradicts_check or "", ""))
            for r in db.exec(
                select(Reason).order_by(col(Reason.kind), col(Reason.position), col(Reason.id)))])
        _section(parts, fmt.CRITERIA, [
            _values(fmt.CRITERIA, c) for c in db.exec(
                select(PriorityCriterion).order_by(col(PriorityCriterion.code)))])
        _section(parts, fmt.TARGETS, [
            _values(fmt.TARGETS, t, value=_plain(Decimal(t.value))) for t in db.exec(
                select(TargetRow).order_by(
                    col(TargetRow.year), col(TargetRow.indicator_code),
                    col(TargetRow.department_code), col(TargetRow.epci_code),
                    col(TargetRow.agency_code), col(TargetRow.commission_code)))])
    _section(parts, fmt.TEMPLATES, [
        {"type": kind.value, "texte": text} for kind, text in customised_templates().items()])
    return SetupExport("".join(parts).rstrip("\n") + "\n", logo, logo_name)


def _plain(value: Decimal) -> Decimal | int:
    """25 rather than 25.0 for a whole count; fractions as they are."""
    return int(value) if value == value.to_integral_value() else value.normalize()


def _commissions(db: Session, parts: list[str]) -> None:
    rows = list(db.exec(select(Commission).order_by(col(Commission.code))))
    if not rows:
        return
    parts.append("\n".join(f"# {line}" for line in _wrap(fmt.COMMISSIONS.comment)) + "\n")
    parts.append("# Membres : civilite « Mme » ou « M. » ; voix « délibérative » ou "
                 "« consultative » ;\n# suppleant_de : code du membre titulaire que ce membre "
                 "supplée.\n")
    for commission in rows:
        parts.append(_table("[[commissions]]", _values(
            fmt.COMMISSIONS, commission_record(db, commission))) + "\n")
        for member in commission_members(db, commission.id or 0):
            record = member_record(db, member)
            parts.append(_table("[[commissions.membres]]", _values(
                fmt.MEMBERS, record,
                deliberative=fmt.DELIBERATIVE[0] if record.deliberative
                else fmt.CONSULTATIVE[0])) + "\n")


def export_setup(engine: Engine, path: Path) -> SetupExport:
    """Write the TOML file at `path`, and the logo beside it.

    Raises:
        CaleolError: the file or the logo cannot be written.
    """
    export = export_setup_text(engine)
    try:
        _write(path, export.text.encode("utf-8"))
        if export.logo is not None and export.logo_name:
            _write(path.parent / export.logo_name, export.logo)
    except OSError as exc:
        raise CaleolError(f"Impossible d'écrire {path} ({exc.strerror or exc}).") from None
    return export


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
