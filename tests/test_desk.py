"""The newsroom desk (the admin home), the newsroom time zone, scheduling as a state, and users
and roles managed in the admin (issue #24)."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.models import Claim, Coverage, FactSource
from dialogues.newsroom import newsroom_time
from dialogues.permissions import CONTRIBUTOR, EDITOR, MANAGING_EDITOR
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def section(page, heading):
    """The HTML of the desk section headed ``heading`` (up to the next section)."""
    match = re.search(rf">{re.escape(heading)}</h2>(.*?)</section>", page, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def change_url(obj):
    return reverse(f"admin:dialogues_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def desk_world(contributor, editor, two_speakers):
    """Work for the desk: coverage a Contributor submitted, a proposal on a published quote,
    coverage scheduled, predictions due soon and later, an unconfirmed fact, a correction, and
    a draft of each user's."""
    ada, _ = two_speakers
    live = factories.CoverageFactory(
        title="Live coverage", dialogue=factories.DialogueFactory(speakers=[ada])
    )
    quote = factories.QuoteFactory(coverage=live, speakers=[ada])
    submitted = factories.CoverageFactory(title="Submitted coverage", draft=True, created_by=contributor)
    services.coverage_submit_for_review(coverage=submitted, by=contributor)
    proposal = services.propose_change(
        by=contributor, target=quote, values={"text": "Better words."}, correction_note="Reworded."
    )
    scheduled = factories.CoverageFactory(title="Scheduled coverage", draft=True)
    services.coverage_publish(
        coverage=scheduled, by=editor, at=datetime.datetime(2099, 7, 17, 1, 0, tzinfo=datetime.UTC)
    )
    today = timezone.localdate()
    due = factories.ClaimFactory(
        coverage=live,
        kind="prediction",
        statement="Due soon.",
        resolve_by=today + datetime.timedelta(days=10),
    )
    overdue = factories.ClaimFactory(
        coverage=live, kind="prediction", statement="Overdue.", resolve_by=today - datetime.timedelta(days=3)
    )
    later = factories.ClaimFactory(
        coverage=live,
        kind="prediction",
        statement="Due later.",
        resolve_by=today + datetime.timedelta(days=60),
    )
    fact = FactSource.objects.create(
        subject=live.dialogue.event,
        fact="city",
        title="Expo press release",
        url="https://example.com/release",
        accessed_on=today,
    )
    correction = services.correction_add(subject=quote, note="Fixed the speaker's title.", by=editor)
    mine = factories.CoverageFactory(title="Contributor's own draft", draft=True, created_by=contributor)
    theirs = factories.CoverageFactory(title="Editor's own draft", draft=True, created_by=editor)
    return {
        "submitted": submitted,
        "proposal": proposal,
        "scheduled": scheduled,
        "due": due,
        "overdue": overdue,
        "later": later,
        "fact": fact,
        "correction": correction,
        "mine": mine,
        "theirs": theirs,
        "quote": quote,
    }


def test_the_editors_home_is_the_desk(client, editor, desk_world):
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    assert "Newsroom desk" in page and "Times are newsroom time: CST (Asia/Shanghai)." in page

    review = section(page, "In review")
    assert "Coverage: Submitted coverage" in review and "contributor" in review
    assert "Quote: The future is open." in review
    # One click to where an Editor approves or sends back with a note.
    assert f'href="{change_url(desk_world["proposal"])}">Open the proposal</a>' in review
    assert f'href="{change_url(desk_world["submitted"])}"' in review

    # 01:00 UTC is 09:00 in Shanghai.
    assert "Scheduled coverage" in section(page, "Scheduled")
    assert "17 Jul 2099 09:00 CST" in section(page, "Scheduled")

    due = section(page, "Predictions due")
    assert "Due soon." in due and "Overdue." in due and "Due later." not in due
    assert due.index("Overdue.") < due.index("Due soon.") and due.count("overdue") == 1

    facts = section(page, "Unconfirmed facts")
    assert "Expo press release" in facts and "?confirmed=no" in facts
    corrections = section(page, "Recent corrections")
    assert "Quote: The future is open." in corrections and "Fixed the speaker&#x27;s title." in corrections
    drafts = section(page, "My drafts")
    assert "Editor&#x27;s own draft" in drafts and "Contributor&#x27;s own draft" not in drafts


