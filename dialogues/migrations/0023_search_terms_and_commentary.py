# Site search finds commentary too, and suggests spellings: commentary gets its full-text index
# (an FTS5 table on SQLite, a stored document on PostgreSQL, as 0009 and 0013 made for the rest),
# and both databases get the vocabulary of search terms (dialogues.search_index), filled here
# from the rows there are. All outside model state, like the indexes before them.

from django.db import migrations

from dialogues.db_operations import PostgresSearchDocument, SearchTermsTable, SQLiteSearchTable

# As this migration found them; dialogues.search_index keeps the vocabulary from here on.
TERM_SOURCES = {
    "coverage": ("title", "dek", "source_text"),
    "quote": ("text", "original_text"),
    "claim": ("statement", "check_note"),
    "commentary": ("title", "body"),
    "speaker": ("name",),
    "speakeralias": ("name",),
    "topic": ("name",),
    "organization": ("name",),
    "product": ("name",),
}


def remember_words(apps, schema_editor):
    from dialogues.search_index import remember_table

    for model_name, columns in TERM_SOURCES.items():
        table = apps.get_model("dialogues", model_name)._meta.db_table
        remember_table(table, columns, connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0022_import_proposals"),
    ]

    operations = [
        SQLiteSearchTable("commentary", ["title", "body"]),
        PostgresSearchDocument("commentary", ["title", "body"]),
        SearchTermsTable(),
        migrations.RunPython(remember_words, migrations.RunPython.noop, elidable=True),
    ]
