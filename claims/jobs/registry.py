"""Job kinds: the functions a worker may run, registered by name with @job_kind."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# progress(done, total, detail=None, now=False): `detail` (a JSON object) says what the job is
# doing in its kind's terms; `now` writes it at once (else at most twice a second).
Progress = Callable[..., None]
JobFunction = Callable[[Any, Progress], dict]
# describe(job) -> the job's outcome for people (HTML-safe text, links welcome).
Describer = Callable[[Any], str]


class JobFailed(Exception):
    """Raise from a job function to fail the job with this message for the user."""


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str
    function: JobFunction
    describe: Describer | None = None
    # Safe to start again from the beginning when the worker running it died: the work it
    # did is either redone the same way or skipped (claims.jobs.leases).
    rerun: bool = False


_kinds: dict[str, JobKind] = {}


def job_kind(
    name: str, *, title: str = "", describe: Describer | None = None, rerun: bool = False
) -> Callable[[JobFunction], JobFunction]:
    """Register `fn(job, progress) -> dict` as the job kind `name` (`title`: for people;
    `describe(job)`: its result in words, for the job's page).

    `rerun`: a job of this kind whose worker died is run again by another worker (it must
    be idempotent); otherwise it is failed with the reason, for its starter to start again.
    """

    def register(function: JobFunction) -> JobFunction:
        known = _kinds.get(name)
        if known is not None and known.function is not function:
            raise ValueError(f"job kind {name!r} is already registered by {known.function}")
        _kinds[name] = JobKind(
            name=name,
            title=title or name.replace("_", " "),
            function=function,
            describe=describe,
            rerun=rerun,
        )
        return function

    return register


def registered_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def kind_names() -> list[str]:
    return sorted(_kinds)


def kind_title(name: str) -> str:
    kind = _kinds.get(name)
    return kind.title if kind else name
