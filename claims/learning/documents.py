"""A project's labels as training documents: each labelled article's sentences in order.

Gold is what the model learns from; with ``submitted`` the annotators' submitted labels count
too where a sentence has no gold (the label set most of its annotators gave; on a tie, the
earliest). Sentences nobody labelled stay in their article as context, marked unlabelled, so
the tagger neither learns "no attribution" from them nor loses the quotation around them.
"""

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterator

from django.db.models import Q

from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    Sentence,
    SpanRole,
    Stance,
)
from claims.nlp.training import GoldAttribution, LabeledDocument, LabeledSentence

ARTICLES_PER_READ = 200

SPAN_COLUMNS = tuple(column for role in SpanRole for column in role.fields)

# The claim, the attributions and the stances (target name, label) of one annotation.
Labels = tuple[str, tuple[GoldAttribution, ...], tuple[tuple[str, str], ...]]


def project_documents(
    project_id: int, *, submitted: bool = False, article_ids: list[int] | None = None
) -> list[LabeledDocument]:
    """Return one document per article with at least one labelled sentence (of
    ``article_ids`` only, when given)."""
    chosen = chosen_annotations(project_id, submitted=submitted, article_ids=article_ids)
    articles = sorted({article for article, _ in chosen.values()})
    documents = []
    for first in range(0, len(articles), ARTICLES_PER_READ):
        batch = articles[first : first + ARTICLES_PER_READ]
        documents += list(_documents(batch, chosen))
    return documents


def chosen_annotations(
    project_id: int, *, submitted: bool, article_ids: list[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Return sentence id -> (article id, annotation id) of the annotation to learn from."""
    kinds = Q(kind=AnnotationKind.GOLD)
    if submitted:
        kinds |= Q(kind=AnnotationKind.ANNOTATOR)
    if article_ids is not None:
        kinds &= Q(sentence__article_id__in=article_ids)
    rows = (
        Annotation.objects.filter(kinds, sentence__project_id=project_id)
        .filter(status=AnnotationStatus.SUBMITTED)
        .values_list("id", "sentence_id", "sentence__article_id", "kind")
        .order_by("sentence_id", "id")
    )
    gold: dict[int, tuple[int, int]] = {}
    others: dict[int, list[int]] = defaultdict(list)
    articles: dict[int, int] = {}
    for annotation_id, sentence_id, article_id, kind in rows.iterator(chunk_size=5000):
        articles[sentence_id] = article_id
        if kind == AnnotationKind.GOLD:
            gold[sentence_id] = (article_id, annotation_id)
        else:
            others[sentence_id].append(annotation_id)
    chosen = dict(gold)
    if others:
        labels = _labels_of([a for ids in others.values() for a in ids])
        for sentence_id, ids in others.items():
            if sentence_id not in chosen:
                votes = Counter(labels[a] for a in ids)
                best = max(ids, key=lambda a: (votes[labels[a]], -a))
                chosen[sentence_id] = (articles[sentence_id], best)
    return chosen


def _documents(article_ids: list[int], chosen: dict[int, tuple[int, int]]) -> Iterator:
    sentences = (
        Sentence.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "index")
        .values_list("id", "article_id", "article__external_id", "text")
    )
    wanted = [chosen[s][1] for s, _, _, _ in sentences if s in chosen]
    labels = _labels_of(wanted)
    current, key, found = None, "", []
    for sentence_id, article_id, external_id, text in sentences:
        if article_id != current:
            if found:
                yield LabeledDocument(key, tuple(found))
            current, key, found = article_id, f"{article_id}:{external_id}", []
        if sentence_id in chosen:
            claim, attributions, stances = labels[chosen[sentence_id][1]]
            found.append(LabeledSentence(text, attributions, claim or None, stances=stances))
        else:
            found.append(LabeledSentence(text, labelled=False))
    if found:
        yield LabeledDocument(key, tuple(found))


def _labels_of(annotation_ids: list[int]) -> dict[int, Labels]:
    """Return annotation id -> (claim, attributions as spans, stances), three queries per
    5,000."""
    labels: dict[int, Labels] = {}
    for first in range(0, len(annotation_ids), 5000):
        ids = annotation_ids[first : first + 5000]
        claims = dict(Annotation.objects.filter(id__in=ids).values_list("id", "claim"))
        spans: dict[int, list[GoldAttribution]] = defaultdict(list)
        rows = (
            Attribution.objects.filter(annotation_id__in=ids)
            .order_by("annotation_id", "position")
            .values_list("annotation_id", *SPAN_COLUMNS)
        )
        for annotation_id, *offsets in rows:
            spans[annotation_id].append(_gold(offsets))
        stances: dict[int, list[tuple[str, str]]] = defaultdict(list)
        stance_rows = (
            Stance.objects.filter(annotation_id__in=ids)
            .order_by("annotation_id", "target__position", "target_id")
            .values_list("annotation_id", "target__name", "label")
        )
        for annotation_id, target, label in stance_rows:
            stances[annotation_id].append((target, label))
        for annotation_id in ids:
            labels[annotation_id] = (
                claims.get(annotation_id, ""),
                tuple(spans[annotation_id]),
                tuple(stances[annotation_id]),
            )
    return labels


def _gold(offsets: list[int | None]) -> GoldAttribution:
    pairs = [offsets[i : i + 2] for i in (0, 2, 4)]
    parts = [((start, end),) if start is not None else () for start, end in pairs]
    return GoldAttribution(*parts)


# What each part of a model learns from, as fields of a labelled sentence; the stance fields
# are whichever the sentence has whose name starts with "stance".
PARTS = ("spans", "claim", "stance")


def part_fields(part: str) -> list[dataclasses.Field]:
    fields = dataclasses.fields(LabeledSentence)
    if part == "spans":
        return [f for f in fields if f.name == "attributions"]
    if part == "claim":
        return [f for f in fields if f.name == "claim"]
    return [f for f in fields if f.name.startswith("stance")]


def parts_labelled(documents: list[LabeledDocument]) -> list[str]:
    """Return the parts the documents have labels for, in PARTS order."""
    sentences = [s for d in documents for s in d.sentences if s.labelled]
    return [
        part
        for part in PARTS
        if any(getattr(s, f.name) for s in sentences for f in part_fields(part))
    ]


def only_parts(documents: list[LabeledDocument], parts) -> list[LabeledDocument]:
    """Return the documents with the labels of the other parts left out (not trained)."""
    cleared = {}
    for part in set(PARTS) - set(parts):
        for f in part_fields(part):
            empty = f.default_factory() if callable(f.default_factory) else f.default
            cleared[f.name] = empty
    if not cleared:
        return documents
    return [
        dataclasses.replace(
            d, sentences=tuple(dataclasses.replace(s, **cleared) for s in d.sentences)
        )
        for d in documents
    ]
