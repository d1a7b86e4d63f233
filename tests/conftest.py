import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.test import APIClient

from dialogues.permissions import CONTRIBUTOR, EDITOR, MANAGING_EDITOR
from tests import factories

ARTICLE = "huang-renxun-wang-jian-three-overlooked-insights"


@pytest.fixture(autouse=True, scope="session")
def jinja2_contexts():
    """``response.context`` for the Jinja2 pages too: Django's test setup records only its own
    engine's renders, so send the same signal when a Jinja2 page is rendered."""
    from django.template.backends import jinja2
    from django.test.signals import template_rendered

    render = jinja2.Template.render

    def render_and_record(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return render(self, context, request)

    jinja2.Template.render = render_and_record
    yield
    jinja2.Template.render = render


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: pages cached by one test must not answer the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    """The production cache, on database 15 of the Redis every machine here runs (127.0.0.1:6379)."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "dialogues.caching.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "dd-test",
        }
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def redis_down(settings):
    """The production cache pointed at a Redis that is not there: nothing listens on port 9, so
    every cache call fails at once."""
    settings.CACHES = {
        "default": {
            "BACKEND": "dialogues.caching.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }


@pytest.fixture
def article(db):
    """The Chain Expo coverage, loaded from fixtures/ as a reader would see it."""
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    from dialogues.models import Coverage

    return Coverage.objects.get(slug=ARTICLE)


# The data migrations that make the roles and grant them permissions, in order.
ROLE_MIGRATIONS = [
    ("0002_roles", "create_roles"),
    ("0015_factsource", "grant_roles"),
    ("0021_desk_managing_editor", "create_role"),
    ("0022_import_proposals", "grant_roles"),
    ("0025_webhooks", "grant_editors"),
    ("0030_organization_aliases", "grant_roles"),
    ("0033_topic_aliases", "grant_roles"),
]


def make_roles():
    """Make the roles again, as migrating a fresh database does: a transactional test (browser
    tests, threads) flushes the database after it, roles included."""
    import importlib

    from django.apps import apps

    for module, function in ROLE_MIGRATIONS:
        getattr(importlib.import_module(f"dialogues.migrations.{module}"), function)(apps, None)


def _user(django_user_model, username, *, group=None, **flags):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username, **flags)
    if group:
        if not Group.objects.filter(name=group).exists():
            make_roles()  # flushed by a transactional test before this one
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reader(db, django_user_model):
    return _user(django_user_model, "reader")


@pytest.fixture
def contributor(db, django_user_model):
    return _user(django_user_model, "contributor", group=CONTRIBUTOR, is_staff=True)


@pytest.fixture
def editor(db, django_user_model):
    return _user(django_user_model, "editor", group=EDITOR, is_staff=True)


@pytest.fixture
def managing_editor(db, django_user_model):
    return _user(django_user_model, "managing", group=MANAGING_EDITOR, is_staff=True)


@pytest.fixture
def superuser(db, django_user_model):
    return _user(django_user_model, "root", is_staff=True, is_superuser=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def two_speakers(db):
    ada = factories.SpeakerFactory(name="Ada Speaker", slug="ada")
    bo = factories.SpeakerFactory(name="Bo Speaker", slug="bo")
    return ada, bo


@pytest.fixture
def coverage(two_speakers):
    dialogue = factories.DialogueFactory(speakers=two_speakers)
    coverage = factories.CoverageFactory(dialogue=dialogue)
    factories.SectionFactory(coverage=coverage, number=1, title="First Section")
    factories.SectionFactory(coverage=coverage, number=2, title="Second Section")
    return coverage
