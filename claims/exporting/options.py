"""What to export: the options the command, the API and the admin share, parsed from strings."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims.errors import InvalidInput

SPLIT_NAMES = {2: ("train", "test"), 3: ("train", "dev", "test")}
MAX_MIN_ANNOTATIONS = 1000


class ExportStatus(StrEnum):
    SUBMITTED = "submitted"  # sentences with at least one submitted annotation
    GOLD = "gold"  # sentences with a gold annotation
    ALL = "all"  # every sentence, labeled or not, with annotations of any status


class ExportPer(StrEnum):
    SENTENCE = "sentence"
    ANNOTATION = "annotation"


class ResolveRule(StrEnum):
    """How single-label formats choose one label set for a sentence (claims.exporting.resolve)."""

    GOLD = "gold"  # the gold; sentences without gold are left out
    MAJORITY = "majority"  # the gold, else what more than half of the annotators chose
    ANNOTATOR = "annotator"  # the gold, else one annotator's annotation
    UNION = "union"  # the gold, else every span any annotator marked (claim by majority)


@dataclass(frozen=True)
class Resolve:
    rule: ResolveRule = ResolveRule.MAJORITY
    annotator: str | None = None  # with ResolveRule.ANNOTATOR

    def __str__(self) -> str:
        return f"{self.rule}:{self.annotator}" if self.annotator else str(self.rule)


@dataclass(frozen=True)
class SplitSpec:
    """A train/dev/test split by article: split names with their percentages."""

    parts: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        return "/".join(str(percent) for _, percent in self.parts)


@dataclass(frozen=True)
class ExportOptions:
    status: ExportStatus = ExportStatus.SUBMITTED
    min_annotations: int = 0
    since: dt.datetime | None = None
    split: SplitSpec | None = None
    seed: int = 0
    per: ExportPer = ExportPer.SENTENCE
    # Single-label formats: how to choose one label set per sentence; None: not given (the
    # majority). `annotator` is the older spelling of Resolve(ResolveRule.ANNOTATOR, name).
    resolve: Resolve | None = None
    annotator: str | None = None
    # Native JSONL only: end with a trailer line (record count, SHA-256) that tells a whole file
    # from a cut-off one; off by default, since JSON-lines readers take it for a record.
    trailer: bool = False

    @property
    def resolution(self) -> Resolve:
        """Return the rule single-label formats apply."""
        if self.resolve is not None:
            return self.resolve
        if self.annotator:
            return Resolve(ResolveRule.ANNOTATOR, self.annotator)
        return Resolve()


OPTION_NAMES = (
    "status", "min_annotations", "since", "split", "seed", "per", "resolve", "annotator",
    "trailer",
)  # fmt: skip
RESOLVE_FORMS = "gold, majority, union or annotator:NAME"


def parse_split(value: str) -> SplitSpec:
    """Parse '80/10/10' (train/dev/test) or '90/10' (train/test); the parts must sum to 100."""
    pieces = value.split("/")
    if len(pieces) not in SPLIT_NAMES or not all(p.strip().isdigit() for p in pieces):
        raise ValueError(f"{value!r} is not like 80/10/10 (train/dev/test) or 90/10 (train/test)")
    percents = [int(p) for p in pieces]
    if sum(percents) != 100:
        raise ValueError(f"the parts of {value!r} add up to {sum(percents)}, not 100")
    return SplitSpec(tuple(zip(SPLIT_NAMES[len(percents)], percents, strict=True)))


def parse_since(value: str) -> dt.datetime:
    """Parse an ISO date (midnight UTC) or date-time (UTC when it has no offset)."""
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ValueError(f"{value!r} is not an ISO date (2026-01-30) or date-time")
    if moment is None:
        moment = dt.datetime.combine(day, dt.time())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def parse_count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if not 0 <= number <= MAX_MIN_ANNOTATIONS:
        raise ValueError(f"must be from 0 to {MAX_MIN_ANNOTATIONS}")
    return number


def parse_seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


def parse_resolve(value: str) -> Resolve:
    """Parse gold, majority, union or annotator:NAME."""
    rule, _, name = value.strip().partition(":")
    if rule == ResolveRule.ANNOTATOR and name.strip():
        return Resolve(ResolveRule.ANNOTATOR, name.strip())
    if rule in {r.value for r in ResolveRule} - {ResolveRule.ANNOTATOR} and not name:
        return Resolve(ResolveRule(rule))
    raise ValueError(f"{value!r} is not one of {RESOLVE_FORMS}")


def parse_flag(value: str) -> bool:
    """Parse 1/0, true/false, yes/no, on/off."""
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{value!r} is not 1 or 0 (true/false, yes/no, on/off)")


def parse_choice(enum):
    def parse(value: str):
        try:
            return enum(value)
        except ValueError:
            raise ValueError(f"{value!r} is not one of {[e.value for e in enum]}") from None

    return parse


PARSERS = {
    "status": parse_choice(ExportStatus),
    "min_annotations": parse_count,
    "since": parse_since,
    "split": parse_split,
    "seed": parse_seed,
    "per": parse_choice(ExportPer),
    "resolve": parse_resolve,
    "annotator": str.strip,
    "trailer": parse_flag,
}


def options_from_strings(values: Mapping[str, str | None]) -> ExportOptions:
    """Return the options given as strings (None or '' means the default); name every bad one."""
    errors: dict[str, list[str]] = {}
    parsed = {}
    for name, value in values.items():
        if name not in PARSERS:
            errors[name] = [f"unknown option; expected some of {list(OPTION_NAMES)}"]
        elif value not in (None, ""):
            try:
                parsed[name] = PARSERS[name](value)
            except ValueError as error:
                errors[name] = [str(error)]
    if "seed" in parsed and "split" not in parsed:
        errors.setdefault("seed", ["only means something with a split"])
    resolve, annotator = parsed.get("resolve"), parsed.get("annotator")
    if resolve and annotator and resolve != Resolve(ResolveRule.ANNOTATOR, annotator):
        errors.setdefault("annotator", [f"says annotator:{annotator}, resolve says {resolve}"])
    if resolve and parsed.get("per") == ExportPer.ANNOTATION:
        errors.setdefault("resolve", ["only means something with one line per sentence"])
    if errors:
        raise InvalidInput(errors)
    return ExportOptions(**{name: value for name, value in parsed.items() if value != ""})
