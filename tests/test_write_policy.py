"""Who may change what readers see (POLICY.md, Roles): every model × role × write path.

Each case makes a real request (admin add and change forms, inline rows, deletes, bulk delete,
API create, update and delete) and then reads the database: the change was written ("direct"),
kept as a pending proposal ("proposal") or refused ("refused": nothing written, nothing
proposed). A Contributor's change to published content or a live entity waits for an Editor, and
an approved proposal to add creates exactly what was proposed; another Contributor's draft is out
of reach; Contributors never delete."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from dialogues import models
from dialogues.permissions import CONTRIBUTOR
from tests import factories
from tests.admin_forms import change_form_data

ROLES = ["anonymous", "owner", "other", "editor", "managing"]

# model name → (field changed, new value as a form/JSON sends it)
EDITS = {
    "topic": ("description", "Changed."),
    "organization": ("description", "Changed."),
    "product": ("description", "Changed."),
    "speaker": ("bio", "Changed."),
    "speakeralias": ("note", "Changed."),
    "organizationalias": ("note", "Changed."),
    "topicalias": ("note", "Changed."),
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


# What readers have seen is never deleted: published quotes, claims, commentary and coverage
# are withdrawn or unpublished, and corrections are append-only (an Editor's delete is refused
# too).
WITHDRAWN_WHEN_LIVE = {"quote", "claim", "commentary"}
NEVER_DELETED_WHEN_LIVE = {"coverage", *WITHDRAWN_WHEN_LIVE}


# Parts of what readers of published content saw that are not withdrawn but kept, by Editors
# too (POLICY.md: every visible change shows): a section of it, evidence its claims cite, a
# topic it is filed under. The world's live claim cites the evidence source; its coverage is on
# the topic.
ON_THE_RECORD = {"section", "evidencesource", "topic"}


# Written by Editors only: Contributors may read fact sources, not write them.
EDITORS_ONLY = {"factsource"}


def expected(role, model, state, action):
    if role == "managing":
        role = "editor"  # a Managing editor may do all an Editor may (and manage users)
    if action == "delete" and model in PROTECTED:
        return "refused"
    if action == "delete" and model in WITHDRAWN_WHEN_LIVE and state == "live":
        return "refused"  # withdrawn, never deleted, by Editors too
    if action == "delete" and model in ON_THE_RECORD and state == "live":
        return "refused"  # changed with a note instead, never deleted
    if action == "delete" and model == "claimfigure" and state == "live":
        return "refused"  # removed on its claim's form, with the claim's correction note
    if role == "anonymous":
        return "refused"
    if model == "correction":
        return "refused"
    if action == "delete" and state == "live" and model in NEVER_DELETED_WHEN_LIVE:
        return "refused"
    if model in EDITORS_ONLY and role != "editor":
        return "refused"
    if role == "editor":
        return "direct"
    if model == "correction" or action == "delete":
        return "refused"
    if state == "live":
        return "proposal"
    if state == "unseen":
        return "direct"  # nobody's draft, and readers see it only once published content links it
    return "direct" if role == "owner" else "refused"


@pytest.fixture
def users(contributor, editor, managing_editor, django_user_model):
    other = django_user_model.objects.create_user(username="other", password="pw-other", is_staff=True)
    other.groups.add(Group.objects.get(name=CONTRIBUTOR))
    return {
        "anonymous": None,
        "owner": contributor,
        "other": other,
        "editor": editor,
        "managing": managing_editor,
    }


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
    evidence = models.EvidenceSource.objects.create(title="Report", slug="report")
    live["claim"].evidence.add(evidence)
    live.update(
        topic=topic,
        organization=org,
        product=models.Product.objects.create(name="Thing", slug="thing", kind="device", maker=org),
        speaker=ada,
        speakeralias=models.SpeakerAlias.objects.create(speaker=ada, name="Ada S."),
        organizationalias=models.OrganizationAlias.objects.create(organization=org, name="Org Alias"),
        topicalias=models.TopicAlias.objects.create(topic=topic, name="Topic Alias"),
        affiliation=factories.AffiliationFactory(speaker=ada, organization=org),
        event=live["coverage"].dialogue.event,
        dialogue=live["coverage"].dialogue,
        participant=live["coverage"].dialogue.participants.get(),
        evidencesource=evidence,
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
    if state == "live":
        data["correction_note"] = "Relabelled the figure."  # readers saw it: see test_figures_*
    client.post(admin_url(claim), data)
    figure.refresh_from_db()
    # A row typed into a Contributor's change of live content is part of the claim's proposal.
    proposed = models.Proposal.objects.filter(object_id=claim.pk, content_type__model="claim").first()
    row = {"model": "dialogues.claimfigure", "fk": "claim", "id": figure.pk, "values": {"label": "Changed"}}
    got = "direct" if figure.label == "Changed" else "proposal" if proposed else "refused"
    assert got == expected(role, "claimfigure", state, "change")
    if proposed:
        assert proposed.rows == [{**row, "was": {"label": "Revenue"}}]


# How a new object of each model is added, by state: "draft" into the owner's draft coverage;
# "live" into published coverage, under a live entity, or an entity readers see as soon as it
# exists (organizations, products, evidence); "unseen" an entity or coverage readers see only
# once published coverage links or becomes it. Every model with an admin add form is here.
ADD_STATES = {
    "topic": ["unseen"],
    "organization": ["live"],
    "product": ["live"],
    "speaker": ["unseen"],
    "speakeralias": ["unseen", "live"],
    "organizationalias": ["live"],
    "topicalias": ["unseen", "live"],
    "affiliation": ["unseen", "live"],
    "event": ["unseen"],
    "dialogue": ["unseen"],
    "participant": ["unseen", "live"],
    "coverage": ["unseen"],
    "section": ["draft", "live"],
    "quote": ["draft", "live"],
    "claim": ["draft", "live"],
    "claimfigure": ["draft", "live"],
    "evidencesource": ["live"],
    "commentary": ["draft", "live"],
    "factsource": ["live"],
}
ADD_CASES = [(name, state) for name, states in ADD_STATES.items() for state in states]


def new_object(model, state, world):
    """``(admin form values, API body or None, lookup of the new row)`` for a new ``model``."""
    from django.contrib.contenttypes.models import ContentType

    live, draft = world["live"], world["draft"]
    inside = world.get(state, live)
    slug = f"new-{model}-{state}"
    ada, bo = models.Speaker.objects.get(slug="ada"), models.Speaker.objects.get(slug="bo")
    # Bo is on stage nowhere published: his rows are unseen; Ada's are on published pages.
    speaker = bo if state == "unseen" else ada
    coverage = inside["coverage"]
    anchor = {
        "claim": "Revenue grew to US$5 billion last year.",
        "quote": "Ada Speaker said the future is open.",
    }
    simple = {
        "topic": {"slug": slug, "name": "New topic"},
        "organization": {"slug": slug, "name": "New Org", "kind": "company"},
        "speaker": {"slug": slug, "name": "New Speaker"},
        "event": {"slug": slug, "name": "New Event", "year": 2030},
        "evidencesource": {"slug": slug, "title": "New report"},
    }
    if model in simple:
        return simple[model], simple[model], {"slug": slug}
    if model == "product":
        values = {"slug": slug, "name": "New thing", "kind": "device", "maker": live["organization"].pk}
        return values, None, {"slug": slug}
    if model == "organizationalias":
        organization = live["organization"]
        values = {"organization": organization.pk, "name": "New alias"}
        return values, None, {"organization": organization, "name": "New alias"}
    if model == "topicalias":
        # A topic only drafts are on is unseen; the world's topic is on published coverage.
        topic = live["topic"]
        if state == "unseen":
            topic = factories.TopicFactory()
            draft["coverage"].topics.add(topic)
        values = {"topic": topic.pk, "name": "New alias"}
        return values, None, {"topic": topic, "name": "New alias"}
    if model == "speakeralias":
        return {"speaker": speaker.pk, "name": "New alias"}, None, {"speaker": speaker, "name": "New alias"}
    if model == "affiliation":
        values = {"speaker": speaker.pk, "organization": live["organization"].pk, "title": "New title"}
        return values, None, {"speaker": speaker, "title": "New title"}
    if model == "dialogue":
        event = live["event"]  # a new dialogue of a live event is shown once it has published coverage
        values = {"slug": slug, "title": "New dialogue", "event": event.pk, "format": "panel"}
        return values, {**values, "event": event.slug}, {"slug": slug}
    if model == "participant":
        dialogue = (draft if state == "unseen" else live)["coverage"].dialogue
        values = {"dialogue": dialogue.pk, "speaker": bo.pk, "role": "speaker", "position": 3}
        return values, None, {"dialogue": dialogue, "speaker": bo}
    if model == "coverage":
        dialogue = live["dialogue"]
        values = {
            "slug": slug,
            "title": "New",
            "dialogue": dialogue.pk,
            "source_text": "Words.",
            "language": "en",
        }
        return {**values, "status": "draft"}, {**values, "dialogue": dialogue.slug}, {"slug": slug}
    if model == "section":
        values = {"coverage": coverage.pk, "number": 2, "title": "Second Section"}
        if state == "live":
            values["correction_note"] = "Added a section heading."  # readers saw the coverage
        return values, None, {"coverage": coverage, "number": 2}
    if model in ("quote", "claim"):
        values = {
            "slug": slug,
            "dialogue": coverage.dialogue_id,
            "coverage": coverage.pk,
            "anchor_exact": anchor[model],
            **(
                {"text": "New words.", "kind": "paraphrase", "speakers": [ada.pk]}
                if model == "quote"
                else {"statement": "New claim.", "kind": "fact", "attribution": "publication"}
            ),
        }
        form = {**values, "status": "unverified"} if model == "claim" else values
        body = {k: v for k, v in values.items() if k != "anchor_exact"}
        body.update(dialogue=coverage.dialogue.slug, coverage=coverage.slug, anchor={"exact": anchor[model]})
        if model == "quote":
            body["speakers"] = ["ada"]
        return form, body, {"slug": slug}
    if model == "claimfigure":
        values = {
            "claim": inside["claim"].pk,
            "label": "New figure",
            "value": "3",
            "unit": "USD",
            "qualifier": "exact",
        }
        if state == "live":
            values["correction_note"] = "Added the figure."  # readers saw the claim
        return values, None, {"label": "New figure"}
    if model == "commentary":
        values = {"slug": slug, "coverage": coverage.pk, "title": "New", "body": "New words.", "position": 0}
        return values, {**values, "coverage": coverage.slug}, {"slug": slug}
    if model == "factsource":
        event = live["event"]
        values = {
            "content_type": ContentType.objects.get_for_model(event).pk,
            "object_id": event.pk,
            "fact": "city",
            "title": "New source",
            "url": "https://example.com/",
            "accessed_on": "2025-01-01",
        }
        return values, None, {"title": "New source"}
    raise AssertionError(f"no new {model}")


def added(model, lookup):
    if models.Proposal.objects.filter(object_id=None, content_type__model=model).exists():
        assert not apps.get_model("dialogues", model).objects.filter(**lookup).exists()
        return "proposal"
    return "direct" if apps.get_model("dialogues", model).objects.filter(**lookup).exists() else "refused"


def approved_adds(model, lookup, editor):
    """What a proposal to add holds is exactly what an Editor's approval creates."""
    from dialogues import services

    services.approve_proposal(proposal=models.Proposal.objects.get(content_type__model=model), by=editor)
    assert apps.get_model("dialogues", model).objects.filter(**lookup).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), ADD_CASES)
