"""Queries whose SQL is compiled once per process and database, then run with new values.

Building and compiling a queryset costs more Python than the database spends answering a
small query by key (about 0.5 ms against 0.05 ms); a page that runs the same few lookups on
every request (a project's page) compiles them once here. The SQL is the ORM's own, from the
queryset a function builds; only the looked-up value changes from one request to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import CharField, Model, QuerySet, TextField

# Stands for the looked-up value while the SQL is compiled; found among the parameters after.
PLACEHOLDER = -724_301_998


TEXT_FIELDS = (CharField, TextField)


class PreparedQuery:
    """`build(value)` returns a queryset filtered on `value`; rows(value) runs its SQL.

    The rows come straight from the database cursor, without the fields' converters (which
    turn SQLite's numbers into Decimals, for instance), so only text fields may be asked for.
    """

    def __init__(self, build: Callable[[Any], QuerySet], fields: tuple[str, ...]) -> None:
        self.build = build
        self.model: type[Model] = build(PLACEHOLDER).model
        concrete = self.model._meta.concrete_fields
        for name in fields:
            if not isinstance(self.model._meta.get_field(name), TEXT_FIELDS):
                raise TypeError(f"{self.model.__name__}.{name} is not a text field")
        # In the model's order, as Model.from_db() wants them.
        self.fields = tuple(field.attname for field in concrete if field.attname in fields)
        self.compiled: dict[str, tuple[str, list, int]] = {}

    def _sql(self, using: str) -> tuple[str, list, int]:
        vendor = connections[using].vendor
        if vendor not in self.compiled:
            queryset = self.build(PLACEHOLDER).values_list(*self.fields)
            sql, params = queryset.query.get_compiler(using).as_sql()
            params = list(params)
            if params.count(PLACEHOLDER) != 1:
                raise ValueError(f"{self.model.__name__}: the value must appear once in the SQL")
            self.compiled[vendor] = (sql, params, params.index(PLACEHOLDER))
        return self.compiled[vendor]

    def rows(self, value: Any) -> list[tuple]:
        using = router.db_for_read(self.model)
        sql, params, at = self._sql(using)
        params = [*params[:at], value, *params[at + 1 :]]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def instances(self, value: Any) -> list[Model]:
        """The rows as model instances holding `fields` only (as from .only(*fields))."""
        using = router.db_for_read(self.model)
        return [self.model.from_db(using, self.fields, row) for row in self.rows(value)]
