"""Plain bulk statements for ingest, where the ORM's per-row, per-field work dominates.

Django's ``bulk_create`` and ``bulk_update`` prepare every value of every row through the field
machinery (and ``bulk_update`` builds a CASE WHEN per field and row); for batches of hundreds of
messages that costs more in Python than the database takes to run the statements. These build one
statement and run it for all rows (executemany) with values prepared the cheap way: only dates
need the backend's own format (SQLite compares them as text), everything else is passed as is.
On PostgreSQL, psycopg pipelines executemany and parses the short statement once; a multi-row
VALUES statement with thousands of parameters was measured slower (psycopg re-parses it each time).
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


def insert_many(model: type[Model], objects: Sequence[Model], *, skip_existing: bool) -> None:
    """INSERT every object (not its primary key); with ``skip_existing``, rows that would break
    a unique constraint are left out silently (ON CONFLICT DO NOTHING), like a lost race."""
    if not objects:
        return
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepare = [(f.attname, _preparer(f)) for f in fields]
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    rows = [_row(obj, prepare) for obj in objects]
    # Names come from the model's own metadata, quoted; values are always parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}){conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def update_many(
    model: type[Model],
    objects: Sequence[Model],
    fields: list[str],
    increment: tuple[str, list[int]] | None = None,
) -> None:
    """One UPDATE statement run for every object (executemany).

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
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {key} = %s"  # noqa: S608
    prepare = [(c.attname, _preparer(c)) for c in columns]
    rows = []
    for number, obj in enumerate(objects):
        row = _row(obj, prepare)
        if increment is not None:
            row.append(increment[1][number])
        rows.append([*row, obj.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
