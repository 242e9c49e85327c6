"""Job kinds: the functions a worker may run, registered by name with @job_kind."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Progress = Callable[[int, int], None]
JobFunction = Callable[[Any, Progress], dict]


class JobFailed(Exception):
    """Raise from a job function to fail the job with this message for the user."""


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str
    function: JobFunction


_kinds: dict[str, JobKind] = {}


def job_kind(name: str, *, title: str = "") -> Callable[[JobFunction], JobFunction]:
    """Register `fn(job, progress) -> dict` as the job kind `name` (`title`: for people)."""

    def register(function: JobFunction) -> JobFunction:
        known = _kinds.get(name)
        if known is not None and known.function is not function:
            raise ValueError(f"job kind {name!r} is already registered by {known.function}")
        _kinds[name] = JobKind(name=name, title=title or name.replace("_", " "), function=function)
        return function

    return register


def registered_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def kind_names() -> list[str]:
    return sorted(_kinds)


def kind_title(name: str) -> str:
    kind = _kinds.get(name)
    return kind.title if kind else name
