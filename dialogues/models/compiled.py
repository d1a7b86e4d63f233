"""Queries whose SQL the ORM builds once, not once per request.

Building a queryset and compiling it often costs more than running it. A page of cards or an API
list reads its items' links (speakers, topics, evidence) and small parts (corrections, figures)
by the ids of the items on the page: ``filter(quote_id__in=<50 ids>)`` prepares each id, and a
UNION compiles every branch (1.1 of the 1.6 ms the API quote list spends on its links). A page's
own queries (the speaker, their latest quotes and claims) join four tables and filter by
visibility: a third of a speaker page went to building and compiling them. Their SQL only
changes with their shape (the number of ids, whether the reader sees drafts), so it is compiled
once per shape and re-run with each request's values: ``IdListQuery`` for lists of ids,
``CompiledQuery`` for single values.
"""

import datetime
import functools
import itertools

from django.db import connection, connections
from django.db.models import F, Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.lookups import In
from django.db.models.query import ModelIterable, RelatedPopulator, ValuesIterable, prefetch_related_objects
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from .base import UNKNOWN_TIME, published_as_of


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
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        reader = _InstanceReader(queryset, compiler) if queryset._iterable_class is ModelIterable else None
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
        return reader, sql, slots

    def _statement(self, id_lists):
        """``(instance reader, sql, params)`` for these ids, or None when there are none at all."""
        id_lists = [list(dict.fromkeys(ids)) for ids in id_lists]
        if not any(id_lists):
            return None
        if not all(id_lists):
            raise ValueError("an empty list of ids among others: compile a query without it")
        counts = tuple(len(ids) for ids in id_lists)
        if counts not in self._compiled:
            self._compiled[counts] = self._compile(counts)
        reader, sql, slots = self._compiled[counts]
        return (
            reader,
            sql,
            [param.fill(id_lists) if isinstance(param, (_Slot, _ArraySlot)) else param for param in slots],
        )

    def rows(self, *id_lists):
        """The rows as tuples, as the database driver returns them: no field converters run, so
        this is for ids and text; ``instances`` for anything else (dates, decimals)."""
        statement = self._statement(id_lists)
        if statement is None:
            return []
        _reader, sql, params = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def instances(self, *id_lists):
        """Instances of the queryset's model, as the queryset would make them: every field
        converted as the ORM converts it (dates on SQLite), ``select_related`` rows and
        annotations in place, ``prefetch_related`` lookups run."""
        statement = self._statement(id_lists)
        if statement is None:
            return []
        reader, sql, params = statement
        if reader is None:
            raise TypeError(f"{self.build!r} is not a queryset of model instances: use rows()")
        return reader.run(sql, params)


def _is_id(param):
    return isinstance(param, int) and not isinstance(param, bool)


class CompiledQuery:
    """``query(*shape, **values)``: the model instances of ``build(*shape, **values)`` (or its
    rows as dicts, for a ``values()`` queryset), its SQL compiled once per process for each
    ``shape`` and re-run with other values.

    ``shape`` is what changes the SQL (whether the reader sees drafts, a limit); ``values`` are
    what it is run with: ids, strings, dates and times, and ``now``, the time “published” is judged at
    (``build`` gets a stand-in for each; see ``published_as_of``). ``build`` must pass every
    value straight to a filter and not look at it otherwise: what it would read from one is
    frozen at its first call. Its ``select_related`` rows, annotations and ``prefetch_related``
    lookups are read as the queryset would read them.

    ``most_shapes`` bounds how many shapes are compiled, for a shape that comes from the request
    (a page number): once that many are kept, any other shape runs as a plain queryset, built
    for its values, as it would without compiling. Dropping shapes to compile new ones instead
    made a crawl through search's pages compile on every request, and the workers' memory grew
    10% over 100,000 requests."""

    def __init__(self, build, *, most_shapes=None):
        self.build, self.most_shapes = build, most_shapes
        self._compiled = {}

    def __call__(self, *shape, **values):
        compiled = self._compiled.get(shape)
        if compiled is None:
            if self.most_shapes is not None and len(self._compiled) >= self.most_shapes:
                with published_as_of(values.get("now", UNKNOWN_TIME)):
                    return list(self.build(*shape, **values))
            compiled = self._compiled[shape] = _CompiledStatement(self.build, shape, values)
        return compiled.run(values)


