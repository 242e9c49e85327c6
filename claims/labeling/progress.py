"""How far a project, and each annotator in it, has got."""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery

from claims.access import projects_visible_to
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


def projects_progress(user) -> list[dict]:
    """Return each project the user may open, with their progress and the project's.

    Four queries whatever the number of projects: the projects, the queue sizes, the user's
    done counts, and the counts of sentences with all their annotations.
    """
    projects = list(projects_visible_to(user).order_by("name", "id"))
    ids = [p.pk for p in projects]
    in_queue = Sentence.objects.filter(project_id__in=ids).in_queue()
    totals = dict(in_queue.order_by().values_list("project_id").annotate(n=Count("id")))
    done = Annotation.objects.done().filter(
        sentence__project_id__in=ids, sentence__kind__in=QUEUE_KINDS
    )
    mine = dict(
        done.filter(annotator=user)
        .order_by()
        .values_list("sentence__project_id")
        .annotate(n=Count("id"))
    )
    done_per_sentence = (
        Annotation.objects.done()
        .filter(sentence=OuterRef("pk"))
        .order_by()
        .values("sentence")
        .annotate(n=Count("id"))
        .values("n")
    )
    complete = dict(
        in_queue.annotate(done=Subquery(done_per_sentence))
        .filter(done__gte=F("project__annotations_per_sentence"))
        .order_by()
        .values_list("project_id")
        .annotate(n=Count("id"))
    )
    return [
        {
            "project": project,
            "mine": Progress(done=mine.get(project.pk, 0), total=totals.get(project.pk, 0)),
            "overall": Progress(done=complete.get(project.pk, 0), total=totals.get(project.pk, 0)),
        }
        for project in projects
    ]
