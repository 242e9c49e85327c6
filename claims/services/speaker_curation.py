"""Curate a project's speakers: edit, merge duplicates, delete unused ones (reviewers only).

A merge re-points every attribution of the removed speakers to the kept one, unites their
names and aliases into the kept speaker's aliases, and records the change in each annotation's
history (action "speaker_merge", a new version, before and after) and as a SpeakerMerge per
removed speaker, which keeps its name for the history to show and lets a page still holding
the removed speaker's id save it as the kept speaker (claims.services.speakers). An annotator
who has one of the changed annotations open saves over the merge's version (a merge is no
one's edit to protect, claims.services.annotations), and a save under way when the merge
starts holds its speakers (speakers_held): the merge waits for it, then re-points it too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from claims.access import may_review
from claims.content import AnnotationContent, SpeakerRef, content_of, history_record
from claims.errors import InvalidInput
from claims.models import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    Project,
    Speaker,
    SpeakerKey,
    SpeakerKeyOrigin,
    SpeakerKind,
    SpeakerMerge,
    fold_name,
    tidy_name,
)
from claims.selectors import annotations_with_details
from claims.services.speakers import MERGE_ACTION, name_problem, unique_aliases


@dataclass(frozen=True)
class SpeakerUse:
    """How much of the project's work names a speaker."""

    attributions: int = 0
    annotations: int = 0
    submitted: int = 0  # annotators' submitted annotations
    drafts: int = 0  # annotators' drafts and skips
    gold: int = 0


@dataclass(frozen=True)
class MergePlan:
    """What a merge would do, shown to the curator before they confirm."""

    kept: Speaker
    removed: tuple[Speaker, ...]
    uses: dict[int, SpeakerUse]  # by speaker id, kept and removed
    aliases: tuple[str, ...]  # the kept speaker's aliases after the merge
    changed: SpeakerUse  # the attributions and annotations the merge re-points

    @property
    def kept_use(self) -> SpeakerUse:
        return self.uses[self.kept.pk]


def annotation_counts(path: str = "") -> dict[str, Count]:
    """Return SpeakerUse's annotation counts, for the annotations at `path` ('' for themselves)."""

    def field(name: str) -> str:
        return f"{path}__{name}" if path else name

    annotator = Q(**{field("kind"): AnnotationKind.ANNOTATOR})
    submitted = Q(**{field("status"): AnnotationStatus.SUBMITTED})

    def count(condition: Q | None = None) -> Count:
        return Count(path or "pk", filter=condition, distinct=True)

    return {
        "annotations": count(),
        "submitted": count(annotator & submitted),
        "drafts": count(annotator & ~submitted),
        "gold": count(Q(**{field("kind"): AnnotationKind.GOLD})),
    }


def speaker_uses(speaker_ids: Sequence[int]) -> dict[int, SpeakerUse]:
    """Return each speaker's use (unused ones included), in one query."""
    rows = (
        Speaker.objects.filter(pk__in=speaker_ids)
        .values("pk")
        .annotate(
            attribution_count=Count("attributions", distinct=True),
            **annotation_counts("attributions__annotation"),
        )
    )
    return {
        row.pop("pk"): SpeakerUse(attributions=row.pop("attribution_count"), **row) for row in rows
    }


def merge_plan(*, kept: Speaker, removed: Sequence[Speaker]) -> MergePlan:
    """Return what merging `removed` into `kept` would change; raise InvalidInput if it cannot."""
    check_mergeable(kept, removed)
    uses = speaker_uses([kept.pk, *(s.pk for s in removed)])
    changed = annotations_named(removed).aggregate(**annotation_counts())
    return MergePlan(
        kept=kept,
        removed=tuple(removed),
        uses=uses,
        aliases=tuple(merged_aliases(kept, removed)),
        changed=SpeakerUse(attributions=sum(uses[s.pk].attributions for s in removed), **changed),
    )


def check_mergeable(kept: Speaker, removed: Sequence[Speaker]) -> None:
    if not removed:
        raise InvalidInput({"speakers": ["choose at least two speakers to merge"]})
    if any(s.pk == kept.pk for s in removed):
        raise InvalidInput({"kept": ["the speaker kept cannot also be merged away"]})
    foreign = sorted(s.name for s in removed if s.project_id != kept.project_id)
    if foreign:
        raise InvalidInput({"speakers": [f"not of the kept speaker's project: {foreign}"]})


