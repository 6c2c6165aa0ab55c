"""Supervision counts read every open case of a subtree: a partial index holding all the columns they group and
filter on (handling org, desk, center, window, status, due and warning dates) lets PostgreSQL and SQLite count from
the index alone instead of the table's rows (concluded cases included)."""

from django.db import migrations

OPEN_STATUSES = "('accepted', 'correction', 'paused', 'submitted')"


def create_index(apps, schema_editor):
    schema_editor.execute(
        'CREATE INDEX "case_open_supervision_idx" ON "cases_case" '
        '("org_id", "desk_id", "center_id", "window_id", "status", "due_on", "warn_on") '
        f'WHERE "status" IN {OPEN_STATUSES}'
    )


def drop_index(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "case_open_supervision_idx"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_desk")]

    operations = [migrations.RunPython(create_index, drop_index)]