def test_the_submission_is_dated_from_its_last_submission(client, contributor, editor, desk_world):
    submitted = desk_world["submitted"]
    first = Coverage.history.filter(id=submitted.pk, status="in_review").get().history_date
    # Back to draft and submitted again: the wait starts again.
    submitted.status = Coverage.Status.DRAFT
    submitted._history_user = editor
    submitted.save()
    services.coverage_submit_for_review(coverage=submitted, by=contributor)
    row = Coverage.objects.in_review().get(pk=submitted.pk)
    assert row.submitted_by == "contributor" and row.submitted_at > first


def test_a_contributor_sees_their_own_work_and_no_users(client, contributor, desk_world, django_user_model):
    other = django_user_model.objects.create_user("other", is_staff=True)
    other.groups.add(Group.objects.get(name=CONTRIBUTOR))
    theirs = services.propose_change(
        by=other, target=desk_world["quote"], values={"text": "Other words."}, correction_note="Other."
    )
    client.force_login(contributor)
    page = client.get(HOME).content.decode()
    review = section(page, "In review")
    assert f'href="{change_url(desk_world["proposal"])}">Open the proposal</a>' in review
    assert change_url(theirs) not in review and "Send back" not in review
    assert "Contributor&#x27;s own draft" in section(page, "My drafts")
    assert "Editor&#x27;s own draft" not in page
    assert "/admin/auth/" not in page and "/admin/authtoken/" not in page and ">Users<" not in page


def test_models_are_grouped_by_task_with_counts(client, managing_editor, desk_world):
    client.force_login(managing_editor)
    response = client.get(HOME)
    groups = {app["name"]: [m["object_name"] for m in app["models"]] for app in response.context["app_list"]}
    assert list(groups) == [
        "Coverage & statements",
        "People & organizations",
        "Reference",
        "API & webhooks",
        "Users",
    ]
    assert groups["API & webhooks"] == ["WebhookEndpoint", "WebhookDelivery", "Change"]
    assert groups["Coverage & statements"][-1] == "ImportProposal"
    assert groups["Coverage & statements"][:4] == ["Coverage", "Section", "Quote", "Claim"]
    assert "Speaker" in groups["People & organizations"] and "FactSource" in groups["Reference"]
    assert groups["Users"] == ["User", "Group"]  # no tokens: those stay with the operators
    counts = {m["object_name"]: m["count"] for app in response.context["app_list"] for m in app["models"]}
    assert counts["Coverage"] == Coverage.objects.count() == 5
    assert counts["Claim"] == Claim.objects.count() == 3
    assert counts["User"] == 3  # contributor, editor and the managing editor
    page = response.content.decode()
    assert re.search(
        r'href="/admin/dialogues/coverage/">Coverage</a></th>\s*<td class="desk-count">5</td>', page
    )


def test_the_home_costs_the_same_queries_however_much_work_waits(
    client, contributor, editor, desk_world, django_assert_num_queries
):
    client.force_login(editor)
    client.get(HOME)  # content types cached, as on any server after its first request
    with django_assert_num_queries(18):
        client.get(HOME)
    for n in range(5):
        coverage = factories.CoverageFactory(title=f"More {n}", draft=True, created_by=contributor)
        services.coverage_submit_for_review(coverage=coverage, by=contributor)
        factories.CoverageFactory(title=f"Later {n}", scheduled=True)
        factories.CoverageFactory(title=f"Mine {n}", draft=True, created_by=editor)
        factories.ClaimFactory(
            coverage=desk_world["quote"].coverage,
            kind="prediction",
            resolve_by=timezone.localdate(),
        )
        services.propose_change(
            by=contributor, target=desk_world["quote"], values={"text": f"Words {n}."}, correction_note="Why."
        )
        services.correction_add(subject=desk_world["quote"], note=f"Note {n}.", by=editor)
    with django_assert_num_queries(18):
        page = client.get(HOME).content.decode()
    assert "More 4" in page and "Later 4" in page and "Mine 4" in page


# --- The newsroom time zone ---------------------------------------------------------------


