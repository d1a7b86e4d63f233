"""Hostile input gets a clear 4xx or an inert answer, never a 500 or live markup: forged
forwarding headers, digits that are not ASCII, undecodable JSON, spreadsheet formulas, markup in
feeds (issue #22's security findings)."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from dialogues.api.throttling import AnonRateThrottle
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_forged_forwarded_for_does_not_escape_the_api_throttle(monkeypatch, article):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/minute"})
    codes = [
        APIClient(REMOTE_ADDR="203.0.113.5")
        .get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        .status_code
        for n in range(8)
    ]
    assert codes == [200] * 5 + [429] * 3


def test_a_configured_proxy_count_trusts_only_its_own_hop(monkeypatch, article, settings):
    from dialogues.security import client_address

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_address(request) == "198.51.100.4"


@pytest.mark.parametrize(
    "url", ["/api/v1/quotes/?page=²", "/api/v1/claims/?page_size=٣", "/api/v1/topics/?page=¹"]
)
def test_digits_that_are_not_ascii_are_a_400_on_api_lists(api_client, article, url):
    response = api_client.get(url)
    assert response.status_code == 400
    assert set(response.json()["errors"]) & {"page", "page_size"}


def test_digits_that_are_not_ascii_give_the_first_search_page(client, article):
    response = client.get("/search/", {"q": "CoreWeave", "page": "²"})
    assert response.status_code == 200
    assert "CoreWeave" in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        b'{"kind": "\\ud800", "text": "x"}',  # a lone surrogate
        b"[" * 5000 + b"]" * 5000,  # nested past any parser's depth
    ],
)
def test_undecodable_json_is_a_400(editor, article, body):
    editor_api = APIClient()
    editor_api.force_authenticate(editor)
    response = editor_api.post("/api/v1/quotes/", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["message"]


def test_csv_cells_that_would_start_a_formula_are_inert(api_client, article):
    quote = article.quotes.first()
    quote.text = '=HYPERLINK("https://evil.example","click")'
    quote.save()
    response = api_client.get("/api/v1/quotes/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    texts = [row["text"] for row in rows]
    assert "'" + quote.text in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for row in rows for text in row.values())


def test_feeds_carry_plain_text_as_text(client, article):
    article.dek = "Read <b>this</b> & that"
    article.save()
    atom = client.get("/feeds/coverage.atom").content.decode()
    assert '<summary type="text">Read &lt;b&gt;this&lt;/b&gt; &amp; that</summary>' in atom
    rss = client.get("/feeds/coverage.rss").content.decode()
    # Escaped twice: once as HTML (what an RSS description is), once as XML.
    assert "Read &amp;lt;b&amp;gt;this&amp;lt;/b&amp;gt; &amp;amp; that" in rss


# --- What readers see does not show drafts, nor change with them --------------------------------


def test_a_topic_linked_only_to_drafts_is_not_public(client, api_client, two_speakers):
    from dialogues.models import Topic

    secret = Topic.objects.create(slug="secret-project", name="Secret project")
    draft = factories.CoverageFactory(draft=True)
    draft.topics.add(secret)
    factories.QuoteFactory(coverage=draft).topics.add(secret)
    assert client.get("/topics/secret-project/").status_code == 404
    assert "Secret project" not in client.get("/topics/").content.decode()
    assert "secret-project" not in client.get("/sitemap.xml").content.decode()
    assert api_client.get("/api/v1/topics/secret-project/").status_code == 404
    assert client.get("/feeds/topics/secret-project.rss").status_code == 404


def test_editing_a_draft_leaves_public_pages_validators_alone(client, article):
    draft = factories.CoverageFactory(draft=True)
    quote = factories.QuoteFactory(coverage=draft)
    first = client.get("/quotes/")
    quote.text = "A draft reworded."
    quote.save()
    second = client.get("/quotes/")
    assert (second["ETag"], second["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    # Publishing it does change them.
    article_quote = article.quotes.first()
    article_quote.text = "Published words reworded."
    article_quote.save()
    assert client.get("/quotes/")["ETag"] != first["ETag"]


def test_published_commentary_names_no_unpublished_quote_or_claim(api_client, article, editor):
    from dialogues.models import Commentary

    draft = factories.CoverageFactory(draft=True)
    hidden_quote = factories.QuoteFactory(coverage=draft, slug="hidden-quote")
    hidden_claim = factories.ClaimFactory(coverage=draft, slug="hidden-claim")
    commentary = Commentary.objects.filter(coverage=article).first()
    commentary.quotes.add(hidden_quote)
    commentary.claims.add(hidden_claim)
    for url in ("/api/v1/commentary/", f"/api/v1/commentary/{commentary.slug}/"):
        body = api_client.get(url).content.decode()
        assert commentary.slug in body and "hidden-quote" not in body and "hidden-claim" not in body
    # Staff, who may see drafts, see the links (and are not served the readers' cached items).
    staff = APIClient()
    staff.force_authenticate(editor)
    body = staff.get("/api/v1/commentary/").content.decode()
    assert "hidden-quote" in body and "hidden-claim" in body
