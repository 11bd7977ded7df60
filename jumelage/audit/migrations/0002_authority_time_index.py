"""An index for the history pages: an authority's entries newest first, by keyset on (at, id)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["authority", "at", "id"], name="audit_authority_at_idx"),
        ),
    ]
