"""Write export files so that a reader finds the old file or the whole new one, never a part.

Each file is written unnamed (Linux's O_TMPFILE) in the directory of its target, and given
its name only once complete: a kill at any moment leaves the old file as it was and nothing
else behind. Where unnamed files are not available, it is written under a hidden name and
renamed; an error or SIGTERM removes it (SIGKILL would leave the hidden file). A set of files
(train, dev, test) is written in full before any of them replaces its predecessor.
"""

import os
import secrets
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


def is_stream(path: Path) -> bool:
    """Tell whether the path is a named pipe or a device: written in place, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


@contextmanager
def atomic_files(paths: list[Path]) -> Iterator[list[BinaryIO]]:
    """Yield a stream for each path; when the block ends without error, put them in place.

    A symbolic link is followed: the file it points to is replaced and the link kept.
    """
    targets = [Path(os.path.realpath(path)) for path in paths]
    pending: list[_Unnamed] = []
    try:
        for target in targets:
            pending.append(_Unnamed(target))
        yield [file.stream for file in pending]
        for file in pending:
            file.complete()
        for file in pending:
            file.install()
    finally:
        for file in pending:
            file.discard()


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    with atomic_files([path]) as [stream]:
        yield stream


class _Unnamed:
    """A new file in the target's directory, without a name until it is installed."""

    def __init__(self, target: Path):
        self.target = target
        self.name: str | None = None
        try:
            descriptor = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, 0o666)
        except (AttributeError, OSError):  # not Linux, or a file system without O_TMPFILE
            descriptor, self.name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".partial", dir=target.parent
            )
            os.chmod(self.name, 0o666 & ~current_umask())
        self.stream = os.fdopen(descriptor, "wb")

    def complete(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())

    def install(self) -> None:
        if self.name is None:
            # Link the unnamed file under a fresh hidden name, then rename it over the target
            # (a link cannot replace an existing file); the hidden name lives for microseconds.
            name = f".{self.target.name}.{secrets.token_hex(4)}.partial"
            directory = os.open(self.target.parent, os.O_RDONLY)
            try:  # a directory descriptor makes os.link use linkat(), which follows /proc's link
                os.link(
                    f"/proc/self/fd/{self.stream.fileno()}", name,
                    dst_dir_fd=directory, follow_symlinks=True,
                )  # fmt: skip
            finally:
                os.close(directory)
            self.name = str(self.target.with_name(name))
        self.stream.close()
        os.replace(self.name, self.target)
        self.name = None

    def discard(self) -> None:
        self.stream.close()
        if self.name is not None:
            with suppress(FileNotFoundError):
                os.unlink(self.name)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def terminated_as_exit() -> Iterator[None]:
    """Turn SIGTERM into SystemExit meanwhile, so that `finally` blocks clean up (commands)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
