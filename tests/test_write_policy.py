"""Who may change what readers see (POLICY.md, Roles): every model × role × write path.

Each case makes a real request (admin form, admin delete, bulk delete, inline, API) and then
reads the database: the change was written ("direct"), kept as a pending proposal ("proposal")
or refused ("refused": nothing written, nothing proposed). A Contributor's change to published
content or a live entity waits for an Editor; another Contributor's draft is out of reach;
Contributors never delete."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dialogues import models
from dialogues.permissions import CONTRIBUTOR
from tests import factories
from tests.admin_forms import change_form_data

ROLES = ["anonymous", "owner", "other", "editor"]

# model name → (field changed, new value as a form/JSON sends it)
EDITS = {
    "topic": ("description", "Changed."),
    "organization": ("description", "Changed."),
    "product": ("description", "Changed."),
    "speaker": ("bio", "Changed."),
    "speakeralias": ("note", "Changed."),
    "affiliation": ("title", "Changed"),
    "event": ("city", "Changed"),
    "dialogue": ("summary", "Changed."),
    "participant": ("position", 7),
    "coverage": ("dek", "Changed."),
    "section": ("subtitle", "Changed."),
    "quote": ("text", "Changed words."),
    "claim": ("check_note", "Changed."),
    "claimfigure": ("label", "Changed"),
    "evidencesource": ("note", "Changed."),
    "commentary": ("body", "Changed."),
    "correction": ("note", "Changed."),
}
# Content inside coverage comes as a draft of the owner's and as published; entities are live.
IN_COVERAGE = {"coverage", "section", "quote", "claim", "claimfigure", "commentary"}
CASES = [
    (name, state) for name in EDITS for state in (["draft", "live"] if name in IN_COVERAGE else ["live"])
]
API_PATHS = {
    "topic": "topics",
    "organization": "organizations",
    "speaker": "speakers",
    "event": "events",
    "dialogue": "dialogues",
    "coverage": "coverage",
    "quote": "quotes",
    "claim": "claims",
    "commentary": "commentary",
}


# Rows other rows still point at (PROTECT): an Editor's delete is refused by the data, not the role.
PROTECTED = {"organization", "speaker", "event", "dialogue"}


# What readers have seen is never deleted: published quotes, claims and coverage are withdrawn
# or unpublished, and corrections are append-only (an Editor's delete is refused too).
NEVER_DELETED_WHEN_LIVE = {"coverage", "quote", "claim"}


def expected(role, model, state, action):
    if action == "delete" and model in PROTECTED:
        return "refused"
    if action == "delete" and model in ("quote", "claim") and state == "live":
        return "refused"  # withdrawn, never deleted, by Editors too
    if role == "anonymous":
        return "refused"
    if model == "correction":
        return "refused"
    if action == "delete" and state == "live" and model in NEVER_DELETED_WHEN_LIVE:
        return "refused"
    if role == "editor":
        return "direct"
    if model == "correction" or action == "delete":
        return "refused"
    if state == "live":
        return "proposal"
    return "direct" if role == "owner" else "refused"


@pytest.fixture
def users(contributor, editor, django_user_model):
    other = django_user_model.objects.create_user(username="other", password="pw-other", is_staff=True)
    other.groups.add(Group.objects.get(name=CONTRIBUTOR))
    return {"anonymous": None, "owner": contributor, "other": other, "editor": editor}


@pytest.fixture
def world(users, two_speakers):
    ada, _ = two_speakers
    org = factories.OrganizationFactory()
    made = {}
    for state in ("draft", "live"):
        dialogue = factories.DialogueFactory(speakers=[ada])
        traits = {"draft": True} if state == "draft" else {}
        coverage = factories.CoverageFactory(dialogue=dialogue, created_by=users["owner"], **traits)
        section = factories.SectionFactory(coverage=coverage)
        quote = factories.QuoteFactory(coverage=coverage, speakers=[ada])
        claim = factories.ClaimFactory(coverage=coverage)
        figure = models.ClaimFigure.objects.create(claim=claim, label="Revenue", value=5, unit="USD")
        commentary = models.Commentary.objects.create(
            coverage=coverage, slug=f"commentary-{state}", title="Why", body="Because."
        )
        made[state] = {
            "coverage": coverage,
            "section": section,
            "quote": quote,
            "claim": claim,
            "claimfigure": figure,
            "commentary": commentary,
        }
    live = made["live"]
    topic = factories.TopicFactory()
    live["coverage"].topics.add(topic)
    live.update(
        topic=topic,
        organization=org,
        product=models.Product.objects.create(name="Thing", slug="thing", kind="device", maker=org),
        speaker=ada,
        speakeralias=models.SpeakerAlias.objects.create(speaker=ada, name="Ada S."),
        affiliation=factories.AffiliationFactory(speaker=ada, organization=org),
        event=live["coverage"].dialogue.event,
        dialogue=live["coverage"].dialogue,
        participant=live["coverage"].dialogue.participants.get(),
        evidencesource=models.EvidenceSource.objects.create(title="Report", slug="report"),
        correction=models.Correction.objects.create(
            subject=live["quote"], note="Fixed.", made_at=datetime.datetime.now(datetime.UTC)
        ),
    )
    return made


def outcome(obj, field, value, *, gone=None):
    model = type(obj)
    if gone is not None:
        exists = model.objects.filter(pk=obj.pk).exists()
        return "refused" if exists else "direct"
    proposed = models.Proposal.objects.filter(object_id=obj.pk, content_type__model=model._meta.model_name)
    current = model._base_manager.get(pk=obj.pk)
    if getattr(current, field) == value:
        return "direct"
    return "proposal" if proposed.exists() else "refused"


def admin_url(obj, view="change"):
    return reverse(f"admin:dialogues_{obj._meta.model_name}_{view}", args=[obj.pk])


def login(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), CASES)
def test_admin_change(client, users, world, role, model, state):
    login(client, users, role)
    obj = world[state][model]
    field, value = EDITS[model]
    response = client.get(admin_url(obj))
    if response.status_code == 200 and response.context and "adminform" in response.context:
        data = change_form_data(response, **{field: value})
        if "correction_note" in data:
            data["correction_note"] = "Changed on purpose."
    else:
        data = {field: value}
    client.post(admin_url(obj), data)
    assert outcome(obj, field, value) == expected(role, model, state, "change")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), CASES)
def test_admin_delete(client, users, world, role, model, state):
    login(client, users, role)
    obj = world[state][model]
    client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert outcome(obj, None, None, gone=True) == expected(role, model, state, "delete")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), CASES)
def test_admin_bulk_delete(client, users, world, role, model, state):
    login(client, users, role)
    obj = world[state][model]
    changelist = reverse(f"admin:dialogues_{model}_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert outcome(obj, None, None, gone=True) == expected(role, model, state, "delete")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "live"])
def test_admin_inline(client, users, world, role, state):
    """A claim's figures, edited inside the claim's form."""
    login(client, users, role)
    claim, figure = world[state]["claim"], world[state]["claimfigure"]
    response = client.get(admin_url(claim))
    if response.status_code == 200 and response.context and "adminform" in response.context:
        data = change_form_data(response)
        for key in [k for k in data if k.startswith("figures-") and k.endswith("-label")]:
            data[key] = "Changed"
    else:
        data = {"figures-0-label": "Changed"}
    client.post(admin_url(claim), data)
    figure.refresh_from_db()
    # A row typed into a Contributor's change of live content is part of the claim's proposal.
    proposed = models.Proposal.objects.filter(object_id=claim.pk, content_type__model="claim").first()
    row = {"model": "dialogues.claimfigure", "fk": "claim", "id": figure.pk, "values": {"label": "Changed"}}
    got = "direct" if figure.label == "Changed" else "proposal" if proposed else "refused"
    assert got == expected(role, "claimfigure", state, "change")
    if proposed:
        assert proposed.rows == [{**row, "was": {"label": "Revenue"}}]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "live"])
def test_admin_add_quote(client, users, world, role, state):
    login(client, users, role)
    coverage = world[state]["coverage"]
    ada = models.Speaker.objects.get(slug="ada")
    data = {
        "text": "New words.",
        "slug": f"new-{state}",
        "kind": "paraphrase",
        "speakers": [ada.pk],
        "dialogue": coverage.dialogue_id,
        "coverage": coverage.pk,
        "anchor_exact": "Ada Speaker said the future is open.",
    }
    client.post(reverse("admin:dialogues_quote_add"), data)
    written = models.Quote.objects.filter(slug=f"new-{state}").exists()
    proposed = models.Proposal.objects.filter(object_id=None, content_type__model="quote").exists()
    got = "direct" if written else "proposal" if proposed else "refused"
    assert got == expected(role, "quote", state, "add")


@pytest.mark.parametrize("role", ROLES)
def test_admin_submit_for_review_action(client, users, world, role):
    login(client, users, role)
    draft = world["draft"]["coverage"]
    changelist = reverse("admin:dialogues_coverage_changelist")
    client.post(changelist, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    got = "direct" if draft.status == "in_review" else "refused"
    assert got == expected(role, "coverage", "draft", "change")


API_CASES = [(name, state) for name, state in CASES if name in API_PATHS]


def api_login(api_client, users, role):
    if users[role] is not None:
        api_client.force_authenticate(users[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), API_CASES)
def test_api_update(api_client, users, world, role, model, state):
    api_login(api_client, users, role)
    obj = world[state][model]
    field, value = EDITS[model]
    body = {field: value}
    if model in ("coverage", "quote", "claim", "commentary"):
        body["version"] = obj.version  # required for writes to published content
    if model in ("coverage", "quote", "claim", "commentary"):
        body["correction_note"] = "Changed on purpose."
    response = api_client.patch(f"/api/v1/{API_PATHS[model]}/{obj.slug}/", body, format="json")
    got = outcome(obj, field, value)
    assert got == expected(role, model, state, "change"), response.content[:300]
    assert response.status_code == {"direct": 200, "proposal": 202}.get(got, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), API_CASES)
def test_api_delete(api_client, users, world, role, model, state):
    api_login(api_client, users, role)
    obj = world[state][model]
    response = api_client.delete(f"/api/v1/{API_PATHS[model]}/{obj.slug}/")
    got = outcome(obj, None, None, gone=True)
    if model in PROTECTED and role == "editor":
        assert response.status_code == 409  # let through, refused because it is still referenced
    assert got == expected(role, model, state, "delete"), response.content[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "live"])
@pytest.mark.parametrize("model", ["quote", "commentary"])
def test_api_create_in_coverage(api_client, users, world, role, state, model):
    api_login(api_client, users, role)
    coverage = world[state]["coverage"]
    slug = f"new-{model}-{state}"
    if model == "quote":
        body = {
            "slug": slug,
            "text": "New words.",
            "kind": "paraphrase",
            "speakers": ["ada"],
            "dialogue": coverage.dialogue.slug,
            "coverage": coverage.slug,
            "anchor": {"exact": "Ada Speaker said the future is open."},
        }
    else:
        body = {"slug": slug, "coverage": coverage.slug, "title": "New", "body": "New words."}
    response = api_client.post(f"/api/v1/{API_PATHS[model]}/", body, format="json")
    Model = models.Quote if model == "quote" else models.Commentary
    written = Model.objects.filter(slug=slug).exists()
    proposed = models.Proposal.objects.filter(object_id=None, content_type__model=model).exists()
    got = "direct" if written else "proposal" if proposed else "refused"
    assert got == expected(role, model, state, "add"), response.content[:300]


@pytest.mark.parametrize("role", ROLES)
def test_api_create_entities(api_client, users, world, role):
    """A new topic is public only once published content links it; a new organization is
    public at once, so a Contributor's is a proposal."""
    api_login(api_client, users, role)
    api_client.post("/api/v1/topics/", {"slug": "new-topic", "name": "New topic"}, format="json")
    api_client.post("/api/v1/organizations/", {"slug": "new-org", "name": "New Org"}, format="json")
    topic = models.Topic.objects.filter(slug="new-topic").exists()
    org = models.Organization.objects.filter(slug="new-org").exists()
    org_proposed = models.Proposal.objects.filter(content_type__model="organization").exists()
    if role == "anonymous":
        assert (topic, org, org_proposed) == (False, False, False)
    elif role == "editor":
        assert (topic, org, org_proposed) == (True, True, False)
    else:
        assert (topic, org, org_proposed) == (True, False, True)


def test_approving_applies_the_change_with_its_note_and_sending_back_keeps_it_off(
    client, users, world, editor
):
    from dialogues import services

    quote = world["live"]["quote"]
    first = services.propose_change(
        by=users["owner"], target=quote, values={"text": "Better words."}, correction_note="Reworded."
    )
    second = services.propose_change(by=users["other"], target=quote, values={"text": "Worse words."})
    client.force_login(editor)
    page = client.get(reverse("admin:dialogues_proposal_change", args=[first.pk])).content.decode()
    assert "Better words." in page and "The future is open." in page  # proposed beside current
    changelist = reverse("admin:dialogues_proposal_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [first.pk]})
    quote.refresh_from_db()
    assert quote.text == "Better words." and quote.version == 2
    assert [c.note for c in quote.corrections.all()] == ["Fixed.", "Reworded."]
    assert quote.history.first().history_user == editor
    services.send_back_proposal(proposal=second, by=editor, note="Not what was said.")
    second.refresh_from_db()
    quote.refresh_from_db()
    assert second.status == "sent_back" and quote.text == "Better words."
