"""The yearly tables imported by file: ceilings and first-quartile thresholds.

Every row names its official source (the arrêté, its date and where it was
published): a row without one is refused, so nothing caleol prints rests on an
unsourced figure. All or nothing, French per-line report.

Ceilings reuse `caleol.services.reference.import_ceilings_csv` (same columns as the
Référentiels screen) after checking the sources; quartile thresholds are written
here, in one transaction, with the EPCI taken from the database or, on a first use,
from the territory reference.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import select

from caleol import fr
from caleol.db.engine import session_scope
from caleol.db.models import QuartileThreshold
from caleol.errors import ValidationError
from caleol.services import reference
from caleol.services.territory.csv_text import csv_text
from caleol.services.territory.resolve import TerritoryResolver

QUARTILE_COLUMNS = ("siren_epci", "annee", "seuil", "source")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_THRESHOLD = Decimal(1_000_000)


def _rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = csv_text(data)
    lines = text.splitlines()
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    return [h.strip() for h in reader.fieldnames or []], rows


def _require_sources(header: list[str], rows: list[dict[str, str]], what: str) -> None:
    if "source" not in header:
        raise ValidationError(f"{what} : colonne « source » manquante (le texte "
                              "officiel de chaque ligne : arrêté, date, publication).")
    missing = [f"Ligne {n} : source manquante (le texte officiel qui fixe ces valeurs)."
               for n, row in enumerate(rows, start=2) if not row.get("source")]
    if missing:
        raise ValidationError(f"{what} : {fr.counted(len(missing), 'ligne')} sans source.",
                              details=missing[:50])


def import_ceiling_file(engine: Engine, data: bytes) -> int:
    """A ceiling table, every row with its source; the rows written.

    Raises:
        ValidationError: a missing column, a row without source or with a bad value
            (every line listed); nothing written.
    """
    header, rows = _rows(data)
    _require_sources(header, rows, "Table de plafonds non importée")
    return reference.import_ceilings_csv(engine, data)


def import_quartile_file(engine: Engine, data: bytes) -> int:
    """First-quartile thresholds per EPCI and year (euros per UC per year); the rows written.

    Columns: `siren_epci`, `annee`, `seuil` (decimal comma or point), `source`. A
    threshold already stored for the EPCI and year is replaced.

    Raises:
        ValidationError: every bad line listed; nothing written.
    """
    header, rows = _rows(data)
    missing = [c for c in QUARTILE_COLUMNS if c not in header]
    if missing:
        raise ValidationError("Colonnes manquantes : " + ", ".join(missing) + ".",
                              details=["Colonnes attendues : " + "; ".join(QUARTILE_COLUMNS)])
    _require_sources(header, rows, "Seuils de premier quartile non importés")
    if not rows:
        raise ValidationError("Le fichier ne contient aucun seuil.")
    with session_scope(engine) as db:
        resolver = TerritoryResolver(db)
        parsed: dict[tuple[int, int], tuple[int, str]] = {}
        errors: list[str] = []
        for line, row in enumerate(rows, start=2):
            problems: list[str] = []
            siren = row["siren_epci"].replace(" ", "")
            epci_id = resolver.epci_id(siren) if siren.isdigit() and len(siren) == 9 else None
            if epci_id is None:
                problems.append(f"EPCI « {row['siren_epci']} » inconnu (SIREN à 9 chiffres "
                                "d'un EPCI à fiscalité propre)")
            year = int(row["annee"]) if row["annee"].isdigit() else 0
            if not MIN_YEAR <= year <= MAX_YEAR:
                problems.append(f"année « {row['annee']} » invalide")
            try:
                threshold = fr.parse_decimal(row["seuil"].replace(" ", "").replace("\u202f", ""))
            except ValueError:
                threshold = Decimal(0)
            if not 0 < threshold < MAX_THRESHOLD or threshold != round(threshold, 2):
                problems.append(f"seuil « {row['seuil']} » invalide (euros par unité de "
                                "consommation et par an, ex. 10105,40)")
            if problems:
                errors.append(f"Ligne {line} : " + " ; ".join(problems) + ".")
                continue
            assert epci_id is not None
            if (epci_id, year) in parsed:
                errors.append(f"Ligne {line} : l'EPCI {siren} a déjà un seuil {year} plus haut "
                              "dans le fichier.")
                continue
            parsed[(epci_id, year)] = (int(threshold * 100), row["source"][:300])
        if errors:
            raise ValidationError(f"Seuils non importés : {fr.counted(len(errors), 'ligne')} "
                                  "en erreur.",
                                  details=errors[:50])
        for (epci_id, year), (cents, source) in parsed.items():
            stored = db.exec(select(QuartileThreshold).where(
                QuartileThreshold.epci_id == epci_id, QuartileThreshold.year == year)).first()
            row_ = stored or QuartileThreshold(epci_id=epci_id, year=year, threshold_cents=cents)
            row_.threshold_cents, row_.source = cents, source
            db.add(row_)
        return len(parsed)
