"""Keep a project's review figures stored: its agreement report, each sentence's disagreement.

`review_figures_refresh` reads the submitted annotations a chunk of sentences at a time (flat
memory), adds each chunk to the report's tallies and rewrites the chunk's disagreement rows in
a short transaction of its own (so annotators' saves never wait for the whole pass); it runs as
a background job (claims.jobs.kinds.quality). The pages read the stored rows and start the job
when the project changed since (`review_figures_behind`).
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims.labels import project_labels
from claims.models import AgreementSnapshot, AnnotationEvent, Project, SentenceDisagreement
from claims.quality.disagreements import disagreement_of
from claims.quality.fields import label_fields
from claims.quality.gather import ProjectRatings, rated_in_chunks
from claims.quality.report import AgreementReport, report_of
from claims.quality.tally import ReportTally

Progress = Callable[[int, int], None]


def review_figures_behind(project: Project) -> bool:
    """Tell whether the project's annotations changed since its figures were stored."""
    counted = (
        AgreementSnapshot.objects.filter(project=project).values_list("last_event", flat=True)
    ).first()
    if counted is None:
        return True
    return AnnotationEvent.objects.filter(id__gt=counted, sentence__project=project).exists()


def stored_report(project: Project) -> tuple[AgreementReport, AgreementSnapshot] | None:
    snapshot = AgreementSnapshot.objects.filter(project=project).first()
    return snapshot and (AgreementReport.from_dict(snapshot.report), snapshot)


def review_figures_refresh(project: Project, progress: Progress | None = None) -> dict:
    """Compute the project's agreement report and sentence disagreements, and store them."""
    # Read first: a change made while this runs leaves the figures marked as behind.
    last_event = AnnotationEvent.objects.aggregate(last=Max("id"))["last"] or 0
    labels = project_labels(project)
    tally = ReportTally(label_fields(labels))
    total = SentenceDisagreement.objects.filter(project=project).count()
    after = 0
    for chunk in rated_in_chunks(project):
        tally.add(chunk)
        after = disagreements_store(project, chunk, labels.target_names, after)
        if progress:
            progress(tally.annotated, max(total, tally.annotated))
    SentenceDisagreement.objects.filter(project=project, sentence_id__gt=after).delete()
    report = report_of(project, tally)
    AgreementSnapshot.objects.update_or_create(
        project=project,
        defaults={
            "last_event": last_event,
            "computed_at": timezone.now(),
            "report": report.as_dict(),
        },
    )
    return {"sentences": tally.annotated, "compared": tally.comparable}


def disagreements_store(project, chunk: ProjectRatings, target_names, after: int) -> int:
    """Rewrite the disagreement rows of the chunk's sentences; return the last sentence id."""
    last = max([*chunk.by_sentence, *chunk.gold], default=after)
    rows = []
    for sentence_id, by_user in chunk.by_sentence.items():
        if len(by_user) < 2:
            continue
        found = disagreement_of(sentence_id, by_user, target_names, gold=False)
        rows.append(
            SentenceDisagreement(
                sentence_id=sentence_id,
                project=project,
                # Rounded so that equal fractions (1/3 + 1/3 and 2/3) tie exactly.
                score=round(float(found.score), 9),
                claim_score=round(float(found.claim_score), 9),
                annotators=list(found.annotators),
                n_annotators=len(found.annotators),
                fields=list(found.fields),
                claims=found.claims,
            )
        )
    with transaction.atomic():
        stale = SentenceDisagreement.objects.filter(project=project)
        stale.filter(sentence_id__gt=after, sentence_id__lte=last).delete()
        SentenceDisagreement.objects.bulk_create(rows)
    return last
