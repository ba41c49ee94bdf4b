"""Pieces shared by the report PDFs: indicator tables, the quartile table, explanations."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from caleol.fr import format_decimal, format_percent
from caleol.rules.charter import name_landlord
from caleol.rules.indicators import (
    NOT_APPLICABLE,
    DepartmentPriority,
    Direction,
    ExclusionCause,
    IndicatorResult,
    Measure,
    QuartileTable,
)
from caleol.services.reports.charts import Bar, bar_chart
from caleol.services.reports.layout import KO, OK, Styles, escape, paragraphs, table

NOT_COMPUTABLE = "n.c."


def rate_text(value: Decimal | None) -> str:
    return NOT_COMPUTABLE if value is None else format_percent(value, 1)


def target_text(result: IndicatorResult) -> str:
    if result.target is None:
        return "—"
    sign = "≥" if result.definition.direction is Direction.AT_LEAST else "≤"
    if result.definition.measure is Measure.COUNT:
        return f"{sign} {format_decimal(result.target, 0)}"
    return f"{sign} {format_percent(result.target, 1)}"


def gap_text(result: IndicatorResult) -> str:
    """Signed gap: points of percentage for rates, attributions for counts."""
    gap = result.gap
    if gap is None:
        if result.target is None:
            return "—"
        return NOT_APPLICABLE if result.not_applicable else NOT_COMPUTABLE
    if result.definition.measure is Measure.COUNT:
        text = format_decimal(gap, 0)
    else:
        text = format_decimal(gap * 100, 1) + " pt"
    return text if text.startswith("-") else "+" + text


def status_text(result: IndicatorResult) -> str:
    """« atteint », « non atteint », « sans objet » (no attribution on the contingent the
    target is about) or « — »."""
    if result.not_applicable:
        return NOT_APPLICABLE
    if result.met is None:
        return "—"
    return "atteint" if result.met else "non atteint"


def exclusions_text(result: IndicatorResult) -> str:
    """What kept attributions out of the rate, in words, one cause a line."""
    short = {
        ExclusionCause.UNKNOWN_QPV: "localisation inconnue",
        ExclusionCause.UNKNOWN_RESOURCES: "ressources inconnues",
        ExclusionCause.UNKNOWN_THRESHOLD: "seuil inconnu",
    }
    parts = [f"{count} {short[cause]}" for cause, count in result.excluded.items()]
    return "\n".join(parts) if parts else "0"


def indicator_table(results: Sequence[IndicatorResult], st: Styles) -> Flowable:
    """Code, label, numerator, denominator, rate, target, gap, status, exclusions."""
    rows: list[list[str | Flowable]] = [[
        "Code", "Indicateur", "Num.", "Dén.", "Taux", "Objectif", "Écart", "Résultat",
        "Exclues",
    ]]
    for r in results:
        rate = str(r.numerator) if r.definition.measure is Measure.COUNT else rate_text(r.rate)
        rows.append([
            r.code, r.label, str(r.numerator), str(r.denominator), rate, target_text(r),
            gap_text(r), _status_cell(r, st), exclusions_text(r),
        ])
    widths = [24 * mm, 42 * mm, 11 * mm, 11 * mm, 15 * mm, 17 * mm, 17 * mm, 18 * mm, 25 * mm]
    return table(rows, widths, st, align_right_from=2)


def _status_cell(result: IndicatorResult, st: Styles) -> str | Flowable:
    """« atteint » / « non atteint » in words (coloured too, never colour alone)."""
    text = status_text(result)
    if result.met is None:
        return text
    colour = (OK if result.met else KO).hexval()
    right = ParagraphStyle("status", parent=st.cell, alignment=2)
    return Paragraph(f'<font color="{colour}">{text}</font>', right)


def priority_department_table(rows: Sequence[DepartmentPriority], st: Styles,
                              landlord: str) -> list[Flowable]:
    """PS-2 « % total » and « % hors QPV » per département, against the CUS commitments,
    with the source of each target under the table (naming `landlord`'s CUS)."""
    header: list[str | Flowable] = [
        "Dépt", "Prioritaires / attrib. non réservées", "Taux", "Objectif", "Résultat",
        "Hors QPV / prioritaires", "Taux", "Objectif", "Résultat",
    ]
    table_rows: list[list[str | Flowable]] = [header]
    sources: dict[str, None] = {}
    for row in rows:
        cells: list[str | Flowable] = [row.department or "inconnu"]
        for r in (row.ps2, row.outside_qpv):
            cells += [f"{r.numerator} / {r.denominator}", rate_text(r.rate), target_text(r),
                      _status_cell(r, st)]
            if r.target_source:
                sources[name_landlord(r.target_source, landlord)] = None
            elif r.target is not None:
                sources[f"{r.code} : valeur par défaut "
                        f"({name_landlord(r.reference, landlord)})"] = None
        table_rows.append(cells)
    widths = [12 * mm, 30 * mm, 15 * mm, 17 * mm, 19 * mm, 25 * mm, 15 * mm, 17 * mm, 19 * mm]
    out: list[Flowable] = [table(table_rows, widths, st, align_right_from=1)]
    if sources:
        out.append(Paragraph(escape("Objectifs : " + " ; ".join(sources) + "."), st.small))
    return out


def indicator_bars(results: Sequence[IndicatorResult]) -> list[Bar]:
    return [
        Bar(r.code, r.rate, r.target, r.met, void=bool(r.not_applicable))
        for r in results
        if r.definition.measure is Measure.RATE
    ]


def indicator_chart(results: Sequence[IndicatorResult], title: str = "") -> Flowable:
    return bar_chart(indicator_bars(results), title=title)


def explanation_blocks(results: Sequence[IndicatorResult], st: Styles,
                       landlord: str) -> list[Flowable]:
    """The French explanation of each figure, with its arithmetic and its reference
    (naming `landlord`'s charter and CUS)."""
    blocks: list[Flowable] = []
    for r in results:
        head = Paragraph(f"{r.code} — {r.label}", st.h2)
        explanation = name_landlord(r.explanation, landlord)
        blocks.append(KeepTogether([head, *paragraphs(explanation, st.body)]))
    return blocks


def quartile_flowable(quartiles: QuartileTable, st: Styles) -> Flowable:
    """The CIL tabulation (Saint-Dizier form): quartiles × QPV / hors QPV / inconnue."""
    columns: list[bool | None] = [True, False, None]
    header = ["", "Attributions en QPV", "Attributions hors QPV", "Localisation inconnue",
              "Total"]
    rows: list[list[str]] = [header]
    for label, counts in (
        ("1er quartile", quartiles.q1),
        ("Quartiles 2 à 4", quartiles.q2_q4),
        ("Ressources ou seuil inconnus", quartiles.unknown_resources),
    ):
        values = [counts[c] for c in columns]
        rows.append([label, *map(str, values), str(sum(values))])
    totals = [quartiles.total(c) for c in columns]
    grand = sum(totals)
    rows.append(["Total", *map(str, totals), str(grand)])
    shares = [rate_text(Decimal(t) / grand) if grand else NOT_COMPUTABLE for t in totals]
    rows.append(["Part des attributions", *shares, ""])
    widths = [48 * mm, 32 * mm, 32 * mm, 32 * mm, 20 * mm]
    return table(rows, widths, st, align_right_from=1)
