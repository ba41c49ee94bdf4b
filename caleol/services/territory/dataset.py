"""The territory reference: every commune, EPCI and département, in caleol's compact format.

The shipped file (`caleol/resources/territory/territoire.json.gz`) is made at build
time by `tools/territory_resource.py` from the data files of the npm package
`@etalab/decoupage-administratif` (Licence Ouverte); `caleol reference import
communes` stores a newer one in the database (`caleol.services.territory.updates`).

Compact format (gzip'd UTF-8 JSON), lists rather than objects to stay small:

    {"format": "caleol-territoire-1",
     "dataset": {"name", "version", "date", "licence", "sources"},
     "departments": [[code, name], ...],
     "epcis": [[siren, name, kind], ...],          # kind: CC, CA, CU, METRO, MET69
     "communes": [[insee, name, "57000 57050", epci_siren or "", parent insee or ""], ...],
     "former_codes": [[old insee, current insee], ...]}

`parent` is set for the arrondissements municipaux of Paris, Lyon and Marseille
(their EPCI is the parent commune's); the département of a commune is derived from
its code (`caleol.rules.zones.department_of`).
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caleol import paths
from caleol.errors import ValidationError
from caleol.rules.zones import department_of, is_insee_code

FORMAT = "caleol-territoire-1"
SHIPPED_NAME = "territoire.json.gz"
# The shipped reference's départements alone (a few kilobytes, read in a millisecond):
# a form offering them does not decode ~35 000 communes (about a second) on the GUI
# thread. Written with the reference by tools/territory_resource.py; a test checks
# both files agree.
DEPARTMENTS_NAME = "departements.json"


@dataclass(frozen=True)
class DatasetInfo:
    """Where the data comes from, as the README and the import report state it."""

    name: str
    version: str
    date: str  # ISO date of the data files
    licence: str
    sources: str

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.date})"


@dataclass(frozen=True)
class CommuneRef:
    insee: str
    name: str
    postal_codes: tuple[str, ...]
    epci_siren: str  # "" outside any EPCI (a few islands)
    parent: str = ""  # the commune of an arrondissement municipal

    @property
    def department(self) -> str:
        return department_of(self.insee)

    @property
    def postal_code(self) -> str:
        return self.postal_codes[0] if self.postal_codes else ""


@dataclass(frozen=True)
class EpciRef:
    siren: str
    name: str
    kind: str


@dataclass(frozen=True)
class TerritoryDataset:
    info: DatasetInfo
    departments: dict[str, str]  # code -> name
    epcis: dict[str, EpciRef]  # siren -> EPCI
    communes: dict[str, CommuneRef]  # insee -> commune
    former_codes: dict[str, str]  # old insee -> current insee

    def commune(self, insee: str) -> CommuneRef | None:
        """The commune of `insee`, following a former code to the current commune."""
        found = self.communes.get(insee)
        if found is None and insee in self.former_codes:
            found = self.communes.get(self.former_codes[insee])
        return found

    def epci_of(self, commune: CommuneRef) -> EpciRef | None:
        siren = commune.epci_siren
        if not siren and commune.parent:
            parent = self.communes.get(commune.parent)
            siren = parent.epci_siren if parent else ""
        return self.epcis.get(siren) if siren else None

    def epci_department(self, siren: str) -> str:
        """The département of every commune of the EPCI; "" when they span several.

        The package does not give an EPCI's seat: a cross-border EPCI gets no
        département rather than a guessed one.
        """
        found = {c.department for c in self.communes.values() if c.epci_siren == siren}
        return found.pop() if len(found) == 1 else ""


def dump_compact(dataset: TerritoryDataset) -> bytes:
    """The compact file of `dataset` (deterministic: same data, same bytes)."""
    document = {
        "format": FORMAT,
        "dataset": {"name": dataset.info.name, "version": dataset.info.version,
                    "date": dataset.info.date, "licence": dataset.info.licence,
                    "sources": dataset.info.sources},
        "departments": sorted([code, name] for code, name in dataset.departments.items()),
        "epcis": sorted([e.siren, e.name, e.kind] for e in dataset.epcis.values()),
        "communes": sorted([c.insee, c.name, " ".join(c.postal_codes), c.epci_siren, c.parent]
                           for c in dataset.communes.values()),
        "former_codes": sorted([old, new] for old, new in dataset.former_codes.items()),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def _fail(detail: str) -> ValidationError:
    return ValidationError("Fichier du référentiel des communes illisible.", details=[detail])


def load_compact(data: bytes) -> TerritoryDataset:
    """Parse a compact file; every inconsistency is a French `ValidationError`.

    Raises:
        ValidationError: not gzip'd JSON, wrong format, bad code, unknown EPCI or
            département referred to by a commune.
    """
    try:
        document: Any = json.loads(gzip.decompress(data).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError):
        raise _fail("ce n'est pas un fichier « .json.gz » produit par caleol "
                    "(tools/territory_resource.py) ni un paquet npm "
                    "@etalab/decoupage-administratif.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _fail(f"format attendu « {FORMAT} ».")
    try:
        meta = document["dataset"]
        info = DatasetInfo(str(meta["name"]), str(meta["version"]), str(meta["date"]),
                           str(meta["licence"]), str(meta["sources"]))
        departments = {str(code): str(name) for code, name in document["departments"]}
        epcis = {str(s): EpciRef(str(s), str(n), str(k)) for s, n, k in document["epcis"]}
        communes = {
            str(insee): CommuneRef(str(insee), str(name), tuple(str(postal).split()),
                                   str(epci), str(parent))
            for insee, name, postal, epci, parent in document["communes"]
        }
        former = {str(old): str(new) for old, new in document["former_codes"]}
    except (KeyError, TypeError, ValueError):
        raise _fail("structure inattendue (rubriques dataset, departments, epcis, "
                    "communes, former_codes).") from None
    dataset = TerritoryDataset(info, departments, epcis, communes, former)
    check_dataset(dataset)
    return dataset


def check_dataset(dataset: TerritoryDataset) -> None:
    """Raises `ValidationError` listing (up to 20) inconsistencies of `dataset`."""
    problems: list[str] = []
    if not dataset.communes:
        problems.append("aucune commune.")
    for commune in dataset.communes.values():
        if not is_insee_code(commune.insee):
            problems.append(f"code commune « {commune.insee} » invalide.")
            continue
        if not commune.name.strip():
            problems.append(f"commune {commune.insee} sans nom.")
        if commune.department not in dataset.departments:
            problems.append(f"commune {commune.insee} : département {commune.department} "
                            "absent du fichier.")
        if commune.epci_siren and commune.epci_siren not in dataset.epcis:
            problems.append(f"commune {commune.insee} : EPCI {commune.epci_siren} absent du "
                            "fichier.")
        if commune.parent and commune.parent not in dataset.communes:
            problems.append(f"arrondissement {commune.insee} : commune {commune.parent} absente.")
    for old, new in dataset.former_codes.items():
        if new not in dataset.communes:
            problems.append(f"ancien code {old} : commune actuelle {new} absente.")
    if problems:
        raise ValidationError("Fichier du référentiel des communes incohérent : rien n'est "
                              "importé.", details=problems[:20])


def shipped_path() -> Path:
    return paths.resources_dir() / "territory" / SHIPPED_NAME


def departments_path() -> Path:
    return paths.resources_dir() / "territory" / DEPARTMENTS_NAME


@dataclass(frozen=True)
class DepartmentList:
    """The départements of a reference, with the reference's date (which reference is
    in force is decided by date: `resolve.departments_in_force`)."""

    date: str  # the reference's data date, ISO
    departments: dict[str, str]  # code -> name


def dump_departments(dataset: TerritoryDataset) -> bytes:
    """The small file of `dataset`'s départements (deterministic)."""
    rows = ",\n".join(json.dumps([code, name], ensure_ascii=False)
                      for code, name in sorted(dataset.departments.items()))
    head = json.dumps({"format": FORMAT, "date": dataset.info.date})[:-1]
    return f'{head}, "departments": [\n{rows}\n]}}\n'.encode()


@functools.cache
def shipped_departments() -> DepartmentList:
    """The shipped reference's départements, read once per process."""
    document = json.loads(departments_path().read_text(encoding="utf-8"))
    return DepartmentList(str(document["date"]),
                          {str(code): str(name) for code, name in document["departments"]})


@functools.cache
def shipped_dataset() -> TerritoryDataset:
    """The dataset shipped in the package, read once per process."""
    return load_compact(shipped_path().read_bytes())
