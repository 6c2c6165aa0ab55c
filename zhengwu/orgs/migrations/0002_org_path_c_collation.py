"""On PostgreSQL the org path uses the "C" collation: byte order makes one btree index serve both the subtree
prefix filter (LIKE '/1/5/%') and ORDER BY path, whatever the database's default collation."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE orgs_org ALTER COLUMN path TYPE varchar(400) COLLATE "C"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE orgs_org ALTER COLUMN path TYPE varchar(400) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
