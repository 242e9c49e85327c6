"""The one error the domain raises for input that breaks a rule, naming each bad field."""

from typing import Any


class InvalidInput(ValueError):
    """Input that breaks a rule; nothing was changed.

    `errors` is shaped like Django REST framework's errors, e.g.
    {"attributions": [{}, {"source": {"end": ["must be <= 57 (sentence length)"]}}]}, so an API
    client sees which field of which item is wrong; `lines()` says the same in plain lines for
    forms and commands.
    """

    def __init__(self, errors: dict[str, Any]):
        super().__init__("; ".join(self.lines_of(errors)))
        self.errors = errors

    def lines(self, *, item_names: dict[str, str] | None = None) -> list[str]:
        """Return one line per problem, e.g. "attribution 2, source end: must be ..."."""
        return self.lines_of(self.errors, item_names=item_names or {})

    @classmethod
    def lines_of(
        cls, errors: Any, path: tuple[str, ...] = (), item_names: dict[str, str] | None = None
    ) -> list[str]:
        names = item_names or {}
        if isinstance(errors, dict):
            return [
                line
                for key, value in errors.items()
                for line in cls.lines_of(value, (*path, key), names)
            ]
        if isinstance(errors, list) and all(isinstance(e, str) for e in errors):
            where = " ".join(p for p in path if p != "non_field_errors").replace("_", " ")
            where = where.strip().rstrip(",")
            return [f"{where}: {message}" if where else message for message in errors]
        if isinstance(errors, str):
            return cls.lines_of([errors], path, names)
        name = names.get(path[-1], path[-1].rstrip("s")) if path else "item"
        lines = []
        for number, item in enumerate(errors or [], start=1):
            if item:
                lines += cls.lines_of(item, (*path[:-1], f"{name} {number},"), names)
        return lines
