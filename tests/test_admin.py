import datetime
import pathlib
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from dialogues.models import Claim, Correction, Coverage, Proposal, Quote
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:dialogues_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:dialogues_{model._meta.model_name}_changelist")


def test_every_model_is_registered_with_search_and_list_columns():
    from django.apps import apps

    # The change feed's own record of what readers saw: kept by dialogues.changes, never edited.
    bookkeeping = {"PublicRecord", "ChangeFeedState"}
    for model in apps.get_app_config("dialogues").get_models():
        if model.__name__.startswith("Historical") or model.__name__ in bookkeeping:
            continue
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, model
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model
        assert model_admin.list_display != ("__str__",), model


def test_every_changelist_and_change_form_renders(client, superuser, article):
    client.force_login(superuser)
    for model, _model_admin in admin.site._registry.items():
        if model._meta.app_label != "dialogues":
            continue
        response = client.get(changelist_url(model))
        assert response.status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            response = client.get(change_url(obj))
            assert response.status_code == 200, model
            assert escape(str(obj)[:20]) in response.content.decode(), model


def test_speaker_search_finds_aliases(client, editor, article):
    client.force_login(editor)
    response = client.get(changelist_url(article.dialogue.speakers.model), {"q": "Jensen Huang"})
    names = [s.name for s in response.context["cl"].result_list]
    assert names == ["Huang Renxun"]
    response = client.get(changelist_url(article.dialogue.speakers.model), {"q": "王坚"})
    assert [s.name for s in response.context["cl"].result_list] == ["Wang Jian"]


def test_topic_search_finds_aliases_and_the_form_edits_them(client, editor, article):
    from dialogues.models import Topic

    client.force_login(editor)
    response = client.get(changelist_url(Topic), {"q": "开源"})
    assert [t.slug for t in response.context["cl"].result_list] == ["open-source"]
    response = client.get(change_url(Topic.objects.get(slug="open-source")))
    aliases = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "aliases"
    )
    assert [form.instance.name for form in aliases.initial_forms] == ["开源"]


def test_coverage_form_shows_sections_and_counted_links(client, editor, article):
    client.force_login(editor)
    response = client.get(change_url(article))
    page = response.content.decode()
    assert "From Cognitive AI to Physical AI" in page
    assert f"coverage__id__exact={article.pk}" in page
    counts = [article.quotes.count(), article.claims.count(), article.commentaries.count()]
    assert counts == [3, 64, 10]
    assert "3 quotes" in page and "64 claims" in page and "10 commentaries" in page


def test_dialogue_and_speaker_forms_have_inlines(client, editor, article):
    client.force_login(editor)
    response = client.get(change_url(article.dialogue))
    participants = response.context["inline_admin_formsets"][0].formset
    assert participants.prefix == "participants"
    assert {form.instance.speaker.name for form in participants.initial_forms} == {
        "Huang Renxun",
        "Wang Jian",
    }
    speaker = article.dialogue.speakers.get(slug="huang-renxun")
    page = client.get(change_url(speaker)).content.decode()
    assert "Jensen Huang" in page and "founder and CEO" in page


def test_claim_changelist_colours_status_and_filters(client, editor, article):
    client.force_login(editor)
    response = client.get(changelist_url(Claim), {"status__exact": "supported"})
    assert [c.slug for c in response.context["cl"].result_list] == ["nvlink-fusion-opened-ecosystem"]
    assert "background:#166534" in response.content.decode()
    huang = article.dialogue.speakers.get(slug="huang-renxun")
    response = client.get(
        changelist_url(Claim), {"kind__exact": "prediction", "speakers__id__exact": huang.pk}
    )
    assert {c.slug for c in response.context["cl"].result_list} == {
        "physical-ai-is-the-next-wave",
        "ai-lifelong-companion",
    }
    response = client.get(
        changelist_url(Claim), {"topics__id__exact": article.topics.get(slug="bioengineering").pk}
    )
    on_topic = Claim.objects.filter(topics__slug="bioengineering")
    assert {c.slug for c in response.context["cl"].result_list} == {c.slug for c in on_topic}
    assert len(on_topic) == 5
    response = client.get(changelist_url(Claim), {"dialogue__event__id__exact": article.dialogue.event.pk})
    assert len(response.context["cl"].result_list) == Claim.objects.count()


