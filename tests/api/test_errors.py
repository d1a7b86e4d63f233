"""Every error under /api/ is JSON in the API's one error shape, whoever answers it."""

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db


def _broken(request):
    raise ZeroDivisionError("a bug")


urlpatterns = [path("api/v1/broken/", _broken), *project_urlpatterns]
handler404 = "dialogues.errors.page_not_found"
handler500 = "dialogues.errors.server_error"


def _error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status and body["message"] and body["errors"] == {}
    return body


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "debug"])
def test_a_write_without_the_trailing_slash_is_a_json_404_saying_where_it_goes(
    api_client, editor, settings, debug
):
    settings.DEBUG = debug
    api_client.force_authenticate(editor)
    body = _error(api_client.post("/api/v1/topics", {"slug": "x", "name": "X"}, format="json"), 404)
    assert body["message"] == "Not found. API paths end with a slash: /api/v1/topics/"
    # A read is still redirected, as pages are.
    assert api_client.get("/api/v1/topics").status_code == 301


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "debug"])
def test_unknown_paths_and_methods_are_json(api_client, editor, settings, debug):
    settings.DEBUG = debug
    api_client.force_authenticate(editor)
    _error(api_client.get("/api/v1/nothing-here/"), 404)
    # No slashed path to point at: no hint about slashes.
    body = _error(api_client.post("/api/v1/nothing-here", {}, format="json"), 404)
    assert body["message"] == "Not found."
    _error(api_client.get("/api/v2/"), 404)
    body = _error(api_client.put("/api/v1/topics/", {}, format="json"), 405)
    assert body["message"]


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "debug"])
def test_a_server_error_under_the_api_is_json_and_still_logged(settings, caplog, debug):
    settings.DEBUG = debug
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with caplog.at_level("ERROR", logger="django.request"):
        body = _error(client.get("/api/v1/broken/"), 500)
    assert body["message"] == "Server error."
    assert "Internal Server Error: /api/v1/broken/" in caplog.text
    # Readers' pages keep their HTML.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


# What schemathesis found the API accepting against its own schema (each was a 200).
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("dialogues/huang-renxun-wang-jian-chain-expo-2025", {"topics": {}}, "topics"),
        ("events/chain-expo-2025", {"organizer": ""}, "organizer"),
        ("quotes/huang-ai-digital-partner", {"text": "AI.", "typo_fix": 0}, "typo_fix"),
        ("quotes/huang-ai-digital-partner", {"is_featured": 1}, "is_featured"),
        ("quotes/huang-ai-digital-partner", {"anchor": {"prefix": None, "suffix": None}}, "anchor"),
    ],
)
def test_values_of_the_wrong_type_are_a_400(api_client, editor, article, path, body, field):
    api_client.force_authenticate(editor)
    version = api_client.get(f"/api/v1/{path}/").json()["version"]
    response = api_client.patch(f"/api/v1/{path}/", {**body, "version": version}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


def test_a_body_that_is_not_json_is_a_400_even_at_an_old_slug(api_client, editor, article):
    api_client.force_authenticate(editor)
    version = api_client.get("/api/v1/topics/open-source/").json().get("version")
    renamed = api_client.patch(
        "/api/v1/topics/open-source/",
        {"slug": "open-source-ai", **({"version": version} if version else {})},
        format="json",
    )
    assert renamed.status_code == 200, renamed.json()
    response = api_client.generic(
        "PATCH", "/api/v1/topics/open-source/", "\x00", content_type="application/json"
    )
    assert response.status_code == 400 and "JSON parse error" in response.json()["message"]
    not_an_object = api_client.generic(
        "PATCH", "/api/v1/topics/open-source/", "null", content_type="application/json"
    )
    assert not_an_object.status_code == 400 and "JSON object" in not_an_object.json()["message"]
    moved = api_client.patch("/api/v1/topics/open-source/", {"description": "Open."}, format="json")
    assert moved.status_code == 308 and moved["Location"].endswith("/api/v1/topics/open-source-ai/")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("commentary/training-moves-to-post-training/withdraw", {"note": "Misread.", "errors": {}}),
        (
            "imports",
            {
                "text": "A title\n\nSome text.",
                "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
                "titel": "x",
            },
        ),
    ],
)
def test_an_unknown_field_in_an_action_is_a_400_not_ignored(api_client, editor, article, path, body):
    api_client.force_authenticate(editor)
    response = api_client.post(f"/api/v1/{path}/", body, format="json")
    assert response.status_code == 400, response.json()
    unknown = set(body) - {"note", "text", "dialogue"}
    assert response.json()["errors"] == {key: ["Unknown field."] for key in unknown}


def test_a_boolean_sent_as_text_is_a_400_and_forms_are_not_read(api_client, editor, article):
    api_client.force_authenticate(editor)
    url = "/api/v1/quotes/huang-ai-digital-partner/"
    version = api_client.get(url).json()["version"]
    as_text = api_client.patch(url, {"is_featured": "true", "version": version}, format="json")
    assert as_text.status_code == 400 and "is_featured" in as_text.json()["errors"]
    from_a_form = api_client.patch(url, {"is_featured": "true", "version": version}, format="multipart")
    assert from_a_form.status_code == 415
