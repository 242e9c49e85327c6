"""Find or create the speakers an annotation names."""

from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet

from claims.content import AnnotationContent, SpeakerRef
from claims.content.values import name_characters_problem, speaker_problems
from claims.errors import InvalidInput
from claims.models import Speaker, SpeakerKind, SpeakerMerge, fold_name, tidy_name
from claims.nlp.lexicon import (
    DETERMINERS,
    FUNCTION_WORDS,
    OBJECT_PRONOUNS,
    POSSESSIVES,
    REFLEXIVES,
    SUBJECT_PRONOUNS,
)
from claims.prepared import Prepared

MAX_ID = 2**63
# The history action of a curator's speaker merge (claims.services.speaker_curation).
MERGE_ACTION = "speaker_merge"
MAX_MERGE_HOPS = 20
# Saves asking for up to this many names and ids together run a query compiled once per shape.
PREPARED_SHAPES = 6

PRONOUNS = (
    SUBJECT_PRONOUNS | OBJECT_PRONOUNS | POSSESSIVES | REFLEXIVES
    | {"who", "whom", "whose", "hers", "his", "theirs", "mine", "ours", "yours", "one"}
)  # fmt: skip
# A source like "he" or "the" says who spoke only through the sentences around it: a speaker
# named so would be suggested on every "he said" of the project, to everyone.
NOT_NAMES = frozenset(PRONOUNS | DETERMINERS | FUNCTION_WORDS | {"that", "this", "it"})


def speaker_key(name: str) -> str:
    return fold_name(name)


def name_problem(name: str) -> str | None:
    """Return why the name cannot name a new speaker: characters no name may hold, or a
    pronoun or other function word."""
    if problem := name_characters_problem(name):
        return f"{name.strip()!r} {problem}"
    words = [w.strip(".,;:!?\"'“”‘’()") for w in name.split()]
    words = [w for w in words if w]
    # A word in capitals is an acronym, not a pronoun: "WHO", "US".
    if any(len(w) > 1 and w.isupper() for w in words):
        return None
    if words and not all(w.casefold() in NOT_NAMES for w in words):
        return None
    what = "a pronoun" if words and all(w.casefold() in PRONOUNS for w in words) else "not a name"
    return f"{name.strip()!r} is {what}: choose the speaker it refers to instead"


def speakers_resolve(
    *, project_id: int, content: AnnotationContent, made: list[int] | None = None
) -> AnnotationContent:
    """Return the content with every speaker as a project speaker (id, name and kind).

    A name matches an existing speaker's name or alias (case-insensitively); a name that
    matches nothing becomes a new speaker of the kind given. Unknown ids, or a new name without
    a kind, raise InvalidInput naming the attribution. `made` receives the ids of the
    speakers created.
    """
    refs = [a.speaker for a in content.attributions if a.speaker is not None]
    if not refs:
        return content
    # Ids beyond the 64-bit range cannot exist, and some databases reject them in a query.
    asked_ids = {r.id for r in refs if r.id is not None and 0 < r.id < MAX_ID}
    known = speakers_by_key(project_id, {r.name for r in refs if r.id is None}, asked_ids)
    errors, attributions = [], []
    for attribution in content.attributions:
        problems: dict = {}
        speaker = resolve_one(attribution.speaker, project_id, known, problems, made)
        errors.append({"speaker": problems} if problems else {})
        attributions.append(replace(attribution, speaker=speaker))
    if any(errors):
        raise InvalidInput({"attributions": errors})
    return replace(content, attributions=tuple(attributions))


def speakers_held(*, project_id: int, content: AnnotationContent) -> AnnotationContent:
    """Return the content with its speakers held until the transaction ends: a curator's
    merge of one of them waits for this save to commit (and then re-points it too) rather
    than deleting a speaker the save is about to name. A speaker merged away since it was
    resolved is replaced by the speaker it was merged into.

    One query (PostgreSQL: FOR KEY SHARE, which other saves' holds do not wait for; SQLite
    holds the database's write lock for the whole transaction already).
    """
    for _ in range(MAX_MERGE_HOPS):
        ids = sorted({a.speaker.id for a in content.attributions if a.speaker is not None})
        if not ids or set(ids) <= speakers_present(ids):
            return content
        content = speakers_resolve(project_id=project_id, content=content)
    raise InvalidInput({"attributions": ["its speakers keep being merged; save again"]})


