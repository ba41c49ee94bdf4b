"""Everything caleol ships that it did not write, with its licence: the one list.

The « À propos » dialog shows it (versions read from the installed distributions), the
README's tables are generated from it (`markdown_libraries`, `markdown_data`), the
PyInstaller bundle copies the metadata of every distribution named here, and
`tests/test_shipped.py` checks that it names every distribution the project's
dependencies install, with the licence their metadata states, and that the README
follows it. Standard library only: the packaging script and the tests read it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Library:
    """A Python distribution in the program. `role` says what caleol uses it for (a
    direct dependency of pyproject.toml); an indirect one names who needs it in
    `needed_by`. `licence` is an SPDX expression, as its metadata states it."""

    label: str
    distributions: tuple[str, ...]
    licence: str
    role: str = ""
    needed_by: str = ""

    @property
    def direct(self) -> bool:
        return bool(self.role)


@dataclass(frozen=True)
class ShippedData:
    """A data file or folder in the program: `label` for « À propos », the rest for the
    README's table."""

    label: str
    description: str
    source: str
    version: str
    licence: str


# The interpreter the built program carries (PyInstaller, the Windows installer)
PYTHON_LICENCE = "PSF-2.0"

LIBRARIES: tuple[Library, ...] = (
    Library("PySide6 / Qt", ("PySide6-Essentials", "PySide6"),
            "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
            "interface (widgets, modèles/vues, annuler/rétablir, impression) ; ses "
            "traductions françaises (`qtbase_fr`) mettent en français les fenêtres de Qt "
            "(choix de fichier, impression, messages)"),
    Library("PySide6-Addons", ("PySide6-Addons",),
            "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
            "QtCharts (graphiques de la page Indicateurs) ; QtPdf et QtPdfWidgets : les "
            "documents produits s'affichent dans caleol, et s'impriment à 300 dpi quand le "
            "PDF lui-même ne peut pas être confié au service d'impression"),
    Library("SQLModel", ("sqlmodel",), "MIT", "modèles de la base"),
    Library("SQLAlchemy", ("SQLAlchemy",), "MIT",
            "requêtes ; SQLite par défaut, PostgreSQL via psycopg 3"),
    Library("Alembic", ("alembic",), "MIT",
            "migrations du schéma (mise à jour au démarrage, après sauvegarde)"),
    Library("reportlab", ("reportlab",), "BSD-3-Clause",
            "procès-verbaux, ordres du jour, fiches, courriers, rapports et leurs graphiques"),
    Library("pyHanko", ("pyHanko",), "MIT", "signature PAdES des PDF et vérification"),
    Library("pyhanko-certvalidator", ("pyhanko-certvalidator",), "MIT",
            "validation des chaînes de certificats des signatures"),
    Library("cryptography", ("cryptography",), "Apache-2.0 OR BSD-3-Clause",
            "certificat de démonstration auto-signé, clés des certificats PKCS#12"),
    Library("platformdirs", ("platformdirs",), "MIT",
            "emplacements des données, réglages et journaux de l'utilisateur"),
    Library("psycopg", ("psycopg",), "LGPL-3.0-only",
            "connexion à une base PostgreSQL partagée"),
    Library("psycopg-binary", ("psycopg-binary",), "LGPL-3.0-only",
            "psycopg compilé, avec la bibliothèque libpq de PostgreSQL"),
    Library("tzdata", ("tzdata",), "Apache-2.0",
            "fuseau Europe/Paris des heures de signature là où le système n'a pas la base "
            "IANA (Windows)"),
    Library("tomli-w", ("tomli-w", "tomli_w"), "MIT",
            "écriture du fichier d'organisation (`caleol setup export` ; la lecture se fait "
            "par `tomllib` de Python)"),
    Library("pillow", ("pillow",), "MIT-CMU",
            "contrôle du logo du bailleur (format, taille) ; reportlab s'en sert aussi pour "
            "les images"),
    # what the libraries above install in turn
    Library("shiboken6", ("shiboken6",), "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
            needed_by="PySide6"),
    Library("pydantic", ("pydantic",), "MIT", needed_by="SQLModel"),
    Library("pydantic-core", ("pydantic-core", "pydantic_core"), "MIT", needed_by="pydantic"),
    Library("annotated-types", ("annotated-types",), "MIT", needed_by="pydantic"),
    Library("typing-inspection", ("typing-inspection",), "MIT", needed_by="pydantic"),
    Library("typing-extensions", ("typing-extensions", "typing_extensions"), "PSF-2.0",
            needed_by="SQLAlchemy, pydantic"),
    Library("greenlet", ("greenlet",), "MIT AND PSF-2.0", needed_by="SQLAlchemy"),
    Library("Mako", ("Mako",), "MIT", needed_by="Alembic"),
    Library("MarkupSafe", ("MarkupSafe",), "BSD-3-Clause", needed_by="Mako"),
    Library("charset-normalizer", ("charset-normalizer",), "MIT", needed_by="reportlab"),
    Library("asn1crypto", ("asn1crypto",), "MIT", needed_by="pyHanko"),
    Library("lxml", ("lxml",), "BSD-3-Clause", needed_by="pyHanko"),
    Library("tzlocal", ("tzlocal",), "MIT", needed_by="pyHanko"),
    Library("oscrypto", ("oscrypto",), "MIT", needed_by="pyhanko-certvalidator"),
    Library("uritools", ("uritools",), "MIT", needed_by="pyhanko-certvalidator"),
    Library("certifi", ("certifi",), "MPL-2.0", needed_by="pyhanko-certvalidator"),
    Library("aiohttp", ("aiohttp",), "Apache-2.0 AND MIT",
            needed_by="pyhanko-certvalidator (jamais appelé : caleol n'ouvre aucune connexion)"),
    Library("aiohappyeyeballs", ("aiohappyeyeballs",), "PSF-2.0", needed_by="aiohttp"),
    Library("aiosignal", ("aiosignal",), "Apache-2.0", needed_by="aiohttp"),
    Library("attrs", ("attrs",), "MIT", needed_by="aiohttp"),
    Library("frozenlist", ("frozenlist",), "Apache-2.0", needed_by="aiohttp"),
    Library("multidict", ("multidict",), "Apache-2.0", needed_by="aiohttp"),
    Library("propcache", ("propcache",), "Apache-2.0", needed_by="aiohttp"),
    Library("yarl", ("yarl",), "Apache-2.0", needed_by="aiohttp"),
    Library("idna", ("idna",), "BSD-3-Clause", needed_by="yarl"),
    Library("cffi", ("cffi",), "MIT-0", needed_by="cryptography"),
    Library("pycparser", ("pycparser",), "BSD-3-Clause", needed_by="cffi"),
)

