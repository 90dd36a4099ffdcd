"""Plain bulk statements (ingest, rules), where the ORM's per-row, per-field work dominates.

Django's ``bulk_create`` and ``bulk_update`` prepare every value of every row through the field
machinery (and ``bulk_update`` builds a CASE WHEN per field and row); for batches of hundreds of
messages that costs more in Python than the database takes to run the statements. These build one
statement for all rows with values prepared the cheap way.

On PostgreSQL the rows go as one JSON parameter read by ``json_to_recordset``: a fixed text
whatever the row count, one round trip, and the rows are serialised by the json module's C code.
(Measured against the alternatives: one array per column through UNNEST, as Django's own
bulk_create does, spent a third more in Python dumping arrays value by value; a multi-row VALUES
statement with thousands of parameters was slower still, re-parsed for each size.)
On SQLite (in-process) a multi-row VALUES statement, within its cap on parameters, or
executemany where nothing is returned; dates go in the backend's own text format (SQLite
compares them as text).

Inserts return what they wrote (RETURNING), so nothing is read back: on PostgreSQL every round
trip costs a few milliseconds on a busy machine, as much as the work itself; on SQLite the read
back cost more in Python than the insert.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

Prepare = Callable[[Any], Any] | None  # None: the value goes as it is
M = TypeVar("M", bound=Model)


def one_of(column: str, values: Sequence[Any], field: models.Field[Any, Any]) -> tuple[str, Any]:
    """``column`` (of ``field``) is one of ``values``, as SQL and its one parameter, whatever the
    count: an array on PostgreSQL, a JSON list on SQLite (which caps the parameters of one
    query)."""
    if connection.vendor == "postgresql":
        # Cast to the column's own type: psycopg sends small numbers as smallint[], and
        # bigint = ANY(smallint[]) cannot use a hash of the list (a scan tests each row
        # against every value, three times slower on ingest's roll-up).
        return f"{column} = ANY(%s::{array_type(field)})", list(values)
    return f"{column} IN (SELECT value FROM json_each(%s))", json.dumps(list(values))  # noqa: S608


def array_type(field: models.Field[Any, Any]) -> str:
    """``bigint[]``, ``varchar[]``: sizes left out, so no value is silently cut to match."""
    return f"{field.db_type(connection).split('(')[0]}[]"  # type: ignore[union-attr]


def _among(
    model: type[Model], equal: Mapping[str, Any], name: str, among: Sequence[Any]
) -> tuple[str, list[Any]]:
    """``WHERE`` text and parameters: every ``equal`` field has its value, ``name`` one of
    ``among``. One parameter for the list: the ORM's ``IN (%s, %s, …)`` costs more to build and
    for psycopg to parse (hundreds of placeholders, too long for its cache) than the query takes
    to run."""
    quote = connection.ops.quote_name
    tests = [f"{quote(_concrete(model, field).column)} = %s" for field in equal]
    field = _concrete(model, name)
    test, listed = one_of(quote(field.column), among, field)
    return " AND ".join([*tests, test]), [*equal.values(), listed]


def values_among(
    model: type[Model], name: str, equal: Mapping[str, Any], among: Sequence[Any]
) -> set[Any]:
    """The stored values of ``name`` among ``among``, on the rows with the ``equal`` values."""
    if not among:
        return set()
    where, params = _among(model, equal, name, among)
    column = connection.ops.quote_name(_concrete(model, name).column)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where}", params)  # noqa: S608
        return {value for (value,) in cursor.fetchall()}


def rows_among(
    model: type[M],
    deferred: Sequence[str],
    equal: Mapping[str, Any],
    name: str,
    among: Sequence[Any],
) -> list[M]:
    """Instances of the rows with the ``equal`` values whose ``name`` is one of ``among``,
    as ``filter(...).defer(*deferred)`` reads them, dates read the fast way."""
    if not among:
        return []
    fields = [f for f in model._meta.concrete_fields if f.name not in deferred]
    where, params = _among(model, equal, name, among)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {where}"  # noqa: S608
    with reading_dates() as cursor:
        cursor.execute(sql, params)
        return _instances(model, fields, cursor.fetchall())


@contextmanager
def reading_dates() -> Iterator[CursorWrapper]:
    """A cursor that reads dates fast. On PostgreSQL Django reads each timestamptz through a
    Python subclass of psycopg's loader (3.3 µs a date, measured) where psycopg's own, in C,
    takes 0.23 µs: for the thousands of dates a batch reads back that was several percent of
    ingest. Both give aware datetimes, the same instants."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg import adapters
            from psycopg.pq import Format

            oid = adapters.types["timestamptz"].oid
            loader = adapters.get_loader(oid, Format.TEXT)
            cursor.cursor.adapters.register_loader(oid, loader)  # this cursor only
        yield cursor


