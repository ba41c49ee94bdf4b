"""Check snapshots and decisions turned into the short French texts the documents print.

Checks arrive as `CheckResult.to_json()` dicts (Decimals as strings); a missing check
or figure prints "—" with the "?" mark, never a silent pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from caleol.fr import NBSP, format_date, format_decimal, format_money, format_percent
from caleol.services.documents.data import (
    CEILING,
    SOLVENCY,
    TYPOLOGY,
    WAITING_TIME,
    Attendance,
    Candidate,
    CandidateRule,
    Decision,
    DecisionKind,
    Dwelling,
    Member,
    SessionInfo,
)
from caleol.services.documents.layout import status_mark, text

DASH = "—"
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
CHECK_TITLES = {
    CEILING: "Plafond de ressources",
    SOLVENCY: "Taux d'effort et reste à vivre",
    TYPOLOGY: "Typologie",
    WAITING_TIME: "Ancienneté de la demande",
}


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def long_date(value: date) -> str:
    """`mardi 10 mars 2026`."""
    return f"{WEEKDAYS[value.weekday()]} {format_date(value)}"


def clock(value: time) -> str:
    """`14 h 00`."""
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def hours(session: SessionInfo) -> str:
    """` de 14 h 00 à 16 h 45` as confirmed at the closing; never a time not confirmed."""
    if session.start and session.end and session.times_confirmed:
        return f" de {clock(session.start)} à {clock(session.end)}"
    if session.start and session.times_confirmed:
        return f" à {clock(session.start)}"
    return " (horaires non confirmés à la clôture)"


def money(value: Decimal | None, places: int = 2) -> str:
    return DASH if value is None else format_money(value, places=places)


def qpv_label(qpv: bool | None) -> str:
    return {True: "oui", False: "non", None: "inconnu"}[qpv]


def surface(value: Decimal | None) -> str:
    """`65,4 m²`; empty when the surface is not known (never « 0 m² »)."""
    if not value:
        return ""
    places = 0 if value == value.to_integral_value() else 1
    return f"{format_decimal(value, places)}{NBSP}m²"


def typology(dwelling: Dwelling, separator: str = " ") -> str:
    """`T3 65 m²` (`T3, 65 m²` with `separator=", "`), or `T3` alone when the surface
    is not known: a document says nothing of a surface it does not have."""
    return separator.join(part for part in (dwelling.typology, surface(dwelling.surface_m2))
                          if part)


def dwelling_pairs(dwelling: Dwelling) -> list[tuple[str, str]]:
    """Characteristics of a dwelling as label/value pairs, for key/value tables."""
    energy = (f"{money(dwelling.energy)} (estimation)" if dwelling.energy is not None
              else "non renseignée")
    pairs = [
        ("Adresse", dwelling.address),
        ("Commune", dwelling.commune),
        ("Typologie", typology(dwelling, ", ")),
        ("Financement", dwelling.financing),
        ("Loyer", money(dwelling.rent) + (f" + annexes {money(dwelling.annex_rent)}"
                                           if dwelling.annex_rent else "")),
        ("Charges", money(dwelling.charges)),
        ("Énergie", energy),
        ("Total mensuel", money(dwelling.total_cost)),
        ("QPV", qpv_label(dwelling.qpv)),
        ("Réservataire", dwelling.reservataire),
    ]
    if dwelling.floor:
        pairs.append(("Étage", dwelling.floor))
    if dwelling.available_on:
        pairs.append(("Disponible le", format_date(dwelling.available_on)))
    return pairs


def attendance_label(member: Member) -> str:
    if member.attendance is Attendance.REPRESENTED and member.proxy:
        return f"représenté par {member.proxy}"
    if member.attendance is Attendance.ABSENT and member.proxy:
        return f"absent, pouvoir à {member.proxy}"
    return member.attendance.label


def candidate_rule_text(rule: CandidateRule) -> tuple[str, bool]:
    """Sentence on the three-candidate rule, and whether it is in order."""
    count = f"{rule.candidate_count} candidat{'s' if rule.candidate_count > 1 else ''}"
    if rule.exception:
        sentence = (f"Exception à la règle des trois candidats ({count} présenté"
                    f"{'s' if rule.candidate_count > 1 else ''}) — motif : {rule.exception}.")
        if rule.justification:
            sentence += f" Justification : {rule.justification}"
        return sentence, True
    if rule.satisfied:
        return f"Règle des trois candidats respectée ({count} présentés).", True
    return (f"Règle des trois candidats non respectée ({count}) et aucune exception "
            "enregistrée.", False)


# --- check cells (markup) -----------------------------------------------------------------


def _mark(check: Mapping[str, Any]) -> str:
    return status_mark(check.get("status")) if check else status_mark(None)


def _small(value: str) -> str:
    """A detail line under a figure, in a smaller size (markup)."""
    return f'<br/><font size="6.5">{value}</font>'


def _unknown_note(check: Mapping[str, Any]) -> str:
    """Under an unknown check's figure, the word for its « ? » (never a bare mark)."""
    if not check:
        return _small("non évalué")
    return _small("<b>indéterminé</b>") if check.get("status") == "unknown" else ""


