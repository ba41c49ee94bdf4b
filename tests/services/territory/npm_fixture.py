"""A tiny tarball shaped like `npm pack @etalab/decoupage-administratif` for the tests."""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

COMMUNES: list[dict[str, Any]] = [
    {"code": "57463", "nom": "Metz", "type": "commune-actuelle", "zone": "metro",
     "departement": "57", "codesPostaux": ["57000", "57050"], "anciensCodes": ["57094"]},
    {"code": "57480", "nom": "Montigny-lès-Metz", "type": "commune-actuelle", "zone": "metro",
     "departement": "57", "codesPostaux": ["57950"]},
    {"code": "75056", "nom": "Paris", "type": "commune-actuelle", "zone": "metro",
     "departement": "75", "codesPostaux": ["75001"]},
    {"code": "75101", "nom": "Paris 1er Arrondissement", "type": "arrondissement-municipal",
     "zone": "metro", "departement": "75", "commune": "75056", "codesPostaux": ["75001"]},
    {"code": "57094", "nom": "Borny", "type": "commune-deleguee", "zone": "metro",
     "departement": "57", "chefLieu": "57463"},
    {"code": "98735", "nom": "Papeete", "type": "commune-actuelle", "zone": "com",
     "departement": "987", "codesPostaux": ["98714"]},
]
EPCIS: list[dict[str, Any]] = [
    {"code": "200039865", "nom": "Metz Métropole", "type": "METRO",
     "membres": [{"code": "57463"}, {"code": "57480"}]},
    {"code": "200054781", "nom": "Métropole du Grand Paris", "type": "METRO",
     "membres": [{"code": "75056"}]},
]
DEPARTMENTS: list[dict[str, Any]] = [
    {"code": "57", "nom": "Moselle", "zone": "metro"},
    {"code": "75", "nom": "Paris", "zone": "metro"},
    {"code": "987", "nom": "Polynésie française", "zone": "com"},
]


def npm_tarball(version: str = "7.0.0", *, name: str = "@etalab/decoupage-administratif",
                communes: list[dict[str, Any]] | None = None, mtime: int = 1_780_000_000) -> bytes:
    files = {
        "package/package.json": {"name": name, "version": version},
        "package/data/communes.json": COMMUNES if communes is None else communes,
        "package/data/epci.json": EPCIS,
        "package/data/departements.json": DEPARTMENTS,
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, content in files.items():
            data = json.dumps(content).encode()
            info = tarfile.TarInfo(path)
            info.size, info.mtime = len(data), mtime
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
