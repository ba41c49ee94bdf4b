"""Every user setting declared once, with type, default and description.

Settings are read into a typed `Settings` object passed down from `app.py`; nothing
reads a global. Stored as JSON in the user config directory.

Older files: `indicators_on_leases` (one switch for both mixité indicators) became
`indicator_bases`, one counting basis per indicator (`migrate_raw`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from caleol import paths

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    description: str


OPTIONS: tuple[Option, ...] = (
    Option("database_url", str, "", "Base de données : chemin SQLite ou URL (vide : base locale)"),
    Option("agency", str, "", "Agence de rattachement"),
    Option("signing_certificate", str, "", "Certificat de signature (fichier PKCS#12)"),
    Option("timestamp_server", str, "",
           "Serveur d'horodatage RFC 3161 (URL ; vide : heure de l'ordinateur)"),
    Option("trusted_certificates", list, [], "Certificats de confiance pour la vérification"),
    Option("backup_folder", str, "", "Dossier des sauvegardes (vide : dossier par défaut)"),
    Option("backups_kept", int, 10, "Nombre de sauvegardes conservées"),
    Option("retention_months", int, 12, "Conservation des demandes clôturées (mois)"),
    Option("max_effort_rate_percent", int, 35, "Taux d'effort maximal (%)"),
    Option("offer_answer_days", int, 10, "Délai de réponse à une proposition (jours)"),
    Option("reservataire_delay_days", int, 15, "Délai de proposition d'un réservataire (jours)"),
    Option("quorum_fraction", str, "1/2", "Quorum : part des membres à voix délibérative"),
    Option("indicator_bases", dict, {},
           "Base de comptage de chaque indicateur (code → baux ou propositions ; "
           "absent : celle de la charte et de la CUS)"),
    Option("flux_rounding", str, "troncature",
           "Arrondi des objectifs de flux : troncature, arrondi ou excès"),
)


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    agency: str = ""
    signing_certificate: str = ""
    timestamp_server: str = ""  # RFC 3161 URL; only a document's hash is sent there
    trusted_certificates: tuple[str, ...] = ()
    backup_folder: str = ""
    backups_kept: int = 10
    retention_months: int = 12
    max_effort_rate_percent: int = 35
    offer_answer_days: int = 10
    reservataire_delay_days: int = 15
    quorum_fraction: str = "1/2"
    # indicator code → « baux » / « propositions »; a code not listed counts on the
    # basis its sources set (`rules.indicators.DEFINITIONS`)
    indicator_bases: Mapping[str, str] = field(default_factory=dict)
    flux_rounding: str = "troncature"

    def replace(self, **changes: Any) -> Settings:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        return Settings(**data)


def settings_path() -> Path:
    return paths.config_dir() / "settings.json"


OLD_ON_LEASES = "indicators_on_leases"


def migrate_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """A settings file of an older version, in today's keys.

    `indicators_on_leases` switched both mixité indicators between signed leases
    (true, the default, written by every save) and proposals (false). True cannot be
    told apart from a default never touched, so it gives the sources' bases (PS-1 on
    leases, the QPV objective on proposals). False was a choice: PS-1 keeps counting
    proposals (the QPV objective already does).
    """
    if OLD_ON_LEASES not in raw:
        return raw
    from caleol.rules.indicators import CountingBasis  # only for old files: not at start

    raw = dict(raw)
    on_leases = raw.pop(OLD_ON_LEASES)
    if "indicator_bases" not in raw:
        raw["indicator_bases"] = (
            {} if on_leases is not False else {"Q1-HQPV": CountingBasis.PROPOSALS.value}
        )
        log.info("setting %s=%r migrated to indicator_bases=%r", OLD_ON_LEASES, on_leases,
                 raw["indicator_bases"])
    return raw


def clean_bases(value: Mapping[Any, Any]) -> dict[str, str]:
    """Known indicator codes with a known basis; anything else is dropped (logged).

    The indicators' definitions are imported here, not with the module: the settings
    are read before the window shows, and most files set no basis.
    """
    if not value:
        return {}
    from caleol.rules.indicators import DEFINITIONS_BY_CODE, CountingBasis

    bases: dict[str, str] = {}
    for code, basis in value.items():
        if code in DEFINITIONS_BY_CODE and basis in set(CountingBasis):
            bases[str(code)] = str(basis)
        else:
            log.warning("indicator basis %r: %r ignored", code, basis)
    return bases


def load(path: Path | None = None) -> Settings:
    """Read settings; unknown keys are ignored and bad values fall back to defaults."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return Settings()
    if not isinstance(raw, dict):
        log.warning("settings file %s is not an object; using defaults", path)
        return Settings()
    raw = migrate_raw(raw)
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if option.name not in raw:
            continue
        value = raw[option.name]
        if option.type is list and isinstance(value, list):
            values[option.name] = tuple(str(v) for v in value)
        elif option.type is dict and isinstance(value, dict):
            values[option.name] = clean_bases(value)
        elif option.type is not list and isinstance(value, option.type) and not (
            option.type is int and isinstance(value, bool)
        ):
            values[option.name] = value
        else:
            log.warning("setting %s has a bad value %r; default kept", option.name, value)
    return Settings(**values)


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically so a crash never leaves a half-written settings file."""
    path = path or settings_path()
    data = {f.name: getattr(settings, f.name) for f in fields(settings)}
    data["trusted_certificates"] = list(settings.trusted_certificates)
    data["indicator_bases"] = dict(settings.indicator_bases)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
