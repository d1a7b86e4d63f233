"""SQLite's full-text index, kept by the application: one FTS5 table per searchable model
(migration 0013) holding a copy of its ``SEARCH_FIELDS``, its rowid the item's id.

Every save and delete of coverage, quotes and claims sends a signal, raw saves from
``loaddata`` and history restores included, and ``dialogues.apps`` connects them here; writes
that send none (``bulk_create``, ``QuerySet.update``) call ``rebuild()`` afterwards, as
``grow_archive`` does, or run ``manage.py rebuild_search_index``. Each write is made on the
connection, and in the transaction, of the save that caused it.

PostgreSQL matches on stored documents the database generates (migration 0009): everything here
does nothing there."""

from django.db import connections

from dialogues.db_operations import sqlite_search_table


def searchable_models():
    from dialogues.models import Claim, Coverage, Quote

    return (Coverage, Quote, Claim)


def _table_and_columns(model, connection):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field) for field in model.SEARCH_FIELDS)
    return quote(sqlite_search_table(model._meta.db_table)), columns


def index(instance, *, using="default"):
    """Put ``instance``'s searchable text in the index, in place of any it had."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    model = type(instance)
    table, columns = _table_and_columns(model, connection)
    values = [getattr(instance, field) for field in model.SEARCH_FIELDS]
    placeholders = ", ".join(["%s"] * (len(values) + 1))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [instance.pk])
        cursor.execute(
            f"INSERT INTO {table}(rowid, {columns}) VALUES ({placeholders})", [instance.pk, *values]
        )


def unindex(model, pk, *, using="default"):
    """Take the ``model`` row ``pk`` out of the index."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    table, _columns = _table_and_columns(model, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [pk])


def rebuild(*, using="default"):
    """Index every row again, from the model tables."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in searchable_models():
            table, columns = _table_and_columns(model, connection)
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table}(rowid, {columns}) "
                f"SELECT id, {columns} FROM {connection.ops.quote_name(model._meta.db_table)}"
            )


def saved(sender, instance, using, **kwargs):
    index(instance, using=using)


def deleted(sender, instance, using, **kwargs):
    unindex(sender, instance.pk, using=using)