def speakers_present(ids: list[int]) -> set[int]:
    table = connection.ops.quote_name(Speaker._meta.db_table)
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id IN ({marks}){lock}", ids)  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def resolve_one(
    ref: SpeakerRef | None, project_id: int, known: dict, problems: dict, made: list | None
):
    if ref is None:
        return None
    # Checked before the lookup: a speaker named or aliased "he" before such names were
    # refused must not make every "he" that speaker.
    if ref.id is None and (problem := name_problem(ref.name)):
        problems["name"] = [problem]
        return ref
    key = ref.id if ref.id is not None else speaker_key(ref.name)
    found = known.get(key)
    if found is not None:
        return found
    if ref.id is not None:
        if not stands_in(ref):
            problems["id"] = [f"no speaker {ref.id} in this project"]
            return ref
        # Gone since the client read it (one a draft made and left, deleted with
        # abandoned_speakers_delete), sent with its name: the name is what was meant.
        ref, key = SpeakerRef(name=ref.name, kind=ref.kind), speaker_key(ref.name)
        known.update(speakers_by_key(project_id, {ref.name}, set()))
        if key in known:
            return known[key]
    if not ref.kind:
        problems["kind"] = [f"required to create the new speaker {ref.name!r}"]
        return ref
    speaker, created = speaker_get_or_create(project_id=project_id, name=ref.name, kind=ref.kind)
    if created and made is not None:
        made.append(speaker.id)
    known[key] = SpeakerRef(id=speaker.id, name=speaker.name, kind=speaker.kind)
    return known[key]


def stands_in(ref: SpeakerRef) -> bool:
    """Tell whether the name and kind sent with an unknown id could make that speaker."""
    return not speaker_problems(ref.name, ref.kind) and name_problem(ref.name) is None


def speaker_get_or_create(*, project_id: int, name: str, kind: str) -> tuple[Speaker, bool]:
    """Create the speaker, or return the one a concurrent request created with that name;
    and whether it was created here.

    Names are unique in a project up to case and spacing (the folded name), so a concurrent
    "lavrov" finds the "Lavrov" created first.
    """
    try:
        with transaction.atomic():
            return speaker_create(project_id=project_id, name=name, kind=kind), True
    except IntegrityError:
        return Speaker.objects.get(project_id=project_id, name_key=fold_name(name)), False


def speakers_asked(project: int, keys: list[str], ids: list[int]) -> QuerySet:
    """Return the rows of the project's speakers with one of the ids, one of the folded names,
    or any alias (aliases are matched in Python)."""
    asked = Q(id__in=ids) | Q(name_key__in=keys)
    if keys:
        asked |= ~Q(aliases=[])
    speakers = Speaker.objects.filter(project_id=project).filter(asked)
    return speakers.values_list("id", "name", "kind", "aliases")


@cache
def speakers_asked_prepared(keys: int, ids: int) -> Prepared:
    """Return speakers_asked for that many keys and ids, compiled once (every save asks it)."""
    kinds = {"project": int, **{f"k{n}": str for n in range(keys)}}
    kinds.update({f"i{n}": int for n in range(ids)})
    return Prepared(
        lambda project, **v: speakers_asked(
            project, [v[f"k{n}"] for n in range(keys)], [v[f"i{n}"] for n in range(ids)]
        ),
        **kinds,
    )


def speakers_by_key(project_id: int, names: set[str], ids: set[int]) -> dict:
    """Return the speakers asked for (one query), keyed by id and by each folded name or alias."""
    wanted = {speaker_key(n) for n in names}
    if not wanted and not ids:
        rows = []
    elif len(wanted) + len(ids) <= PREPARED_SHAPES:
        values = {f"k{n}": key for n, key in enumerate(sorted(wanted))}
        values.update({f"i{n}": pk for n, pk in enumerate(sorted(ids))})
        rows = speakers_asked_prepared(len(wanted), len(ids)).rows(project=project_id, **values)
    else:
        rows = speakers_asked(project_id, sorted(wanted), sorted(ids))
    found: dict = {}
    for speaker_id, name, kind, aliases in rows:
        ref = SpeakerRef(id=speaker_id, name=name, kind=kind)
        if speaker_id in ids:
            found[speaker_id] = ref
        for key in (speaker_key(name), *alias_keys(aliases)):
            if key in wanted:
                found.setdefault(key, ref)
    if ids - found.keys():
        found.update(merged_speakers(project_id, ids - found.keys()))
    return found


