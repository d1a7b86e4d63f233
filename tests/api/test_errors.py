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


# What schemathesis found next (.ci/api-fuzz, fixed seed): actions and imports that took a value
# of the wrong type, and a list that answered an unknown ?format= with a 404 its schema did not
# describe (a 404 of a list is a page past the end, with `last_page`).
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("publish", {"typo_fix": {}}, "typo_fix"),
        ("publish", {"correction_note": {}}, "correction_note"),
        ("unpublish", {"correction_note": "Rights.", "typo_fix": {}}, "typo_fix"),
        ("unpublish", {"correction_note": "Rights.", "typo_fix": "yes"}, "typo_fix"),
        ("publish", {"note": "Typo for correction_note."}, "note"),
    ],
)
def test_a_coverage_step_with_a_value_of_the_wrong_type_is_a_400(
    api_client, editor, article, path, body, field
):
    api_client.force_authenticate(editor)
    for by in (article.slug, f"id/{article.pk}"):
        response = api_client.post(f"/api/v1/coverage/{by}/{path}/", body, format="json")
        assert response.status_code == 400, response.json()
        assert list(response.json()["errors"]) == [field]
    article.refresh_from_db()
    assert article.status == "published"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"source_publication": 0}, "source_publication"), ({"text": 0}, "text"), ({"title": []}, "title")],
)
def test_an_import_with_a_value_of_the_wrong_type_is_a_400(api_client, editor, article, change, field):
    api_client.force_authenticate(editor)
    body = {"text": "A title\n\nSome text.", "dialogue": "huang-renxun-wang-jian-chain-expo-2025", **change}
    response = api_client.post("/api/v1/imports/", body, format="json")
    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == [field]


def test_an_imported_article_may_hold_a_few_control_characters(api_client, editor, article):
    """The import judges the pasted text whole (``check_text``: a few are copy-paste debris, many
    a binary file), not character by character as a field's value."""
    api_client.force_authenticate(editor)
    body = {"text": "A title\n\nSome\x0b text.", "dialogue": "huang-renxun-wang-jian-chain-expo-2025"}
    assert api_client.post("/api/v1/imports/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    "path", ["/api/v1/quotes/", "/api/v1/topics/", "/api/v1/quotes/huang-ai-digital-partner/"]
)
def test_an_unknown_format_is_a_400_naming_the_parameter(api_client, article, path):
    response = api_client.get(path, {"format": "hÄó"})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["format"] and "json" in response.json()["errors"]["format"][0]
    assert api_client.get("/api/v1/quotes/", {"format": "csv"}).status_code == 200
