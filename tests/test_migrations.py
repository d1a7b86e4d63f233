"""Ordinary schema changes migrate: a field with a default added to every model of the app, one
of them altered and another removed, forwards, back and forwards again; search, topic pages and
the speaker name match still work afterwards, through the real code in a real process."""

import json
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from django.apps import apps

from tests.throwaway import ROOT, manage, throwaway_database

MIGRATIONS = ROOT / "dialogues" / "migrations"
FIELD = "churn_note"
ALTERED, REMOVED = "quote", "speaker"

CHECK = """
import json
from django.test import Client
from django.utils import timezone
from dialogues import search
from dialogues.models import Claim, Quote, Speaker, Topic

def claims_found(words):
    results = search.search(words, preview=False, now=timezone.now(), start=0, stop=50)
    return sorted(claim.slug for claim in results["claims"])

edit = EDIT
topic = Topic.objects.get(slug="physical-ai")
page = Client().get(topic.get_absolute_url()).content.decode()
newest = {model.__name__: model.objects.on_topic(topic).order_by("-pk").first() for model in (Quote, Claim)}
report = {
    "physical": claims_found("physical wave"),
    "topic_lists": {name: item.get_absolute_url() in page for name, item in newest.items()},
    "by_alias": [
        sorted(Speaker.objects.name_contains(name).values_list("slug", flat=True))
        for name in ("黄仁勋", "Jensen Huang")
    ],
}
if edit:
    claim = Claim.objects.get(slug="physical-ai-is-the-next-wave")
    claim.statement = f"{claim.statement} {edit}"
    claim.save()
    report["edited"] = claims_found(edit)
print(json.dumps(report))
"""


def _churn_migration(head):
    """A migration adding a NOT NULL field with a default to every concrete model of the app
    (history models included), then altering one and removing another. ``db_default`` lets
    code that does not know the field still insert rows. Auto-created many-to-many tables are
    not models of the migration state, so they get none."""
    models = sorted(
        model._meta.model_name
        for model in apps.get_app_config("dialogues").get_models()
        if model._meta.managed and not model._meta.proxy
    )
    assert ALTERED in models and REMOVED in models and "historicalquote" in models

    def field(length):
        return f'models.CharField(max_length={length}, default="", db_default="", blank=True)'

    operations = [f'migrations.AddField("{name}", "{FIELD}", {field(20)}),' for name in models]
    operations += [
        f'migrations.AlterField("{ALTERED}", "{FIELD}", {field(40)}),',
        f'migrations.RemoveField("{REMOVED}", "{FIELD}"),',
    ]
    body = textwrap.indent("\n".join(operations), " " * 8)
    return (
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f'    dependencies = [("dialogues", "{head}")]\n\n'
        f"    operations = [\n{body}\n    ]\n"
    )


@pytest.fixture
def churn_settings():
    """A settings module whose ``dialogues`` migrations are a copy of ours plus the churn
    migration, both in a temporary directory put on the subprocess's path."""
    head = max(path.stem for path in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    with tempfile.TemporaryDirectory() as directory:
        shutil.copytree(
            MIGRATIONS, Path(directory, "churn_migrations"), ignore=shutil.ignore_patterns("__pycache__")
        )
        Path(directory, "churn_migrations", "0999_churn.py").write_text(_churn_migration(head))
        Path(directory, "churn_settings.py").write_text(
            "from config.settings.test import *  # noqa: F403\n\n"
            'MIGRATION_MODULES = {"dialogues": "churn_migrations"}\n'
        )
        yield head, {"settings_module": "churn_settings", "PYTHONPATH": directory}


def test_a_field_on_every_model_migrates_forward_back_and_forward(churn_settings):
    head, settings = churn_settings
    with throwaway_database() as url:
        # Our migrations as they are, then the article, then the churn and back.
        manage(url, "migrate", "--noinput", "-v0", settings_module="config.settings.test")
        manage(url, "loaddata", "chain_expo_2025", "-v0", settings_module="config.settings.test")
        manage(url, "migrate", "dialogues", "0999_churn", "--noinput", "-v0", **settings)
        manage(url, "migrate", "dialogues", head, "--noinput", "-v0", **settings)
        assert _run_check(url, settings) == _expected()
        manage(url, "migrate", "--noinput", "-v0", **settings)
        assert re.search(r"\[X\] 0999_churn", manage(url, "showmigrations", "dialogues", **settings))
        assert _run_check(url, settings, edit="Zanzibarite") == {
            **_expected(),
            "edited": ["physical-ai-is-the-next-wave"],
        }


def _run_check(url, settings, edit=None):
    script = f"EDIT = {edit!r}\n{CHECK}"
    output = manage(url, "shell", "--no-imports", "-c", script, **settings)
    return json.loads(output.strip().splitlines()[-1])


def _expected():
    return {
        "physical": ["physical-ai-is-the-next-wave"],
        "topic_lists": {"Quote": True, "Claim": True},
        "by_alias": [["huang-renxun"], ["huang-renxun"]],
    }
