"""The yearly attribution report: every indicator, per EPCI, with its arithmetic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph

from caleol.fr import counted, format_decimal, format_short_date
from caleol.rules.flux import FluxObjective
from caleol.rules.indicators import (
    EVERYWHERE,
    Q1_OUTSIDE_QPV,
    AttributionRecord,
    Bases,
    CountingBasis,
    IndicatorResult,
    Period,
    Target,
    Territory,
    attributions_in,
    basis_of,
    compute_all,
    is_first_quartile,
    mixite_by_epci,
    priority_by_department,
    quartile_table,
    select_records,
)
from caleol.rules.nur import format_nur
from caleol.services.reports import blocks
from caleol.services.reports.layout import (
    Styles,
    escape,
    long_table,
    paragraphs,
    render,
    spacer,
    styles,
    table,
)


@dataclass(frozen=True)
class AnnualReportInput:
    landlord: str
    year: int
    records: Sequence[AttributionRecord]
    generated_on: date
    targets: Sequence[Target] = ()
    territory: Territory = EVERYWHERE
    bases: Bases | None = None  # indicator code → counting basis (None: the sources')
    flux_objectives: Sequence[FluxObjective] = field(default_factory=tuple)


def qpv_text(value: bool | None) -> str:
    return "inconnu" if value is None else ("QPV" if value else "hors QPV")


UNKNOWN = "inconnu"
NOT_RECORDED = "non renseigné"


def quartile_text(record: AttributionRecord) -> str:
    per_uc = record.resources_per_uc
    if per_uc is None or record.quartile_threshold is None:
        return UNKNOWN
    return "Q1" if is_first_quartile(per_uc, record.quartile_threshold) else "Q2-4"


def flags_text(record: AttributionRecord) -> str:
    flags = [
        ("prioritaire", record.priority),
        ("DALO", record.dalo),
        ("salarié", record.action_logement_employee),
        ("loc. HLM", record.current_social_tenant),
        ("mutation", record.internal_mutation),
        ("NPNRU", record.urban_renewal_relocation),
    ]
    return ", ".join(name for name, on in flags if on)


def reservation_text(record: AttributionRecord) -> str:
    if record.reserved_for is None:
        return "bailleur"
    text = record.reserved_for.label.split(" (")[0]
    if record.etat_contingent is not None:
        text += f" ({record.etat_contingent.value})"
    if record.returned_by_reservataire:
        text += ", rendu"
    return text


def per_uc_text(record: AttributionRecord) -> str:
    """Resources per consumption unit, or why there are none (no resource recorded)."""
    per_uc = record.resources_per_uc
    return NOT_RECORDED if per_uc is None else format_decimal(per_uc, 0)


def threshold_text(record: AttributionRecord) -> str:
    """The EPCI's first-quartile threshold for the year, when the base has it."""
    threshold = record.quartile_threshold
    return UNKNOWN if threshold is None else format_decimal(threshold, 0)


def attribution_rows(records: Sequence[AttributionRecord]) -> list[list[str]]:
    """Drill-down rows: the list of attributions behind the figures, each named by its
    demande's NUR (what the office can look up; the record's id is internal)."""
    rows = []
    for r in sorted(records, key=lambda r: (r.decision_date, r.id)):
        rows.append([
            format_nur(r.nur), r.dwelling_ref, r.epci_label,
            format_short_date(r.decision_date),
            format_short_date(r.lease_date) if r.lease_date else "—",
            qpv_text(r.in_qpv), per_uc_text(r), threshold_text(r),
            quartile_text(r), reservation_text(r), flags_text(r),
        ])
    return rows


ATTRIBUTION_HEADER = [
    "NUR", "Logement", "EPCI", "CALEOL", "Bail", "QPV", "€/UC/an",
    "Seuil Q1", "Quart.", "Réservation", "Ménage",
]