def test_editor_publishes_a_draft_with_an_action(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    response = client.post(
        changelist_url(Coverage), {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 coverage published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "published" and draft.publish_at <= timezone.now()
    assert Coverage.objects.published().filter(pk=draft.pk).exists()


def test_contributor_cannot_publish(client, contributor):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(contributor)
    response = client.get(changelist_url(Coverage))
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions and "publish" not in actions
    client.post(changelist_url(Coverage), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"
    form = client.get(change_url(draft)).context["adminform"].form
    # Status and scheduling are an Editor's: a Contributor's form shows them read-only.
    assert "status" not in form.fields and "publish_at" not in form.fields


def test_contributor_submits_for_review(client, contributor):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(contributor)
    client.post(changelist_url(Coverage), {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "in_review"


def test_contributor_cannot_edit_published_coverage(client, contributor):
    """Their change is kept as a proposal for an Editor; readers still see the published text."""
    live = factories.CoverageFactory()
    client.force_login(contributor)
    response = client.get(change_url(live))
    assert response.status_code == 200
    data = change_form_data(response, title="Changed", correction_note="Retitled.")
    response = client.post(change_url(live), data, follow=True)
    assert "Your change was sent to an Editor for review" in response.content.decode()
    live.refresh_from_db()
    assert live.title == "A Test Article"
    assert Proposal.objects.get().changes == {"title": "Changed"}


def test_scheduled_publish_stays_off_the_site_until_its_time(client, editor):
    scheduled = factories.CoverageFactory(scheduled=True)
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert "Scheduled" in client.get(changelist_url(Coverage)).content.decode()


def test_staff_preview_drafts_anonymous_get_404(client, editor):
    draft = factories.CoverageFactory(draft=True, title="Secret Draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Secret Draft" in page and "Preview" in page
    from django.contrib.contenttypes.models import ContentType

    view_on_site = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(draft).pk, draft.pk])
    assert view_on_site in client.get(change_url(draft)).content.decode()
    assert client.get(view_on_site)["Location"].endswith(draft.get_absolute_url())


def test_quote_anchor_prefix_and_suffix_are_filled_in(client, editor, coverage, two_speakers):
    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(quote)),
        anchor_exact="Bo Speaker said the future is closed.",
        anchor_prefix="",
        anchor_suffix="",
        correction_note="Pointed the quote at its passage.",  # the passage is on its page
    )
    response = client.post(change_url(quote), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    assert quote.anchor_prefix.endswith("said the future is open. ")
    assert quote.anchor_suffix.startswith("\n\nThe publication")


@pytest.mark.parametrize(
    ("exact", "message"),
    [("Never said anywhere.", "does not occur"), ("the future is", "occurs 2 times")],
)
def test_bad_anchor_is_a_form_error_that_says_which(client, editor, coverage, two_speakers, exact, message):
    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(quote)), anchor_exact=exact, anchor_prefix="", anchor_suffix=""
    )
    response = client.post(change_url(quote), data)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["anchor_exact"])
    quote.refresh_from_db()
    assert quote.anchor_exact == "Ada Speaker said the future is open."


def test_quote_speakers_must_be_participants(client, editor, coverage, two_speakers):
    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])
    outsider = factories.SpeakerFactory(name="Outsider")
    client.force_login(editor)
    data = change_form_data(client.get(change_url(quote)), speakers=[str(outsider.pk)])
    response = client.post(change_url(quote), data)
    assert "Not a participant" in str(response.context["adminform"].form.errors["speakers"])
    assert list(quote.speakers.all()) == [two_speakers[0]]


