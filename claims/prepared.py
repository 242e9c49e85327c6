"""ORM querysets compiled to SQL once per process, for the queries every annotator request runs.

Django compiles a queryset to SQL each time it runs it, and for the short lookups of the hot
path (the permission lookups, the project's labels, the annotation being saved) compiling
costs more CPU than the database spends answering. A `Prepared` query is written with the
ORM as usual, as a function of its values; it is built and compiled once per thread's
database connection with markers in place of those values, and each call runs the same SQL
with its own values, converting the rows as the ORM would (and building model instances,
`select_related` objects and annotations included, with `objects`).

Only values that reach the SQL unchanged may be parameters: ids and exact strings. A marker
the compiled SQL does not carry as a parameter of its own (a value transformed by a lookup
such as `contains`, or folded into the SQL) fails at the first call, not silently. `Insert`
does the same for the rows a save writes. Both read what Django's compiler learns (select,
klass_info, converters): tests/test_prepared.py compares their answers with the ORM's, so a
Django upgrade that changes those internals fails there.
"""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

STR_MARKER = "\x00prepared parameter {}\x00"
CHUNK = 2000
# Inserts of up to this many rows in one statement are written once per row count.
MAX_ROWS = 16


@dataclass(frozen=True)
class Constant:
    value: Any


@dataclass(frozen=True)
class Slot:
    """Where a call's value goes, and the type the database adapter wraps it in, if any."""

    name: str
    wrap: type | None = None

    def value(self, values: dict) -> Any:
        value = values[self.name]
        return value if self.wrap is None or value is None else self.wrap(value)


@dataclass
class Compiled:
    sql: str
    slots: list  # per SQL parameter: a Slot for a call's value, or a Constant
    converters: list  # (position, converters, expression), as the ORM applies them
    compiler: Any  # what the ORM learnt compiling it: select, klass_info, annotations
    populators: list
    init_list: list[str]
    model_slice: slice


