"""Queries over a list of ids whose SQL the ORM builds once, not once per request.

A page of cards or an API list reads its items' links (speakers, topics, evidence) and small
parts (corrections, figures) by the ids of the items on the page. Building such a queryset and
compiling it costs more than running it: ``filter(quote_id__in=<50 ids>)`` prepares each id,
and a UNION compiles every branch (1.1 of the 1.6 ms the API quote list spends on its links).
The SQL only changes with the number of ids, so it is compiled once per number and re-run.
"""

import itertools

from django.db import connection
from django.db.models import F
from django.db.models.lookups import In


class _InArray(In):
    """``column IN (ids)``, sent to PostgreSQL as ``column = ANY(%s)`` with the ids as one array.

    One parameter instead of one per id: the statement is the same for any number of ids, so it
    is prepared once, and psycopg reuses its conversion of the query (it converts any query of
    more than 50 parameters afresh on every run: 0.15 of the 0.36 ms the claim list's links
    took)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _placeholders, ids = self.batch_process_rhs(compiler, connection, list(self.rhs))
        return f"{lhs} = ANY(%s)", (*lhs_params, list(ids))


def ids_in(column, ids):
    """``filter(ids_in("quote_id", ids))``: the filter an ``IdListQuery`` build puts its ids in."""
    return _InArray(F(column), ids)


class _Slot:
    """The parameter that carries an id: which list, which position in it, and the integer type
    the ORM gave it (psycopg's ``Int8`` on PostgreSQL, for a ``bigint`` column)."""

    def __init__(self, which, position, integer_type):
        self.which, self.position, self.integer_type = which, position, integer_type

    def fill(self, id_lists):
        return self.integer_type(id_lists[self.which][self.position])


class _ArraySlot:
    """The parameter that carries a whole list of ids, as an array (``ids_in`` on PostgreSQL)."""

    def __init__(self, which, integer_type):
        self.which, self.integer_type = which, integer_type

    def fill(self, id_lists):
        return [self.integer_type(pk) for pk in id_lists[self.which]]


class IdListQuery:
    """``build(*id_lists)`` run for any ids, compiled once per process for each count of ids.

    ``build`` must depend on the ids alone: the SQL it compiles to is reused for other ids, so
    anything else it reads (the time, the user) would be frozen at its first call. Each list is
    deduplicated, in order, as an ``IN`` list is; a list may be empty only if all are. Filter
    by the ids with ``ids_in`` rather than ``__in``, so PostgreSQL gets each list as one array."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def _compile(self, counts):
        # Negative ids are never primary keys, so the compiled parameters that are these
        # placeholders are the slots for the real ids.
        negative = itertools.count(-1, -1)
        placeholders = [[next(negative) for _ in range(count)] for count in counts]
        slot_of = {
            placeholder: (which, position)
            for which, ids in enumerate(placeholders)
            for position, placeholder in enumerate(ids)
        }
        queryset = self.build(*placeholders)
        sql, params = queryset.query.sql_with_params()
        slots, used = [], set()
        for param in params:
            if _is_id(param) and param in slot_of:
                slot = _Slot(*slot_of[param], type(param))
                used.add((slot.which, slot.position))
            elif isinstance(param, list) and param in placeholders:
                slot = _ArraySlot(placeholders.index(param), type(param[0]))
                used.update((slot.which, position) for position in range(len(param)))
            else:
                slot = param
            slots.append(slot)
        if used != set(slot_of.values()):
            raise ValueError(f"{self.build!r} does not use every id as a parameter")
        return queryset.model, sql, slots

    def _statement(self, id_lists):
        """``(model, sql, params)`` for these ids, or None when there are none at all."""
        id_lists = [list(dict.fromkeys(ids)) for ids in id_lists]
        if not any(id_lists):
            return None
        if not all(id_lists):
            raise ValueError("an empty list of ids among others: compile a query without it")
        counts = tuple(len(ids) for ids in id_lists)
        if counts not in self._compiled:
            self._compiled[counts] = self._compile(counts)
        model, sql, slots = self._compiled[counts]
        return (
            model,
            sql,
            [param.fill(id_lists) if isinstance(param, (_Slot, _ArraySlot)) else param for param in slots],
        )

    def rows(self, *id_lists):
        """The rows as tuples, as the database driver returns them: no field converters run, so
        this is for ids and text; ``instances`` for anything else (dates, decimals)."""
        statement = self._statement(id_lists)
        if statement is None:
            return []
        _model, sql, params = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def instances(self, *id_lists):
        """Instances of the queryset's model, every field converted as the ORM would (dates on
        SQLite). Only the model's own columns: ``select_related`` rows are not read."""
        statement = self._statement(id_lists)
        if statement is None:
            return []
        model, sql, params = statement
        return list(model.objects.raw(sql, params))


def _is_id(param):
    return isinstance(param, int) and not isinstance(param, bool)
