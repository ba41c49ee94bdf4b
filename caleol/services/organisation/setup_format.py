"""The setup file's format: sections, keys and their types, and where each is written.

One place says what each TOML key is (`SECTIONS`), so reading, writing and the
documentation (docs/organisation-toml.md) agree. `Locator` finds the line of a table
or key in the text, since `tomllib` gives positions only for syntax errors.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from caleol.errors import ValidationError

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Key:
    """A TOML key: its name in the file, the record's attribute, the value's type."""

    name: str
    attr: str
    kind: type  # str, bool, int, Decimal, list (of strings)
    required: bool = False


@dataclass(frozen=True)
class Section:
    name: str  # the TOML table (« agences »), or « commissions.membres »
    title: str  # French, for messages: « agence »
    keys: tuple[Key, ...]
    array: bool = True  # [[name]] tables (else one [name] table)
    comment: str = ""  # written above the section by the export

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)

    def key_of(self, attr: str) -> str | None:
        """The TOML key of a record attribute (to place a service's field error)."""
        return next((k.name for k in self.keys if k.attr == attr), None)


LANDLORD = Section("bailleur", "bailleur", (
    Key("nom", "name", str, True), Key("siren", "siren", str), Key("adresse", "address", str),
    Key("telephone", "phone", str), Key("courriel", "email", str), Key("logo", "logo", str),
), array=False, comment="Le bailleur : en-tête des documents. « logo » : fichier PNG ou JPEG "
                        "placé à côté de ce fichier (vide : pas de logo).")
DEPARTMENTS = Section("departements", "département", (
    Key("code", "code", str, True), Key("nom", "name", str),
    Key("delai_anormalement_long_mois", "abnormal_delay_months", int),
), comment="Départements : délai anormalement long fixé par le préfet (en mois).")
EPCIS = Section("epci", "EPCI", (
    Key("siren", "siren", str, True), Key("nom", "name", str),
    Key("departement", "department_code", str), Key("plh_et_cil", "has_plh_and_cil", bool),
), comment="EPCI des commissions : avec un PLH et une CIL, le président de l'EPCI a la voix "
           "prépondérante.")
AGENCIES = Section("agences", "agence", (
    Key("code", "code", str, True), Key("nom", "name", str), Key("adresse", "address", str),
    Key("departement", "department_code", str), Key("telephone", "phone", str),
    Key("courriel", "email", str), Key("active", "active", bool),
), comment="Agences : leur téléphone et leur courriel sont le contact donné dans les courriers.")
RESERVATAIRES = Section("reservataires", "réservataire", (
    Key("code", "code", str, True), Key("nom", "name", str), Key("type", "kind", str),
    Key("adresse", "address", str), Key("contact", "contact_name", str),
    Key("telephone", "phone", str), Key("courriel", "email", str),
    Key("delai_proposition_jours", "proposal_delay_days", int), Key("actif", "active", bool),
), comment="Réservataires. type : etat_prioritaires, etat_agents, action_logement, "
           "commune_epci, departement, bailleur ou autre.")
COMMISSIONS = Section("commissions", "commission", (
    Key("code", "code", str, True), Key("nom", "name", str),
    Key("agences", "agency_codes", list), Key("epci", "epci_siren", str),
    Key("territoire", "territory", str), Key("quorum", "quorum", str),
    Key("seance_a_distance", "remote_sessions_allowed", bool), Key("active", "active", bool),
), comment="Commissions : la première agence de « agences » signe l'en-tête ; quorum : part "
           "des membres à voix délibérative (1/2, 2/3).")
MEMBERS = Section("commissions.membres", "membre", (
    Key("code", "code", str, True), Key("civilite", "civility", str), Key("nom", "name", str),
    Key("qualite", "capacity", str), Key("voix", "deliberative", str),
    Key("voix_preponderante", "casting_vote", bool),
    Key("reservataire", "reservataire_code", str), Key("suppleant_de", "substitute_for", str),
    Key("actif", "active", bool),
))
REASONS = Section("motifs", "motif", (
    Key("code", "code", str, True), Key("libelle", "label", str), Key("type", "kind", str),
    Key("illicite_seul", "unlawful_alone", bool), Key("reference", "legal_reference", str),
    Key("controle_contredit", "contradicts_check", str), Key("actif", "active", bool),
), comment="Motifs de non-attribution et d'irrecevabilité, dans l'ordre du catalogue. "
           "illicite_seul : ne peut motiver seul un refus ; controle_contredit : le contrôle "
           "dont la conformité contredit le motif (plafond, solvabilite, typologie, "
           "anciennete ; vide : aucun), une justification est alors demandée.")
CRITERIA = Section("criteres", "critère", (
    Key("code", "code", str, True), Key("libelle", "label", str), Key("source", "source", str),
    Key("reference", "legal_reference", str), Key("actif", "active", bool),
), comment="Critères de priorité. source : CCH, PDALHPD, CIA ou charte.")
TARGETS = Section("objectifs", "objectif", (
    Key("indicateur", "indicator_code", str, True), Key("annee", "year", int, True),
    Key("valeur", "value", Decimal, True), Key("departement", "department_code", str),
    Key("epci", "epci_code", str), Key("agence", "agency_code", str),
    Key("commission", "commission_code", str), Key("source", "source", str),
), comment="Objectifs d'attribution : un taux s'écrit en fraction (0.25 pour 25 %) ; "
           "territoire vide : tout le patrimoine.")
TEMPLATES = Section("modeles_courriers", "modèle de courrier", (
    Key("type", "kind", str, True), Key("texte", "text", str, True),
), comment="Modèles de courriers modifiés (les autres restent ceux livrés avec caleol). "
           "type : offre, rang, proposition-apres-refus, non-attribution, irrecevabilite, "
           "reservataire.")

SECTIONS: tuple[Section, ...] = (LANDLORD, DEPARTMENTS, EPCIS, AGENCIES, RESERVATAIRES,
                                 COMMISSIONS, REASONS, CRITERIA, TARGETS, TEMPLATES)
TOP_KEYS = ("format", *(s.name for s in SECTIONS))
# the checks as the file names them (`controle_contredit`) → `rules.evaluation.CHECK_NAMES`
CHECKS = {"plafond": "ceiling", "solvabilite": "solvency", "typologie": "typology",
          "anciennete": "waiting_time"}
DELIBERATIVE = ("délibérative", "deliberative")
CONSULTATIVE = ("consultative",)

# --- finding lines ---------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*("?)([A-Za-z0-9_-]+)\1\s*=')

Address = tuple[object, ...]  # ("agences", 2) or ("commissions", 0, "membres", 3)


class Locator:
    """Line numbers (1-based) of the tables and keys of a TOML text."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._starts: dict[Address, int] = {(): 1}
        counts: dict[Address, int] = {}
        parent: Address = ()
        for number, line in enumerate(self._lines, start=1):
            match = _HEADER.match(line)
            if match is None or line.lstrip().startswith("#"):
                continue
            parts = [p.strip().strip('"') for p in match.group(2).split(".")]
            if match.group(1) == "[[" and len(parts) == 1:
                index = counts.get((parts[0],), 0)
                counts[(parts[0],)] = index + 1
                parent = (parts[0], index)
                self._starts[parent] = number
            elif match.group(1) == "[[" and len(parts) == 2 and parent[:1] == (parts[0],):
                key = (*parent, parts[1])
                index = counts.get(key, 0)
                counts[key] = index + 1
                self._starts[(*key, index)] = number
            elif match.group(1) == "[":
                self._starts[tuple(parts)] = number

    def line(self, address: Address, key: str | None = None) -> int | None:
        """The line of the table at `address` (of its `key` when found in it)."""
        start = self._starts.get(address)
        if start is None:
            return None
        if not address and key is not None:  # a top-level key, or a table of that name
            table = self._starts.get((key, 0)) or self._starts.get((key,))
            return self._key_line(1, key, top=True) or table
        if key is None:
            return start if address else None
        return self._key_line(start, key) or start

    def _key_line(self, start: int, key: str, *, top: bool = False) -> int | None:
        """The line of `key` in the table whose header is line `start` (or, `top`, in
        the lines before the first header)."""
        for number in range(start, len(self._lines) + 1):
            text = self._lines[number - 1]
            if _HEADER.match(text) and not text.lstrip().startswith("#") and (
                    number > start or top):
                break
            match = _KEY.match(text)
            if match and match.group(2) == key:
                return number
        return None


def where(line: int | None) -> str:
    return f"Ligne {line} : " if line else ""


# --- reading ---------------------------------------------------------------------------

_TOML_MESSAGES = {
    "Invalid value": "valeur invalide (texte entre guillemets, nombre, true ou false)",
    "Invalid statement": "ligne invalide (attendu : clé = valeur, ou [table])",
    "Expected '=' after a key in a key/value pair": "« = » attendu après la clé",
    "Expected ']' at the end of a table declaration":
        "« ] » manquant à la fin de l'en-tête de table",
    "Expected ']]' at the end of an array declaration":
        "« ]] » manquant à la fin de l'en-tête de table",
    "Expected newline or end of document after a statement":
        "une seule « clé = valeur » par ligne",
    "Cannot overwrite a value": "clé définie deux fois",
    "Cannot declare": "table déclarée deux fois",
    "Cannot mutate immutable namespace": "table déjà définie en ligne",
    "Cannot redefine namespace": "table déjà définie",
    "Duplicate inline table key": "clé définie deux fois",
    "Unclosed array": "liste non fermée (« ] » manquant)",
    "Unclosed inline table": "table en ligne non fermée (« } » manquant)",
    "Unterminated string": "texte non fermé (guillemet manquant)",
    "Unescaped '\\' in a string": "barre oblique inverse à doubler (\\\\) dans un texte",
    "Escaped character is not a Unicode scalar value": "caractère échappé invalide",
    "Invalid hex value": "caractère échappé invalide",
    "Invalid date or datetime": "date invalide",
    "Invalid initial character for a key part": "nom de clé invalide",
    "Illegal character": "caractère interdit",
    "Found invalid character": "caractère interdit",
    "Expected": "caractère inattendu",
}
_TOML_ERROR = re.compile(r"^(.*?)\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def parse_text(data: bytes) -> tuple[str, dict[str, Any]]:
    """The text and its TOML content; floats come back as `Decimal` (never a float).

    Raises:
        ValidationError: not UTF-8, or a TOML syntax error (French, with its line).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("Fichier d'organisation illisible : il n'est pas en UTF-8 "
                              f"(octet n° {exc.start + 1}).") from None
    try:
        return text, tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError("Fichier d'organisation refusé : erreur de syntaxe TOML.",
                              details=[_syntax_message(str(exc))]) from None


def _syntax_message(message: str) -> str:
    match = _TOML_ERROR.match(message)
    reason, line, column = (match.group(1), match.group(2), match.group(3)) if match else (
        message, None, None)
    if reason.startswith(("Illegal character '\\n'", "Found invalid character '\\n'")):
        reason = "Unterminated string"  # a line break inside a one-line text
    french = next((fr for en, fr in _TOML_MESSAGES.items() if reason.startswith(en)), None)
    text = french or f"syntaxe invalide ({reason})"
    if line:
        return f"Ligne {line}, colonne {column} : {text}."
    return f"Fin du fichier : {text}."


def typed(value: object, key: Key) -> object:
    """The value checked against the key's type, or raises `ValueError` (French)."""
    if key.kind is bool:
        if isinstance(value, bool):
            return value
        raise ValueError("attendu : true ou false")
    if key.kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError("attendu : un nombre entier")
    if key.kind is Decimal:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return Decimal(value)
        raise ValueError("attendu : un nombre (0.25, 12)")
    if key.kind is list:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ValueError('attendu : une liste de codes entre crochets (["METZ", "WOIPPY"])')
    if isinstance(value, str):
        return value
    raise ValueError("attendu : un texte entre guillemets")


def unknown_keys(section: Section, table: Mapping[str, object]) -> list[str]:
    """The keys of `table` the section does not know (sub-tables excepted)."""
    extra = {"membres"} if section is COMMISSIONS else set()
    return [k for k in table if section.key(k) is None and k not in extra]