def test_admin_add(client, users, world, role, model, state):
    login(client, users, role)
    values, _, lookup = new_object(model, state, world)
    url = reverse(f"admin:dialogues_{model}_add")
    response = client.get(url)
    data = {}
    if response.status_code == 200 and response.context and "adminform" in response.context:
        # The blank form as a browser sends it (inline management forms included), then the values.
        data = {k: v for k, v in change_form_data(response).items() if v not in ("", None)}
    response = client.post(url, {**data, **values})
    form_errors = (
        response.context["adminform"].form.errors
        if response.context and "adminform" in response.context
        else None
    )
    got = added(model, lookup)
    assert got == expected(role, model, state, "add"), form_errors
    if got == "proposal":
        approved_adds(model, lookup, users["editor"])


# Rows added in an inline of their parent's change form: (parent model, inline prefix) → states.
INLINE_ADDS = {
    ("speaker", "aliases"): ["unseen", "live"],
    ("speaker", "affiliations"): ["unseen", "live"],
    ("dialogue", "participants"): ["unseen", "live"],
    ("coverage", "sections"): ["draft", "live"],
    ("claim", "figures"): ["draft", "live"],
}
INLINE_ADD_CASES = [
    (parent, prefix, state) for (parent, prefix), states in INLINE_ADDS.items() for state in states
]
INLINE_ROW_MODEL = {
    "aliases": "speakeralias",
    "affiliations": "affiliation",
    "participants": "participant",
    "sections": "section",
    "figures": "claimfigure",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("parent_model", "prefix", "state"), INLINE_ADD_CASES)
