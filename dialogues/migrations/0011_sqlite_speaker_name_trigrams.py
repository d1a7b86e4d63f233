# SQLite's index for site search's name match (``Speaker.objects.name_contains``): FTS5 trigram
# tables over speakers' and aliases' names, kept by triggers. PostgreSQL has its trigram indexes
# (0008).

from django.db import migrations

from dialogues.db_operations import SQLiteFullText


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0010_topic_links_listed_at"),
    ]

    operations = [
        SQLiteFullText("speaker", ["name"], tokenize="trigram"),
        SQLiteFullText("speakeralias", ["name"], tokenize="trigram"),
    ]