def test_supported_claim_needs_check_date_and_evidence(client, editor, coverage):
    claim = factories.ClaimFactory(coverage=coverage)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(claim)), status="supported")
    errors = client.post(change_url(claim), data).context["adminform"].form.errors
    assert "checked_on" in errors and "evidence" in errors
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_figure_without_unit_is_a_form_error(client, editor, coverage):
    claim = factories.ClaimFactory(coverage=coverage)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(claim)))
    data.update(
        {
            "figures-TOTAL_FORMS": "1",
            "figures-0-label": "Revenue",
            "figures-0-value": "5",
            "figures-0-unit": "",
        }
    )
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "unit" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not claim.figures.exists()


def test_second_editor_gets_a_conflict_instead_of_overwriting(client, editor, coverage, two_speakers):
    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])
    client.force_login(editor)
    stale_form = client.get(change_url(quote))
    # Meanwhile a colleague saves the same quote.
    colleague_copy = Quote.objects.get(pk=quote.pk)
    colleague_copy.text = "Colleague's wording."
    colleague_copy.save()
    response = client.post(change_url(quote), change_form_data(stale_form, text="My wording."))
    assert response.status_code == 200
    assert "Someone else saved this quote" in response.content.decode()
    quote.refresh_from_db()
    assert quote.text == "Colleague's wording."


def test_editing_published_wording_needs_a_public_correction(client, editor, coverage, two_speakers):
    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])
    client.force_login(editor)
    data = change_form_data(client.get(change_url(quote)), text="The future is wide open.")
    response = client.post(change_url(quote), data)
    assert "correction_note" in response.context["adminform"].form.errors
    data = change_form_data(
        client.get(change_url(quote)),
        text="The future is wide open.",
        correction_note="Fixed a mistranslation.",
    )
    assert client.post(change_url(quote), data).status_code == 302
    correction = Correction.objects.get()
    assert correction.note == "Fixed a mistranslation." and correction.made_by == editor
    client.logout()
    page = client.get(quote.get_absolute_url()).content.decode()
    assert "Fixed a mistranslation." in page and "The future is wide open." in page


def test_draft_edits_need_no_correction(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True, dialogue=factories.DialogueFactory(speakers=two_speakers))
    quote = factories.QuoteFactory(coverage=draft, speakers=[two_speakers[0]])
    client.force_login(editor)
    response = client.post(
        change_url(quote), change_form_data(client.get(change_url(quote)), text="Reworded.")
    )
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_history_records_who_and_can_restore(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True, dialogue=factories.DialogueFactory(speakers=two_speakers))
    quote = factories.QuoteFactory(coverage=draft, speakers=[two_speakers[0]], text="First wording.")
    client.force_login(editor)
    client.post(change_url(quote), change_form_data(client.get(change_url(quote)), text="Second wording."))
    quote.refresh_from_db()
    assert quote.text == "Second wording."
    latest = quote.history.first()
    assert latest.history_user == editor
    assert "text" in latest.diff_against(latest.prev_record).changed_fields
    history_page = client.get(reverse("admin:dialogues_quote_history", args=[quote.pk])).content.decode()
    assert "Second wording." in history_page or "editor" in history_page
    original = quote.history.last()
    revert_url = reverse("admin:dialogues_quote_simple_history", args=[quote.pk, original.history_id])
    response = client.post(revert_url, change_form_data(client.get(revert_url)))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.text == "First wording."
    assert quote.version == 3


def test_contributor_and_editor_permissions():
    from django.contrib.auth.models import Group

    contributor = set(Group.objects.get(name="Contributor").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert "publish_coverage" in editor and "publish_coverage" not in contributor
    assert {"add_quote", "change_quote", "add_coverage"} <= contributor
    assert "delete_coverage" not in contributor and "delete_coverage" in editor


def test_editor_sets_a_future_publish_time(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    later = timezone.now() + datetime.timedelta(days=3)
    data = change_form_data(client.get(change_url(draft)), status="published")
    data["publish_at_0"], data["publish_at_1"] = later.date().isoformat(), "09:00:00"
    data.pop("publish_at", None)
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.status == "published" and not draft.is_published
    assert not Coverage.objects.published().filter(pk=draft.pk).exists()


def test_contributor_cannot_edit_quotes_in_published_coverage(client, contributor, coverage, two_speakers):
    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])
    client.force_login(contributor)
    response = client.get(change_url(quote))
    client.post(change_url(quote), change_form_data(response, text="Changed.", correction_note="Reworded."))
    quote.refresh_from_db()
    assert quote.text == "The future is open."
    assert Proposal.objects.get().changes["text"] == "Changed."


