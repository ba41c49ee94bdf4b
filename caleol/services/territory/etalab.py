"""From the npm package `@etalab/decoupage-administratif` to caleol's compact dataset.

Used at build time by `tools/territory_resource.py` (the shipped file) and by
`caleol reference import communes PAQUET.tgz` (a newer version of the same package,
as `npm pack @etalab/decoupage-administratif` downloads it).

Which communes (decided once here):
* the **current communes** (`commune-actuelle`) of metropolitan France and of the
  départements d'outre-mer; the collectivités d'outre-mer (975, 977, 978, 98x) are
  left out: the CCH's attribution rules do not apply there as such;
* the **arrondissements municipaux** of Paris, Lyon and Marseille, because dwelling
  files (RPLS among them) often code an address by arrondissement; each keeps its
  parent commune, whose EPCI it takes;
* **former codes** (`anciensCodes`: communes merged into a commune nouvelle) are
  kept as aliases to the current commune, so an old file still resolves.
Communes déléguées and associées are not communes: they are not listed (their own
codes are among the former codes).
"""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime
from typing import Any

from caleol.errors import ValidationError
from caleol.rules.zones import department_of, is_insee_code
from caleol.services.territory.dataset import (
    CommuneRef,
    DatasetInfo,
    EpciRef,
    TerritoryDataset,
    check_dataset,
)

PACKAGE = "@etalab/decoupage-administratif"
LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
SOURCES = ("Code officiel géographique de l'INSEE ; liste et composition des EPCI à "
           "fiscalité propre de la DGCL ; base officielle des codes postaux de La Poste")
_WANTED_ZONES = {"metro", "drom"}
_DATA = ("communes.json", "epci.json", "departements.json")


def convert(communes: list[dict[str, Any]], epcis: list[dict[str, Any]],
            departments: list[dict[str, Any]], version: str, date: str) -> TerritoryDataset:
    """The dataset of the package's three JSON files.

    Raises:
        ValidationError: a file does not have the package's structure, or the result
            is inconsistent.
    """
    try:
        kept_departments = {str(d["code"]): str(d["nom"]) for d in departments
                            if d.get("zone") in _WANTED_ZONES}
        member_of: dict[str, str] = {}
        epci_refs: dict[str, EpciRef] = {}
        for epci in epcis:
            siren = str(epci["code"])
            epci_refs[siren] = EpciRef(siren, str(epci["nom"]), str(epci.get("type", "")))
            for member in epci["membres"]:
                member_of[str(member["code"])] = siren
        refs: dict[str, CommuneRef] = {}
        former: dict[str, str] = {}
        arrondissements: list[dict[str, Any]] = []
        for row in communes:
            if row.get("zone") not in _WANTED_ZONES:
                continue
            if row.get("type") == "arrondissement-municipal":
                arrondissements.append(row)
                continue
            if row.get("type") != "commune-actuelle":
                continue
            code = str(row["code"])
            refs[code] = CommuneRef(code, str(row["nom"]),
                                    tuple(str(p) for p in row.get("codesPostaux", ())),
                                    member_of.get(code, ""))
            for old in row.get("anciensCodes", ()):
                former[str(old)] = code
        for row in arrondissements:
            code = str(row["code"])
            refs[code] = CommuneRef(code, str(row["nom"]),
                                    tuple(str(p) for p in row.get("codesPostaux", ())),
                                    "", str(row["commune"]))
    except (KeyError, TypeError, AttributeError):
        raise ValidationError(f"Les fichiers ne sont pas ceux du paquet {PACKAGE} "
                              "(structure inattendue).") from None
    used = {c.epci_siren for c in refs.values() if c.epci_siren}
    for code in [c for c in former if c in refs or not is_insee_code(c)]:
        del former[code]  # a code reused by a current commune is that commune
    present = {department_of(code) for code in refs if is_insee_code(code)}
    dataset = TerritoryDataset(
        DatasetInfo(PACKAGE, version, date, LICENCE, SOURCES),
        {code: name for code, name in kept_departments.items() if code in present},
        {siren: ref for siren, ref in epci_refs.items() if siren in used},
        refs, former)
    check_dataset(dataset)
    return dataset


def read_npm_tarball(data: bytes) -> TerritoryDataset:
    """The dataset of a package tarball (`npm pack`); its date is the data files' date.

    Raises:
        ValidationError: not a tarball of the package, or unusable content.
    """
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            package = _json_member(archive, "package/package.json")
            if not isinstance(package, dict) or package.get("name") != PACKAGE:
                raise ValidationError(f"Ce paquet n'est pas {PACKAGE}.")
            files = [_json_member(archive, f"package/data/{name}") for name in _DATA]
            stamp = max(archive.getmember(f"package/data/{name}").mtime for name in _DATA)
    except (tarfile.TarError, OSError, EOFError, KeyError):
        raise ValidationError(f"Archive illisible : un paquet {PACKAGE} (fichier .tgz de "
                              "« npm pack ») est attendu.") from None
    date = datetime.fromtimestamp(stamp, UTC).date().isoformat()
    return convert(files[0], files[1], files[2], str(package.get("version", "")), date)


def _json_member(archive: tarfile.TarFile, name: str) -> Any:
    handle = archive.extractfile(name)
    if handle is None:
        raise KeyError(name)
    try:
        return json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(f"{name} : JSON illisible.") from None
