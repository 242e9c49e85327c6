"""Scoring the served span suggestions of bench/learning.py against PolNeAR's gold.

A suggested source, cue or content counts when it overlaps a gold span of the same role in that
sentence (precision); a gold span counts when a suggestion overlaps it (recall).
"""

import time

ROLES = ("source", "cue", "content")


class Parts:
    """Spans by role of one attribution, as SpanScores reads them."""

    def __init__(self, parts: dict):
        self._parts = parts

    def parts(self, role: str):
        return self._parts.get(role, ())


def served_parts(record: dict) -> Parts:
    if "parts" in record:
        return Parts({r: tuple((p["start"], p["end"]) for p in record["parts"][r]) for r in ROLES})
    return Parts({r: ((record[r]["start"], record[r]["end"]),) for r in ROLES if record[r]})


def served_scores(project, rows: list[dict]) -> dict:
    """Score the suggestions the API serves for every sentence of the dev articles, at the
    project's threshold and at 0 (everything suggested); count the function-word sources;
    pair each attribution's confidence with whether all its spans were right."""
    from claims.labeling.item import suggestions_for
    from claims.learning.label_mapping import ArticleAttribution, SentenceSpan, map_labels
    from claims.models import Article
    from claims.nlp.function_sources import is_function_source
    from claims.nlp.segmentation import get_nlp
    from claims.nlp.training import SpanScores

    scores, everything, pairs, count, seconds = SpanScores(), SpanScores(), [], 0, 0.0
    resolved = SpanScores()
    function_words, confidences = [], []
    threshold = project.suggestion_threshold
    for row in rows:
        article = Article.objects.get(project=project, external_id=row["id"])
        sentences = list(article.sentences.select_related("project").order_by("index"))
        attributions = [
            ArticleAttribution({r: tuple(map(tuple, a.get(r) or ())) for r in ROLES})
            for a in row["attributions"]
        ]
        spans = [SentenceSpan(s.pk, s.start, s.end) for s in sentences]
        gold = map_labels(spans, attributions).attributions
        for sentence in sentences:
            started = time.perf_counter()
            found = suggestions_for(sentence)
            seconds += time.perf_counter() - started
            count += 1
            truth = [
                Parts({r: (getattr(a, r),) if getattr(a, r) else () for r in ROLES})
                for a in gold.get(sentence.pk, ())
            ]
            suggested = [served_parts(a) for a in found["attributions"]]
            scores.add(suggested, truth)
            pairs.append((sentence.text, truth, suggested))
            # Everything suggested, whatever the threshold (the project row is read with the
            # sentence, so the served threshold is changed for this call only).
            sentence.project.suggestion_threshold = 0.0
            records = suggestions_for(sentence)["attributions"]
            sentence.project.suggestion_threshold = threshold
            unfiltered = [served_parts(a) for a in records]
            everything.add(unfiltered, truth)
            resolved.add(unfiltered, resolved_truth(get_nlp().make_doc(sentence.text), truth))
            for record, parts in zip(records, unfiltered, strict=True):
                right = all(
                    touch(parts.parts(r), [p for g in truth for p in g.parts(r)])
                    for r in ROLES
                    if parts.parts(r)
                )
                if record["confidence"] is not None:  # a quotation carried over says none
                    confidences.append((record["confidence"], right))
                if record["source"] and is_function_source(record["source"]["text"]):
                    function_words.append(record["source"]["text"])
    return {
        "scores": scores,
        "all": everything,
        "resolved": resolved,
        "pairs": pairs,
        "rate": count / seconds if seconds else 0.0,
        "function_words": function_words,
        "confidences": confidences,
    }


def resolved_truth(doc, truth: list[Parts]) -> list[Parts]:
    """Return the gold with its function-word sources as the tool resolves them: a relative
    pronoun ("Trump, who said") stands for the phrase it follows, other function words
    ("it", "which" without one) for no source (claims.nlp.function_sources)."""
    from claims.nlp.function_sources import speaking_offsets

    found = []
    for gold in truth:
        parts = {r: gold.parts(r) for r in ROLES}
        if parts["source"]:
            speaker = speaking_offsets(doc, parts["source"][0])
            parts["source"] = (speaker,) if speaker else ()
        found.append(Parts(parts))
    return found


def limits(pairs, train_rows: list[dict]) -> list[str]:
    """Measure what bounds the figures: cues never a cue in train, nested reports."""
    seen = {
        " ".join(row["text"][a:b] for a, b in attribution["cue"] or ()).lower()
        for row in train_rows
        for attribution in row["attributions"]
    }
    counts = dict.fromkeys(("seen", "seen_hit", "unseen", "unseen_hit", "fp", "nested"), 0)
    for text, truth, suggested in pairs:
        contents = [p for a in truth for p in a.parts("content")]
        for gold in truth:
            if not gold.parts("cue"):
                continue
            key = (
                "seen"
                if " ".join(text[a:b] for a, b in gold.parts("cue")).lower() in seen
                else "unseen"
            )
            counts[key] += 1
            counts[key + "_hit"] += any(touch(gold.parts("cue"), s.parts("cue")) for s in suggested)
        for attribution in suggested:
            cue = attribution.parts("cue")
            if cue and not any(touch(cue, g.parts("cue")) for g in truth):
                counts["fp"] += 1
                counts["nested"] += touch(cue, contents)
    c = counts
    total = max(c["seen"] + c["unseen"], 1)
    return [
        f"  limits: {c['unseen']} of {total} dev cues ({c['unseen'] / total:.0%}) are words never "
        f"a cue in train; cue recall {c['unseen_hit'] / max(c['unseen'], 1):.2f} on those, "
        f"{c['seen_hit'] / max(c['seen'], 1):.2f} on the others",
        f"  limits: {c['nested']} of {c['fp']} unmatched suggested cues lie inside a gold content "
        "(reports nested in a report, never annotated in PolNeAR)",
    ]


def touch(a, b) -> bool:
    return any(x[0] < y[1] and y[0] < x[1] for x in a for y in b)
