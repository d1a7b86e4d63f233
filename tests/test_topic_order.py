"""A topic lists its quotes and claims newest coverage first (``newest_on_topic``), drafts by
their creation, whichever way the item, its links or its coverage were written."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from dialogues.models import Claim, Coverage, Quote
from tests import factories

pytestmark = pytest.mark.django_db


def assert_topic_order(model, topic):
    """Newest coverage first (drafts by creation), then the newest item, judged in Python."""
    for queryset in (model.objects.all(), model.objects.published()):
        items = list(queryset.on_topic(topic).select_related("coverage"))

        def newest_first(item):
            return (item.coverage.publish_at or item.coverage.created_at, item.pk)

        assert list(queryset.newest_on_topic(topic)) == sorted(items, key=newest_first, reverse=True)


@pytest.fixture
def topic_archive():
    """Quotes and claims on one topic across published, same-time, scheduled and draft coverage;
    some items on another topic only."""
    topic, other = factories.TopicFactory(), factories.TopicFactory()
    now = timezone.now()
    coverages = [
        factories.CoverageFactory(publish_at=now - datetime.timedelta(days=days)) for days in (3, 1, 1, 5)
    ]
    with freeze_time(now - datetime.timedelta(days=2)):
        coverages.append(factories.CoverageFactory(draft=True))
    coverages.append(factories.CoverageFactory(scheduled=True))
    items = {Quote: [], Claim: []}
    for model, make in ((Quote, factories.QuoteFactory), (Claim, factories.ClaimFactory)):
        for coverage in (*coverages, coverages[1], coverages[0]):
            item = make(coverage=coverage)
            item.topics.add(topic)
            items[model].append(item)
        make(coverage=coverages[2]).topics.add(other)
    return topic, coverages, items


@pytest.mark.parametrize("model", [Quote, Claim])
def test_newest_on_topic_is_newest_first_sorted(topic_archive, model):
    topic, _coverages, items = topic_archive
    assert_topic_order(model, topic)
    # By time, not by when the item or its link was made; at the same time, the newest item.
    first, second, third = list(model.objects.published().newest_on_topic(topic))[:3]
    assert (first, second, third) == (items[model][6], items[model][2], items[model][1])


@pytest.mark.parametrize("model", [Quote, Claim])
def test_order_follows_publishing_rescheduling_and_moves(topic_archive, model):
    topic, coverages, items = topic_archive
    draft, scheduled = coverages[4], coverages[5]
    draft.status, draft.publish_at = Coverage.Status.PUBLISHED, timezone.now()
    draft.save()
    assert_topic_order(model, topic)
    assert list(model.objects.published().newest_on_topic(topic))[0] == items[model][4]

    Coverage.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - datetime.timedelta(days=10))
    assert_topic_order(model, topic)
    assert list(model.objects.published().newest_on_topic(topic))[-1] == items[model][5]

    moved = items[model][3]  # from the oldest coverage to the newest
    model.objects.filter(pk=moved.pk).update(coverage=draft, dialogue=draft.dialogue)
    assert_topic_order(model, topic)
    assert list(model.objects.published().newest_on_topic(topic))[:2] == [items[model][4], moved]


@pytest.mark.parametrize("model", [Quote, Claim])
def test_items_linked_any_way_are_listed(topic_archive, model):
    topic, coverages, _items = topic_archive
    newest = coverages[2]
    from_topic_side = factories.QuoteFactory if model is Quote else factories.ClaimFactory
    by_reverse = from_topic_side(coverage=newest)
    getattr(topic, model._meta.get_field("topics").remote_field.related_name).add(by_reverse)
    by_bulk = from_topic_side(coverage=coverages[3])
    model.topics.through.objects.bulk_create(
        [model.topics.through(**{model._meta.model_name: by_bulk, "topic": topic})]
    )
    by_set = from_topic_side(coverage=coverages[0])
    by_set.topics.set([topic])
    assert_topic_order(model, topic)
    newest_first = list(model.objects.newest_on_topic(topic))
    assert newest_first.index(by_reverse) < newest_first.index(by_set) < newest_first.index(by_bulk)


def test_topic_page_lists_claims_newest_first(client, topic_archive):
    topic, _coverages, _items = topic_archive
    expected = list(Claim.objects.published().on_topic(topic).newest_first_sorted()[:30])
    assert expected
    page = client.get(topic.get_absolute_url()).content.decode()
    positions = [page.find(f'id="claim-{claim.slug}"') for claim in expected]
    assert -1 not in positions and positions == sorted(positions)
