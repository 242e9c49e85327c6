import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fold_name(name):
    return " ".join(name.split()).casefold()


def fill_folded_names(apps, schema_editor):
    """Fill each speaker's folded name; merge speakers whose names differ only in case.

    Such duplicates could be created by two annotators saving at once; the oldest speaker of
    each group is kept, the others' attributions re-pointed to it and their names and aliases
    added to its aliases, and each merge recorded (without an actor) as a SpeakerMerge.
    """
    Speaker = apps.get_model("claims", "Speaker")
    Attribution = apps.get_model("claims", "Attribution")
    SpeakerMerge = apps.get_model("claims", "SpeakerMerge")
    kept = {}
    for speaker in Speaker.objects.order_by("id").iterator():
        speaker.name_key = fold_name(speaker.name)
        first = kept.setdefault((speaker.project_id, speaker.name_key), speaker)
        if first is speaker:
            speaker.save(update_fields=["name_key"])
            continue
        moved = Attribution.objects.filter(speaker_id=speaker.id)
        SpeakerMerge.objects.create(
            project_id=speaker.project_id, kept=first, kept_name=first.name,
            removed_id=speaker.id, removed_name=speaker.name, removed_kind=speaker.kind,
            removed_aliases=speaker.aliases, attributions=moved.count(),
            annotations=moved.values("annotation_id").distinct().count(),
        )  # fmt: skip
        moved.update(speaker_id=first.id)
        known = {fold_name(a) for a in [first.name, *first.aliases]}
        for alias in [speaker.name, *speaker.aliases]:
            if fold_name(alias) not in known:
                known.add(fold_name(alias))
                first.aliases.append(" ".join(alias.split()))
        first.save(update_fields=["aliases"])
        speaker.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_label_option_meaning"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SpeakerMerge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kept_name", models.CharField(max_length=200)),
                ("removed_id", models.PositiveBigIntegerField(help_text="The id of the speaker merged away.")),
                ("removed_name", models.CharField(max_length=200)),
                ("removed_kind", models.CharField(max_length=20)),
                ("removed_aliases", models.JSONField(blank=True, default=list)),
                ("attributions", models.PositiveIntegerField(help_text="Attributions re-pointed.")),
                ("annotations", models.PositiveIntegerField(help_text="Annotations changed.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("kept", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="merged_into_it", to="claims.speaker")),
                ("project", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="speaker_merges", to="claims.project")),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["project", "removed_id"], name="speaker_merge_removed")],
            },
        ),
        migrations.AddField(
            model_name="speaker",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=600),
            preserve_default=False,
        ),
        migrations.RunPython(fill_folded_names, migrations.RunPython.noop),
    ]
