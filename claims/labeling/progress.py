"""How far a project, and each annotator in it, has got."""

from dataclasses import dataclass

from django.db.models import Count

from claims.models import Annotation, Project, Sentence
from claims.models.article import QUEUE_KINDS


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 100.0


def queue_sentences(project: Project):
    return Sentence.objects.filter(project=project).in_queue()


def done_annotations(project: Project):
    """Return the project's annotations that count as done, of sentences in the queue."""
    return Annotation.objects.filter(
        sentence__project=project, sentence__kind__in=QUEUE_KINDS
    ).done()


def annotator_progress(project: Project, user) -> Progress:
    """Return how many of the project's sentences the user has submitted or skipped."""
    return Progress(
        done=done_annotations(project).filter(annotator=user).count(),
        total=queue_sentences(project).count(),
    )


def project_progress(project: Project) -> Progress:
    """Return how many sentences have all the annotations the project wants."""
    complete = (
        done_annotations(project)
        .values("sentence")
        .annotate(n=Count("id"))
        .filter(n__gte=project.annotations_per_sentence)
    )
    return Progress(done=complete.count(), total=queue_sentences(project).count())


def progress_by_annotator(project: Project) -> dict[int, int]:
    """Return user id -> sentences submitted or skipped, for every annotator who did any."""
    rows = done_annotations(project).values("annotator").annotate(n=Count("id"))
    return {row["annotator"]: row["n"] for row in rows}
