"""Migration operations for what only PostgreSQL has."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class AddPostgresIndex(migrations.AddIndex):
    """AddIndex for an index only PostgreSQL has: one SQLite cannot build (GIN, for the full-text
    search that runs on PostgreSQL only) or one that misleads SQLite's planner. Recorded in the
    migration state on every database so ``makemigrations --check`` agrees everywhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgresTrigramExtension(TrigramExtension):
    """``pg_trgm``, on PostgreSQL only: Django's own skips SQLite going forwards but not back,
    where it asks SQLite for PostgreSQL's catalogue of extensions."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class SQLiteFullText(migrations.operations.base.Operation):
    """A full-text index for SQLite: an FTS5 table over ``columns`` of ``model``'s table, kept in
    step by triggers (so raw SQL, bulk inserts and fixtures are indexed too). PostgreSQL has its
    GIN indexes instead; there this does nothing. Not model state: ``makemigrations`` never sees it.

    A later migration that makes SQLite rebuild the table (most field changes do) drops its
    triggers with it: reverse and repeat this operation around such a change.
    ``tests/test_search.py`` fails until the index follows writes again.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name, columns):
        self.model_name, self.columns = model_name, tuple(columns)

    def state_forwards(self, app_label, state):
        pass

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

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            for statement in self._sql(app_label, schema_editor, from_state)[0]:
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            for statement in self._sql(app_label, schema_editor, to_state)[1]:
                schema_editor.execute(statement)

    def describe(self):
        return f"Full-text index (SQLite FTS5) on {self.model_name}: {', '.join(self.columns)}"
