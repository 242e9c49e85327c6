"""A progress bar for management commands, shown only when a person is watching."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(stream, *, unit: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """Yield a function that advances a bar on the stream when it is a terminal."""
    if not stream.isatty():
        yield lambda count: None
        return
    with tqdm(total=total, unit=unit, file=stream._out, dynamic_ncols=True) as bar:
        yield bar.update
