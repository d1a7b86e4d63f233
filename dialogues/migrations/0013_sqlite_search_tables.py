# SQLite's full-text indexes become standalone FTS5 tables that the application keeps
# (dialogues.search_index), filled here from the rows there are. The trigger-kept tables of 0006
# and 0011 named the model tables: SQLite's rebuild of a table dropped their triggers, and the
# index silently stopped following writes. The speaker name match is a plain icontains again.

from django.db import migrations

from dialogues.db_operations import SQLiteFullText, SQLiteSearchTable, Undone


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0012_remove_topic_links_listed_at"),
    ]

    operations = [
        Undone(SQLiteFullText("speakeralias", ["name"], tokenize="trigram")),
        Undone(SQLiteFullText("speaker", ["name"], tokenize="trigram")),
        Undone(SQLiteFullText("claim", ["statement", "check_note"])),
        Undone(SQLiteFullText("quote", ["text", "original_text"])),
        Undone(SQLiteFullText("coverage", ["title", "dek", "source_text"])),
        SQLiteSearchTable("coverage", ["title", "dek", "source_text"]),
        SQLiteSearchTable("quote", ["text", "original_text"]),
        SQLiteSearchTable("claim", ["statement", "check_note"]),
    ]
