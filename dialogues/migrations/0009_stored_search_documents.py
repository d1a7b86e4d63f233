# Site search on PostgreSQL matches and ranks on a stored document (a generated column with its
# GIN index) instead of an index on the document's expression: ranking from the expression built
# each match's document again from its whole text. SQLite keeps its FTS5 tables (0006).

from django.db import migrations

from dialogues.db_operations import PostgresSearchDocument, RemovePostgresIndex


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0008_speaker_name_trigram_indexes"),
    ]

    operations = [
        RemovePostgresIndex(model_name="claim", name="claim_search_idx"),
        RemovePostgresIndex(model_name="coverage", name="coverage_search_idx"),
        RemovePostgresIndex(model_name="quote", name="quote_search_idx"),
        PostgresSearchDocument("coverage", ["title", "dek", "source_text"]),
        PostgresSearchDocument("quote", ["text", "original_text"]),
        PostgresSearchDocument("claim", ["statement", "check_note"]),
    ]
