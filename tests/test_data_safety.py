"""No lost data: a backup restores to identical content, every migration reverses, and a
management command that fails leaves the database as it was."""

import json

import pytest
from django.core.management import CommandError, call_command

from dialogues.models import Quote, Speaker
from tests.throwaway import manage, throwaway_database

# Rebuilt by ``migrate`` on any database; everything else is content and goes in the backup.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions"]

EDITS = """
from django.utils import timezone
from dialogues.models import Correction, Coverage, Quote
from django.contrib.auth.models import User
editor = User.objects.get(username="backup-editor")
quote = Quote.objects.get(slug="huang-ai-digital-partner")
quote.text = quote.text + " (edited)"
quote.save()
coverage = Coverage.objects.get(slug="huang-renxun-wang-jian-three-overlooked-insights")
# Under a millisecond: Django's own JSON encoder writes milliseconds and would drop it.
made_at = timezone.now().replace(microsecond=417)
Correction.objects.create(subject=coverage, note="A corrected figure.", made_at=made_at, made_by=editor)
"""


def _dump(url, path):
    manage(
        url, "dumpdata", "--natural-foreign", *(f"--exclude={label}" for label in NOT_BACKED_UP), "-o", path
    )
    with open(path) as file:
        return json.load(file)


@pytest.mark.django_db
def test_backup_restores_to_identical_content_in_a_fresh_database(tmp_path):
    with throwaway_database() as original, throwaway_database() as restored:
        manage(original, "migrate", "--noinput", "-v0")
        manage(original, "loaddata", "chain_expo_2025", "-v0")
        manage(original, "ensure_editor", "--username", "backup-editor")
        manage(original, "drf_create_token", "backup-editor")
        manage(original, "shell", "--no-imports", "-c", EDITS)
        backup = _dump(original, str(tmp_path / "backup.json"))

        manage(restored, "migrate", "--noinput", "-v0")
        manage(restored, "loaddata", str(tmp_path / "backup.json"), "-v0")
        again = _dump(restored, str(tmp_path / "again.json"))

        # The restored database keeps working: new rows get fresh keys (sequences were reset).
        manage(
            restored,
            "shell",
            "--no-imports",
            "-c",
            "from dialogues.models import Topic; Topic.objects.create(slug='after', name='After restore')",
        )

    models = {row["model"] for row in backup}
    assert {
        "dialogues.quote",
        "dialogues.claim",
        "dialogues.correction",
        "dialogues.historicalquote",
        "auth.user",
        "authtoken.token",
        "auth.group",
    } <= models
    assert any(
        row["model"] == "dialogues.quote" and row["fields"]["text"].endswith("(edited)") for row in backup
    )
    assert any(
        row["model"] == "dialogues.correction" and row["fields"]["made_at"].endswith(".000417Z")
        for row in backup
    )
    assert again == backup


@pytest.mark.django_db
def test_every_migration_reverses_and_reapplies():
    with throwaway_database() as url:
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "chain_expo_2025", "-v0")
        plan = manage(url, "showmigrations", "dialogues", "--plan").split()
        ours = [name.split(".")[1] for name in plan if name.startswith("dialogues.")]
        assert ours[:2] == ["0001_initial", "0002_roles"]
        # Step back one migration at a time, to nothing, then forward again.
        for target in [*reversed(ours[:-1]), "zero"]:
            manage(url, "migrate", "dialogues", target, "--noinput", "-v0")
        manage(url, "migrate", "--noinput", "-v0")
        listed = manage(url, "showmigrations", "dialogues")
        assert "[ ]" not in listed and listed.count("[X]") == len(ours)
        groups = manage(
            url,
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import Group; print(sorted(Group.objects.values_list('name', flat=True)))",
        )
        assert groups.strip() == "['Contributor', 'Editor']"


def test_grow_archive_is_all_or_nothing(article, monkeypatch):
    from dialogues.management.commands import grow_archive

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    before = (Quote.objects.count(), Speaker.objects.count())
    monkeypatch.setattr(grow_archive.Grower, "link", staticmethod(fail))
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("grow_archive", scale=1)
    assert (Quote.objects.count(), Speaker.objects.count()) == before


def test_a_fixture_with_a_bad_record_loads_nothing_and_names_the_record(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                {"model": "dialogues.topic", "fields": {"slug": "fine", "name": "Fine"}},
                {
                    "model": "dialogues.speaker",
                    "fields": {"slug": "broken", "name": "Broken", "wikidata_id": "x" * 500},
                },
            ]
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("loaddata", str(bad), verbosity=0)
    from dialogues.models import Topic

    assert not Topic.objects.filter(slug="fine").exists()
    assert str(error.value).startswith("dialogues.Speaker 'broken' is invalid: wikidata_id: ")


def test_the_command_line_import_exits_non_zero_with_one_line_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                {"model": "dialogues.topic", "fields": {"slug": "fine", "name": "Fine"}},
                {"model": "dialogues.topic", "fields": {"slug": "bad", "name": "Bell\u0008 character"}},
            ]
        )
    )
    with throwaway_database() as url:
        manage(url, "migrate", "--noinput", "-v0")
        import os
        import subprocess
        import sys

        from tests.throwaway import ROOT

        result = subprocess.run(
            [sys.executable, "manage.py", "loaddata", str(bad)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        count = manage(
            url,
            "shell",
            "--no-imports",
            "-c",
            "from dialogues.models import Topic; print(Topic.objects.count())",
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "CommandError: dialogues.Topic 'bad' is invalid: name: Control characters are not allowed (found U+0008)."
    ] or (
        "dialogues.Topic 'bad' is invalid: name:" in result.stderr
        and len(result.stderr.strip().splitlines()) == 1
    )
    assert count.strip() == "0"


@pytest.mark.django_db
def test_loading_the_article_records_its_wording_as_the_first_version():
    """The article as loaded is in every object's history, so an edit can be undone back to it."""
    from django.core.management import call_command

    from dialogues.management.commands.loaddata import BASELINE_REASON
    from dialogues.models import Claim, Coverage, Quote

    call_command("loaddata", "chain_expo_2025", verbosity=0)
    for model in (Coverage, Quote, Claim):
        assert model.objects.exists()
        for obj in model.objects.all():
            (baseline,) = obj.history.all()
            assert baseline.history_change_reason == BASELINE_REASON
    quote = Quote.objects.first()
    original = quote.text
    quote.text = "Reworded."
    quote.save()
    assert quote.history.earliest().instance.text == original
    # Loading again records nothing more for objects that already have a history.
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    assert quote.history.count() == 2
