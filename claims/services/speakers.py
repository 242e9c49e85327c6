"""Find or create the speakers an annotation names."""

from dataclasses import replace

from django.db import transaction
from django.db.models import Q

from claims.models import Speaker, SpeakerKind
from claims.payloads import AnnotationInput, PayloadError, SpeakerRef


def speaker_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def speakers_resolve(*, project_id: int, content: AnnotationInput, create: bool) -> AnnotationInput:
    """Return the content with every speaker given by id; unknown ids or kinds raise PayloadError.

    A name matches an existing speaker's name or alias (case-insensitively). Without `create`,
    names that match nothing stay as names (the content then differs from anything stored).
    """
    refs = [a.speaker for a in content.attributions if a.speaker is not None]
    if not refs:
        return content
    ids_by_key = speaker_ids_by_name(project_id, {r.name for r in refs if r.id is None})
    known_ids = set(
        Speaker.objects.filter(
            project_id=project_id, id__in={r.id for r in refs if r.id}
        ).values_list("id", flat=True)
    )
    errors, attributions = [], []
    for attribution in content.attributions:
        problems: dict = {}
        speaker = resolve_one(
            attribution.speaker, project_id, ids_by_key, known_ids, create, problems
        )
        errors.append({"speaker": problems} if problems else {})
        attributions.append(replace(attribution, speaker=speaker))
    if any(errors):
        raise PayloadError({"attributions": errors})
    return replace(content, attributions=tuple(attributions))


def resolve_one(ref, project_id, ids_by_key, known_ids, create, problems) -> SpeakerRef | None:
    if ref is None:
        return None
    if ref.id is not None:
        if ref.id not in known_ids:
            problems["id"] = [f"no speaker {ref.id} in this project"]
        return ref
    found = ids_by_key.get(speaker_key(ref.name))
    if found is not None:
        return SpeakerRef(id=found)
    if not create:
        return ref
    if not ref.kind:
        problems["kind"] = [f"required to create the new speaker {ref.name!r}"]
        return ref
    speaker = speaker_create(project_id=project_id, name=ref.name, kind=ref.kind)
    ids_by_key[speaker_key(ref.name)] = speaker.id
    return SpeakerRef(id=speaker.id)


def speaker_ids_by_name(project_id: int, names: set[str]) -> dict[str, int]:
    """Return speaker ids keyed by folded name or alias, for the names asked about."""
    if not names:
        return {}
    wanted = {speaker_key(n) for n in names}
    by_name = Q()
    for name in names:
        by_name |= Q(name__iexact=name)
    rows = Speaker.objects.filter(project_id=project_id).filter(by_name | ~Q(aliases=[]))
    found: dict[str, int] = {}
    for speaker_id, name, aliases in rows.values_list("id", "name", "aliases"):
        for key in (speaker_key(name), *(speaker_key(a) for a in aliases or [])):
            if key in wanted:
                found.setdefault(key, speaker_id)
    return found


@transaction.atomic
def speaker_create(*, project_id: int, name: str, kind: str, aliases=()) -> Speaker:
    """Create a project speaker; the name must be new to the project."""
    return Speaker.objects.create(
        project_id=project_id, name=" ".join(name.split()), kind=SpeakerKind(kind),
        aliases=[" ".join(a.split()) for a in aliases if a.strip()],
    )  # fmt: skip
