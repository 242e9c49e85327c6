"""spaCy training data: a DocBin of sentences with the claim label in doc.cats, the claim types
and the attribution spans as span groups (docs/export-format.md; docs/spacy/claims.cfg trains
on it as it is)."""

from collections.abc import Iterable, Iterator

from claims.exporting.dataset import Record
from claims.exporting.formats.base import Formatter
from claims.exporting.formats.docbin import StreamedDocBin
from claims.exporting.formats.tokens import tokenize
from claims.exporting.report import Part, PartLeft

SPAN_KEY = "attribution"
# The claim types, one span over the whole sentence per type: spaCy's exclusive textcat reads
# every entry of doc.cats and refuses more than one positive, so multi-label types cannot
# share doc.cats with the claim label; a spancat (multi-label) learns them from this group.
CLAIM_TYPES_KEY = "claim_types"


class SpacyFormatter(Formatter):
    name = "spacy"
    extension = ".spacy"
    media_type = "application/octet-stream"
    description = (
        "spaCy DocBin: doc.cats (the claim label, exclusive), doc.spans['claim_types'], "
        "doc.spans['attribution']"
    )

    @property
    def writes_directory(self) -> bool:
        return self.options.split is not None

    def split_parts(self, records: Iterable[Record]) -> dict[str, Iterator[bytes]]:
        """Return the bytes of a DocBin for every split named by the options (empty ones too).

        The records are all read first (a DocBin's header needs its sizes), the docs spooled
        to temporary files; memory stays flat.
        """
        bins = {name: StreamedDocBin() for name, _ in self.options.split.parts}
        for record in records:
            doc = self.doc(record)
            if doc is not None:
                bins[record["split"]].add(doc)
                self.examples += 1
        return {name: docs.chunks() for name, docs in bins.items()}

    def encode(self, records: Iterable[Record]) -> Iterator[bytes]:
        # One DocBin; each doc's split is in doc.user_data["split"]. Its bytes come once every
        # record has been read (see split_parts).
        docs = StreamedDocBin()
        for record in records:
            doc = self.doc(record)
            if doc is not None:
                docs.add(doc)
                self.examples += 1
        yield from docs.chunks()

    def doc(self, record: Record):
        from spacy.tokens import Span  # the other formats never load spaCy

        resolved = self.resolve(record)
        if resolved is None:
            return None
        doc = tokenize(record["text"])
        if resolved.claim is not None:
            doc.cats = {c.value: float(c.value == resolved.claim) for c in self.labels.claims}
            doc.spans[CLAIM_TYPES_KEY] = [
                Span(doc, 0, len(doc), label=t.value)
                for t in self.labels.claim_types
                if t.value in resolved.claim_types
            ]
        spans = (
            doc.char_span(start, end, label=label, alignment_mode="expand")
            for start, end, label in resolved.spans
        )
        doc.spans[SPAN_KEY] = [span for span in spans if span is not None and len(span)]
        lost = len(resolved.spans) - len(doc.spans[SPAN_KEY])
        self.report.parts_left_out(Part.SPAN, lost, PartLeft.NO_TOKEN)
        doc.user_data.update(
            {
                "id": record["id"],
                "split": record["split"],
                "origin": resolved.origin,
                "annotator": resolved.annotator,
                "stance": [{"target": t, "label": label} for t, label in resolved.stance],
            }
        )
        return doc
