# The catalog's newest-first index without a condition: SQLite cannot use a partial index whose condition the query
# states with bound parameters (status IN (?, ?)), so it sorted every publication.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0003_publicationterm_catalog_copy"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="publication", name="dscl_pub_catalog_idx"),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["-published_on", "-id"], name="dscl_pub_newest_idx"),
        ),
    ]