# Stand-ins no real value equals: ids are never negative, slugs never hold control characters,
# and nothing was published or said in 1901.
def _stand_in(name, value, position):
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901, 1, 1, microsecond=position + 1, tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.date(1901, 1, 1) + datetime.timedelta(days=position)
    if isinstance(value, str):
        return f"\x1f{name}\x1f"
    if _is_id(value):
        return -1_000_001 - position
    raise TypeError(
        f"{name}: a compiled query takes ids, strings, dates and times, not {type(value).__name__}"
    )


class _CompiledStatement:
    """``build(*shape, **values)`` compiled with a stand-in for each value, filled in by each run."""

    def __init__(self, build, shape, values):
        stand_ins = {
            name: _stand_in(name, value, position) for position, (name, value) in enumerate(values.items())
        }
        # Each run's values must be of the types compiled for: None where an id was is no id.
        self.types = {name: type(stand_in) for name, stand_in in stand_ins.items()}
        with published_as_of(stand_ins.get("now", UNKNOWN_TIME)):
            queryset = build(*shape, **stand_ins)
        reader_class = _READERS.get(queryset._iterable_class)
        if reader_class is None or queryset._known_related_objects:
            raise ValueError(f"{build!r}: only plain querysets of model instances or values() compile")
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        # How each stand-in reached the parameters: itself, as the database stores a date or a
        # time, or as the pattern of a ``contains`` lookup.
        operations = connections[queryset.db].ops
        contains = functools.partial(_contains_pattern, operations)
        written = {}
        for name, stand_in in stand_ins.items():
            written[stand_in] = (name, None)
            if isinstance(stand_in, datetime.datetime):
                adapt = operations.adapt_datetimefield_value
                written[adapt(stand_in)] = (name, adapt)
            elif isinstance(stand_in, datetime.date):
                adapt = operations.adapt_datefield_value
                written[adapt(stand_in)] = (name, adapt)
            elif isinstance(stand_in, str):
                written[contains(stand_in)] = (name, contains)
        self.params, used = [], set()
        for param in params:
            key = param if isinstance(param, (str, int, datetime.date)) else None
            if key in written and not isinstance(param, bool):
                name, conversion = written[key]
                self.params.append(_ValueSlot(name, conversion, type(param)))
                used.add(name)
            else:
                self.params.append(param)
        # ``now`` may go unused: a reader who sees drafts sees them whenever they are published.
        unused = set(stand_ins) - used - {"now"}
        if unused:
            raise ValueError(f"{build!r} does not pass {sorted(unused)} as parameters")
        self.reader = reader_class(queryset, compiler)

    def run(self, values):
        if values.keys() != self.types.keys() or not all(
            isinstance(value, self.types[name]) for name, value in values.items()
        ):
            raise TypeError(f"compiled for {self.types}, run with {values}")
        params = [param.fill(values) if isinstance(param, _ValueSlot) else param for param in self.params]
        return self.reader.run(self.sql, params)


def _contains_pattern(operations, text):
    """The parameter a ``contains`` or ``icontains`` lookup makes of ``text``, as Django's
    ``PatternLookup`` does: LIKE's wildcards in it escaped, then wrapped in wildcards."""
    return f"%{operations.prep_for_like_query(text)}%"


