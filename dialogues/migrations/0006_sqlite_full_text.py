# SQLite's full-text indexes (FTS5, kept by triggers); PostgreSQL has its GIN indexes (0003).
# The columns are each model's SEARCH_FIELDS.

from django.db import migrations

from dialogues.db_operations import SQLiteFullText


class Migration(migrations.Migration):

    dependencies = [
        ('dialogues', '0005_claim_coverage_status_index'),
    ]

    operations = [
        SQLiteFullText('coverage', ['title', 'dek', 'source_text']),
        SQLiteFullText('quote', ['text', 'original_text']),
        SQLiteFullText('claim', ['statement', 'check_note']),
    ]
