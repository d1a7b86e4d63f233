# The topic links of quotes and claims carry their coverage's time, kept by triggers, and are
# indexed by topic, newest first: a topic page walks its newest 30 instead of sorting them all.

from django.db import migrations

from dialogues.db_operations import TopicLinkListedAt


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0009_stored_search_documents"),
    ]

    operations = [
        TopicLinkListedAt("quote"),
        TopicLinkListedAt("claim"),
    ]