def test_the_coverage_form_shows_and_takes_newsroom_time(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    response = client.get(change_url(draft))
    assert "Newsroom time: CST (Asia/Shanghai)" in response.content.decode()
    data = change_form_data(response, status="scheduled", publish_at_0="2099-07-17", publish_at_1="09:00:00")
    client.post(change_url(draft), data)
    draft.refresh_from_db()
    assert draft.publish_at == datetime.datetime(2099, 7, 17, 1, 0, tzinfo=datetime.UTC)
    # And shown back as it was typed.
    page = client.get(change_url(draft)).content.decode()
    assert 'value="2099-07-17"' in page and 'value="09:00:00"' in page


def test_the_zone_is_a_setting(client, editor, settings, two_speakers):
    settings.NEWSROOM_TIME_ZONE = "Europe/London"
    coverage = factories.CoverageFactory(draft=True, title="Summer piece", created_by=editor)
    services.coverage_publish(
        coverage=coverage, by=editor, at=datetime.datetime(2099, 7, 17, 8, 0, tzinfo=datetime.UTC)
    )
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    assert "17 Jul 2099 09:00 BST" in section(page, "Scheduled")


def test_readers_pages_stay_in_utc(client, editor, two_speakers):
    """The zone is the desk's: readers' pages and the API keep theirs."""
    from django.utils.timezone import get_current_timezone_name

    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert get_current_timezone_name() == "UTC"


# --- Scheduling is a state you can see ------------------------------------------------------


def test_scheduling_from_the_form_says_scheduled(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True, title="Next week's piece")
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(draft)), status="scheduled", publish_at_0="2099-07-17", publish_at_1="09:00:00"
    )
    response = client.post(change_url(draft), data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Scheduled for 17 Jul 2099 09:00 CST: “Next week&#x27;s piece” goes live for readers then."
    ]
    draft.refresh_from_db()
    assert draft.status == "published" and draft.is_scheduled
    form = client.get(change_url(draft)).context["adminform"].form
    assert form["status"].value() == "scheduled"
    assert '<option value="scheduled" selected>Scheduled</option>' in str(form["status"])


def test_scheduling_needs_a_time_to_come(client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(draft)), status="scheduled", publish_at_0="", publish_at_1=""
    )
    response = client.post(change_url(draft), data)
    assert "To schedule, set a publish time still to come" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_list_shows_and_filters_scheduled(client, editor, two_speakers):
    live = factories.CoverageFactory(title="Live one")
    scheduled = factories.CoverageFactory(title="Scheduled one", scheduled=True)
    client.force_login(editor)
    changelist = reverse("admin:dialogues_coverage_changelist")
    page = client.get(changelist).content.decode()
    assert re.search(r"Scheduled one.*?>Scheduled</strong>", page, re.S)
    assert re.search(r"Live one.*?>Published</strong>", page, re.S)
    response = client.get(changelist, {"state": "scheduled"})
    assert [c.pk for c in response.context["cl"].result_list] == [scheduled.pk]
    response = client.get(changelist, {"state": "live"})
    assert [c.pk for c in response.context["cl"].result_list] == [live.pk]


