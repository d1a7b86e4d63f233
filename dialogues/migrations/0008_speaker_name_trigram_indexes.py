# Trigram indexes for site search's name match (icontains), built on PostgreSQL only (see
# AddPostgresIndex); so is the pg_trgm extension they need.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations

from dialogues.db_operations import AddPostgresIndex, PostgresTrigramExtension


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0007_speaker_name_upper_indexes"),
    ]

    operations = [
        PostgresTrigramExtension(),
        AddPostgresIndex(
            model_name="speaker",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="speaker_name_trgm_idx",
            ),
        ),
        AddPostgresIndex(
            model_name="speakeralias",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="speakeralias_name_trgm_idx",
            ),
        ),
    ]
