"""JSON lists of quotes and claims are laid out from rows (dialogues.api.rows); they must equal
what the serializers, the definition of the API's format, give for the same items."""

import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialogues.api.serializers import ClaimListSerializer, QuoteSerializer
from dialogues.models import Claim, Correction, Quote
from tests import factories

pytestmark = pytest.mark.django_db

CASES = [("/api/v1/quotes/", Quote, QuoteSerializer), ("/api/v1/claims/", Claim, ClaimListSerializer)]


def serializer_output(serializer_class, instances):
    request = Request(APIRequestFactory().get("/", HTTP_HOST="testserver"))
    return json.loads(
        JSONRenderer().render(serializer_class(instances, many=True, context={"request": request}).data)
    )


def assert_same_items(listed, expected):
    assert listed == expected
    # Keys in the same order too, at every level.
    assert json.dumps(listed) == json.dumps(expected)


@pytest.fixture
def richer_article(article, editor):
    """The article plus what it lacks: a quote correction, a quote without a section, a claim
    with several speakers and topics, and speakers whose names sort differently from their slugs."""
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    for note in ("First wording fixed.", "Second wording fixed."):
        Correction.objects.create(subject=quote, note=note, made_at=timezone.now(), made_by=editor)
    huang, wang = article.dialogue.speakers.order_by("slug")
    zed = factories.SpeakerFactory(name="Aaron Zed", slug="zzz-aaron")
    article.dialogue.participants.create(speaker=zed, role="moderator", position=3)
    topics = [factories.TopicFactory(name=name) for name in ("Zebra", "alpha", "Beta")]
    claim = Claim.objects.filter(coverage=article, attribution="speaker").first()
    claim.speakers.set([wang, zed, huang])
    claim.topics.set(topics)
    loose = Quote.objects.filter(coverage=article).last()
    loose.section = None
    loose.speakers.set([zed, huang])
    loose.save()
    return article


@pytest.mark.parametrize("path, model, serializer_class", CASES)
def test_json_list_equals_serializer_output(api_client, richer_article, path, model, serializer_class):
    response = api_client.get(path, {"page_size": 200})
    assert response.status_code == 200
    listed = response.json()["results"]
    assert len(listed) == model.objects.published().count() > 5
    expected = serializer_output(serializer_class, model.objects.published().order_by("pk"))
    assert_same_items(listed, expected)


@pytest.mark.parametrize("path, model, serializer_class", CASES)
def test_staff_list_with_drafts_equals_serializer_output(
    api_client, richer_article, editor, path, model, serializer_class
):
    draft = factories.CoverageFactory(dialogue=richer_article.dialogue, draft=True)
    factories.QuoteFactory(coverage=draft)
    factories.ClaimFactory(coverage=draft)
    api_client.force_authenticate(editor)
    listed = api_client.get(path, {"page_size": 200, "ordering": "-pk"}).json()["results"]
    everything = model.objects.visible_to(editor).order_by("-pk")
    assert len(listed) == everything.count()
    assert_same_items(listed, serializer_output(serializer_class, everything))


def test_filtered_page_equals_serializer_output(api_client, richer_article):
    listed = api_client.get("/api/v1/claims/", {"claimant": "huang-renxun", "page_size": 1, "page": 2}).json()
    matching = Claim.objects.published().filter(speakers__slug="huang-renxun").order_by("pk")
    assert listed["count"] == matching.count() > 1
    assert_same_items(listed["results"], serializer_output(ClaimListSerializer, matching[1:2]))


def test_empty_page_is_empty(api_client, article):
    body = api_client.get("/api/v1/quotes/", {"speaker": "no-such-speaker"})
    assert body.status_code == 200
    assert body.json()["results"] == []
