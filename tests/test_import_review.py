"""The import's review screen and accepting from it, as an outside tester found them (issue #25,
second round): a dialogue with no participants yet, edits kept when accepting fails, renamed
entities, and who sees which imports."""

import re

import pytest
from django.urls import reverse

from dialogues.importing.service import accept, import_coverage
from dialogues.models import ImportProposal, Participant, Quote
from tests.factories import CoverageFactory, DialogueFactory, OrganizationFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

TEXT = 'Robots at Work\n\n"Every factory will teach its robots something new," Ada Lovelace said.\n'


@pytest.fixture
def ada(db):
    return SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace")


@pytest.fixture
def empty_dialogue(db):
    """A dialogue just added from the import form's "+": nobody is on stage yet."""
    return DialogueFactory(slug="new-dialogue", title="A New Dialogue")


def quote_proposal(coverage):
    return ImportProposal.objects.get(coverage=coverage, kind="quote")


def review(client, coverage, **params):
    return client.get(reverse("admin:dialogues_import_review", args=[coverage.pk]), params)


def test_a_speaker_not_yet_on_stage_is_offered_in_a_select_and_accepting_adds_them(
    client, contributor, ada, empty_dialogue
):
    coverage = import_coverage(by=contributor, text=TEXT, dialogue=empty_dialogue).coverage
    found = quote_proposal(coverage)
    assert found.data["speakers"] == [ada.pk]
    client.force_login(contributor)
    page = review(client, coverage, kind="quote").content.decode()
    assert f'<select name="p{found.pk}-speakers" id="p{found.pk}-speakers" multiple' in page
    assert f'<option value="{ada.pk}" selected>Ada Lovelace (not yet on stage' in page
    assert "[" + str(ada.pk) + "]" not in page
    response = client.post(
        reverse("admin:dialogues_import_review", args=[coverage.pk]),
        {"accept": found.pk, f"p{found.pk}-speakers-shown": "1", f"p{found.pk}-speakers": [str(ada.pk)]},
    )
    assert response.status_code == 302
    assert list(Quote.objects.get().speakers.all()) == [ada]
    assert Participant.objects.filter(dialogue=empty_dialogue, speaker=ada).exists()


def test_a_quote_naming_nobody_on_record_says_how_to_add_the_speaker(client, editor, empty_dialogue):
    coverage = import_coverage(
        by=editor,
        text='Robots\n\n"Factories will change how we all work," Grace Hopper said.\n',
        dialogue=empty_dialogue,
    ).coverage
    found = quote_proposal(coverage)
    client.force_login(editor)
    page = review(client, coverage, kind="quote").content.decode()
    assert f'name="p{found.pk}-speakers"' not in page  # no text box that ignores what is typed
    assert "No speaker on record to choose" in page and "The text names: Grace Hopper" in page


def test_a_contributor_is_told_to_add_a_participant_of_a_published_dialogue_first(client, contributor, ada):
    published = CoverageFactory().dialogue
    coverage = import_coverage(by=contributor, text=TEXT, dialogue=published).coverage
    found = quote_proposal(coverage)
    client.force_login(contributor)
    response = client.post(
        reverse("admin:dialogues_import_review", args=[coverage.pk]),
        {"accept": found.pk, f"p{found.pk}-speakers-shown": "1", f"p{found.pk}-speakers": [str(ada.pk)]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Add Ada Lovelace as a participant of “{published}” first" in page
    assert reverse("admin:dialogues_dialogue_change", args=[published.pk]) + "#participants-group" in page
    assert not Quote.objects.exists() and not Participant.objects.filter(speaker=ada).exists()
    assert ImportProposal.objects.get(pk=found.pk).status == "pending"


def test_an_editor_accepting_puts_the_speaker_on_stage(editor, ada, empty_dialogue):
    coverage = import_coverage(by=editor, text=TEXT, dialogue=empty_dialogue).coverage
    accept(proposal=quote_proposal(coverage), by=editor)
    assert list(empty_dialogue.speakers.all()) == [ada]


def test_edits_to_a_proposal_survive_a_failed_accept(client, editor, ada, empty_dialogue):
    text = "Robots\n\nAcme's market value is now approaching US$12 billion, analysts said.\n"
    coverage = import_coverage(by=editor, text=text, dialogue=empty_dialogue).coverage
    figure = ImportProposal.objects.get(coverage=coverage, kind="figure")
    client.force_login(editor)
    response = client.post(
        reverse("admin:dialogues_import_review", args=[coverage.pk]),
        {
            "accept": figure.pk,
            f"p{figure.pk}-label": "Acme market value (edited)",
            f"p{figure.pk}-value": "12.5e9",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Accept the figure&#x27;s claim first" in page or "Accept the figure's claim first" in page
    assert 'value="Acme market value (edited)"' in page and 'value="12.5e9"' in page
    assert ImportProposal.objects.get(pk=figure.pk).status == "pending"


def test_the_import_form_never_cuts_a_long_paste_in_the_browser(client, editor):
    """A maxlength on the textarea would cut a 1.2 MB paste silently and import the rest; the
    server's 413 page (upload it as a file) must get the whole of it."""
    client.force_login(editor)
    form = client.get(reverse("admin:dialogues_import")).content.decode()
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>', form).group()
    assert "maxlength" not in textarea


def test_renaming_an_entity_on_record_adds_the_renamed_one_not_the_old(editor, empty_dialogue):
    sony = OrganizationFactory(name="Sony", slug="sony")
    text = "Electronics\n\nSony showed its newest robots to the audience on the second day.\n"
    coverage = import_coverage(by=editor, text=text, dialogue=empty_dialogue).coverage
    entity = ImportProposal.objects.get(coverage=coverage, kind="entity", data__name="Sony")
    assert entity.data["match"] == sony.pk
    made = accept(proposal=entity, by=editor, values={"name": "Sony Group"})
    assert made != sony and made.name == "Sony Group"
    assert ImportProposal.objects.get(pk=entity.pk).data == {
        **entity.data,
        "name": "Sony Group",
        "match": made.pk,
    }
    # Accepting under the record's own name (any case) links it, as before.
    again = import_coverage(by=editor, text=text, dialogue=empty_dialogue).coverage
    entity = ImportProposal.objects.get(coverage=again, kind="entity", data__name="Sony")
    assert accept(proposal=entity, by=editor, values={"name": "SONY"}) == sony


def test_contributors_list_only_the_imports_they_may_review(
    client, editor, contributor, django_user_model, ada
):
    mine = import_coverage(by=contributor, text=TEXT, dialogue=DialogueFactory(speakers=[ada])).coverage
    theirs = import_coverage(by=editor, text=TEXT, dialogue=DialogueFactory(speakers=[ada])).coverage
    changelist = reverse("admin:dialogues_importproposal_changelist")
    client.force_login(contributor)
    listed = client.get(changelist).content.decode()
    review_of = lambda coverage: reverse("admin:dialogues_import_review", args=[coverage.pk])  # noqa: E731
    assert review_of(mine) in listed and review_of(theirs) not in listed
    refused = client.get(review_of(theirs))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "someone else&#x27;s draft" in page and 'id="site-name"' in page  # the admin's own page
    missing = client.get(reverse("admin:dialogues_import_review", args=[999999]))
    assert missing.status_code == 404 and 'id="site-name"' in missing.content.decode()
    client.force_login(editor)
    listed = client.get(changelist).content.decode()
    assert review_of(mine) in listed and review_of(theirs) in listed
