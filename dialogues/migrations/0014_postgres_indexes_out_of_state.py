# PostgreSQL-only indexes leave the model state; the database keeps them (0005, 0008). In the
# state, SQLite rebuilt them with the table on any field change: "near gin_trgm_ops: syntax
# error" for a field added to Speaker. The state changes only, on every database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0013_sqlite_search_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="speaker", name="speaker_name_trgm_idx"),
                migrations.RemoveIndex(model_name="speakeralias", name="speakeralias_name_trgm_idx"),
                migrations.RemoveIndex(model_name="claim", name="claim_coverage_status_idx"),
            ],
        ),
    ]