def income_cell(candidate: Candidate) -> str:
    check = candidate.check(CEILING)
    income = decimal_or_none(check.get("income"))
    ceiling = decimal_or_none(check.get("ceiling"))
    category = check.get("category")
    detail = _small(f"plafond cat. {text(str(category))}") if category is not None else ""
    return (f"{_mark(check)} {text(money(income, 0))}<br/>/ {text(money(ceiling, 0))}"
            f"{detail}{_unknown_note(check)}")


def effort_cell(candidate: Candidate) -> str:
    check = candidate.check(SOLVENCY)
    rate = decimal_or_none(check.get("effort_rate"))
    return (f"{_mark(check)} {text(DASH if rate is None else format_percent(rate))}"
            f"{_unknown_note(check)}")


def remaining_cell(candidate: Candidate) -> str:
    check = candidate.check(SOLVENCY)
    per_day = decimal_or_none(check.get("remaining_per_day_per_unit"))
    units = decimal_or_none(check.get("consumption_units"))
    floor = decimal_or_none(check.get("floor"))
    details = []
    if units is not None:
        details.append(f"{format_decimal(units, 1)}{NBSP}UC")
    if floor is not None:
        details.append(f"plancher {format_money(floor, places=0)}")
    extra = _small(text(" · ".join(details))) if details else ""
    return f"{_mark(check)} {text(money(per_day))}{extra}{_unknown_note(check)}"


def typology_cell(candidate: Candidate) -> str:
    check = candidate.check(TYPOLOGY)
    allowed = check.get("allowed")
    shown = text(str(check.get("typology") or DASH))
    extra = ""
    if isinstance(allowed, list | tuple) and allowed:
        extra = _small(f"admis : {text(', '.join(str(a) for a in allowed))}")
    return f"{_mark(check)} {shown}{extra}{_unknown_note(check)}"


def waiting_cell(candidate: Candidate) -> str:
    check = candidate.check(WAITING_TIME)
    months = check.get("months")
    value = DASH if months is None else f"{months}{NBSP}mois"
    extra = ""
    if check.get("abnormally_long"):
        threshold = check.get("threshold_months")
        limit = f" (seuil {text(str(threshold))}{NBSP}mois)" if threshold is not None else ""
        extra = _small(f"<b>délai anormalement long</b>{limit}")
    return f"{_mark(check)} {text(value)}{extra}{_unknown_note(check)}"


def priority_text(candidate: Candidate) -> str:
    """Plain text: `DALO`, the priority ground(s), or `non`."""
    parts = []
    if candidate.dalo:
        parts.append("DALO")
    if candidate.priority and not (candidate.dalo and "DALO" in candidate.priority):
        parts.append(candidate.priority)
    return ", ".join(parts) or "non"


def priority_flag(candidate: Candidate) -> str:
    """Markup for a narrow column: **DALO**, `oui` (grounds printed elsewhere) or `non`."""
    if candidate.dalo:
        return "<b>DALO</b>"
    return "oui" if candidate.priority else "non"


# --- decisions ------------------------------------------------------------------------------


def decision_label(decision: Decision | None) -> str:
    """Plain text: `Attribution par ordre de priorité — rang 1`."""
    if decision is None:
        return "Aucune décision enregistrée"
    label = decision.kind.label
    if decision.kind is DecisionKind.ATTRIBUTION_RANG and decision.rank is not None:
        label += f" — rang {decision.rank}"
    return label


def decision_details(decision: Decision | None) -> list[str]:
    """Plain-text lines: condition and deadline, reason, justification."""
    if decision is None:
        return []
    lines = []
    if decision.condition:
        line = f"Condition : {decision.condition}"
        if decision.deadline:
            line += f", au plus tard le {format_date(decision.deadline)}"
        lines.append(line + ".")
    elif decision.deadline:
        lines.append(f"À satisfaire au plus tard le {format_date(decision.deadline)}.")
    if decision.reason:
        lines.append(f"Motif : {decision.reason}")
    grounds = f" ({' ; '.join(decision.justified)})" if decision.justified else ""
    if decision.justification:
        lines.append(f"Justification{grounds} : {decision.justification}")
    elif decision.justified:
        lines.append(f"Justification non enregistrée{grounds}.")
    return lines


def votes_label(decision: Decision | None) -> str:
    """The vote as the minutes state it (sentence), else the counts."""
    if decision is None:
        return DASH
    if decision.vote_sentence:
        return decision.vote_sentence
    if decision.votes is not None:
        return decision.votes.label
    return "Vote non enregistré."


def check_summary(check: Mapping[str, Any]) -> str:
    """One check as mark + status word: `✓ conforme` (markup)."""
    words = {"pass": "conforme", "fail": "non conforme", "unknown": "indéterminé"}
    status = check.get("status") if check else None
    return f"{_mark(check)} {words.get(str(status), 'non évalué')}"
