# The rank index carries the org as a last key: a search within an org subtree filters on it while walking the
# word's ranked range, instead of reading every listed org's rows through the (term, org, …) index and sorting.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0004_publication_newest_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publicationterm",
            index=models.Index(
                condition=models.Q(("published_on__isnull", False)),
                fields=["term", "weight", "-published_on", "-publication", "org"],
                name="dscl_term_rank_org_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="publicationterm", name="dscl_term_rank_idx"),
    ]
