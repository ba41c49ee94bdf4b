"""`caleol reference import communes|qpv`: a newer territory reference, the QPV list.

Both all or nothing, with a French report: nothing is half-imported.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import col, select

from caleol.db.engine import session_scope
from caleol.db.models import Commune, Epci, Qpv, QpvCommune, TerritoryDatasetRow
from caleol.errors import ValidationError
from caleol.fr import counted
from caleol.rules.zones import ceiling_zone, is_insee_code
from caleol.services.territory.csv_text import csv_text
from caleol.services.territory.dataset import (
    DatasetInfo,
    TerritoryDataset,
    dump_compact,
    load_compact,
)
from caleol.services.territory.etalab import read_npm_tarball
from caleol.services.territory.resolve import TerritoryResolver, dataset_in_force


@dataclass(frozen=True)
class CommunesUpdate:
    info: DatasetInfo
    stored: bool  # False: the reference in force is already as new
    communes_updated: int
    epcis_updated: int


def read_dataset(data: bytes) -> TerritoryDataset:
    """A compact file (`.json.gz`) or the npm package tarball (`.tgz`), told apart by content.

    Raises:
        ValidationError: neither, or inconsistent.
    """
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError):
        raw = b""
    if raw.lstrip()[:1] == b"{" or not raw:
        return load_compact(data)  # its error names both accepted formats
    return read_npm_tarball(data)


def import_communes(engine: Engine, data: bytes | None = None) -> CommunesUpdate:
    """Store a newer reference (when `data` is given) and align the stored communes on it.

    Every stored commune listed in the reference in force gets the reference's name,
    postal code (when it had none), département, EPCI and ceiling zone; every stored
    EPCI its name and kind. With no `data`, the reference in force is applied as is.

    Raises:
        ValidationError: unreadable file, or older than the reference in force.
    """
    dataset = read_dataset(data) if data is not None else None
    with session_scope(engine) as db:
        current = dataset_in_force(db)
        stored = False
        if dataset is not None:
            if date.fromisoformat(dataset.info.date) < date.fromisoformat(current.info.date):
                raise ValidationError(
                    f"Ce référentiel ({dataset.info.label}) est plus ancien que celui en "
                    f"vigueur ({current.info.label}) : rien n'est importé.")
            if dataset.info.date != current.info.date or dataset != current:
                content = dump_compact(dataset)
                db.add(TerritoryDatasetRow(
                    name=dataset.info.name, version=dataset.info.version,
                    data_date=date.fromisoformat(dataset.info.date),
                    licence=dataset.info.licence, sources=dataset.info.sources,
                    sha256=hashlib.sha256(content).hexdigest(), content=content))
                db.flush()
                stored = True
            current = dataset
        resolver = TerritoryResolver(db, current)
        epcis = 0
        for epci in db.exec(select(Epci)).all():
            epci_ref = current.epcis.get(epci.siren)
            if epci_ref is not None and (epci.name, epci.kind) != (epci_ref.name, epci_ref.kind):
                epci.name, epci.kind = epci_ref.name, epci_ref.kind
                db.add(epci)
                epcis += 1
        communes = 0
        for commune in db.exec(select(Commune)).all():
            ref = current.communes.get(commune.insee_code)
            if ref is None:
                continue
            group = current.epci_of(ref)
            values = {
                "name": ref.name, "postal_code": commune.postal_code or ref.postal_code,
                "department_id": resolver.department_id(ref.department),
                "epci_id": resolver.epci_id(group.siren) if group else None,
                "zone": ceiling_zone(ref.insee).value,
            }
            if any(getattr(commune, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(commune, key, value)
                db.add(commune)
                communes += 1
        return CommunesUpdate(current.info, stored, communes, epcis)


# --- QPV ------------------------------------------------------------------------------

# QN + département (3) + number (2) + letter in 2024 (QN05701M); QP + 6 digits in 2015.
QPV_CODE = re.compile(r"^Q[NP][0-9AB][0-9A-Z]{5}$")
_CODE_COLUMNS = ("code_qp", "code_qpv", "code")
_NAME_COLUMNS = ("nom_qp", "lib_qp", "libelle", "nom")
_INSEE_COLUMNS = ("insee_com", "code_insee", "communes_insee", "insee", "depcom")
_SOURCE_COLUMNS = ("source",)


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def import_qpv(engine: Engine, data: bytes, default_source: str = "") -> int:
    """Create or update the quartiers prioritaires of a CSV (`;` or `,`), all or nothing.

    Columns (first found): code `code_qp`/`code_qpv`/`code`; name `nom_qp`/`lib_qp`/
    `libelle`/`nom`; communes `insee_com`/`code_insee`/`communes_insee`/`insee`/`depcom`
    (INSEE codes, several separated by `,` `|` or spaces; a quartier on several lines
    gathers them); `source` (else `default_source`, required one way or the other).

    Returns:
        The number of quartiers written.

    Raises:
        ValidationError: every bad line listed (French); nothing written.
    """
    text = csv_text(data)
    lines = text.splitlines()
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = list(reader.fieldnames or [])
    code_col, name_col = _pick(header, _CODE_COLUMNS), _pick(header, _NAME_COLUMNS)
    insee_col, source_col = _pick(header, _INSEE_COLUMNS), _pick(header, _SOURCE_COLUMNS)
    missing = [what for what, col in (("code du quartier (code_qp)", code_col),
                                      ("nom (nom_qp)", name_col),
                                      ("communes (insee_com)", insee_col)) if col is None]
    if missing:
        raise ValidationError("Colonnes manquantes : " + ", ".join(missing) + ".")
    assert code_col and name_col and insee_col
    quartiers: dict[str, tuple[str, list[str], str]] = {}
    errors: list[str] = []
    with session_scope(engine) as db:
        resolver = TerritoryResolver(db)
        for line, row in enumerate(reader, start=2):
            code = (row.get(code_col) or "").strip().upper()
            name = " ".join((row.get(name_col) or "").split())
            source = ((row.get(source_col) or "").strip() if source_col else "") or default_source
            codes = [c for c in re.split(r"[,|\s]+", (row.get(insee_col) or "").strip()) if c]
            problems = []
            if not QPV_CODE.match(code):
                problems.append(f"code de quartier « {code} » invalide (ex. QN05701M)")
            if not name:
                problems.append("nom du quartier manquant")
            if not source.strip():
                problems.append("source manquante (colonne « source » ou --source)")
            if not codes:
                problems.append("aucune commune (code INSEE)")
            for insee in codes:
                if not is_insee_code(insee) or resolver.reference(insee) is None:
                    problems.append(f"commune « {insee} » absente du référentiel des communes")
            if problems:
                errors.append(f"Ligne {line} : " + " ; ".join(problems) + ".")
                continue
            known = quartiers.setdefault(code, (name, [], source))
            known[1].extend(c for c in codes if c not in known[1])
        if errors:
            raise ValidationError(f"Liste des QPV non importée : {counted(len(errors), 'ligne')}"
                                  " en erreur.", details=errors[:50])
        if not quartiers:
            raise ValidationError("Le fichier ne contient aucun quartier.")
        for code, (name, codes, source) in quartiers.items():
            resolved = [resolver.commune_id(c) for c in codes]
            ids = [i for i in resolved if i is not None]
            assert len(ids) == len(resolved)  # every code is in the reference (checked above)
            qpv = db.exec(select(Qpv).where(Qpv.code == code)).first() or Qpv(code=code, name=name)
            qpv.name, qpv.source, qpv.commune_id = name, source[:300], ids[0]
            db.add(qpv)
            db.flush()
            assert qpv.id is not None  # flushed
            linked = {link.commune_id: link for link in db.exec(
                select(QpvCommune).where(col(QpvCommune.qpv_id) == qpv.id))}
            for commune_id in ids:
                if commune_id not in linked:
                    db.add(QpvCommune(qpv_id=qpv.id, commune_id=commune_id))
            for commune_id, link in linked.items():
                if commune_id not in ids:
                    db.delete(link)
        return len(quartiers)
