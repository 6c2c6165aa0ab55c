# The catalog's word rows carry a copy of what the public catalog filters and sorts on (published_on, org,
# column), so a word's first page is one ordered index walk (docs/PERFORMANCE.md, Disclosure).

import django.db.models.deletion
from django.db import migrations, models


def copy_catalog_fields(apps, schema_editor):
    """Fill the copy on the existing word rows from their publication: one UPDATE, by the database."""
    table = apps.get_model("disclosure", "PublicationTerm")._meta.db_table
    pubs = apps.get_model("disclosure", "Publication")._meta.db_table
    qn = schema_editor.quote_name
    shown = "('published', 'repealed')"
    # UPDATE … FROM: PostgreSQL, and SQLite since 3.33. Only quoted table names and constants are interpolated.
    schema_editor.execute(
        f"UPDATE {qn(table)} SET org_id = p.org_id, column_id = p.column_id, "  # noqa: S608
        f"published_on = CASE WHEN p.status IN {shown} THEN p.published_on END "
        f"FROM {qn(pubs)} p WHERE p.id = {qn(table)}.publication_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0002_publicationterm"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="publicationterm", name="dscl_term_idx"),
        migrations.AddField(
            model_name="publicationterm",
            name="published_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="publicationterm",
            name="org",
            field=models.ForeignKey(
                null=True,
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="orgs.org",
            ),
        ),
        migrations.AddField(
            model_name="publicationterm",
            name="column",
            field=models.ForeignKey(
                null=True,
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disclosure.column",
            ),
        ),
        migrations.RunPython(copy_catalog_fields, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="publicationterm",
            name="org",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="orgs.org",
            ),
        ),
        migrations.AlterField(
            model_name="publicationterm",
            name="column",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disclosure.column",
            ),
        ),
        migrations.AlterField(
            model_name="publicationterm",
            name="publication",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="terms",
                to="disclosure.publication",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "repealed"])),
                fields=["-published_on", "-id"],
                name="dscl_pub_catalog_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="publicationterm",
            index=models.Index(
                condition=models.Q(("published_on__isnull", False)),
                fields=["term", "weight", "-published_on", "-publication"],
                name="dscl_term_rank_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="publicationterm",
            index=models.Index(
                condition=models.Q(("published_on__isnull", False)),
                fields=["term", "org", "weight", "-published_on", "-publication"],
                name="dscl_term_org_rank_idx",
            ),
        ),
    ]
