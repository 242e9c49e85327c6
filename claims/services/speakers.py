"""Find or create the speakers an annotation names."""

from collections.abc import Sequence
from dataclasses import replace

from django.db import IntegrityError, transaction
from django.db.models import Q

from claims.models import Speaker, SpeakerKind
from claims.payloads import AnnotationInput, PayloadError, SpeakerRef

MAX_ID = 2**63


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
    # Ids beyond the 64-bit range cannot exist, and some databases reject them in a query.
    asked_ids = {r.id for r in refs if r.id and 0 < r.id < MAX_ID}
    known_ids = set(
        Speaker.objects.filter(project_id=project_id, id__in=asked_ids).values_list("id", flat=True)
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


def speaker_add(*, project_id: int, name: str, kind: str, aliases: Sequence[str] = ()) -> Speaker:
    """Create a speaker whose name and aliases no other speaker of the project uses.

    Raise PayloadError naming the clashing field: a name or alias that already names a speaker
    (as its name or an alias, in any case) would make speaker references ambiguous.
    """
    name = " ".join(name.split())
    aliases = unique_aliases(name, aliases)
    taken = speaker_ids_by_name(project_id, {name, *aliases})
    errors: dict[str, list[str]] = {}
    if speaker_key(name) in taken:
        errors["name"] = [clash_message(name, taken[speaker_key(name)])]
    clashes = [clash_message(a, taken[speaker_key(a)]) for a in aliases if speaker_key(a) in taken]
    if clashes:
        errors["aliases"] = clashes
    if errors:
        raise PayloadError(errors)
    try:
        with transaction.atomic():
            return speaker_create(project_id=project_id, name=name, kind=kind, aliases=aliases)
    except IntegrityError:
        # A concurrent request created the same name first.
        raise PayloadError({"name": [f"a speaker named {name!r} already exists"]}) from None


def unique_aliases(name: str, aliases: Sequence[str]) -> list[str]:
    """Return the aliases with spaces collapsed, without repeats or the name itself."""
    seen, unique = {speaker_key(name)}, []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and speaker_key(alias) not in seen:
            seen.add(speaker_key(alias))
            unique.append(alias)
    return unique


def clash_message(text: str, speaker_id: int) -> str:
    return f"{text!r} already names speaker {speaker_id} of this project (as its name or an alias)"
