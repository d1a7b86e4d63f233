"""``manage.py import_coverage FILE --event SLUG --dialogue SLUG``: the import assistant from
the command line. Creates a draft coverage with its proposals, in one transaction, and prints
the summary; bad input exits non-zero with one line saying why."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.urls import reverse

from dialogues.importing import ImportInputError
from dialogues.importing.service import import_coverage
from dialogues.importing.text import check_text, decode
from dialogues.models import Dialogue

# A refused field is named as the option that sets it.
OPTION_OF = {
    "title": "--title",
    "source_publication": "--source-publication",
    "original_url": "--url",
    "original_published_on": "--date",
    "language": "--language",
    "dialogue": "--dialogue",
}


class Command(BaseCommand):
    help = "Import an article (text, Markdown or HTML file) as a draft coverage with proposals to review."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article: a UTF-8 text, Markdown or HTML file; - reads stdin.")
        parser.add_argument("--event", required=True, help="The event's slug.")
        parser.add_argument(
            "--dialogue", required=True, help="The dialogue's slug (a dialogue of that event)."
        )
        parser.add_argument(
            "--user", required=True, help="The Editor or Contributor importing it (username)."
        )
        parser.add_argument(
            "--title",
            default="",
            help="Default: the first line if it reads as a headline, else its first words.",
        )
        parser.add_argument("--source-publication", default="")
        parser.add_argument("--url", default="", help="The article's original URL.")
        parser.add_argument("--date", default=None, help="When the source published it, YYYY-MM-DD.")
        parser.add_argument("--language", default="en")
        parser.add_argument("--format", default="auto", choices=["auto", "text", "markdown", "html"])

    def handle(self, *args, **options):
        try:
            summary = self._import(options)
        except ImportInputError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "message_dict") else {"": error.messages}
            line = "; ".join(
                f"{OPTION_OF.get(field, field)}: {' '.join(m)}"
                if field and field != NON_FIELD_ERRORS
                else " ".join(m)
                for field, m in messages.items()
            )
            raise CommandError(f"Not imported: {line}") from error
        except PermissionDenied as error:
            raise CommandError(f"Not imported: {error or 'this user may not import coverage.'}") from error
        except DatabaseError as error:
            # The import is one transaction: nothing of it was kept.
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CommandError(
                f"Not imported, nothing was saved: the database refused it ({first_line})."
            ) from error
        self.stdout.write(
            "Imported draft “{title}” ({coverage}): {sections} sections; proposed {quote} quotes, {claim} claims, "
            "{figure} figures, {entity} entities (read in {seconds:.2f} s). Review them at {review_url}".format(
                **summary
            )
        )

    def _import(self, options):
        path = options["file"]
        raw = decode(self._read(path) if path != "-" else self.stdin_bytes())
        check_text(raw, source="file")
        try:
            dialogue = Dialogue.objects.select_related("event").get(slug=options["dialogue"])
        except Dialogue.DoesNotExist as error:
            raise CommandError(f"No dialogue with the slug “{options['dialogue']}”.") from error
        if dialogue.event.slug != options["event"]:
            raise CommandError(
                f"Dialogue “{dialogue.slug}” belongs to event “{dialogue.event.slug}”, not “{options['event']}”."
            )
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user “{options['user']}”.")
        try:
            published_on = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not “{options['date']}”.") from error
        result = import_coverage(
            by=user,
            text=raw,
            fmt=options["format"],
            title=options["title"],
            dialogue=dialogue,
            source_publication=options["source_publication"],
            original_url=options["url"],
            original_published_on=published_on,
            language=options["language"],
            progress=(
                (lambda fraction, message: self.stderr.write(f"{fraction:4.0%} {message}"))
                if options["verbosity"] > 1
                else None
            ),
        )
        return {
            "title": result.coverage.title,
            "review_url": reverse("admin:dialogues_import_review", args=[result.coverage.pk]),
            **result.summary(),
        }

    @staticmethod
    def _read(path):
        try:
            return Path(path).read_bytes()
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except IsADirectoryError as error:
            raise CommandError(f"{path} is a directory") from error
        except PermissionError as error:
            raise CommandError(f"May not read {path}: permission denied") from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # A missing or wrong option is one line ("… error: the following arguments are
        # required: --user"), not argparse's usage of every option above it; --help has that.
        parser.print_usage = lambda file=None: None
        return parser

    def stdin_bytes(self):
        import sys

        return sys.stdin.buffer.read()
