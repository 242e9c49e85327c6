"""The export formats, one class each, all fed by the same record stream."""

from claims.exporting.formats.base import Formatter
from claims.exporting.formats.doccano import DoccanoFormatter
from claims.exporting.formats.hf import HuggingFaceFormatter
from claims.exporting.formats.native import NativeFormatter
from claims.exporting.formats.prodigy import ProdigyFormatter
from claims.exporting.formats.spacy_docbin import SpacyFormatter

FORMATS: dict[str, type[Formatter]] = {
    f.name: f
    for f in (
        NativeFormatter,
        SpacyFormatter,
        HuggingFaceFormatter,
        ProdigyFormatter,
        DoccanoFormatter,
    )
}

__all__ = ["FORMATS", "Formatter"]
