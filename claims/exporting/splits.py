"""Assign articles to train/dev/test: deterministic, by article, stable as the project grows.

An article's split depends only on the seed and its external id, never on the other articles,
so adding articles later never moves an existing one to another split (no test article can
leak into a later training set). The proportions are therefore approximate for few articles.
"""

import hashlib

from claims.exporting.options import SplitSpec

HASH_SPACE = 16**16


def article_fraction(seed: int, article_id: str) -> float:
    """Return a number in [0, 1) fixed by the seed and the article's external id."""
    digest = hashlib.sha256(f"{seed}/{article_id}".encode()).hexdigest()
    return int(digest[:16], 16) / HASH_SPACE


def split_of(spec: SplitSpec, seed: int, article_id: str) -> str:
    """Return the name of the split the article belongs to."""
    point = article_fraction(seed, article_id) * 100
    upper = 0
    for name, percent in spec.parts:
        upper += percent
        if point < upper:
            return name
    return next(name for name, percent in reversed(spec.parts) if percent)