def merged_aliases(kept: Speaker, removed: Sequence[Speaker]) -> list[str]:
    names = [*kept.aliases]
    for speaker in removed:
        names += [speaker.name, *speaker.aliases]
    # A name or alias stored before pronouns were refused ("he") is not carried over.
    return unique_aliases(kept.name, [n for n in names if name_problem(n) is None])


def annotations_named(speakers: Sequence[Speaker]):
    return Annotation.objects.filter(
        pk__in=Attribution.objects.filter(speaker__in=speakers).values("annotation_id")
    )


def check_curator(actor: AbstractBaseUser, project: Project) -> None:
    if not may_review(actor, project):
        raise PermissionDenied("Only a reviewer of the project can curate its speakers.")


@dataclass(frozen=True)
class MergeResult:
    kept: Speaker
    removed: tuple[str, ...]  # names
    attributions: int
    annotations: int


@transaction.atomic
def speakers_merge(
    *, kept: Speaker, removed: Sequence[Speaker], actor: AbstractBaseUser
) -> MergeResult:
    """Merge the removed speakers into the kept one (see the module's docstring)."""
    check_mergeable(kept, removed)
    check_curator(actor, kept.project)
    ids = [kept.pk, *(s.pk for s in removed)]
    locked = {s.pk: s for s in Speaker.objects.select_for_update().filter(pk__in=ids)}
    gone = [s.name for s in removed if s.pk not in locked] + (
        [kept.name] if kept.pk not in locked else []
    )
    if gone:
        raise InvalidInput({"speakers": [f"merged or deleted meanwhile: {gone}"]})
    kept, removed = locked[kept.pk], [locked[s.pk] for s in removed]
    annotations = list(
        annotations_with_details(annotations_named(removed)).select_for_update(of=("self",))
    )
    uses = speaker_uses([s.pk for s in removed])
    merge_histories(annotations, kept, {s.pk for s in removed}, actor)
    moved = Attribution.objects.filter(speaker__in=removed).update(speaker=kept)
    SpeakerMerge.objects.bulk_create(
        SpeakerMerge(
            project_id=kept.project_id, kept=kept, kept_name=kept.name, removed_id=s.pk,
            removed_name=s.name, removed_kind=s.kind, removed_aliases=s.aliases,
            attributions=uses[s.pk].attributions, annotations=uses[s.pk].annotations,
            actor=actor,
        )
        for s in removed
    )  # fmt: skip
    kept.aliases = merged_aliases(kept, removed)
    kept.save(update_fields=["aliases"])
    learnt_aliases_move(kept, removed)
    Speaker.objects.filter(pk__in=[s.pk for s in removed]).delete()
    return MergeResult(kept, tuple(s.name for s in removed), moved, len(annotations))


def learnt_aliases_move(kept: Speaker, removed: Sequence[Speaker]) -> None:
    """Give the kept speaker what annotations taught about the removed ones (uses added up)."""
    learnt = SpeakerKey.objects.filter(speaker__in=removed, origin=SpeakerKeyOrigin.LEARNT)
    for row in learnt:
        found, created = SpeakerKey.objects.get_or_create(
            speaker=kept, origin=SpeakerKeyOrigin.LEARNT, phrase=row.phrase,
            defaults={"project_id": kept.project_id, "text": row.text, "token": row.token,
                      "uses": row.uses},
        )  # fmt: skip
        if not created:
            SpeakerKey.objects.filter(pk=found.pk).update(uses=F("uses") + row.uses)


@transaction.atomic
def learnt_aliases_forget(
    *, speaker: Speaker, key_ids: Sequence[int], actor: AbstractBaseUser
) -> int:
    """Forget learnt aliases of the speaker (until annotations link them again); return how
    many were forgotten."""
    check_curator(actor, speaker.project)
    rows = SpeakerKey.objects.filter(
        speaker=speaker, origin=SpeakerKeyOrigin.LEARNT, pk__in=key_ids
    )
    return rows.delete()[0]


