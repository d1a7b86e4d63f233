"""README's "Adding a field" checklist, followed to the letter on a copy of the project: a field
added only in the places it names migrates, and shows on the card, the page and the API."""

import os
import shutil
import subprocess
import sys

from tests.throwaway import ROOT, throwaway_database

SHOW = """
from django.test import Client
from dialogues.models import Quote

quote = Quote.objects.filter(coverage__slug="huang-renxun-wang-jian-three-overlooked-insights").first()
quote.tone = "checklist-tone-marker"
quote.save()
client = Client(HTTP_HOST="localhost")  # dev settings allow only local hosts
article = client.get(quote.coverage.get_absolute_url()).content.decode()
page = client.get(quote.get_absolute_url()).content.decode()
detail = client.get(f"/api/v1/quotes/{quote.slug}/").json()
listed = [item for item in client.get("/api/v1/quotes/?page_size=100").json()["results"] if item["slug"] == quote.slug]
print("card" if "checklist-tone-marker" in article else "-", "page" if "checklist-tone-marker" in page else "-",
      "detail" if detail.get("tone") == "checklist-tone-marker" else "-",
      "list" if listed and listed[0].get("tone") == "checklist-tone-marker" else "-")
"""


def _edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: the checklist's anchor {old!r} is not there once"
    path.write_text(text.replace(old, new))


def _copy_project(target):
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def test_a_field_added_where_the_checklist_says_shows_everywhere(tmp_path):
    project = tmp_path / "project"
    _copy_project(project)
    # 1. The model.
    _edit(
        project / "dialogues/models/statements.py",
        "    is_featured = models.BooleanField(default=False)\n    corrections = GenericRelation(Correction)\n\n    objects = QuoteQuerySet",
        '    is_featured = models.BooleanField(default=False)\n    tone = models.CharField(max_length=40, default="", blank=True)\n'
        "    corrections = GenericRelation(Correction)\n\n    objects = QuoteQuerySet",
    )
    # 2. The card: the columns a card reads, and the card's template.
    _edit(
        project / "dialogues/models/statements.py",
        '    card_fields = (*StatementQuerySet.card_fields, "text")',
        '    card_fields = (*StatementQuerySet.card_fields, "text", "tone")',
    )
    _edit(
        project / "templates/jinja2/includes/cards.html",
        "    {{ quote_kind(quote) }}",
        '    <span class="tone">{{ quote.tone }}</span>{{ quote_kind(quote) }}',
    )
    # 3. The API: the serializer's fields.
    _edit(
        project / "dialogues/api/serializers.py",
        '            "is_featured",\n',
        '            "is_featured",\n            "tone",\n',
    )

    with throwaway_database() as database_url:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": database_url}

        def manage(*args):
            result = subprocess.run(
                [sys.executable, "manage.py", *args], cwd=project, env=env, capture_output=True, text=True
            )
            assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
            return result.stdout

        manage("makemigrations", "dialogues", "-n", "quote_tone")
        manage("migrate", "--noinput", "-v0")
        manage("loaddata", "chain_expo_2025", "-v0")
        assert manage("shell", "-c", SHOW).splitlines()[-1].split() == ["card", "page", "detail", "list"]
