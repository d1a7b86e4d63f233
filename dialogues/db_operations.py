"""Migration operations for what only PostgreSQL has."""

from django.db import migrations


class AddPostgresIndex(migrations.AddIndex):
    """AddIndex for an index SQLite cannot build (GIN): recorded in the migration state on every
    database so ``makemigrations --check`` agrees everywhere, created only on PostgreSQL, where the
    full-text search that uses it runs."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
