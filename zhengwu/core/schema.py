"""Schema operations the migrations share."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def drop_foreign_key_indexes(table: str, columns: list[str]) -> migrations.RunPython:
    """A reversible operation dropping the single-column indexes Django made for these foreign-key columns.

    For `SeparateDatabaseAndState` beside `AlterField(db_index=False)`: Django's own `AlterField` would also drop
    and re-add each foreign-key constraint, re-checking every row of the table under an exclusive lock. The index
    names are Django's (`_create_index_name`), the same on PostgreSQL and SQLite."""

    def names(schema_editor: Any) -> list[tuple[str, str]]:
        return [(schema_editor._create_index_name(table, [c], suffix=""), c) for c in columns]

    def drop(apps: Any, schema_editor: Any) -> None:
        for name, _column in names(schema_editor):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def create(apps: Any, schema_editor: Any) -> None:
        q = schema_editor.quote_name
        for name, column in names(schema_editor):
            schema_editor.execute(f"CREATE INDEX {q(name)} ON {q(table)} ({q(column)})")

    return migrations.RunPython(drop, create)