def test_admin_inline_add(client, users, world, role, parent_model, prefix, state):
    """A new row typed into an inline is added with its parent: directly, or in its proposal."""
    login(client, users, role)
    row_model = INLINE_ROW_MODEL[prefix]
    values, _, lookup = new_object(row_model, state, world)
    parent_key = {"speakeralias": "speaker", "affiliation": "speaker", "participant": "dialogue"}.get(
        row_model, parent_model
    )
    parent_pk = values.pop(parent_key)
    parent = apps.get_model("dialogues", parent_model).objects.get(pk=parent_pk)
    response = client.get(admin_url(parent))
    data = {}
    if response.status_code == 200 and response.context and "adminform" in response.context:
        data = change_form_data(response)
        if "correction_note" in data:
            # The form posts times to the second: a published coverage's publish time "changes".
            data["correction_note"] = "Changed on purpose."
    index = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
    data[f"{prefix}-TOTAL_FORMS"] = str(max(index + 1, int(data.get(f"{prefix}-TOTAL_FORMS", 0))))
    data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    client.post(admin_url(parent), data)
    Row = apps.get_model("dialogues", row_model)
    proposal = models.Proposal.objects.filter(object_id=parent.pk, content_type__model=parent_model).first()
    new_rows = [row for row in (proposal.rows if proposal else []) if row["id"] is None]
    got = "direct" if Row.objects.filter(**lookup).exists() else "proposal" if new_rows else "refused"
    assert got == expected(role, row_model, state, "add")
    if got == "proposal":
        from dialogues import services

        services.approve_proposal(proposal=proposal, by=users["editor"])
        assert Row.objects.filter(**lookup).exists()


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
    if model in PROTECTED and role in ("editor", "managing"):
        assert response.status_code == 409  # let through, refused because it is still referenced
    assert got == expected(role, model, state, "delete"), response.content[:300]


