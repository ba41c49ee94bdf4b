"""The reports as bytes, straight from the database: what the CLI and the GUI call.

One function per report; each reads the records it needs (`queries`), computes the
figures with the rules and renders the document.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from caleol.errors import CaleolError
from caleol.fr import paris_today
from caleol.rules.flux import review_reservataire
from caleol.rules.indicators import (
    EVERYWHERE,
    Period,
    Territory,
    attributions_in,
    bases_from_setting,
    compute_all,
    mixite_by_epci,
)
from caleol.services.documents.letterheads import issuing_landlord
from caleol.services.reports import csv_export, queries
from caleol.services.reports.annual import AnnualReportInput, build_annual_report
from caleol.services.reports.contents import CsvContent
from caleol.services.reports.prefet import PrefetStatementInput, build_prefet_statement
from caleol.services.reports.reservataire import (
    ReservataireReportInput,
    build_reservataire_report,
)
from caleol.settings import Settings


def report_period(year: int, half: int | None) -> Period:
    return Period.year(year) if half is None else Period.half(year, half)


def annual_report_pdf(
    engine: Engine,
    year: int,
    settings: Settings,
    territory: Territory = EVERYWHERE,
    today: date | None = None,
) -> bytes:
    period = Period.year(year)
    return build_annual_report(AnnualReportInput(
        landlord=issuing_landlord(engine),  # refused when none is recorded
        year=year,
        records=queries.load_attribution_records(engine, period),
        generated_on=today or paris_today(),
        targets=queries.load_targets(engine, year),
        territory=territory,
        bases=bases_from_setting(settings.indicator_bases),
    ))


def prefet_statement_pdf(
    engine: Engine,
    year: int,
    half: int,
    settings: Settings,
    territory: Territory = EVERYWHERE,
    today: date | None = None,
) -> bytes:
    period = Period.half(year, half)
    return build_prefet_statement(PrefetStatementInput(
        landlord=issuing_landlord(engine),  # refused when none is recorded
        year=year,
        half=half,
        records=queries.load_attribution_records(engine, period),
        generated_on=today or paris_today(),
        targets=queries.load_targets(engine, year),
        territory=territory,
        bases=bases_from_setting(settings.indicator_bases),
    ))


def reservataire_report_pdf(
    engine: Engine,
    year: int,
    reservataire_code: str,
    settings: Settings,
    objective: int | None = None,
    today: date | None = None,
) -> bytes:
    """Raises:
    CaleolError: when the réservataire code is unknown.
    """
    info = queries.find_reservataire(queries.load_reservataires(engine), reservataire_code)
    return build_reservataire_report(ReservataireReportInput(
        landlord=issuing_landlord(engine),  # refused when none is recorded
        reservataire_code=info.code,
        reservataire_name=info.name,
        year=year,
        orientations=queries.load_orientations(engine, year),
        generated_on=today or paris_today(),
        delay_days=info.proposal_delay_days,
        objective_count=objective,
    ))


def csv_report(
    engine: Engine,
    year: int,
    content: CsvContent,
    settings: Settings,
    half: int | None = None,
    territory: Territory = EVERYWHERE,
    reservataire_code: str | None = None,
    objective: int | None = None,
) -> bytes:
    """Raises:
    CaleolError: when the réservataire export has no (or an unknown) réservataire.
    """
    if content is CsvContent.RESERVATAIRE:
        if not reservataire_code:
            raise CaleolError("Indiquez le réservataire (--reservataire CODE).")
        info = queries.find_reservataire(queries.load_reservataires(engine), reservataire_code)
        review = review_reservataire(
            queries.load_orientations(engine, year), info.code, year, objective,
            info.proposal_delay_days,
        )
        return csv_export.csv_bytes(csv_export.ORIENTATION_HEADER,
                                    csv_export.orientation_rows(review))
    period = report_period(year, half)
    bases = bases_from_setting(settings.indicator_bases)
    records = queries.load_attribution_records(engine, period)
    targets = queries.load_targets(engine, year)
    if content is CsvContent.INDICATEURS:
        results = compute_all(records, period, territory, targets, bases)
        return csv_export.csv_bytes(csv_export.INDICATOR_HEADER,
                                    csv_export.indicator_rows(results))
    if content is CsvContent.EPCI:
        rows = mixite_by_epci(records, period, territory, targets, bases)
        return csv_export.csv_bytes(csv_export.EPCI_HEADER, csv_export.epci_rows(rows))
    return csv_export.csv_bytes(csv_export.ATTRIBUTION_HEADER,
                                csv_export.attribution_rows(attributions_in(records, period,
                                                                            territory)))
