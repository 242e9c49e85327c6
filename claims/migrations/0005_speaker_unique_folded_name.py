from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration (transaction): PostgreSQL refuses to alter a table with pending
    # deferred constraint checks, which the merges of 0004 leave until their commit.
    dependencies = [("claims", "0004_speaker_merges_and_folded_names")]

    operations = [
        migrations.RemoveConstraint(model_name="speaker", name="speaker_unique_name"),
        migrations.AddConstraint(
            model_name="speaker",
            constraint=models.UniqueConstraint(
                fields=("project", "name_key"), name="speaker_unique_folded_name"
            ),
        ),
    ]
