"""Use cases over the database: one module per family, one transaction per use case."""
