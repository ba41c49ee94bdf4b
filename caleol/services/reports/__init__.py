"""Report documents over plain records: yearly report, préfet statement, réservataire review.

The PDFs are built in memory (bytes) from `caleol.rules.indicators` and
`caleol.rules.flux` results; `csv_export` writes the same figures for Excel.
"""
