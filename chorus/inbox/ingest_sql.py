"""Plain bulk statements for ingest, where the ORM's per-row, per-field work dominates.

Django's ``bulk_create`` and ``bulk_update`` prepare every value of every row through the field
machinery (and ``bulk_update`` builds a CASE WHEN per field and row); for batches of hundreds of
messages that costs more in Python than the database takes to run the statements. These build one
statement and run it for all rows (executemany) with values prepared the cheap way: only dates
need the backend's own format (SQLite compares them as text), everything else is passed as is.
On SQLite (in-process) executemany costs next to nothing per row. On PostgreSQL every row of an
executemany is still a statement for the server to run; instead one statement takes one array per
column through UNNEST (as Django's own bulk_create does): a fixed text whatever the row count, so
it is parsed once, and one round trip. (A multi-row VALUES statement with thousands of parameters
was measured slower: psycopg re-parses it for each size.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Model

Prepare = Callable[[Any], Any] | None  # None: the value goes as it is


def _preparer(field: models.Field[Any, Any]) -> Prepare:
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: adapt(value) if isinstance(value, datetime) else value
    if isinstance(field, models.JSONField | models.BinaryField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
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


def _arrays(fields: Sequence[models.Field[Any, Any]]) -> str:
    """``UNNEST(%s::bigint[], %s::varchar[], ...)``: one array parameter per column. Sizes are
    left out of the types (varchar, not varchar(300)) so no value is silently cut."""
    types = [field.db_type(connection).split("(")[0] for field in fields]  # type: ignore[union-attr]
    return "UNNEST({})".format(", ".join(f"%s::{kind}[]" for kind in types))


def _columns(rows: list[list[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)]


def insert_many(
    model: type[Model], objects: Sequence[Model], *, skip_existing: bool, returning: str = ""
) -> dict[Any, int] | None:
    """INSERT every object (not its primary key); with ``skip_existing``, rows that would break
    a unique constraint are left out silently (ON CONFLICT DO NOTHING), like a lost race.

    With ``returning`` (a field name), on PostgreSQL: the new rows' primary keys by that field's
    value, rows left out absent; None where the database cannot say (SQLite's executemany).
    """
    if not objects:
        return {}
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepare = [(f.attname, _preparer(f)) for f in fields]
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    rows = [_row(obj, prepare) for obj in objects]
    if connection.vendor == "postgresql":
        insert = f"INSERT INTO {table} ({columns})"
        return _insert_unnest(model, insert, conflict, fields, rows, returning)
    # Names come from the model's own metadata, quoted; values are always parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}){conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return None


def _insert_unnest(
    model: type[Model],
    insert: str,
    conflict: str,
    fields: list[models.Field[Any, Any]],
    rows: list[list[Any]],
    returning: str,
) -> dict[Any, int]:
    sql = f"{insert} SELECT * FROM {_arrays(fields)}{conflict}"  # noqa: S608 (names from metadata)
    if returning:
        quote = connection.ops.quote_name
        key, pk = quote(_concrete(model, returning).column), quote(model._meta.pk.column)
        sql += f" RETURNING {key}, {pk}"
    with connection.cursor() as cursor:
        cursor.execute(sql, _columns(rows))
        return dict(cursor.fetchall()) if returning else {}


def update_many(
    model: type[Model],
    objects: Sequence[Model],
    fields: list[str],
    increment: tuple[str, list[int]] | None = None,
) -> None:
    """One UPDATE for every object: run per row on SQLite (executemany), once on PostgreSQL.

    ``bulk_update`` builds a CASE WHEN per field and row, which costs far more in Python than
    the database takes to run plain updates. ``increment`` adds to a counter in the database, so
    two batches counting at once never lose each other's additions.
    """
    if not objects:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [_concrete(model, name) for name in fields]
    assignments = [f"{quote(column.column)} = %s" for column in columns]
    if increment is not None:
        counter = quote(_concrete(model, increment[0]).column)
        assignments.append(f"{counter} = {counter} + %s")
    table, key = quote(meta.db_table), quote(meta.pk.column)
    prepare = [(c.attname, _preparer(c)) for c in columns]
    rows = []
    for number, obj in enumerate(objects):
        row = _row(obj, prepare)
        if increment is not None:
            row.append(increment[1][number])
        rows.append([*row, obj.pk])
    if connection.vendor == "postgresql":
        return _update_unnest(model, columns, increment, rows)
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {key} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_unnest(
    model: type[Model],
    columns: list[models.Field[Any, Any]],
    increment: tuple[str, list[int]] | None,
    rows: list[list[Any]],
) -> None:
    """``UPDATE t SET a = v.a … FROM UNNEST(arrays) AS v(a, …, id) WHERE t.id = v.id``."""
    quote = connection.ops.quote_name
    meta = model._meta
    given = [*columns, *([_concrete(model, increment[0])] if increment else []), meta.pk]
    names = [f"c{number}" for number in range(len(given))]  # short aliases, never user input
    assignments = [
        f"{quote(column.column)} = v.{name}" for column, name in zip(columns, names, strict=False)
    ]
    if increment is not None:
        counter = quote(_concrete(model, increment[0]).column)
        assignments.append(f"{counter} = t.{counter} + v.{names[-2]}")
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {', '.join(assignments)}"  # noqa: S608
        f" FROM {_arrays(given)} AS v({', '.join(names)})"
        f" WHERE t.{quote(meta.pk.column)} = v.{names[-1]}"
    )
    # Rows locked in key order: two batches sharing authors never wait on each other crosswise.
    rows = sorted(rows, key=lambda row: row[-1])
    with connection.cursor() as cursor:
        cursor.execute(sql, _columns(rows))
