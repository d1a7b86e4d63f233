from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction

from dialogues import search_index


class Command(BaseCommand):
    help = (
        "Index every coverage, quote, claim and commentary for site search again (SQLite's FTS5 "
        "tables; PostgreSQL's documents need nothing) and make the vocabulary of search terms "
        "afresh: after bulk inserts or raw SQL writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        with transaction.atomic(using=database):
            search_index.rebuild(using=database)