def bases_text(results: Sequence[IndicatorResult]) -> str:
    """« Comptés sur les <basis> : Q1-HQPV. Comptés sur les <basis> : QPV-Q2Q4, PS-2… »"""
    codes: dict[CountingBasis, list[str]] = {}
    for r in results:
        codes.setdefault(r.basis, []).append(r.code)
    return " ".join(
        f"Comptés sur les {basis.label} : {', '.join(found)}."
        for basis, found in codes.items()
    )


def _summary(
    data: AnnualReportInput, results: Sequence[IndicatorResult], st: Styles
) -> list[Flowable]:
    year = Period.year(data.year)
    decided = select_records(data.records, year, data.territory, CountingBasis.PROPOSALS)
    leased = select_records(data.records, year, data.territory, CountingBasis.LEASES)
    out: list[Flowable] = [Paragraph(
        escape(
            f"{counted(len(decided), 'attribution prononcée', 'attributions prononcées')} par "
            f"les commissions en {data.year}, "
            f"{counted(len(leased), 'bail signé', 'baux signés')} en {data.year}. Chaque "
            "indicateur est compté "
            "sur la base que retiennent ses sources (CCH, indicateurs de la CUS), sauf choix "
            "contraire dans les paramètres. "
            + bases_text(results)
        ),
        st.body,
    )]
    by_dept = Counter(r.department for r in decided)
    leases_by_dept = Counter(r.department for r in leased)
    if by_dept:
        rows = [["Département", "Attributions prononcées", "Baux signés"]]
        for dept in sorted(by_dept | leases_by_dept):
            rows.append([dept, str(by_dept[dept]), str(leases_by_dept[dept])])
        rows.append(["Total", str(len(decided)), str(len(leased))])
        out.append(table(rows, [40 * mm, 45 * mm, 35 * mm], st, align_right_from=1))
    return out


def _epci_table(data: AnnualReportInput, st: Styles) -> Flowable:
    rows: list[list[str]] = [[
        "EPCI", "Hors QPV : Q1 / total", "Taux", "Objectif", "Exclues",
        "QPV : Q2-4 / total", "Taux", "Objectif", "Exclues",
    ]]
    for row in mixite_by_epci(
        data.records, Period.year(data.year), data.territory, data.targets, data.bases
    ):
        q1, qpv = row.q1_outside_qpv, row.qpv_q2_q4
        rows.append([
            row.name,
            f"{q1.numerator} / {q1.denominator}", blocks.rate_text(q1.rate),
            blocks.target_text(q1), str(q1.excluded_total),
            f"{qpv.numerator} / {qpv.denominator}", blocks.rate_text(qpv.rate),
            blocks.target_text(qpv), str(qpv.excluded_total),
        ])
    widths = [36 * mm, 21 * mm, 15 * mm, 17 * mm, 16 * mm, 21 * mm, 15 * mm, 17 * mm, 16 * mm]
    return table(rows, widths, st, align_right_from=1)


METHOD = (
    "Une attribution est comptée pour chaque logement attribué en commission : le "
    "candidat dont le bail est signé, sinon le premier candidat retenu (par rang) qui n'a "
    "ni refusé ni laissé tomber une condition suspensive. Un logement dont tous les "
    "candidats retenus ont refusé n'est pas compté.",
    "Ressources : les ressources mensuelles déclarées dans la demande × 12 ; une demande "
    "sans ligne de ressources a des ressources inconnues, une ligne à 0 € signifie un "
    "ménage sans ressources (1er quartile). Unités de consommation : échelle OCDE modifiée "
    "(1 pour la première personne, 0,5 par autre personne de 14 ans ou plus, 0,3 par "
    "enfant de moins de 14 ans), âges à la date de la commission.",
    "Premier quartile : ressources par UC inférieures ou égales au seuil de l'EPCI du "
    "logement pour l'année du bail (de la décision sans bail), le seuil étant le niveau "
    "le plus élevé du premier quartile (art. L441-1 CCH). Les relogements NPNRU comptent "
    "avec le premier quartile.",
    "Réservation : le réservataire auquel la vacance a été orientée ; le logement est "
    "« rendu » quand le candidat retenu n'a pas été présenté par ce réservataire. Les "
    "logements rendus comptent avec les logements non réservés (PS-2) et ne comptent pas "
    "dans le contingent du réservataire.",
    "Ménage prioritaire : un critère de priorité enregistré (CCH, PDALHPD, CIA), une "
    "décision DALO ou une labellisation SYPLO. Mutation interne : une demande de mutation "
    "d'un locataire du bailleur.",
)


