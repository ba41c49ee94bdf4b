"""Age of the application and the *délai anormalement long* set by each préfet.

Months are completed calendar months, as a person counts them: from 15 January to
14 March is 1 month, to 15 March 2 months; from 31 January, the month is complete
on the same day number or later, so 31 January → 28 February is still 0 month.
A delay reaching the threshold (months ≥ threshold) is abnormally long.

The check informs the priority criteria; its status is `pass` once computed (the
flag `abnormally_long` carries the finding) and `unknown` when it cannot be
computed (department without a known threshold, application after the examination).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from caleol.fr import format_date
from caleol.rules.charter import CHARTER
from caleol.rules.result import CheckResult, Status

ABNORMAL_DELAY_MONTHS: Mapping[str, int] = MappingProxyType({"57": 18, "54": 16})
DEPARTMENT_NAMES = {"57": "Moselle", "54": "Meurthe-et-Moselle"}
REFERENCE = (
    "Arrêtés préfectoraux (délai anormalement long, art. L441-1-4 CCH) ; "
    f"{CHARTER} (critères de priorité)"
)


def months_between(start: date, end: date) -> int:
    """Completed months from `start` to `end` (negative if `end` is earlier)."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def normalize_department(code: str) -> str:
    """`057` → `57`, ` 54 ` → `54`, `2a` → `2A` (the NUR writes departments on 3)."""
    cleaned = code.strip().upper()
    if len(cleaned) == 3 and cleaned.startswith("0"):
        cleaned = cleaned[1:]
    return cleaned


def abnormal_delay(application_date: date, on: date, department: str,
                   thresholds: Mapping[str, int] = ABNORMAL_DELAY_MONTHS) -> bool | None:
    """The finding of `check_waiting_time` alone (its `abnormally_long` figure), without
    its explanation: cheap enough to order thousands of demandes. None when unknown."""
    threshold = thresholds.get(normalize_department(department))
    if threshold is None or application_date > on:
        return None
    return months_between(application_date, on) >= threshold


def check_waiting_time(
    application_date: date,
    on: date,
    department: str,
    thresholds: Mapping[str, int] = ABNORMAL_DELAY_MONTHS,
) -> CheckResult:
    dept = normalize_department(department)
    threshold = thresholds.get(dept)
    figures: dict[str, object] = {
        "months": None,
        "threshold_months": threshold,
        "abnormally_long": None,
        "department": dept,
        "application_date": application_date,
    }
    if application_date > on:
        explanation = (
            f"La date de dépôt de la demande ({format_date(application_date)}) est "
            f"postérieure à la date d'examen ({format_date(on)}) : le délai d'attente n'a "
            "pas pu être calculé."
        )
        return CheckResult("waiting_time", Status.UNKNOWN, explanation, REFERENCE, figures)
    months = months_between(application_date, on)
    figures["months"] = months
    elapsed = (
        f"Demande déposée le {format_date(application_date)}, examinée le "
        f"{format_date(on)} : {months} mois révolus."
    )
    if threshold is None:
        explanation = (
            f"{elapsed} Le délai anormalement long fixé par arrêté préfectoral pour le "
            f"département « {dept} » n'était pas disponible : le caractère anormalement "
            "long de l'attente n'a pas pu être apprécié."
        )
        return CheckResult("waiting_time", Status.UNKNOWN, explanation, REFERENCE, figures)
    abnormal = months >= threshold
    figures["abnormally_long"] = abnormal
    name = DEPARTMENT_NAMES.get(dept, f"département {dept}")
    verdict = (
        f"{months} ≥ {threshold} mois ({name}) : délai anormalement long."
        if abnormal
        else f"{months} < {threshold} mois ({name}) : délai non dépassé."
    )
    explanation = f"{elapsed} {verdict}"
    return CheckResult("waiting_time", Status.PASS, explanation, REFERENCE, figures)
