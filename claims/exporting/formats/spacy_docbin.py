"""spaCy training data: a DocBin of sentences with cats and attribution span groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from claims.exporting.dataset import Record
from claims.exporting.formats.base import Formatter, check_distinct_categories
from claims.exporting.formats.tokens import tokenize
from claims.exporting.report import Part, PartLeft

if TYPE_CHECKING:
    from spacy.tokens import DocBin

SPAN_KEY = "attribution"


def new_doc_bin() -> DocBin:
    # Imported here so that the other formats never load spaCy.
    from spacy.tokens import DocBin

    return DocBin(store_user_data=True)


class SpacyFormatter(Formatter):
    name = "spacy"
    extension = ".spacy"
    media_type = "application/octet-stream"
    description = "spaCy DocBin: doc.cats (claim labels and types), doc.spans['attribution']"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        check_distinct_categories(self.labels)

    @property
    def writes_directory(self) -> bool:
        return self.options.split is not None

    def doc_bins(self, records: Iterable[Record]) -> dict[str | None, DocBin]:
        """Return one DocBin per split (the key None without a split)."""
        bins: dict[str | None, DocBin] = {}
        for record in records:
            doc = self.doc(record)
            if doc is not None:
                if record["split"] not in bins:
                    bins[record["split"]] = new_doc_bin()
                bins[record["split"]].add(doc)
                self.examples += 1
        return bins

    def write_splits(self, records: Iterable[Record], directory: Path) -> list[Path]:
        """Write <split>.spacy for every split named by the options (empty ones too)."""
        bins = self.doc_bins(records)
        directory.mkdir(parents=True, exist_ok=True)
        files = []
        for name, _ in self.options.split.parts:
            files.append(directory / f"{name}{self.extension}")
            bins.get(name, new_doc_bin()).to_disk(files[-1])
        return files

    def encode(self, records: Iterable[Record]) -> Iterator[bytes]:
        # A DocBin is one compressed blob; each doc's split is in doc.user_data["split"].
        docs = new_doc_bin()
        for record in records:
            doc = self.doc(record)
            if doc is not None:
                docs.add(doc)
                self.examples += 1
        yield docs.to_bytes()

    def doc(self, record: Record):
        resolved = self.resolve(record)
        if resolved is None:
            return None
        doc = tokenize(record["text"])
        if resolved.claim is not None:
            cats = {c.value: float(c.value == resolved.claim) for c in self.labels.claims}
            cats.update(
                {t.value: float(t.value in resolved.claim_types) for t in self.labels.claim_types}
            )
            doc.cats = cats
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