def merge_histories(
    annotations: list[Annotation], kept: Speaker, removed_ids: set[int], actor
) -> None:
    """Give each annotation a new version and a history event saying its speakers changed."""
    ref = SpeakerRef(id=kept.pk, name=kept.name, kind=kept.kind)
    events = []
    for annotation in annotations:
        before = content_of(annotation)
        after = replaced_speakers(before, removed_ids, ref)
        events.append(
            AnnotationEvent(
                annotation=annotation, sentence_id=annotation.sentence_id, actor=actor,
                action=MERGE_ACTION, version=annotation.version + 1,
                before=history_record(before), after=history_record(after),
            )
        )  # fmt: skip
    Annotation.objects.filter(pk__in=[a.pk for a in annotations]).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    AnnotationEvent.objects.bulk_create(events)


def replaced_speakers(
    content: AnnotationContent, removed_ids: set[int], ref: SpeakerRef
) -> AnnotationContent:
    attributions = tuple(
        replace(a, speaker=ref) if a.speaker and a.speaker.id in removed_ids else a
        for a in content.attributions
    )
    return replace(content, attributions=attributions)


@transaction.atomic
def speaker_delete(*, speaker: Speaker, actor: AbstractBaseUser) -> None:
    """Delete a speaker that no attribution names; a used one must be merged instead."""
    check_curator(actor, speaker.project)
    locked = Speaker.objects.select_for_update().filter(pk=speaker.pk).first()
    if locked is None:
        return
    use = speaker_uses([speaker.pk])[speaker.pk]
    if use.attributions:
        raise InvalidInput({"speaker": [in_use_message(speaker, use)]})
    locked.delete()


def in_use_message(speaker: Speaker, use: SpeakerUse) -> str:
    return (
        f"{speaker.name!r} is named by {use.attributions} attribution(s) in "
        f"{use.annotations} annotation(s): merge it into another speaker instead"
    )


def speaker_save(
    *,
    project: Project,
    name: str,
    kind: str,
    aliases: Sequence[str],
    actor: AbstractBaseUser,
    speaker: Speaker | None = None,
) -> Speaker:
    """Create a speaker, or change one, whose name and aliases name no other speaker.

    Raise InvalidInput naming the field: an empty name, an unknown kind, or a name or alias
    that another speaker of the project has (as its name or an alias, in any case).
    """
    check_curator(actor, project)
    name = tidy_name(name)
    aliases = unique_aliases(name, aliases)
    errors = speaker_clashes(project, name, aliases, speaker)
    if not name:
        errors["name"] = ["a speaker needs a name"]
    if kind not in SpeakerKind.values:
        errors["kind"] = [f"{kind!r} is not one of {SpeakerKind.values}"]
    if errors:
        raise InvalidInput(errors)
    speaker = speaker or Speaker(project=project)
    speaker.name, speaker.kind, speaker.aliases = name, kind, aliases
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError:
        # A concurrent request took the name first.
        raise InvalidInput({"name": [f"a speaker named {name!r} already exists"]}) from None
    return speaker


def speaker_clashes(
    project: Project, name: str, aliases: Sequence[str], speaker: Speaker | None
) -> dict[str, list[str]]:
    """Return the fields whose names another speaker of the project already uses, or that
    name nobody (a pronoun or other function word)."""
    wanted = {fold_name(n) for n in (name, *aliases)}
    others = Speaker.objects.filter(project=project).filter(Q(name_key__in=wanted) | ~Q(aliases=[]))
    if speaker is not None and speaker.pk:
        others = others.exclude(pk=speaker.pk)
    taken: dict[str, str] = {}
    for other_name, other_aliases in others.values_list("name", "aliases"):
        for text in (other_name, *(other_aliases or [])):
            taken.setdefault(fold_name(text), other_name)
    errors: dict[str, list[str]] = {}
    if (problem := name_problem(name)) is not None:
        errors["name"] = [problem]
    elif fold_name(name) in taken:
        errors["name"] = [f"{name!r} already names the speaker {taken[fold_name(name)]!r}"]
    clashes = [name_problem(a) or f"{a!r} already names the speaker {taken[fold_name(a)]!r}"
               for a in aliases if name_problem(a) or fold_name(a) in taken]  # fmt: skip
    if clashes:
        errors["aliases"] = clashes
    return errors