API_ADD_CASES = [(name, state) for name, state in ADD_CASES if name in API_PATHS]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "state"), API_ADD_CASES)
def test_api_create(api_client, users, world, role, model, state):
    api_login(api_client, users, role)
    _, body, lookup = new_object(model, state, world)
    response = api_client.post(f"/api/v1/{API_PATHS[model]}/", body, format="json")
    got = added(model, lookup)
    assert got == expected(role, model, state, "add"), response.content[:300]
    assert response.status_code == {"direct": 201, "proposal": 202}.get(got, response.status_code)
    if got == "refused":
        assert response.status_code in (401, 403)
    if got == "proposal":
        approved_adds(model, lookup, users["editor"])


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


def _scheduled_world(owner):
    dialogue = factories.DialogueFactory()
    coverage = factories.CoverageFactory(dialogue=dialogue, scheduled=True, created_by=owner)
    topic = factories.TopicFactory()
    coverage.topics.add(topic)
    return dialogue, topic


@pytest.mark.parametrize("model", ["dialogue", "topic", "event", "speaker"])
def test_entities_of_scheduled_coverage_are_live(api_client, users, model):
    """Scheduled coverage goes live with no further write: what it shows readers will see."""
    dialogue, topic = _scheduled_world(users["owner"])
    speaker = factories.SpeakerFactory()
    models.Participant.objects.create(dialogue=dialogue, speaker=speaker, role="speaker", position=1)
    obj = {"dialogue": dialogue, "topic": topic, "event": dialogue.event, "speaker": speaker}[model]
    field, value = EDITS[model]
    api_login(api_client, users, "owner")
    response = api_client.patch(f"/api/v1/{API_PATHS[model]}/{obj.slug}/", {field: value}, format="json")
    assert response.status_code == 202, response.content[:300]
    assert outcome(obj, field, value) == "proposal"


def test_a_topic_only_a_published_dialogue_names_is_live(api_client, users, world):
    topic = factories.TopicFactory()
    world["live"]["dialogue"].topics.add(topic)
    api_login(api_client, users, "owner")
    response = api_client.patch(f"/api/v1/topics/{topic.slug}/", {"description": "Changed."}, format="json")
    assert response.status_code == 202, response.content[:300]
    assert outcome(topic, "description", "Changed.") == "proposal"
    assert topic.slug in [t["slug"] for t in api_client.get("/api/v1/topics/").json()["results"]]


def test_figures_of_a_claim_readers_saw_change_only_with_a_correction(client, users, world):
    """Inline on the claim's form, or on a figure's own form: no note, no change; with one, the
    note is the claim's correction, and removing a figure is done on the claim's form only."""
    login(client, users, "editor")
    claim, figure = world["live"]["claim"], world["live"]["claimfigure"]
    data = change_form_data(client.get(admin_url(claim)))
    data["figures-0-value"] = "7"
    response = client.post(admin_url(claim), data)
    assert "correction note" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == 5 and not claim.corrections.exists()
    data["correction_note"] = "The revenue was 7, not 5."
    client.post(admin_url(claim), data)
    figure.refresh_from_db()
    assert figure.value == 7
    assert [c.note for c in claim.corrections.all()] == ["The revenue was 7, not 5."]

    data = change_form_data(client.get(admin_url(figure)), value="8")
    response = client.post(admin_url(figure), data)
    assert "correction note" in response.content.decode()
    client.post(admin_url(figure), {**data, "correction_note": "The revenue was 8."})
    figure.refresh_from_db()
    assert figure.value == 8 and claim.corrections.count() == 2

    client.post(admin_url(figure, "delete"), {"post": "yes"})
    assert models.ClaimFigure.objects.filter(pk=figure.pk).exists()