# The territory dataset's version and date: tests/test_shipped.py checks them against
# the `dataset` record of territoire.json.gz (tools/territory_resource.py writes it).
TERRITORY_PACKAGE = "@etalab/decoupage-administratif"
TERRITORY_VERSION = "6.0.0"
TERRITORY_DATE = "2026-03-09"

DATA: tuple[ShippedData, ...] = (
    ShippedData(
        "Communes, EPCI et départements (@etalab/decoupage-administratif)",
        "toutes les communes de France (métropole et DROM, arrondissements de Paris, Lyon, "
        "Marseille, anciens codes), leurs EPCI à fiscalité propre et les départements : "
        "`caleol/resources/territory/territoire.json.gz` (417 Ko) ; les départements "
        "seuls, la liste que proposent les formulaires : "
        "`caleol/resources/territory/departements.json` (2 Ko), écrit avec lui",
        f"paquet npm `{TERRITORY_PACKAGE}` (Code officiel géographique de l'INSEE, EPCI de "
        "la DGCL, codes postaux de La Poste), converti à la construction par "
        "`tools/territory_resource.py`",
        f"{TERRITORY_VERSION}, données du 9 mars 2026 (millésime 2026), publié le 9 avril "
        "2026",
        "Licence Ouverte 2.0 (Etalab)"),
    ShippedData(
        "Plafonds de ressources",
        "plafonds de ressources PLUS 2020-2026, PLAI 2020-2022 : "
        "`caleol/resources/plafonds-ressources.csv`",
        "arrêté du 29 juillet 1987, annexe I, et ses révisions annuelles",
        "une ligne par année, source citée ; les PLAI après 2022 ne sont pas livrés (aucune "
        "valeur devinée) : ils s'importent par `caleol reference import ceilings`",
        "textes officiels"),
    ShippedData(
        "Profil de couleur sRGB (icc-profiles-free)",
        "profil de couleur sRGB (intention de sortie des PV et rectificatifs PDF/A-2b) : "
        "`caleol/resources/icc/sRGB.icc`",
        "paquet Debian `icc-profiles-free` (« ICC Profiles Free »), fichier inchangé "
        "(`LICENSE-sRGB.txt`)",
        "2.0.1+dfsg-1.1",
        "Zlib"),
    ShippedData(
        "Polices DejaVu Sans",
        "polices DejaVu Sans et DejaVu Sans Bold, incorporées dans chaque PDF (cachets de "
        "signature compris) : `caleol/resources/fonts/`",
        "DejaVu fonts (`LICENSE-DejaVu.txt`)",
        "—",
        "licence des polices DejaVu (libre, dérivée de Bitstream Vera)"),
    ShippedData(
        "Icônes",
        "icônes de l'application et de la navigation : `caleol/resources/icons/`",
        "dessinées pour caleol",
        "—",
        "CC0 1.0"),
    ShippedData(
        "Objectifs par défaut du bailleur (CUS et charte de Vivest)",
        "objectifs enregistrés dans la base à la création de l'organisation avec les "
        "motifs et critères de la charte (modifiables dans Référentiels → Objectifs, "
        "exportés par `caleol setup export`) : engagements PS-2 par département et "
        "contingent de l'État de l'avenant 2024-2026 à la CUS de Vivest, PP-5 de la CUS, "
        "salariés d'Action Logement de la charte : "
        "`caleol/services/organisation/defaults.py`",
        "`docs/reference/metz-metropole-cus-vivest-2021-2026.txt`, "
        "`vivest-cus-politique-attribution.txt`, `charte-des-attributions.txt`",
        "2024-2026",
        "textes contractuels, source enregistrée avec chaque objectif"),
)


def distributions() -> tuple[str, ...]:
    """Every distribution named by `LIBRARIES` (what the bundle copies the metadata of)."""
    return tuple(name for library in LIBRARIES for name in library.distributions)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_libraries() -> str:
    """The README's table of libraries: each with its licence and what it is for."""
    lines = ["| bibliothèque | licence | rôle |", "|---|---|---|",
             f"| Python | {PYTHON_LICENCE} | interpréteur, inclus dans le programme construit |"]
    for library in LIBRARIES:
        role = library.role or f"dépendance de {library.needed_by}"
        lines.append(f"| {library.label} | {_cell(library.licence)} | {_cell(role)} |")
    return "\n".join(lines)


def markdown_data() -> str:
    """The README's table of shipped data."""
    lines = ["| données | source | version, date | licence |", "|---|---|---|---|"]
    lines += [f"| {_cell(d.description)} | {_cell(d.source)} | {_cell(d.version)} | "
              f"{_cell(d.licence)} |" for d in DATA]
    return "\n".join(lines)
