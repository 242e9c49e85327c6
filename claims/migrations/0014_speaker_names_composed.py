"""Speaker names compared in Unicode's composed form (NFC): "Zoe" with a combining accent and
"Zoé" are one name. Recompute every folded name, store names and aliases composed, and merge
the speakers that only now compare equal, as 0004 merged those differing only in case: the
oldest of each group is kept, the others' attributions re-pointed to it, their names and
aliases added to its aliases, what annotations taught about them moved to it, and each merge
recorded (without an actor) as a SpeakerMerge.
"""

import unicodedata

from django.db import migrations

# A key no name folds to (folded names never start with a space): a changed key is parked
# there first, so that no two rows hold one key even for a moment.
PARKED = " {}"


def tidy(name):
    return unicodedata.normalize("NFC", " ".join(name.split()))


def fold(name):
    return unicodedata.normalize("NFC", tidy(name).casefold())


def compose_speaker_names(apps, schema_editor):
    Speaker = apps.get_model("claims", "Speaker")
    groups = {}
    for speaker in Speaker.objects.order_by("id").iterator():
        groups.setdefault((speaker.project_id, fold(speaker.name)), []).append(speaker)
    changed = []
    for (_, key), (kept, *removed) in groups.items():
        for speaker in removed:
            merge(apps, kept, speaker)
        texts = [*kept.aliases, *(t for s in removed for t in (s.name, *s.aliases))]
        aliases = composed_aliases(kept.name, texts) if isinstance(kept.aliases, list) else None
        if removed or tidy(kept.name) != kept.name or key != kept.name_key or (
            aliases is not None and aliases != kept.aliases
        ):
            kept.name, kept.name_key = tidy(kept.name), key
            kept.aliases = kept.aliases if aliases is None else aliases
            changed.append(kept)
    for speaker in changed:
        Speaker.objects.filter(pk=speaker.pk).update(name_key=PARKED.format(speaker.pk))
    for speaker in changed:
        speaker.save(update_fields=["name", "name_key", "aliases"])
    reindex(apps, changed)


def composed_aliases(name, texts):
    seen, aliases = {fold(name)}, []
    for text in texts:
        if isinstance(text, str) and tidy(text) and fold(text) not in seen:
            seen.add(fold(text))
            aliases.append(tidy(text))
    return aliases


def merge(apps, kept, speaker):
    Attribution = apps.get_model("claims", "Attribution")
    SpeakerMerge = apps.get_model("claims", "SpeakerMerge")
    SpeakerKey = apps.get_model("claims", "SpeakerKey")
    moved = Attribution.objects.filter(speaker_id=speaker.id)
    SpeakerMerge.objects.create(
        project_id=speaker.project_id, kept=kept, kept_name=tidy(kept.name),
        removed_id=speaker.id, removed_name=speaker.name, removed_kind=speaker.kind,
        removed_aliases=speaker.aliases, attributions=moved.count(),
        annotations=moved.values("annotation_id").distinct().count(),
    )  # fmt: skip
    moved.update(speaker_id=kept.id)
    for row in SpeakerKey.objects.filter(speaker_id=speaker.id, origin="learnt"):
        found, created = SpeakerKey.objects.get_or_create(
            speaker_id=kept.id, origin="learnt", phrase=row.phrase,
            defaults={"project_id": kept.project_id, "text": row.text, "token": row.token,
                      "uses": row.uses},
        )  # fmt: skip
        if not created:
            found.uses += row.uses
            found.save(update_fields=["uses"])
    speaker.delete()


def reindex(apps, speakers):
    """Index the changed speakers' names and aliases anew (claims.speakers.index.key_rows)."""
    from claims.speakers.tokens import phrase_key

    SpeakerKey = apps.get_model("claims", "SpeakerKey")
    SpeakerKey.objects.filter(
        speaker_id__in=[s.pk for s in speakers], origin__in=["name", "alias"]
    ).delete()
    rows = {}
    for speaker in speakers:
        texts = [("name", speaker.name), *(("alias", a) for a in speaker.aliases or [])]
        for origin, text in texts:
            phrase = isinstance(text, str) and phrase_key(text)
            if phrase:
                rows.setdefault((speaker.pk, origin, phrase), SpeakerKey(
                    project_id=speaker.project_id, speaker_id=speaker.pk, origin=origin,
                    phrase=phrase, text=text[:200], token=phrase.split()[-1][:200],
                ))  # fmt: skip
    SpeakerKey.objects.bulk_create(rows.values(), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_project_annotations_per_sentence_min")]

    operations = [migrations.RunPython(compose_speaker_names, migrations.RunPython.noop)]
