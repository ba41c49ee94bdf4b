"""Column specs of the séance screens, over the plain records of `caleol.services.sessions`.

No service call here: the page's controller fetches `SessionDetail` and
`SuggestionList` and hands their rows to a `ColumnTableModel` built from these specs.
The Séances list's columns are in `session_list_model`, light enough for a cold start.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from caleol import fr
from caleol.rules.result import CheckResult, Status
from caleol.services.sessions import (
    AgendaItemView,
    CandidacyView,
    OccupationReviewView,
    Suggestion,
)
from caleol.ui.checkmarks import check_column, check_tooltip, mark_color
from caleol.ui.models.table import (
    CENTER,
    RIGHT,
    AnyIndex,
    Column,
    ColumnTableModel,
    date_column,
)

CHECK_TITLES: dict[str, str] = {
    "ceiling": "Plafond de ressources",
    "solvency": "Taux d'effort / reste à vivre",
    "typology": "Typologie",
    "waiting_time": "Délai d'attente",
}


def check_result(checks: Mapping[str, Mapping[str, Any]], name: str) -> CheckResult | None:
    """The stored check snapshot (`CheckResult.to_json()`) back as a result."""
    raw = checks.get(name)
    if not raw:
        return None
    try:
        status = Status(raw.get("status", "unknown"))
    except ValueError:
        status = Status.UNKNOWN
    return CheckResult(name=name, status=status, explanation=str(raw.get("explanation", "")),
                       reference=str(raw.get("reference", "")))


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --- agenda (dwellings of the séance) ------------------------------------------------

BADGE_SATISFIED = "✓"
BADGE_EXCEPTION = "⚑"
BADGE_BLOCKED = "✗"


def agenda_badge(item: AgendaItemView) -> tuple[str, str]:
    """(symbol, French label) of the three-candidate rule for one dwelling."""
    status = item.candidate_rule.get("status")
    if status != "pass":
        return BADGE_BLOCKED, "bloqué : règle des trois candidats non respectée"
    if item.exception or item.candidate_rule.get("exception"):
        return BADGE_EXCEPTION, "exception à la règle des trois candidats"
    return BADGE_SATISFIED, "règle des trois candidats respectée"


def _badge_color(item: AgendaItemView) -> QColor:
    symbol = agenda_badge(item)[0]
    if symbol == BADGE_BLOCKED:
        return mark_color(Status.FAIL)
    if symbol == BADGE_EXCEPTION:
        return QColor("#b26a00")
    return mark_color(Status.PASS)


def agenda_tooltip(item: AgendaItemView) -> str:
    symbol, label = agenda_badge(item)
    text = html.escape(str(item.candidate_rule.get("explanation", "")))
    parts = [f"<b>{symbol} {html.escape(label.capitalize())}</b>", text]
    if item.exception_justification:
        parts.append("Justification : " + html.escape(item.exception_justification))
    return "<p>" + "</p><p>".join(p for p in parts if p) + "</p>"


AGENDA_COLUMNS: tuple[Column[AgendaItemView], ...] = (
    Column("badge", "", value=lambda i: agenda_badge(i)[0], alignment=CENTER,
           tooltip=agenda_tooltip, foreground=_badge_color, bold=lambda i: True,
           accessible_text=lambda i: agenda_badge(i)[1], sortable=False,
           header_tooltip="Règle des trois candidats : ✓ respectée, ⚑ exception, ✗ bloqué"),
    # the reference alone, never cut; its typology and financing beside it give way
    # (« T3 PLAI adap… ») rather than the candidates' grid at 1366×768 (issue 17)
    Column("reference", "Logement", tooltip=agenda_tooltip),
    Column("kind", "Type", value=lambda i: f"{i.typology} {i.financing}",
           tooltip=lambda i: f"{i.reference} : {i.typology}, financement {i.financing}",
           header_tooltip="Typologie et financement du logement"),
    Column("candidates", "Cand.", value=lambda i: len(i.candidacies), alignment=RIGHT,
           header_tooltip="Nombre de candidats présentés"),
)


def agenda_model(rows: tuple[AgendaItemView, ...] = (), parent: Any = None
                 ) -> ColumnTableModel[AgendaItemView]:
    return ColumnTableModel(AGENDA_COLUMNS, rows, parent)


# --- candidates of the selected dwelling ---------------------------------------------

def _household(c: CandidacyView) -> str:
    persons = c.household.get("persons")
    return f"{c.name} ({persons} p.)" if persons else c.name


def _income_vs_ceiling(c: CandidacyView) -> str:
    raw = c.checks.get("ceiling") or {}
    income, ceiling = raw.get("income"), raw.get("ceiling")
    if income is None or ceiling is None:
        return ""
    return f"{fr.format_decimal(int(income), 0)} / {fr.format_decimal(int(ceiling), 0)} €"


def _effort(c: CandidacyView) -> str:
    rate = _decimal((c.checks.get("solvency") or {}).get("effort_rate"))
    return fr.format_percent(rate) if rate is not None else ""


def _remaining(c: CandidacyView) -> str:
    value = _decimal((c.checks.get("solvency") or {}).get("remaining_per_day_per_unit"))
    return f"{fr.format_decimal(value)} €" if value is not None else ""


def _priority(c: CandidacyView) -> str:
    parts = []
    if c.household.get("dalo"):
        parts.append("DALO")
    priorities = c.household.get("priorities") or []
    if priorities:
        parts.append(f"{len(priorities)} critère{'s' if len(priorities) > 1 else ''}")
    return ", ".join(parts)


def _priority_tooltip(c: CandidacyView) -> str | None:
    priorities = [str(p.get("label", p)) if isinstance(p, Mapping) else str(p)
                  for p in c.household.get("priorities") or []]
    lines = (["Ménage reconnu prioritaire DALO"] if c.household.get("dalo") else []) + priorities
    return "\n".join(lines) or None


def _waiting_color(c: CandidacyView) -> QColor | None:
    result = check_result(c.checks, "waiting_time")
    return mark_color(result.status) if result is not None else None


def _waiting(c: CandidacyView) -> str:
    months = (c.checks.get("waiting_time") or {}).get("months")
    return f"{months} mois" if months is not None else ""


# The grid's wording: whole in the Décision column at 1366×768 (never cut, issue 17);
# the full label (« Attribution par ordre de priorité ») is in its tooltip and panel.
SHORT_DECISIONS = {
    "attribution": "Attribution",
    "attribution_rang": "Attribution",
    "attribution_sous_condition": "Sous condition",
    "non_attribution": "Non-attribution",
    "irrecevabilite": "Irrecevable",
}


def _decision_text(c: CandidacyView) -> str:
    """« Attribution, rang 2 », « Sous cond., rang 2 »: short enough for the grid."""
    if c.decision is None:
        return ""
    if c.decision.rank is None:
        return SHORT_DECISIONS.get(c.decision.kind, c.decision.kind_label)
    kind = ("Sous cond." if c.decision.kind == "attribution_sous_condition"
            else SHORT_DECISIONS.get(c.decision.kind, c.decision.kind_label))
    return f"{kind}, rang {c.decision.rank}"


def _decision_tooltip(c: CandidacyView) -> str | None:
    if c.decision is None:
        return None
    d = c.decision
    lines = [d.kind_label + (f" (rang {d.rank})" if d.rank is not None else "")]
    if d.condition:
        lines.append(f"Condition : {d.condition}"
                     + (f" avant le {fr.format_short_date(d.deadline)}" if d.deadline else ""))
    if d.reason:
        lines.append(f"Motif : {d.reason}")
    if d.votes_for is not None and d.votes_against is not None and d.votes_abstain is not None:
        lines.append(f"Votes : {d.votes_for} pour, {d.votes_against} contre, "
                     f"{fr.counted(d.votes_abstain, 'abstention')}")
    return "\n".join(lines)


def _check(name: str, title: str) -> Column[CandidacyView]:
    return check_column(name, title, lambda c: check_result(c.checks, name),
                        header_tooltip=CHECK_TITLES[name])


CANDIDATE_COLUMNS: tuple[Column[CandidacyView], ...] = (
    Column("proposed_rank", "Rang", alignment=RIGHT),
    Column("nur", "NUR"),
    Column("name", "Ménage", value=_household,
           tooltip=lambda c: str(c.household.get("summary", "")) or None),
    Column("income", "Revenu/plafond", value=_income_vs_ceiling, alignment=RIGHT,
           header_tooltip="Revenu fiscal de référence et plafond applicable (€/an)"),
    _check("ceiling", "Plaf."),  # « Plafond de ressources » in its header tooltip
    Column("effort", "TE", value=_effort, alignment=RIGHT, header_tooltip="Taux d'effort"),
    Column("remaining", "RàV", value=_remaining, alignment=RIGHT,
           header_tooltip="Reste à vivre par jour et par unité de consommation"),
    _check("solvency", "Solv."),
    _check("typology", "Typo."),
    Column("priority", "Priorité", value=_priority, tooltip=_priority_tooltip),
    # The waiting time carries its own check (délai anormalement long) as colour and
    # tooltip: one column instead of two, so the household's name keeps its room.
    Column("waiting", "Attente", value=_waiting, alignment=RIGHT,
           sort_key=lambda text: int(text.split()[0]) if text else 0,
           tooltip=lambda c: check_tooltip(check_result(c.checks, "waiting_time"),
                                           CHECK_TITLES["waiting_time"]),
           foreground=lambda c: _waiting_color(c),
           bold=lambda c: bool((c.checks.get("waiting_time") or {}).get("abnormally_long")),
           header_tooltip="Ancienneté de la demande (en gras : délai anormalement long)"),
    # regular weight: in bold, « Sous cond., rang 2 » alone would push the row past
    # the grid's width at 1366×768
    Column("decision", "Décision", value=_decision_text, tooltip=_decision_tooltip),
)


RANK_MIME = "application/x-caleol-candidate-row"


class CandidatesModel(ColumnTableModel[CandidacyView]):
    """The candidates grid; a row dragged onto another asks for a new rank.

    The drop changes nothing here: it emits `rank_dropped(candidacy_id, rank)` and
    the workspace asks the service, then reloads the rows it returns.
    """

    rank_dropped = Signal(int, int)

    def __init__(self, rows: tuple[CandidacyView, ...] = (), parent: Any = None) -> None:
        super().__init__(CANDIDATE_COLUMNS, rows, parent)
        self.reorderable = False

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.reorderable and index.isValid():
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [RANK_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(RANK_MIME, QByteArray(str(rows[0]).encode("ascii")))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        return self.reorderable and data.hasFormat(RANK_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            source = int(bytes(data.data(RANK_MIME).data()).decode("ascii"))
        except ValueError:
            return False
        target = parent.row() if parent.isValid() else row
        if target < 0 or target >= len(self._rows):
            target = len(self._rows) - 1
        if 0 <= source < len(self._rows) and source != target:
            self.rank_dropped.emit(self._rows[source].id, target + 1)
        return False  # the rows move when the service has moved them


def candidates_model(rows: tuple[CandidacyView, ...] = (), parent: Any = None
                     ) -> CandidatesModel:
    return CandidatesModel(rows, parent)


def candidate_explanation_html(c: CandidacyView) -> str:
    """The side panel's text: every check of the selected candidate, explained."""
    head = f"<h3>{html.escape(c.name)} <small>({html.escape(c.nur)})</small></h3>"
    summary = html.escape(str(c.household.get("summary", "")))
    body = [head, f"<p>{summary}</p>" if summary else ""]
    for name, title in CHECK_TITLES.items():
        body.append(check_tooltip(check_result(c.checks, name), title))
    if c.suggestion_reasons:
        body.append("<p><i>Suggéré : " + html.escape(c.suggestion_reasons) + "</i></p>")
    if c.decision is not None:
        d = c.decision
        body.append(f"<p><b>Décision : {html.escape(d.kind_label)}"
                    + (f" (rang {d.rank})" if d.rank is not None else "") + "</b>"
                    + (f"<br>Motif : {html.escape(d.reason)}" if d.reason else "") + "</p>")
    return "".join(body)


