# A topic's items are sorted by their coverage's time in the ORM again. The ``listed_at`` column
# of 0010 was kept by triggers that name the item and coverage tables, so SQLite's rebuild of
# either table (adding almost any field) failed: "no such table: main.dialogues_quote".

from django.db import migrations

from dialogues.db_operations import TopicLinkListedAt, Undone


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0011_sqlite_speaker_name_trigrams"),
    ]

    operations = [
        Undone(TopicLinkListedAt("claim")),
        Undone(TopicLinkListedAt("quote")),
    ]
