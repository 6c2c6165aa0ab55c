"""Seed the holiday table from chinesecalendar, so every database (tests included) starts with a real calendar."""

from django.db import migrations


def seed(apps, schema_editor):
    from zhengwu.workdays.seed import seed_with

    seed_with(
        apps.get_model("workdays", "CalendarYear"),
        apps.get_model("workdays", "CalendarDay"),
        apps.get_model("workdays", "CalendarVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