# --- suggestions ------------------------------------------------------------------

SUGGESTION_COLUMNS: tuple[Column[Suggestion], ...] = (
    Column("nur", "NUR"),
    Column("name", "Demandeur"),
    Column("household", "Ménage"),
    Column("dalo", "DALO", formatter=lambda v: "DALO" if v else "", alignment=CENTER),
    Column("cotation", "Cotation", alignment=RIGHT),
    date_column("filing_date", "Dépôt"),
    Column("reasons", "Raisons", value=lambda s: " ; ".join(s.reasons[:2]),
           tooltip=lambda s: "\n".join(f"• {r}" for r in s.reasons) or None),
)


def suggestions_model(rows: tuple[Suggestion, ...] = (), parent: Any = None
                      ) -> ColumnTableModel[Suggestion]:
    return ColumnTableModel(SUGGESTION_COLUMNS, rows, parent)


# --- occupation reviews (examens d'occupation, EOL) ----------------------------------

REVIEW_COLUMNS: tuple[Column[OccupationReviewView], ...] = (
    Column("tenant_reference", "Locataire", value=lambda r: " ".join(
        p for p in (r.tenant_reference, r.tenant_name) if p)),
    Column("dwelling_reference", "Logement"),
    Column("motive_label", "Motif"),
    Column("opinion", "Avis", tooltip=lambda r: r.opinion or None),
    Column("proposal", "Proposition", tooltip=lambda r: r.proposal or None),
)


def reviews_model(rows: tuple[OccupationReviewView, ...] = (), parent: Any = None
                  ) -> ColumnTableModel[OccupationReviewView]:
    return ColumnTableModel(REVIEW_COLUMNS, rows, parent)