def test_publishing_from_the_form_without_a_time_means_now(client, editor):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(draft)), status="published")
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.is_published


def _confirm_all(client, user):
    from dialogues.models import FactSource

    client.force_login(user)
    return client.post(
        "/admin/dialogues/factsource/",
        {"action": "confirm", "_selected_action": list(FactSource.objects.values_list("pk", flat=True))},
    )


def test_the_desk_lists_unconfirmed_facts_and_editors_confirm_them(client, article, editor):
    from dialogues.models import FactSource

    client.force_login(editor)
    listing = client.get("/admin/dialogues/factsource/", {"confirmed": "no"})
    assert listing.status_code == 200 and b"held_on" in listing.content
    _confirm_all(client, editor)
    assert not FactSource.objects.unconfirmed().exists()
    assert set(FactSource.objects.values_list("confirmed_by", flat=True)) == {editor.pk}


def test_contributors_cannot_confirm_facts(client, article, contributor):
    from dialogues.models import FactSource

    _confirm_all(client, contributor)
    assert FactSource.objects.unconfirmed().count() == FactSource.objects.count()


# --- Raw values an outside tester read in the admin (issue #24) --------------------------------


def test_history_names_no_account_for_the_fixtures_version_and_labels_a_typo_fix(client, editor, article):
    from dialogues import services

    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    client.force_login(editor)
    page = client.get(reverse("admin:dialogues_quote_history", args=[quote.pk])).content.decode()
    changed_by = re.findall(r"<td>\s*(.*?)\s*</td>", page, re.S)
    assert "Loaded from a fixture" in changed_by and "None" not in changed_by
    services.visible_change(instance=quote, changed_fields=["text"], typo_fix=True, by=editor)
    assert quote._change_reason == "Typo fix: Words"  # the form's label, not the field's name


def test_the_revert_page_has_the_items_own_breadcrumbs(client, editor, article):
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    record = quote.history.earliest("history_date")
    client.force_login(editor)
    url = reverse("admin:dialogues_quote_simple_history", args=[quote.pk, record.pk])
    page = client.get(url).content.decode()
    trail = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", trail) == f"Home › Quotes › {quote} › History › Revert"
    assert "Historical" not in trail


def test_a_list_filter_says_not_set_for_no_value(client, editor, article):
    client.force_login(editor)
    response = client.get(changelist_url(Claim))
    topics = next(spec for spec in response.context["cl"].filter_specs if spec.title == "topics")
    labels = [str(choice["display"]) for choice in topics.choices(response.context["cl"])]
    assert labels[-1] == "Not set" and "-" not in labels


def test_a_source_text_edit_that_drops_a_passage_names_the_quote_by_its_words(client, editor, article):
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    client.force_login(editor)
    url = change_url(article)
    text = article.source_text.replace(quote.anchor_exact, "")
    data = change_form_data(client.get(url), source_text=text, correction_note="Cut.")
    response = client.post(url, data)
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["source_text"][0]
    assert error.startswith("This edit removes passages that these point to: Quote: ")
    assert Truncator(quote.text).chars(80) in error and quote.slug not in error


def test_django_s_server_time_note_is_hidden_in_the_newsroom_s_admin(client, editor, article):
    """Django's "You are 8 hours behind server time." beside "Newsroom time: CST" confused the
    tester: the admin works in newsroom time, which the calendar's Today and Now follow."""
    from django.contrib.staticfiles import finders

    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert 'href="/static/css/newsroom-time.css"' in page
    assert 'data-admin-utc-offset="28800"' in page  # Asia/Shanghai: "Now" is the newsroom's now
    assert "Newsroom time: CST (Asia/Shanghai)" in page
    stylesheet = pathlib.Path(finders.find("css/newsroom-time.css")).read_text()
    assert re.search(r"\.timezonewarning\s*\{\s*display:\s*none;\s*\}", stylesheet)