def alias_keys(aliases) -> list[str]:
    """Return the keys the aliases are found by: none for an alias that names nobody (stored
    before such aliases were refused)."""
    texts = aliases if isinstance(aliases, list) else []
    return [speaker_key(a) for a in texts if isinstance(a, str) and name_problem(a) is None]


def merged_speakers(project_id: int, ids: set[int]) -> dict[int, SpeakerRef]:
    """Return the speakers that ids a curator merged away now stand for, by those ids."""
    survivors = SpeakerMerge.objects.survivors(project_id, ids)
    rows = Speaker.objects.filter(project_id=project_id, id__in=set(survivors.values()))
    refs = {
        i: SpeakerRef(id=i, name=n, kind=k) for i, n, k in rows.values_list("id", "name", "kind")
    }
    return {removed: refs[kept] for removed, kept in survivors.items() if kept in refs}


def speaker_ids_by_name(project_id: int, names: set[str]) -> dict[str, int]:
    """Return speaker ids keyed by folded name or alias, for the names asked about."""
    if not names:
        return {}
    found = speakers_by_key(project_id, names, set())
    return {key: ref.id for key, ref in found.items()}


@transaction.atomic
def speaker_create(*, project_id: int, name: str, kind: str, aliases=()) -> Speaker:
    """Create a project speaker; the name must be new to the project."""
    return Speaker.objects.create(
        project_id=project_id, name=tidy_name(name), kind=SpeakerKind(kind),
        aliases=[tidy_name(a) for a in aliases if a.strip()],
    )  # fmt: skip


def speaker_add(*, project_id: int, name: str, kind: str, aliases: Sequence[str] = ()) -> Speaker:
    """Create a speaker whose name and aliases no other speaker of the project uses.

    Raise InvalidInput naming the clashing field: a name or alias that already names a speaker
    (as its name or an alias, in any case) would make speaker references ambiguous.
    """
    name = tidy_name(name)
    aliases = unique_aliases(name, aliases)
    taken = speaker_ids_by_name(project_id, {name, *aliases})
    errors: dict[str, list[str]] = {}
    if problem := name_problem(name):
        errors["name"] = [problem]
    elif speaker_key(name) in taken:
        errors["name"] = [clash_message(name, taken[speaker_key(name)])]
    # An alias is a name too: "he" as an alias would make every "he" this speaker.
    clashes = [name_problem(a) or clash_message(a, taken[speaker_key(a)])
               for a in aliases if name_problem(a) or speaker_key(a) in taken]  # fmt: skip
    if clashes:
        errors["aliases"] = clashes
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            return speaker_create(project_id=project_id, name=name, kind=kind, aliases=aliases)
    except IntegrityError:
        # A concurrent request created the same name first.
        raise InvalidInput({"name": [f"a speaker named {name!r} already exists"]}) from None


def unique_aliases(name: str, aliases: Sequence[str]) -> list[str]:
    """Return the aliases tidied (tidy_name), without repeats or the name itself."""
    seen, unique = {speaker_key(name)}, []
    for alias in aliases:
        alias = tidy_name(alias)
        if alias and speaker_key(alias) not in seen:
            seen.add(speaker_key(alias))
            unique.append(alias)
    return unique


def clash_message(text: str, speaker_id: int) -> str:
    return f"{text!r} already names speaker {speaker_id} of this project (as its name or an alias)"


def made_speakers_own(annotation_id: int, made: list[int]) -> None:
    """Record the annotation whose save created the speakers."""
    if made:
        Speaker.objects.filter(pk__in=made).update(made_by=annotation_id)


def abandoned_speakers_delete(
    *, annotation_id: int, before: AnnotationContent, after: AnnotationContent
) -> None:
    """Delete the speakers a save stops naming that its annotation made (a draft saved after
    `y` on a suggestion naming a junk new speaker, then another speaker chosen): named by no
    attribution now and given no alias, they only filled everyone's picker. A speaker made
    otherwise (by a curator, by other work) stays, whatever names it."""
    named = {a.speaker.id for a in after.attributions if a.speaker is not None}
    dropped = {a.speaker.id for a in before.attributions if a.speaker is not None} - named
    if not dropped:
        return
    abandoned = Speaker.objects.filter(id__in=dropped, made_by=annotation_id).exclude(
        attributions__isnull=False
    )
    gone = [speaker.pk for speaker in abandoned if not speaker.aliases]
    if gone:
        Speaker.objects.filter(pk__in=gone).delete()
