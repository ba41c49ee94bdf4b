"""Persistence: SQLModel tables, the engine, Alembic migrations, the audit hooks.

Import `caleol.db.models` to get every table registered on `SQLModel.metadata`.
"""
