"""How far a project, and each annotator in it, has got.

The sentences counted are the annotators' work (``sentences_to_label``): unless
the project hands out sentences that have gold, those whose gold came before any annotator's
annotation (imported training labels) are left out, as the queue leaves them out. A sentence
is complete when it has the project's annotations per sentence, or (unless gold is handed out)
gold.
"""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery

from claims.access import projects_visible_to
from claims.models import Annotation, Project, Sentence
from claims.models.annotation import has_gold, sentences_to_label, sentences_to_label_by_project
from claims.models.article import QUEUE_KINDS


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 100.0


def queue_sentences(project: Project):
    return sentences_to_label(
        Sentence.objects.filter(project=project), gold_too=project.gold_in_queue
    )


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
    """Return how many sentences have all the annotations the project wants (or gold)."""
    sentences = queue_sentences(project)
    done = Annotation.objects.done().filter(sentence=OuterRef("pk")).order_by()
    counted = done.values("sentence").annotate(n=Count("id")).values("n")
    complete = Q(done__gte=project.annotations_per_sentence)
    if not project.gold_in_queue:
        complete |= Q(has_gold())
    finished = sentences.annotate(done=Subquery(counted)).filter(complete)
    return Progress(done=finished.count(), total=sentences.count())


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
    in_queue = sentences_to_label_by_project(Sentence.objects.filter(project_id__in=ids))
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
        .filter(
            Q(done__gte=F("project__annotations_per_sentence"))
            | Q(has_gold(), project__gold_in_queue=False)
        )
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
