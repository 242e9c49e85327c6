"""The pipeline that parses sentences for suggestions, apart from the one that segments them.

``CLAIMS_SPACY_MODEL`` names an installed trained spaCy pipeline whose parser and entities
help the rules find sources. It is loaded once per process and never used to segment: a
parser's sentence boundaries differ from the sentencizer's, and enabling it must not move the
boundaries of articles imported later (segmentation has its own setting,
``CLAIMS_SEGMENTATION_MODEL``, in claims/nlp/segmentation.py).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.conf import settings

# spaCy is imported when the pipeline is loaded: it takes seconds, and the app's start-up
# (every manage.py command, server and worker) imports this module.
if TYPE_CHECKING:
    from spacy.language import Language

PARSER_SETTING = "CLAIMS_SPACY_MODEL"


@functools.cache
def get_parser() -> Language | None:
    """Return the trained pipeline named by ``settings.CLAIMS_SPACY_MODEL``, or None."""
    name = (getattr(settings, PARSER_SETTING, "") or "").strip()
    if not name:
        return None
    import spacy  # on first use (see the imports above)

    try:
        return spacy.load(name, exclude=["senter", "sentencizer"])
    except OSError as exc:
        raise RuntimeError(
            f"{PARSER_SETTING}={name!r} is not an installed spaCy pipeline. Install that "
            f"package or unset {PARSER_SETTING}: suggestions then come from the rules alone."
        ) from exc


def parses() -> bool:
    """Tell whether suggestions get a dependency parse (a trained pipeline with a parser)."""
    parser = get_parser()
    return parser is not None and "parser" in parser.pipe_names