def build_annual_report(data: AnnualReportInput) -> bytes:
    """The PDF of the yearly attribution report for the territory."""
    st = styles()
    period = Period.year(data.year)
    results = compute_all(data.records, period, data.territory, data.targets, data.bases)
    quartile_basis = basis_of(Q1_OUTSIDE_QPV, data.bases)
    title = f"Rapport annuel des attributions {data.year}"
    story: list[Flowable] = [
        Paragraph(escape(title), st.title),
        Paragraph("Synthèse", st.h1),
        *_summary(data, results, st),
        Paragraph("Indicateurs et objectifs", st.h1),
        blocks.indicator_chart(results),
        spacer(),
        blocks.indicator_table(results, st),
        Paragraph(
            "n.c. : non calculable (aucune attribution au dénominateur). Les attributions "
            "dont une donnée nécessaire est inconnue sont exclues du calcul et comptées à "
            "part, jamais réparties dans un pourcentage.",
            st.small,
        ),
        KeepTogether([
            Paragraph("Publics prioritaires par département (PS-2)", st.h1),
            *blocks.priority_department_table(
                priority_by_department(data.records, period, data.territory, data.targets,
                                       data.bases), st, data.landlord),
        ]),
        Paragraph("Mixité sociale par EPCI", st.h1),
        _epci_table(data, st),
        KeepTogether([  # heading, table and its note on one page
            Paragraph("Répartition des attributions par quartile et localisation", st.h1),
            blocks.quartile_flowable(
                quartile_table(data.records, period, data.territory, quartile_basis), st
            ),
            Paragraph(escape(
                f"Comptées sur les {quartile_basis.label}, la base de l'indicateur Q1-HQPV. "
                "Premier quartile : ressources annuelles par unité de consommation (échelle "
                "OCDE modifiée : 1 pour la première personne, 0,5 par autre personne de 14 "
                "ans ou plus, 0,3 par enfant de moins de 14 ans) inférieures ou égales au "
                "seuil de l'EPCI fixé par arrêté pour l'année."),
                st.small,
            ),
        ]),
    ]
    if data.flux_objectives:
        story.append(Paragraph("Gestion en flux : objectifs des réservataires", st.h1))
        for objective in data.flux_objectives:
            story.append(KeepTogether(paragraphs(objective.explanation, st.mono)))
            story.append(spacer())
    story.append(PageBreak())
    story.append(Paragraph("Détail des calculs", st.h1))
    story.extend(blocks.explanation_blocks(results, st, data.landlord))
    story.append(Paragraph("Méthode", st.h1))
    story.extend(Paragraph(escape(line), st.body) for line in METHOD)
    story.append(PageBreak())
    story.append(Paragraph("Annexe : liste des attributions", st.h1))
    rows = attribution_rows(attributions_in(data.records, period, data.territory))
    # 174 mm, each column at least its widest word (bold header included): the NUR on
    # three lines (« 057 24 03 / 00123 / G5701 »), « non renseigné » on two
    widths = [15, 16.5, 21, 16.5, 16.5, 13.5, 14.5, 12.5, 12, 19, 17]
    story.extend(long_table(ATTRIBUTION_HEADER, rows, [w * mm for w in widths], st,
                            font_size=7))
    return render(story, landlord=data.landlord, title=title, generated_on=data.generated_on,
                  subtitle=data.territory.label.capitalize())
