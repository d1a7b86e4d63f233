"""Migration operations for what only PostgreSQL has."""

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