def test_a_contributors_figure_change_waits_and_its_note_becomes_the_claims_correction(
    client, users, world, editor
):
    from dialogues import services

    login(client, users, "owner")
    claim, figure = world["live"]["claim"], world["live"]["claimfigure"]
    data = change_form_data(client.get(admin_url(claim)))
    data.update({"figures-0-value": "9", "correction_note": "The revenue was 9."})
    client.post(admin_url(claim), data)
    proposal = models.Proposal.objects.get(object_id=claim.pk, content_type__model="claim")
    figure.refresh_from_db()
    assert figure.value == 5
    services.approve_proposal(proposal=proposal, by=editor)
    figure.refresh_from_db()
    assert figure.value == 9
    assert [c.note for c in claim.corrections.all()] == ["The revenue was 9."]


# Actions, admin and API: (path, action, the object's state, what a done action leaves) → who
# may. Publishing, scheduling, unpublishing, withdrawing and approving are an Editor's (and a
# Managing editor's); submitting a draft for review is its owner's too.
def _submitted(obj):
    return obj.status == models.Coverage.Status.IN_REVIEW


def _published(obj):
    return obj.status == models.Coverage.Status.PUBLISHED


def _unpublished(obj):
    return obj.status == models.Coverage.Status.DRAFT


def _withdrawn(obj):
    return obj.withdrawn_at is not None


def _approved(obj):
    return obj.status == models.Proposal.Status.APPROVED


def _unscheduled(obj):
    return obj.status == models.Coverage.Status.IN_REVIEW


EDITORS = {"editor", "managing"}
ACTIONS = [
    ("admin", "submit_for_review", "draft", "coverage", _submitted, {"owner", *EDITORS}),
    ("admin", "publish", "draft", "coverage", _published, EDITORS),
    ("admin", "unschedule", "scheduled", "coverage", _unscheduled, EDITORS),
    # Readers saw it: unpublishing needs a public note, which a bulk action has no place for
    # (the change form and the API take one), so it is refused with a message, for Editors too.
    ("admin", "unpublish", "live", "coverage", _unpublished, set()),
    ("admin", "withdraw", "live", "quote", _withdrawn, EDITORS),
    ("admin", "withdraw", "live", "claim", _withdrawn, EDITORS),
    ("admin", "withdraw", "live", "commentary", _withdrawn, EDITORS),
    ("admin", "approve", "live", "proposal", _approved, EDITORS),
    ("api", "publish", "draft", "coverage", _published, EDITORS),
    ("api", "unpublish", "live", "coverage", _unpublished, EDITORS),
    ("api", "withdraw", "live", "quote", _withdrawn, EDITORS),
    ("api", "withdraw", "live", "claim", _withdrawn, EDITORS),
    ("api", "withdraw", "live", "commentary", _withdrawn, EDITORS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "action", "state", "model", "done", "allowed"), ACTIONS)
def test_actions(client, api_client, users, world, role, path, action, state, model, done, allowed):
    from dialogues import services

    if model == "proposal":
        target = world[state]["quote"]
        obj = services.propose_change(
            by=users["owner"], target=target, values={"text": "Proposed words."}, correction_note="Reworded."
        )
    elif state == "scheduled":
        obj = factories.CoverageFactory(scheduled=True, created_by=users["owner"])
    else:
        obj = world[state][model]
    note = {"note": "Withdrawn on purpose.", "correction_note": "Unpublished on purpose."}
    if path == "admin":
        login(client, users, role)
        changelist = reverse(f"admin:dialogues_{model}_changelist")
        client.post(changelist, {"action": action, "_selected_action": [obj.pk], "apply": "1", **note})
    else:
        api_login(api_client, users, role)
        # Each action's own field only: an unknown one is a 400 (KnownFieldsOnly).
        body = (
            {"note": note["note"]} if action == "withdraw" else {"correction_note": note["correction_note"]}
        )
        api_client.post(f"/api/v1/{API_PATHS[model]}/{obj.slug}/{action}/", body, format="json")
    obj = type(obj)._base_manager.get(pk=obj.pk)
    assert done(obj) == (role in allowed), (path, action, role)
