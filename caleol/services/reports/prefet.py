"""The half-year statement to the préfet on attributions outside QPV (loi 3DS).

The landlord sends the préfet the data on its attributions outside QPV within fifteen
days after 30 June and 31 December (loi n° 2022-217 du 21 février 2022, "3DS"). One
section per département (one préfet each), one row per EPCI; the second half-year
also shows the cumulated year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from caleol.fr import format_date, format_short_date
from caleol.rules.indicators import (
    EVERYWHERE,
    Q1_OUTSIDE_QPV,
    QPV_Q2_Q4,
    AttributionRecord,
    Bases,
    CountingBasis,
    IndicatorResult,
    Period,
    Target,
    Territory,
    basis_of,
    evaluate,
    select_records,
)
from caleol.rules.nur import format_nur
from caleol.services.reports import blocks
from caleol.services.reports.annual import per_uc_text, quartile_text, threshold_text
from caleol.services.reports.charts import Bar, bar_chart
from caleol.services.reports.layout import (
    Styles,
    escape,
    long_table,
    render,
    spacer,
    styles,
    table,
)

STATEMENT_DELAY_DAYS = 15


def statement_due_date(year: int, half: int) -> date:
    """Fifteen days after 30 June (15 July) or 31 December (15 January of next year)."""
    end = Period.half(year, half).end
    return end + timedelta(days=STATEMENT_DELAY_DAYS)


@dataclass(frozen=True)
class PrefetStatementInput:
    landlord: str
    year: int
    half: int
    records: Sequence[AttributionRecord]
    generated_on: date
    targets: Sequence[Target] = ()
    territory: Territory = EVERYWHERE
    bases: Bases | None = None  # indicator code → counting basis (None: the sources')

    @property
    def basis(self) -> CountingBasis:
        """The statement is about PS-1: its basis places the attributions listed."""
        return basis_of(Q1_OUTSIDE_QPV, self.bases)

    @property
    def qpv_basis(self) -> CountingBasis:
        return basis_of(QPV_Q2_Q4, self.bases)


@dataclass(frozen=True)
class EpciStatement:
    department: str
    epci: str
    name: str
    semester: IndicatorResult
    year_to_date: IndicatorResult | None
    qpv: IndicatorResult


def epci_statements(data: PrefetStatementInput) -> list[EpciStatement]:
    """Q1 hors QPV of the semester (and of the year so far) for every EPCI."""
    semester = Period.half(data.year, data.half)
    cumulated = Period(date(data.year, 1, 1), semester.end)
    names = {
        (r.department, r.epci): r.epci_label for r in data.records if data.territory.matches(r)
    }
    out = []
    for (department, epci), name in sorted(names.items(), key=lambda i: (i[0][0], i[1])):
        scope = replace(data.territory, department=department, epci=epci, name=f"EPCI {name}")
        out.append(EpciStatement(
            department,
            epci,
            name,
            evaluate(Q1_OUTSIDE_QPV, data.records, semester, scope, data.targets, data.basis),
            evaluate(Q1_OUTSIDE_QPV, data.records, cumulated, scope, data.targets, data.basis)
            if data.half == 2 else None,
            evaluate(QPV_Q2_Q4, data.records, semester, scope, data.targets, data.qpv_basis),
        ))
    return out


def _department_section(
    department: str, rows: Sequence[EpciStatement], data: PrefetStatementInput, st: Styles
) -> list[Flowable]:
    header = ["EPCI", "Attrib. hors QPV", "dont 1er quartile", "dont NPNRU", "Taux",
              "Objectif", "Écart", "Exclues"]
    if data.half == 2:
        header.append("Cumul annuel")
    table_rows: list[list[str]] = [header]
    for row in rows:
        r = row.semester
        line = [
            row.name, str(r.denominator), str(r.numerator),
            str(r.figures.get("npnru_relocations", 0)), blocks.rate_text(r.rate),
            blocks.target_text(r), blocks.gap_text(r), blocks.exclusions_text(r),
        ]
        if row.year_to_date is not None:
            y = row.year_to_date
            line.append(f"{y.numerator} / {y.denominator} = {blocks.rate_text(y.rate)}")
        table_rows.append(line)
    if data.half == 2:
        widths = [38, 16, 16, 14, 15, 17, 17, 20, 27]
    else:
        widths = [48, 18, 18, 16, 17, 19, 19, 25]
    out: list[Flowable] = [
        Paragraph(escape(f"Département {department}"), st.h1),
        table(table_rows, [w * mm for w in widths], st, align_right_from=1),
        spacer(),
        bar_chart(
            [Bar(row.name, row.semester.rate, row.semester.target, row.semester.met)
             for row in rows],
            title="Part du 1er quartile dans les attributions hors QPV, par EPCI",
        ),
    ]
    qpv_rows = [["EPCI", "Attrib. en QPV", "dont quartiles 2 à 4", "Taux", "Objectif",
                 "Exclues"]]
    for row in rows:
        q = row.qpv
        qpv_rows.append([row.name, str(q.denominator), str(q.numerator),
                         blocks.rate_text(q.rate), blocks.target_text(q),
                         blocks.exclusions_text(q)])
    out.append(KeepTogether([
        Paragraph("Pour information : attributions en QPV", st.h2),
        table(qpv_rows, [w * mm for w in (60, 24, 30, 20, 20, 26)], st, align_right_from=1),
    ]))
    return out


def _attribution_list(data: PrefetStatementInput, st: Styles) -> list[Flowable]:
    semester = Period.half(data.year, data.half)
    selected = [
        r for r in select_records(data.records, semester, data.territory, data.basis)
        if r.in_qpv is not True
    ]
    header = [
        "NUR", "Logement", "Dépt", "EPCI", "Bail" if data.basis is CountingBasis.LEASES
        else "CALEOL", "Localisation", "€/UC/an", "Seuil Q1", "Quartile", "NPNRU",
    ]
    rows: list[list[str]] = []
    for r in sorted(selected, key=lambda r: (r.department, r.epci, r.counting_date(data.basis)
                                             or r.decision_date, r.id)):
        day = r.counting_date(data.basis)
        rows.append([
            format_nur(r.nur), r.dwelling_ref, r.department, r.epci_label,
            format_short_date(day) if day else "—",
            "inconnue" if r.in_qpv is None else "hors QPV",
            per_uc_text(r), threshold_text(r),
            quartile_text(r), "oui" if r.urban_renewal_relocation else "",
        ])
    # 174 mm, each column at least its widest word (« Localisation » in bold, a date)
    widths = [15, 16.5, 9.5, 43, 16.5, 19.5, 14.5, 13, 14, 12.5]
    return long_table(header, rows, [w * mm for w in widths], st, font_size=7)


def build_prefet_statement(data: PrefetStatementInput) -> bytes:
    """The PDF of the half-year statement on attributions outside QPV."""
    st = styles()
    semester = Period.half(data.year, data.half)
    due = statement_due_date(data.year, data.half)
    title = f"État semestriel des attributions hors QPV — {semester.label}"
    story: list[Flowable] = [
        Paragraph(escape(title), st.title),
        Paragraph(escape(
            f"Période du {format_date(semester.start)} au "
            f"{format_date(semester.end)}. "
            f"À transmettre au préfet au plus tard le {format_date(due)} (loi n° 2022-217 "
            "du 21 février 2022 dite « 3DS », art. L441-1 CCH)."
        ), st.body),
        Paragraph(escape(
            f"Attributions hors QPV comptées : {data.basis.label} ; attributions en QPV : "
            f"{data.qpv_basis.label}. Premier quartile : ressources "
            "annuelles par unité de consommation (échelle OCDE modifiée) inférieures ou "
            "égales au seuil de l'EPCI fixé par arrêté pour l'année ; les relogements NPNRU "
            "sont comptés avec le premier quartile. Les attributions dont la localisation, "
            "les ressources ou le seuil sont inconnus sont exclues du taux et comptées à part."
        ), st.small),
    ]
    statements = epci_statements(data)
    if not statements:
        story.append(Paragraph("Aucune attribution sur la période.", st.body))
    for department in sorted({s.department for s in statements}):
        rows = [s for s in statements if s.department == department]
        story.extend(_department_section(department, rows, data, st))
    story.append(Paragraph("Liste des attributions hors QPV ou de localisation inconnue",
                           st.h1))
    story.extend(_attribution_list(data, st))
    return render(story, landlord=data.landlord, title=title, generated_on=data.generated_on,
                  subtitle=data.territory.label.capitalize())
