import pytest
from markupsafe import escape  # the escaping of the Jinja2 pages


@pytest.mark.django_db
def test_site_root_shows_the_article(client, article):
    response = client.get("/")
    assert response.status_code == 200
    assert escape(article.title) in response.content.decode()
