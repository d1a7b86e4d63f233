"""Topic links carry their coverage's time (migration 0010), kept by the database's triggers:
a topic's newest items are read from them in ``newest_first_sorted``'s order."""

import datetime

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from dialogues.models import Claim, Coverage, Quote, pages
from dialogues.models.base import TopicLinkColumn
from tests import factories

pytestmark = pytest.mark.django_db


def stale_links(model):
    """How many of ``model``'s topic links do not hold their coverage's time, judged in SQL."""
    link = model.topics.through._meta.db_table
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    item = f"{model._meta.model_name}_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {link} t JOIN {model._meta.db_table} i ON i.id = t.{item} "
            "JOIN dialogues_coverage c ON c.id = i.coverage_id "
            f"WHERE t.listed_at {differs} COALESCE(c.publish_at, c.created_at)"
        )
        return cursor.fetchone()[0]


def assert_topic_order(model, topic):
    for queryset in (model.objects.all(), model.objects.published()):
        expected = list(queryset.on_topic(topic).newest_first_sorted())
        assert list(queryset.newest_on_topic(topic)) == expected
    assert stale_links(model) == 0


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
def test_links_follow_publishing_rescheduling_and_moves(topic_archive, model):
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
def test_links_made_any_way_are_listed(topic_archive, model):
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
    # A link pointed at another item (raw SQL could do it; Django does not) takes that one's time.
    pointed_at = from_topic_side(coverage=newest)
    item = model._meta.model_name
    model.topics.through.objects.filter(**{item: by_bulk}).update(**{item: pointed_at})
    assert_topic_order(model, topic)


def test_topic_page_reads_the_same_latest_as_the_queryset(topic_archive):
    topic, _coverages, _items = topic_archive
    now = timezone.now()
    for preview in (False, True):
        for model, latest in ((Quote, pages.latest_quotes_on_topic), (Claim, pages.latest_claims_on_topic)):
            expected = list(
                model.objects.visible_when(preview=preview).on_topic(topic).newest_first_sorted()[:3]
            )
            assert latest(preview, 3, topic=topic.pk, now=now) == expected


def test_the_link_columns_need_items_filtered_by_one_topic(db):
    with pytest.raises(FieldError, match="filtered by one topic"):
        list(Quote.objects.order_by(TopicLinkColumn("listed_at", None)))