def test_an_editor_unschedules(client, editor, two_speakers):
    scheduled = factories.CoverageFactory(title="Scheduled one", scheduled=True)
    live = factories.CoverageFactory(title="Live one")
    client.force_login(editor)
    changelist = reverse("admin:dialogues_coverage_changelist")
    response = client.post(
        changelist, {"action": "unschedule", "_selected_action": [scheduled.pk, live.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 coverage unscheduled" in page and "Live one: This is not scheduled" in page
    scheduled.refresh_from_db()
    live.refresh_from_db()
    assert scheduled.status == "in_review" and scheduled.first_published_at is None
    assert live.status == "published"
    assert not scheduled.corrections.exists()  # readers never saw it
    # The list no longer shows the time it kept, as if it were still scheduled.
    listed = client.get(changelist).content.decode()
    row = listed[listed.index("Scheduled one") :]
    row = row[: row.index("</tr>")]
    assert newsroom_time(scheduled.publish_at) not in row and "—" in row


def test_the_form_of_scheduled_coverage_has_an_unschedule_button(client, editor, contributor, two_speakers):
    scheduled = factories.CoverageFactory(title="Scheduled one", scheduled=True, created_by=contributor)
    live = factories.CoverageFactory(title="Live one")
    url = reverse("admin:dialogues_coverage_unschedule", args=[scheduled.pk])
    client.force_login(contributor)
    assert url not in client.get(change_url(scheduled)).content.decode()
    client.post(url)
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled
    client.force_login(editor)
    assert url in client.get(change_url(scheduled)).content.decode()
    assert "/unschedule/" not in client.get(change_url(live)).content.decode()
    response = client.post(url, follow=True)
    assert "“Scheduled one” is unscheduled: back in review." in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == "in_review"
    response = client.post(reverse("admin:dialogues_coverage_unschedule", args=[live.pk]), follow=True)
    assert "This is not scheduled" in response.content.decode()
    live.refresh_from_db()
    assert live.status == "published"


def test_contributors_may_not_schedule_or_unschedule(client, contributor, two_speakers):
    scheduled = factories.CoverageFactory(scheduled=True)
    client.force_login(contributor)
    changelist = reverse("admin:dialogues_coverage_changelist")
    response = client.get(changelist)
    assert "unschedule" not in dict(response.context["action_form"].fields["action"].choices)
    client.post(changelist, {"action": "unschedule", "_selected_action": [scheduled.pk]})
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled
    with pytest.raises(PermissionDenied):
        services.coverage_unschedule(coverage=scheduled, by=contributor)


def test_a_contributor_reads_scheduled_on_the_form(client, contributor, two_speakers):
    scheduled = factories.CoverageFactory(scheduled=True, created_by=contributor)
    client.force_login(contributor)
    response = client.get(change_url(scheduled))
    assert 'name="status"' not in response.content.decode()
    assert re.search(
        r"<label>Status:</label>\s*<div class=\"readonly\">Scheduled</div>", response.content.decode()
    )


# --- Users and roles ------------------------------------------------------------------------


def test_the_managing_editor_role_is_an_editor_who_manages_users():
    editor = set(Group.objects.get(name=EDITOR).permissions.all())
    managing = set(Group.objects.get(name=MANAGING_EDITOR).permissions.all())
    assert editor < managing
    assert {f"{p.content_type.app_label}.{p.codename}" for p in managing - editor} == {
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    }
    tokens = Permission.objects.filter(content_type__app_label="authtoken")
    assert not (managing & set(tokens))


def test_a_managing_editor_adds_a_contributor(client, managing_editor):
    client.force_login(managing_editor)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
            "role": CONTRIBUTOR,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newcomer")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == [CONTRIBUTOR]
    assert client.login(username="newcomer", password="a-long-enough-password")


def test_a_managing_editor_changes_a_role_but_makes_no_superuser(client, managing_editor, contributor):
    client.force_login(managing_editor)
    url = reverse("admin:auth_user_change", args=[contributor.pk])
    response = client.get(url)
    page = response.content.decode()
    assert (
        'name="role"' in page and 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    )
    data = change_form_data(response, role=EDITOR)
    data.update(is_superuser="on", is_staff="", user_permissions=[Permission.objects.first().pk])
    client.post(url, data)
    contributor.refresh_from_db()
    assert [g.name for g in contributor.groups.all()] == [EDITOR]
    assert contributor.is_staff and not contributor.is_superuser
    assert not contributor.user_permissions.exists()
    # No role: out of the admin.
    client.post(url, change_form_data(client.get(url), role=""))
    contributor.refresh_from_db()
    assert not contributor.groups.exists() and not contributor.is_staff


def test_operators_accounts_are_out_of_a_managing_editors_reach(client, managing_editor, superuser):
    client.force_login(managing_editor)
    page = client.get("/admin/auth/user/").content.decode()
    assert ">root<" not in page and ">managing<" in page
    assert client.get(reverse("admin:auth_user_change", args=[superuser.pk])).status_code in (302, 403)
    assert client.get(reverse("admin:auth_user_password_change", args=[superuser.pk])).status_code in (
        302,
        403,
        404,
    )
    assert (
        client.post(reverse("admin:auth_user_delete", args=[managing_editor.pk]), {"post": "yes"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.user_set_role(user=superuser, role=CONTRIBUTOR, by=managing_editor)


def test_only_managing_editors_set_roles(editor, contributor, managing_editor):
    with pytest.raises(PermissionDenied):
        services.user_set_role(user=contributor, role=EDITOR, by=editor)
    with pytest.raises(ValidationError):
        services.user_set_role(user=contributor, role="Owner", by=managing_editor)
    assert [g.name for g in contributor.groups.all()] == [CONTRIBUTOR]


def test_ensure_editor_makes_a_managing_editor(django_user_model, capsys):
    call_command("ensure_editor", "--username", "local")
    user = django_user_model.objects.get(username="local")
    assert [g.name for g in user.groups.all()] == [MANAGING_EDITOR]
    assert user.is_staff and not user.is_superuser
    assert "Created managing editor account" in capsys.readouterr().out
    # An Editor's account from before the role existed becomes a Managing editor; its password stays.
    old = django_user_model.objects.create_user("old", password="kept-password", is_staff=True)
    old.groups.add(Group.objects.get(name=EDITOR))
    call_command("ensure_editor", "--username", "old")
    old.refresh_from_db()
    assert MANAGING_EDITOR in [g.name for g in old.groups.all()] and old.check_password("kept-password")


def test_the_last_managing_editor_stays_one(client, managing_editor, django_user_model):
    client.force_login(managing_editor)
    url = reverse("admin:auth_user_change", args=[managing_editor.pk])
    for change in ({"role": CONTRIBUTOR}, {"role": ""}, {"is_active": False}):
        response = client.post(url, change_form_data(client.get(url), **change))
        assert response.status_code == 200  # the form again, with the reason
        assert "only active managing editor" in response.content.decode()
    managing_editor.refresh_from_db()
    assert managing_editor.is_active and services.user_role(managing_editor) == MANAGING_EDITOR
    # With a second one, either may step down.
    second = django_user_model.objects.create_user("second", password="pw-second", is_staff=True)
    services.user_set_role(user=second, role=MANAGING_EDITOR, by=managing_editor)
    client.post(url, change_form_data(client.get(url), role=EDITOR))
    assert services.user_role(managing_editor) == EDITOR
    with pytest.raises(ValidationError):
        services.user_set_role(user=second, role=EDITOR, by=second)


def test_ensure_editor_lets_a_locked_out_local_account_back_in(django_user_model):
    call_command("ensure_editor", "--username", "local")
    django_user_model.objects.filter(username="local").update(is_active=False, is_staff=False)
    call_command("ensure_editor", "--username", "local")
    user = django_user_model.objects.get(username="local")
    assert user.is_active and user.is_staff


def test_published_from_the_form_its_time_survives_the_next_save(client, editor):
    coverage = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    url = reverse("admin:dialogues_coverage_change", args=[coverage.pk])
    response = client.post(url, change_form_data(client.get(url), status=Coverage.Status.PUBLISHED))
    assert response.status_code == 302
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.PUBLISHED and coverage.publish_at.microsecond == 0
    # Saved again untouched: no field readers see changed, so no correction note is asked for.
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_every_section_is_printed_by_one_table_in_the_desks_order(client, contributor, editor, desk_world):
    from django.conf import settings

    services.send_back_proposal(proposal=desk_world["proposal"], by=editor, note="Redo.")
    headings = {}
    for user in (editor, contributor):
        client.force_login(user)
        response = client.get(HOME)
        shown = re.findall(r'<h2 id="desk-[a-z-]+">([^<]+)</h2>', response.content.decode())
        assert shown == [section.heading for section in response.context["desk"].sections]
        headings[user.username] = shown
    assert headings["editor"] == [
        "In review",
        "Scheduled",
        "Predictions due",
        "Unconfirmed facts",
        "Recent corrections",
        "My drafts",
    ]
    assert headings["contributor"][:2] == ["In review", "Sent back to you"]
    # One table for the work sections (dialogues.desk.SECTIONS), one for the models.
    template = (settings.BASE_DIR / "templates/admin/desk.html").read_text()
    assert template.count("<table>") == 2


def test_a_past_time_to_schedule_gets_one_error_that_says_why(client, editor, two_speakers):
    """It got two: the scheduling one, and "Set a publish time" although a time was set."""
    draft = factories.CoverageFactory(draft=True)
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(draft)), status="scheduled", publish_at_0="2026-01-05", publish_at_1="09:00"
    )
    response = client.post(change_url(draft), data)
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["publish_at"]
    [message] = errors["publish_at"]
    assert message.startswith("To schedule, set a publish time still to come, in newsroom time: ")
    assert message.count("(") <= 1
    draft.refresh_from_db()
    assert draft.status == "draft"
