"""Indicators over the database, and the report documents built from them.

- `queries`: plain records from the database (`load_attribution_records`,
  `load_targets`, `load_orientations`, `load_reservataires`), `indicator_results`
  and `live_impact` for the GUI.
- `generate`: each report as bytes from the database (what `caleol report` calls).
- `annual`, `prefet`, `reservataire`: the PDFs over plain records (tests, previews).
- `csv_export`: the same figures for Excel (`;`, UTF-8 with BOM, decimal comma).

The figures themselves come from `caleol.rules.indicators` and `caleol.rules.flux`.
"""