def as_datetime(value: Any) -> datetime | None:
    """A date from a raw query: SQLite gives text, PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return connection.ops.convert_datetimefield_value(value, None, connection)  # type: ignore[attr-defined]


def _preparer(field: models.Field[Any, Any]) -> Prepare:
    if connection.vendor == "postgresql":
        return _json_preparer(field)
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: adapt(value) if isinstance(value, datetime) else value
    if isinstance(field, models.JSONField | models.BinaryField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _json_preparer(field: models.Field[Any, Any]) -> Prepare:
    """Values as JSON carries them; PostgreSQL reads each back with its column's type."""
    if isinstance(field, models.DateTimeField):
        return lambda value: value.isoformat() if isinstance(value, datetime) else value
    if isinstance(field, models.FloatField):  # JSON has no NaN nor infinity: sent as text
        return lambda value: value if value is None or math.isfinite(value) else str(value)
    if isinstance(field, models.DecimalField):
        return lambda value: value if value is None else str(value)
    if isinstance(field, models.BinaryField):
        raise ValueError(f"{field.name}: binary values cannot go through JSON")
    return None


def _row(obj: Model, prepare: list[tuple[str, Prepare]]) -> list[Any]:
    values = [getattr(obj, name) for name, _convert in prepare]
    for index, (_name, convert) in enumerate(prepare):
        if convert is not None:
            values[index] = convert(values[index])
    return values


