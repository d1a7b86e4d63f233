"""Migration operations for what only PostgreSQL has."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class _OnPostgreSQLOnly:
    """A model-state operation whose database work is done on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddPostgresIndex(_OnPostgreSQLOnly, migrations.AddIndex):
    """AddIndex for an index only PostgreSQL has: one SQLite cannot build (GIN, for the full-text
    search that runs on PostgreSQL only) or one that misleads SQLite's planner. Recorded in the
    migration state on every database so ``makemigrations --check`` agrees everywhere."""


class RemovePostgresIndex(_OnPostgreSQLOnly, migrations.RemoveIndex):
    """RemoveIndex for an index ``AddPostgresIndex`` built: dropped, or rebuilt going back, on
    PostgreSQL only; removed from the migration state on every database."""


class _SQLForOneDatabase(migrations.operations.base.Operation):
    """Statements for one database ``vendor`` only, outside model state: ``_sql`` gives the
    statements that create it and those that drop it."""

    reduces_to_sql = True
    reversible = True
    vendor = None

    def state_forwards(self, app_label, state):
        pass

    def _sql(self, app_label, schema_editor, state):
        raise NotImplementedError

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            for statement in self._sql(app_label, schema_editor, from_state)[0]:
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            for statement in self._sql(app_label, schema_editor, to_state)[1]:
                schema_editor.execute(statement)


class PostgresSearchDocument(_SQLForOneDatabase):
    """PostgreSQL's full-text document of ``columns`` of ``model``'s table, stored: a generated
    ``search_document`` column (``models.base.SearchDocument``) and its GIN index. On SQLite,
    which has its FTS5 tables (``SQLiteFullText``), this does nothing. Not model state: the ORM
    never selects the column, so no query reads a document it does not match against.

    Stored rather than an index on the expression: search ranks its matches, and ranking from
    the expression built each match's document again from its whole text (1.3 ms for the
    article, most of the search page's database time)."""

    vendor = "postgresql"
    column = "search_document"

    def __init__(self, model_name, columns, *, config="english"):
        self.model_name, self.columns, self.config = model_name, tuple(columns), config

    def _sql(self, app_label, schema_editor, state):
        table = state.apps.get_model(app_label, self.model_name)._meta.db_table
        quote = schema_editor.quote_name
        # As Django's SearchVector writes it, so the document is the one it would build.
        text = " || ' ' || ".join(f"COALESCE({quote(column)}, '')" for column in self.columns)
        index = quote(f"{self.model_name}_document_idx")
        create = [
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(self.column)} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('{self.config}'::regconfig, {text})) STORED",
            f"CREATE INDEX {index} ON {quote(table)} USING gin ({quote(self.column)})",
        ]
        drop = [f"DROP INDEX {index}", f"ALTER TABLE {quote(table)} DROP COLUMN {quote(self.column)}"]
        return create, drop

    def describe(self):
        return f"Stored full-text document (PostgreSQL) of {self.model_name}: {', '.join(self.columns)}"


class PostgresTrigramExtension(TrigramExtension):
    """``pg_trgm``, on PostgreSQL only: Django's own skips SQLite going forwards but not back,
    where it asks SQLite for PostgreSQL's catalogue of extensions."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class SQLiteFullText(_SQLForOneDatabase):
    """A full-text index for SQLite: an FTS5 table over ``columns`` of ``model``'s table, kept in
    step by triggers (so raw SQL, bulk inserts and fixtures are indexed too). PostgreSQL has its
    stored documents instead (``PostgresSearchDocument``); there this does nothing. Not model state: ``makemigrations`` never sees it.

    A later migration that makes SQLite rebuild the table (most field changes do) drops its
    triggers with it: reverse and repeat this operation around such a change.
    ``tests/test_search.py`` fails until the index follows writes again.
    """

    vendor = "sqlite"

    def __init__(self, model_name, columns):
        self.model_name, self.columns = model_name, tuple(columns)

    def _sql(self, app_label, schema_editor, from_state):
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        fts = f"{table}_fts"
        quote = schema_editor.quote_name
        columns = ", ".join(quote(column) for column in self.columns)

        def values(prefix):
            return ", ".join(f"{prefix}.{quote(column)}" for column in self.columns)

        create = [
            f"CREATE VIRTUAL TABLE {quote(fts)} USING fts5({columns}, content={quote(table)}, "
            "content_rowid='id', tokenize='porter unicode61')",
            f"CREATE TRIGGER {quote(fts + '_insert')} AFTER INSERT ON {quote(table)} BEGIN "
            f"INSERT INTO {quote(fts)}(rowid, {columns}) VALUES (new.id, {values('new')}); END",
            f"CREATE TRIGGER {quote(fts + '_delete')} AFTER DELETE ON {quote(table)} BEGIN "
            f"INSERT INTO {quote(fts)}({quote(fts)}, rowid, {columns}) VALUES ('delete', old.id, {values('old')}); END",
            f"CREATE TRIGGER {quote(fts + '_update')} AFTER UPDATE ON {quote(table)} BEGIN "
            f"INSERT INTO {quote(fts)}({quote(fts)}, rowid, {columns}) VALUES ('delete', old.id, {values('old')}); "
            f"INSERT INTO {quote(fts)}(rowid, {columns}) VALUES (new.id, {values('new')}); END",
            f"INSERT INTO {quote(fts)}({quote(fts)}) VALUES ('rebuild')",
        ]
        drop = [f"DROP TRIGGER {quote(fts + suffix)}" for suffix in ("_insert", "_delete", "_update")]
        drop.append(f"DROP TABLE {quote(fts)}")
        return create, drop

    def describe(self):
        return f"Full-text index (SQLite FTS5) on {self.model_name}: {', '.join(self.columns)}"
