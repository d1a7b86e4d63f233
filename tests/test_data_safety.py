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
        assert groups.strip() == "['Contributor', 'Editor', 'Managing editor']"


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
    # Loading again records nothing more for objects it does not change.
    call_command("loaddata", "chain_expo_2025", verbosity=0, correction_note="Back to the article's words.")
    assert quote.history.count() == 3 and Claim.objects.first().history.count() == 1
    assert (
        quote.history.first().history_change_reason
        == "Changed by loading a fixture: Back to the article's words."
    )


# --- Loading over what readers already see (POLICY.md: what readers see changes only visibly)

QUOTE = "huang-ai-digital-partner"


def _edited_fixture(tmp_path, *replacements):
    """The article's fixture with some of its text replaced, plus a new topic."""
    from tests.throwaway import ROOT

    text = (ROOT / "fixtures" / "chain_expo_2025.yaml").read_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    text += "\n- model: dialogues.topic\n  fields: {slug: brand-new, name: Brand new}\n"
    path = tmp_path / "edited.yaml"
    path.write_text(text)
    return str(path)


REWORDED = ('text: "AI will become your “digital partner.”"', 'text: "AI will be your partner."')


def _snapshot():
    from dialogues.models import Correction, Topic

    quote = Quote.objects.get(slug=QUOTE)
    return (
        quote.text,
        quote.version,
        quote.history.count(),
        Correction.objects.count(),
        Topic.objects.count(),
    )


def test_loading_the_same_article_again_changes_nothing(article):
    before = _snapshot()
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    assert _snapshot() == before


def test_rewording_a_published_quote_by_fixture_needs_a_note_or_loads_nothing(article, tmp_path):
    fixture = _edited_fixture(tmp_path, REWORDED)
    before = _snapshot()
    with pytest.raises(CommandError) as error:
        call_command("loaddata", fixture, verbosity=0)
    message = str(error.value)
    assert "\n" not in message and "dialogues.Quote 'huang-ai-digital-partner'" in message
    assert "correction note" in message and "--correction-note" in message
    assert _snapshot() == before  # the new topic too: all or nothing

    call_command("loaddata", fixture, verbosity=0, correction_note="Shortened the quotation.")
    quote = Quote.objects.get(slug=QUOTE)
    assert quote.text == "AI will be your partner." and quote.version == before[1] + 1
    assert [c.note for c in quote.corrections.all()] == ["Shortened the quotation."]
    assert quote.history.first().history_change_reason.endswith("Shortened the quotation.")
    assert quote.history.first().instance.text == "AI will be your partner."


def test_loading_the_article_again_keeps_what_it_leaves_out(article, editor):
    """Withdrawals, owners and versions are not in the article's fixture: a reload (``bin/dev
    serve`` does one at every start) keeps them rather than resetting them to defaults."""
    from dialogues import services
    from dialogues.models import Coverage

    quote = Quote.objects.get(slug=QUOTE)
    services.withdraw(item=quote, by=editor, note="Misattributed.")
    Coverage.objects.filter(pk=article.pk).update(created_by=editor, version=5)
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    quote.refresh_from_db()
    article.refresh_from_db()
    assert quote.withdrawn_at is not None and quote.withdrawal_note == "Misattributed."
    assert article.created_by == editor and article.version == 5


def test_a_backup_cannot_rewrite_a_correction_or_undo_a_withdrawal_silently(article, editor, tmp_path):
    from django.core import serializers

    from dialogues import services
    from dialogues.models import Correction

    quote = Quote.objects.get(slug=QUOTE)
    correction = services.correction_add(subject=quote, note="Fixed a name.", by=editor)
    backup = serializers.serialize("json", [quote, correction], use_natural_foreign_keys=True)
    services.withdraw(item=quote, by=editor, note="Misattributed.")
    path = tmp_path / "backup.json"
    path.write_text(backup)
    with pytest.raises(CommandError, match="withdrawn at"):
        call_command("loaddata", str(path), verbosity=0)
    assert Quote.objects.get(pk=quote.pk).withdrawal_note == "Misattributed."

    correction.note = "Another note."
    path.write_text(serializers.serialize("json", [correction], use_natural_foreign_keys=True))
    Correction.objects.filter(pk=correction.pk).update(note="Fixed a name.")
    with pytest.raises(CommandError, match="corrections are never changed"):
        call_command("loaddata", str(path), verbosity=0, correction_note="Anything.")
    assert Correction.objects.get(pk=correction.pk).note == "Fixed a name."


@pytest.mark.django_db
def test_the_command_line_refuses_an_unnoted_change_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    from tests.throwaway import ROOT

    fixture = _edited_fixture(tmp_path, REWORDED)
    with throwaway_database() as url:
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "chain_expo_2025", "-v0")  # on an empty database, as bin/dev serve
        result = subprocess.run(
            [sys.executable, "manage.py", "loaddata", fixture],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        text = manage(
            url,
            "shell",
            "--no-imports",
            "-c",
            f"from dialogues.models import Quote, Topic; print(Quote.objects.get(slug='{QUOTE}').text, "
            "Topic.objects.filter(slug='brand-new').exists())",
        )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: dialogues.Quote 'huang-ai-digital-partner': This is published")
    assert text.strip() == "AI will become your “digital partner.” False"


@pytest.mark.django_db(transaction=True)
def test_role_migrations_run_on_the_project_registry_leave_it_as_found():
    """The browser tests re-run the role migrations on the project's own app registry after each
    flush; a migration that left ``models_module`` unset there stopped every later flush from
    re-creating content types, and fixtures naming one failed to load."""
    import importlib

    from django.apps import apps as registry
    from django.contrib.contenttypes.models import ContentType

    from tests.conftest import ROLE_MIGRATIONS

    before = {config.label: config.models_module for config in registry.get_app_configs()}
    for module, function in ROLE_MIGRATIONS:
        getattr(importlib.import_module(f"dialogues.migrations.{module}"), function)(registry, None)
    assert {config.label: config.models_module for config in registry.get_app_configs()} == before
    call_command("flush", "--noinput", verbosity=0)
    assert ContentType.objects.filter(app_label="dialogues", model="dialogue").exists()