def _concrete(model: type[Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def _recordset(fields: Sequence[models.Field[Any, Any]]) -> str:
    """``json_to_recordset(%s) AS v("id" bigint, "text" text, ...)``: the rows, one JSON
    parameter. Sizes are left out of the types (varchar, not varchar(300)) so no value is
    silently cut: a value too long for its column fails the statement instead."""
    quote = connection.ops.quote_name
    columns = [f"{quote(f.column)} {f.db_type(connection).split('(')[0]}" for f in fields]  # type: ignore[union-attr]
    return f"json_to_recordset(%s) AS v({', '.join(columns)})"


def _json_rows(fields: Sequence[models.Field[Any, Any]], rows: list[list[Any]]) -> str:
    names = [field.column for field in fields]
    return json.dumps([dict(zip(names, row, strict=True)) for row in rows], allow_nan=False)


def insert_many(
    model: type[Model], objects: Sequence[Model], *, skip_existing: bool, returning: str = ""
) -> dict[Any, int]:
    """INSERT every object (not its primary key); with ``skip_existing``, rows that would break
    a unique constraint are left out silently (ON CONFLICT DO NOTHING), like a lost race.

    With ``returning`` (a field name): the new rows' primary keys by that field's value, rows
    left out absent.
    """
    if not objects:
        return {}
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    wanted = [_concrete(model, returning), model._meta.pk] if returning else []
    return {key: pk for key, pk in _insert(model, objects, conflict, wanted)}


def create_many(model: type[Model], objects: Sequence[Model]) -> None:
    """INSERT every object and give it its new primary key: ``bulk_create`` without the ORM's
    per-value work (nor its signals, which it does not send either)."""
    if not objects:
        return
    rows = _insert(model, objects, "", [model._meta.pk])
    # Keys come from the sequence in the order the rows were given: sorted, they pair up with
    # the objects whatever order RETURNING lists them in.
    for obj, (pk,) in zip(objects, sorted(rows), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def upsert_many(
    model: type[M], objects: Sequence[M], unique: Sequence[str], merge: Mapping[str, str]
) -> list[M]:
    """INSERT every object; one that exists already (by the ``unique`` fields) is updated
    instead, field by field as ``merge`` says: an SQL expression of ``{old}`` (the stored
    value), ``{new}`` (this object's) and ``{greatest}`` (the larger-of function's name).
    The rows as stored, as instances.

    Rows are written in the order given: callers sort them by key, so two batches sharing rows
    lock them in the same order and never wait on each other crosswise.
    """
    if not objects:
        return []
    quote = connection.ops.quote_name
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    target = ", ".join(quote(_concrete(model, name).column) for name in unique)
    assignments = []
    for name, expression in merge.items():
        column = quote(_concrete(model, name).column)
        value = expression.format(old=f"t.{column}", new=f"excluded.{column}", greatest=greatest)
        assignments.append(f"{column} = {value}")
    conflict = f" ON CONFLICT ({target}) DO UPDATE SET {', '.join(assignments)}"
    fields = list(model._meta.concrete_fields)
    return _instances(model, fields, _insert(model, objects, conflict, fields))


def _insert(
    model: type[Model],
    objects: Sequence[Model],
    conflict: str,
    returning: list[models.Field[Any, Any]],
) -> list[tuple[Any, ...]]:
    """One INSERT for all ``objects``; the ``returning`` columns of the rows written."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepare = [(f.attname, _preparer(f)) for f in fields]
    rows = [_row(obj, prepare) for obj in objects]
    # Names come from the model's own metadata, quoted; values are always parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    insert = f"INSERT INTO {quote(model._meta.db_table)} AS t ({columns})"  # noqa: S608
    wanted = ""
    if returning:
        wanted = " RETURNING " + ", ".join(quote(f.column) for f in returning)
    with reading_dates() as cursor:
        if connection.vendor == "postgresql":
            sql = f"{insert} SELECT * FROM {_recordset(fields)}{conflict}{wanted}"  # noqa: S608
            cursor.execute(sql, [_json_rows(fields, rows)])
            return cursor.fetchall() if returning else []
        if not returning:  # in-process: one prepared statement stepped per row
            cursor.executemany(f"{insert} VALUES {_placeholders(len(fields), 1)}{conflict}", rows)
            return []
        written: list[tuple[Any, ...]] = []
        for chunk in _chunks(rows, _rows_per_statement(len(fields))):
            sql = f"{insert} VALUES {_placeholders(len(fields), len(chunk))}{conflict}{wanted}"
            cursor.execute(sql, [value for row in chunk for value in row])
            written.extend(cursor.fetchall())
        return written


def _placeholders(width: int, count: int) -> str:
    row = "({})".format(", ".join(["%s"] * width))
    return ", ".join([row] * count)


def _rows_per_statement(width: int) -> int:
    """SQLite caps the parameters of one statement (999 in old builds, far more since 3.32)."""
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(limit, 30_000) // width)


def _chunks(rows: list[list[Any]], size: int) -> list[list[list[Any]]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def _instances(
    model: type[M], fields: list[models.Field[Any, Any]], rows: list[tuple[Any, ...]]
) -> list[M]:
    """Model instances from raw rows, through the same converters the ORM would apply."""
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((column, found))
    names = [field.attname for field in fields]
    made = []
    for row in rows:
        values = list(row)
        for index, (column, found) in enumerate(converters):
            for convert in found:
                values[index] = convert(values[index], column, connection)
        made.append(model.from_db(connection.alias, names, values))
    return made


def update_many(
    model: type[Model],
    objects: Sequence[Model],
    fields: list[str],
    changed: Mapping[str, list[Any]] | None = None,
) -> None:
    """One UPDATE for every object: run per row on SQLite (executemany), once on PostgreSQL.

    ``bulk_update`` builds a CASE WHEN per field and row, which costs far more in Python than
    the database takes to run plain updates. ``changed`` sets more fields, by name, on the rows
    given a value (one per object) and leaves the others' (None) as they are: a status moved by
    news is written with the rest, and a status a person just set on another conversation is
    not overwritten.
    """
    if not objects:
        return
    changed = changed or {}
    columns = [_concrete(model, name) for name in fields]
    prepare = [(c.attname, _preparer(c)) for c in columns]
    given = [(_preparer(_concrete(model, name)), values) for name, values in changed.items()]
    rows = []
    for number, obj in enumerate(objects):
        row = _row(obj, prepare)
        for convert, column in given:
            value = column[number]
            row.append(value if convert is None or value is None else convert(value))
        rows.append([*row, obj.pk])
    # What each column becomes: the value given ({new}), or a mix with the stored one ({old}).
    assign = ["{new}"] * len(columns)
    for name in changed:
        columns.append(_concrete(model, name))
        assign.append("COALESCE({new}, {old})")
    if connection.vendor == "postgresql":
        return _update_recordset(model, columns, assign, rows)
    quote = connection.ops.quote_name
    settings = ", ".join(
        f"{quote(c.column)} = " + value.format(new="%s", old=quote(c.column))
        for c, value in zip(columns, assign, strict=True)
    )
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {settings} WHERE {key} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_recordset(
    model: type[Model],
    given: list[models.Field[Any, Any]],
    assign: list[str],
    rows: list[list[Any]],
) -> None:
    """``UPDATE t SET a = v.a … FROM json_to_recordset(rows) AS v(a, …, id) WHERE t.id = v.id``."""
    quote = connection.ops.quote_name
    meta = model._meta
    values = [
        f"{quote(c.column)} = "
        + value.format(new=f"v.{quote(c.column)}", old=f"t.{quote(c.column)}")
        for c, value in zip(given, assign, strict=True)
    ]
    key = quote(meta.pk.column)
    # The keys again as an array: the planner then reads only these rows by the primary key,
    # where for the JSON alone (it guesses 100 rows) it may scan the whole table.
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {', '.join(values)}"  # noqa: S608
        f" FROM {_recordset([*given, meta.pk])}"
        f" WHERE t.{key} = v.{key} AND t.{key} = ANY(%s::{array_type(meta.pk)})"
    )
    # Rows locked in key order: two batches sharing rows never wait on each other crosswise.
    rows = sorted(rows, key=lambda row: row[-1])
    with connection.cursor() as cursor:
        cursor.execute(sql, [_json_rows([*given, meta.pk], rows), [row[-1] for row in rows]])