class _InstanceReader:
    """Runs a compiled queryset's SQL and makes its rows into instances as its iterator would
    (``ModelIterable``), from what compiling it worked out once: the columns, their
    converters, the joined rows and annotations, and its prefetches, run afterwards."""

    def __init__(self, queryset, compiler):
        self.db = queryset.db
        self.klass_info, self.select = compiler.klass_info, compiler.select
        self.annotation_col_map = compiler.annotation_col_map
        columns = [column for column, *_ in self.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(columns).items())
        model_fields = self.klass_info["select_fields"]
        self.model_columns = slice(model_fields[0], model_fields[-1] + 1)
        self.init_list = [column.target.attname for column, *_ in self.select[self.model_columns]]
        self.make = _instance_maker(self.klass_info["model"])
        self.related_populators = _related_populators(self.klass_info, self.select, self.db)
        self.prefetch = queryset._prefetch_related_lookups

    def run(self, sql, params):
        database = connections[self.db]
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        make, db, init_list = self.make, self.db, self.init_list
        instances = []
        for row in rows:
            row = list(row)
            for position, (converters, expression) in self.converters:
                for converter in converters:
                    row[position] = converter(row[position], expression, database)
            instance = make(db, init_list, row[self.model_columns])
            for populator in self.related_populators:
                populator.populate(row, instance)
            for name, position in self.annotation_col_map.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        if self.prefetch and instances:
            prefetch_related_objects(instances, *self.prefetch)
        return instances


class _RowReader:
    """Runs a compiled ``values()`` queryset's SQL and makes its rows into dicts as its iterator
    would (``ValuesIterable``): each column converted, keyed by the name it was asked by."""

    def __init__(self, queryset, compiler):
        self.db = queryset.db
        query = queryset.query
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        columns = [column for column, *_ in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(columns).items())

    def run(self, sql, params):
        database = connections[self.db]
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (converters, expression) in self.converters:
                    for converter in converters:
                        row[position] = converter(row[position], expression, database)
        names = self.names
        # A row may end in columns the names do not cover (what a DISTINCT orders by).
        return [dict(zip(names, row, strict=False)) for row in rows]


# Descriptors whose ``__set__`` on a new instance only stores the value in its ``__dict__``.
_PLAIN_FIELD_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _instance_maker(model):
    """``model.from_db``, or the same without ``Model.__init__`` where that makes no difference.

    A page of cards makes some three hundred instances, and ``__init__`` (matching each value to
    its field, sending ``pre_init`` and ``post_init``) was the largest single cost of building
    them: without it the topic page takes 17% less time on SQLite. For a model with no
    ``from_db`` of its own, no receiver of either signal and only plain field attributes, an
    instance is its values in ``__dict__`` and a ``_state`` that says which database it came
    from, which is what this builds; a deferred field is left out of ``__dict__``, as
    ``__init__`` leaves it. Checked when a query is compiled: a receiver connected later is not
    seen by queries compiled before it."""
    plain = (
        model.from_db.__func__ is Model.from_db.__func__
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(
            type(getattr(model, field.attname, None)) in _PLAIN_FIELD_DESCRIPTORS
            for field in model._meta.concrete_fields
        )
    )
    if not plain:
        return model.from_db
    new = object.__new__

    def make(db, attnames, values):
        instance = new(model)
        state = instance._state = ModelState()
        state.adding, state.db = False, db
        instance.__dict__.update(zip(attnames, values, strict=True))
        return instance

    return make


class _RelatedPopulator(RelatedPopulator):
    """Django's, making its instances with ``_instance_maker``."""

    def __init__(self, klass_info, select, db):
        super().__init__(klass_info, select, db)
        self.make = _instance_maker(self.model_cls)
        self.related_populators = _related_populators(klass_info, select, db)

    def populate(self, row, from_obj):
        obj_data = (
            self.reorder_for_init(row) if self.reorder_for_init else row[self.cols_start : self.cols_end]
        )
        if obj_data[self.pk_idx] is None:
            obj = None
        else:
            obj = self.make(self.db, self.init_list, obj_data)
            for populator in self.related_populators:
                populator.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


def _related_populators(klass_info, select, db):
    return [_RelatedPopulator(info, select, db) for info in klass_info.get("related_klass_infos", [])]


class _ValueSlot:
    """The parameter that carries a value: its name, how the ORM wrote it, its parameter type."""

    def __init__(self, name, conversion, parameter_type):
        self.name, self.conversion, self.parameter_type = name, conversion, parameter_type

    def fill(self, values):
        value = values[self.name]
        if self.conversion is not None:
            value = self.conversion(value)
        return self.parameter_type(value) if _is_id(value) else value


_READERS = {ModelIterable: _InstanceReader, ValuesIterable: _RowReader}
