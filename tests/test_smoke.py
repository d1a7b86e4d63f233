import pytest
from markupsafe import escape  # the escaping of the Jinja2 pages


@pytest.mark.django_db
def test_site_root_shows_the_article(client, article):
    response = client.get("/")
    assert response.status_code == 200
    assert escape(article.title) in response.content.decode()


def test_app_servers_collect_young_garbage_less_often(monkeypatch):
    """config.process: what a served process sets, under WSGI and ASGI alike."""
    import gc
    import importlib

    import config.asgi
    import config.wsgi

    thresholds = []
    monkeypatch.setattr(gc, "set_threshold", lambda *values: thresholds.append(values))
    for entry_point in (config.wsgi, config.asgi):
        importlib.reload(entry_point)
    assert thresholds == [(10_000, 10, 10)] * 2
