"""Queries over a list of ids whose SQL the ORM builds once, not once per request.

A page of cards or an API list reads its items' links (speakers, topics, evidence) and small
parts (corrections, figures) by the ids of the items on the page. Building such a queryset and
compiling it costs more than running it: ``filter(quote_id__in=<50 ids>)`` prepares each id,
and a UNION compiles every branch (1.1 of the 1.6 ms the API quote list spends on its links).
The SQL only changes with the number of ids, so it is compiled once per number and re-run.
"""

from django.db import connection


class _Slot:
    """The parameter that carries an id: which list, which position in it, and the integer type
    the ORM gave it (psycopg's ``Int8`` on PostgreSQL, for a ``bigint`` column)."""

    def __init__(self, which, position, integer_type):
        self.which, self.position, self.integer_type = which, position, integer_type

    def fill(self, id_lists):
        return self.integer_type(id_lists[self.which][self.position])


class IdListQuery:
    """``build(*id_lists)`` run for any ids, compiled once per process for each count of ids.

    ``build`` must depend on the ids alone: the SQL it compiles to is reused for other ids, so
    anything else it reads (the time, the user) would be frozen at its first call. Each list is
    deduplicated, in order, as an ``IN`` list is; a list may be empty only if all are."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def _sql(self, counts):
        compiled = self._compiled.get(counts)
        if compiled is None:
            # Negative ids are never primary keys, so the compiled parameters that are these
            # placeholders are the slots for the real ids.
            placeholders, slot_of, next_placeholder = [], {}, -1
            for which, count in enumerate(counts):
                placeholders.append(list(range(next_placeholder, next_placeholder - count, -1)))
                for position, placeholder in enumerate(placeholders[-1]):
                    slot_of[placeholder] = (which, position)
                next_placeholder -= count
            queryset = self.build(*placeholders)
            sql, params = queryset.query.sql_with_params()
            slots = [
                _Slot(*slot_of[param], type(param))
                if isinstance(param, int) and not isinstance(param, bool) and param in slot_of
                else param
                for param in params
            ]
            if {(slot.which, slot.position) for slot in slots if isinstance(slot, _Slot)} != set(
                slot_of.values()
            ):
                raise ValueError(f"{self.build!r} does not use every id as a parameter")
            compiled = self._compiled[counts] = (queryset.model, sql, slots)
        return compiled

    def _params(self, id_lists):
        model, sql, slots = self._sql(tuple(len(ids) for ids in id_lists))
        return model, sql, [param.fill(id_lists) if isinstance(param, _Slot) else param for param in slots]

    @staticmethod
    def _distinct(id_lists):
        id_lists = [list(dict.fromkeys(ids)) for ids in id_lists]
        if any(id_lists) and not all(id_lists):
            raise ValueError("an empty list of ids among others: compile a query without it")
        return id_lists if all(id_lists) else None

    def rows(self, *id_lists):
        """The rows as tuples, as the database driver returns them: no field converters run, so
        this is for ids and text; ``instances`` for anything else (dates, decimals)."""
        id_lists = self._distinct(id_lists)
        if id_lists is None:
            return []
        _model, sql, params = self._params(id_lists)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def instances(self, *id_lists):
        """Instances of the queryset's model, every field converted as the ORM would (dates on
        SQLite). Only the model's own columns: ``select_related`` rows are not read."""
        id_lists = self._distinct(id_lists)
        if id_lists is None:
            return []
        model, sql, params = self._params(id_lists)
        return list(model.objects.raw(sql, params))
