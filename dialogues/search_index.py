"""What site search reads besides the model tables, kept by the application on every save and
delete (``dialogues.apps`` connects the signals here, raw saves from ``loaddata`` and history
restores included). Each write is made on the connection, and in the transaction, of the save
that caused it; writes that send no signal (``bulk_create``, ``QuerySet.update``) call
``rebuild()`` afterwards, as ``grow_archive`` does, or run ``manage.py rebuild_search_index``.

- SQLite's full-text index: one FTS5 table per searchable model (migrations 0013 and 0021)
  holding a copy of its ``SEARCH_FIELDS``, its rowid the item's id. PostgreSQL matches on stored
  documents the database generates (0009, 0021) instead: these writes do nothing there.
- The vocabulary (``SEARCH_TERMS_TABLE``, migration 0021, both databases): every lower-case
  word of that text and of the names of speakers, their aliases, topics, organizations and
  products, for "did you mean" (``dialogues.search.suggestion``). Words are only ever added
  until the next rebuild: a word no longer anywhere is harmless, since a suggestion is offered
  only when searching for it finds something the reader may see."""

import re

from django.db import connections

from dialogues.db_operations import SEARCH_TERMS_TABLE, sqlite_search_table

# Shorter words are mostly stop words and acronyms that a spelling suggestion cannot help with.
MIN_TERM_LENGTH, MAX_TERM_LENGTH = 3, 64
BATCH = 500


def searchable_models():
    from dialogues.models import Claim, Commentary, Coverage, Quote

    return (Coverage, Quote, Claim, Commentary)


def named_models():
    """Models whose names readers search for, matched as text rather than through an index."""
    from dialogues.models import (
        Organization,
        OrganizationAlias,
        Product,
        Speaker,
        SpeakerAlias,
        Topic,
        TopicAlias,
    )

    return (Speaker, SpeakerAlias, Topic, TopicAlias, Organization, OrganizationAlias, Product)


def term_fields(model):
    return getattr(model, "SEARCH_FIELDS", ("name",))


def words(text):
    """The vocabulary's words of ``text``: lower case, letters and digits, not numbers alone."""
    return {
        word
        for word in re.findall(r"\w+", (text or "").lower())
        if MIN_TERM_LENGTH <= len(word) <= MAX_TERM_LENGTH and not word.isdigit()
    }


def remember(texts, *, connection):
    """Add the words of ``texts`` to the vocabulary (those it has already are left alone)."""
    terms = sorted(set().union(*(words(text) for text in texts)))
    table = connection.ops.quote_name(SEARCH_TERMS_TABLE)
    with connection.cursor() as cursor:
        for start in range(0, len(terms), BATCH):
            batch = terms[start : start + BATCH]
            values = ", ".join(["(%s)"] * len(batch))
            cursor.execute(f"INSERT INTO {table} (term) VALUES {values} ON CONFLICT DO NOTHING", batch)


def remember_table(db_table, columns, *, connection):
    """Add the words of ``columns`` of every row of ``db_table`` (migrations call this too)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(db_table)}")
        while rows := cursor.fetchmany(200):
            remember([text for row in rows for text in row], connection=connection)


def _table_and_columns(model, connection):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field) for field in model.SEARCH_FIELDS)
    return quote(sqlite_search_table(model._meta.db_table)), columns


def index(instance, *, using="default"):
    """Put ``instance``'s searchable text in the index, in place of any it had, and its words in
    the vocabulary."""
    connection = connections[using]
    model = type(instance)
    values = [getattr(instance, field) for field in model.SEARCH_FIELDS]
    remember(values, connection=connection)
    if connection.vendor != "sqlite":
        return
    table, columns = _table_and_columns(model, connection)
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
    """Index every row again, from the model tables, and make the vocabulary afresh."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(SEARCH_TERMS_TABLE)}")
        if connection.vendor == "sqlite":
            for model in searchable_models():
                table, columns = _table_and_columns(model, connection)
                cursor.execute(f"DELETE FROM {table}")
                cursor.execute(
                    f"INSERT INTO {table}(rowid, {columns}) "
                    f"SELECT id, {columns} FROM {connection.ops.quote_name(model._meta.db_table)}"
                )
    for model in (*searchable_models(), *named_models()):
        remember_table(model._meta.db_table, term_fields(model), connection=connection)


def saved(sender, instance, using, **kwargs):
    index(instance, using=using)


def deleted(sender, instance, using, **kwargs):
    unindex(sender, instance.pk, using=using)


def name_saved(sender, instance, using, **kwargs):
    remember([getattr(instance, field) for field in term_fields(sender)], connection=connections[using])
