"""CORS: any web page may read the API anonymously; only configured origins may write."""

import pytest

pytestmark = pytest.mark.django_db

ELSEWHERE = "https://somewhere.example"
TRUSTED = "https://desk-app.example"


@pytest.fixture(autouse=True)
def trusted_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [TRUSTED]


def _preflight(api_client, url, origin, method, headers="authorization,content-type"):
    return api_client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_any_origin_reads_anonymously_and_sees_the_caching_headers(api_client, article):
    response = api_client.get("/api/v1/quotes/", HTTP_ORIGIN=ELSEWHERE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ELSEWHERE
    assert "Access-Control-Allow-Credentials" not in response
    exposed = response["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "RateLimit-Remaining" in exposed
    preflight = _preflight(api_client, "/api/v1/quotes/", ELSEWHERE, "GET", "if-none-match")
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == ELSEWHERE
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]


def test_errors_carry_cors_headers_so_a_page_can_read_them(api_client, db):
    response = api_client.get("/api/v1/quotes/no-such-quote/", HTTP_ORIGIN=ELSEWHERE)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == ELSEWHERE


def test_other_origins_may_not_write(api_client, editor, article):
    preflight = _preflight(api_client, "/api/v1/quotes/huang-ai-digital-partner/", ELSEWHERE, "PATCH")
    assert "Access-Control-Allow-Origin" not in preflight
    api_client.force_authenticate(editor)
    response = api_client.patch(
        "/api/v1/quotes/huang-ai-digital-partner/", {"version": 1}, format="json", HTTP_ORIGIN=ELSEWHERE
    )
    assert "Access-Control-Allow-Origin" not in response


def test_configured_origins_write_with_a_token(api_client, editor, article):
    url = "/api/v1/quotes/huang-ai-digital-partner/"
    preflight = _preflight(api_client, url, TRUSTED, "PATCH", "authorization,content-type,if-match")
    assert preflight["Access-Control-Allow-Origin"] == TRUSTED
    assert "PATCH" in preflight["Access-Control-Allow-Methods"]
    assert "if-match" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight  # a token, never cookies
    api_client.force_authenticate(editor)
    response = api_client.patch(url, {"is_featured": False, "version": 1}, format="json", HTTP_ORIGIN=TRUSTED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == TRUSTED


def test_pages_outside_the_api_get_no_cors_headers(client, article):
    response = client.get("/", HTTP_ORIGIN=ELSEWHERE)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
