"""The documents of a commission, rendered with reportlab from plain records.

- `data`: the frozen input records (`MinutesData`, `RectificatifData`…), no database;
- `minutes.render_minutes`, `extract.render_extract`, `rectificatif.render_rectificatif`
  (each with empty "Président" / "Secrétaire" signature fields, signed with
  `caleol.services.signing`), `agenda.render_agenda`, `sheets.render_candidate_sheets`,
  `letters.render_letters` (editable templates in `resources/templates`);
- `session_data.minutes_data`: a `SessionDetail` → `MinutesData`;
- `session_minutes`: the use cases over the database (produce, sign, store, verify).
"""