class Prepared:
    """A queryset compiled once per thread's connection, run with new values on each call.

    `build(**markers)` returns the queryset; `kinds` names its values and their types (int or
    str), e.g. `Prepared(lambda pk: Sentence.objects.filter(pk=pk), pk=int)`.
    """

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self.build = build
        self.kinds = kinds
        self.local = threading.local()

    def compiled(self, using: str) -> Compiled:
        cache = self.local.__dict__.setdefault("by_alias", {})
        found = cache.get(using)
        if found is None:
            found = cache[using] = self.compile(using)
        return found

    def compile(self, using: str) -> Compiled:
        # Compiled twice with different markers: a parameter that changes with its marker is
        # that value's; one that stays is a constant of the query. Markers are small positive
        # numbers, since the ORM drops a comparison with a number out of its field's range.
        (sql, params, compiler), (other_sql, other_params, _) = (
            self.sql_of(using, offset) for offset in (7001, 9001)
        )
        if sql != other_sql:
            raise ValueError("the query's SQL depends on its values: it cannot be prepared")
        slots = [
            Constant(first) if same(first, second) else self.name_of(first, 7001)
            for first, second in zip(params, other_params, strict=True)
        ]
        missing = set(self.kinds) - {s.name for s in slots if isinstance(s, Slot)}
        if missing:
            raise ValueError(f"values not passed to the SQL as parameters: {sorted(missing)}")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = [(pos, c, e) for pos, (c, e) in compiler.get_converters(fields).items()]
        populators, init_list, model_slice = [], [], slice(0)
        if compiler.klass_info:
            select_fields = compiler.klass_info["select_fields"]
            model_slice = slice(select_fields[0], select_fields[-1] + 1)
            init_list = [f[0].target.attname for f in compiler.select[model_slice]]
            populators = get_related_populators(compiler.klass_info, compiler.select, using)
        return Compiled(sql, slots, converters, compiler, populators, init_list, model_slice)

    def markers(self, offset: int) -> dict[str, Any]:
        return {
            name: offset + n if kind is int else STR_MARKER.format(offset + n)
            for n, (name, kind) in enumerate(self.kinds.items())
        }

    def sql_of(self, using: str, offset: int) -> tuple[str, list, Any]:
        queryset = self.build(**self.markers(offset)).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        return sql, list(params), compiler

    def name_of(self, param: Any, offset: int) -> "Slot":
        """Return the slot of the value whose marker the parameter is."""
        for name, marker in self.markers(offset).items():
            if isinstance(param, type(marker)) and param == marker:
                # psycopg's adapters type ints by their column (Int4, Int8): typed alike.
                return Slot(name, None if type(param) is type(marker) else type(param))
        raise ValueError(f"a value reaches the SQL changed ({param!r}): it cannot be prepared")

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[list]:
        """Return the rows (columns in SELECT order), converted as the ORM converts them."""
        return list(self.iterate(using, **values))

    def iterate(self, using: str = DEFAULT_DB_ALIAS, **values) -> Iterator[list]:
        """Yield the rows as `rows` returns them, fetched CHUNK rows at a time."""
        compiled = self.compiled(using)
        params = [s.value(values) if isinstance(s, Slot) else s.value for s in compiled.slots]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            while chunk := cursor.fetchmany(CHUNK):
                for row in map(list, chunk):
                    for pos, converters, expression in compiled.converters:
                        value = row[pos]
                        for converter in converters:
                            value = converter(value, expression, connection)
                        row[pos] = value
                    yield row

    def objects(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[Model]:
        """Return the model instances, with their select_related objects and annotations."""
        compiled = self.compiled(using)
        model = compiled.compiler.klass_info["model"]
        annotations = compiled.compiler.annotation_col_map or {}
        found = []
        for row in self.rows(using, **values):
            obj = model.from_db(using, compiled.init_list, row[compiled.model_slice])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def first(self, using: str = DEFAULT_DB_ALIAS, **values) -> Model | None:
        found = self.objects(using, **values)
        return found[0] if found else None


def same(first: Any, second: Any) -> bool:
    """Tell whether two parameters are the same constant (some adapters, e.g. psycopg's Jsonb,
    compare by identity but show their value)."""
    return first == second or (type(first) is type(second) and repr(first) == repr(second))


class Insert:
    """One row of a model, inserted by a statement written once per thread's connection.

    What `Model.objects.create()` does for a plain model (fields' pre_save hooks such as
    auto_now_add, values prepared by their fields, the new id read back), without compiling
    an INSERT on each call, without signals (none of the models inserted so has one) and
    never for a model with its own save().
    With `ignore_conflicts`, a row that a unique constraint refuses is not inserted (no
    savepoint needed to recover from the error): `insert` then returns False.
    """

    def __init__(self, model: type[Model], *, ignore_conflicts: bool = False):
        if model.save is not Model.save:
            # Its own save() (e.g. a derived column) would be skipped: save it with the ORM.
            raise TypeError(f"{model.__name__} has its own save(): insert it with the ORM")
        self.model = model
        self.ignore_conflicts = ignore_conflicts
        self.local = threading.local()

    def fields(self) -> list:
        meta = self.model._meta
        return [f for f in meta.local_concrete_fields if f is not meta.pk and not f.generated]

    def sql(self, using: str, rows: int = 1, *, returning: bool = True) -> str:
        """Return the INSERT of `rows` rows, reading the new ids back if `returning`."""
        found = self.local.__dict__.setdefault("by_alias", {})
        if (using, rows, returning) not in found:
            ops, meta = connections[using].ops, self.model._meta
            columns = ", ".join(ops.quote_name(f.column) for f in self.fields())
            values = ", ".join(["(" + ", ".join("%s" for _ in self.fields()) + ")"] * rows)
            sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES {values}"
            if self.ignore_conflicts:
                # PostgreSQL's and SQLite's (3.24+) upsert: only uniqueness conflicts are
                # skipped (SQLite's INSERT OR IGNORE, Django's choice, would skip failed
                # checks and NOT NULLs too).
                sql += " ON CONFLICT DO NOTHING"
            if returning:
                sql += f" RETURNING {ops.quote_name(meta.pk.column)}"
            found[using, rows, returning] = sql
        return found[using, rows, returning]

    def insert_all(self, objs: list[Model], using: str = DEFAULT_DB_ALIAS) -> None:
        """Insert the unsaved instances in one statement (their ids are not read back)."""
        if not objs:
            return
        if len(objs) > MAX_ROWS:
            self.model._default_manager.using(using).bulk_create(objs)
            return
        connection = connections[using]
        params = [
            f.get_db_prep_save(f.pre_save(obj, True), connection)
            for obj in objs
            for f in self.fields()
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(using, len(objs), returning=False), params)
        for obj in objs:
            obj._state.adding, obj._state.db = False, using

    def insert(self, obj: Model, using: str = DEFAULT_DB_ALIAS) -> bool:
        """Insert the unsaved instance and set its id; return False if a conflict skipped it."""
        connection = connections[using]
        if not connection.features.can_return_columns_from_insert:
            return self.insert_by_orm(obj, using)  # SQLite before 3.35
        params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in self.fields()]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(using), params)
            row = cursor.fetchone()
        if row is None:
            return False
        obj.pk = row[0]
        obj._state.adding, obj._state.db = False, using
        return True

    def insert_by_orm(self, obj: Model, using: str) -> bool:
        if not self.ignore_conflicts:
            obj.save(force_insert=True, using=using)
            return True
        try:
            with transaction.atomic(using=using):
                obj.save(force_insert=True, using=using)
        except IntegrityError:
            return False
        return True
