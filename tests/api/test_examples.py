"""The schema's examples (issue #26): every operation has one for its answer (and its main
error), every operation that takes a body one for the request, and each is true: it has the
fields the real answer has, its error says what the API says, and its request is accepted."""

import copy
import re

import pytest
import yaml
from django.core.management import call_command

from dialogues.models import Coverage, Quote
from tests import factories

pytestmark = pytest.mark.django_db

ARTICLE = "huang-renxun-wang-jian-three-overlooked-insights"


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(path))
    return yaml.safe_load(path.read_text())


def examples_of(content):
    json = (content or {}).get("application/json", {})
    return [example["value"] for example in json.get("examples", {}).values()]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_has_its_examples(schema):
    for path, method, operation in operations(schema):
        where = (method, path)
        if "requestBody" in operation:
            assert examples_of(operation["requestBody"]["content"]), ("request", *where)
        answers = operation["responses"]
        with_a_body = [code for code in answers if code.startswith("2") and "content" in answers[code]]
        for code in with_a_body:
            assert examples_of(answers[code]["content"]), (code, *where)
        errors = [
            code for code in answers if code.startswith("4") and examples_of(answers[code].get("content"))
        ]
        assert errors, ("an error example", *where)
        for code in errors:
            for value in examples_of(answers[code]["content"]):
                assert value["status"] == int(code), (code, *where)


def resource_of(path):
    return path.split("/")[3]


def real_item(api_client, resource):
    """The JSON of one published item of ``resource``, as its detail URL answers."""
    first = api_client.get(f"/api/v1/{resource}/", {"page_size": 1}).json()["results"][0]
    url = f"/api/v1/fact-sources/{first['id']}/" if resource == "fact-sources" else first["url"]
    return api_client.get(url).json()


def same_shape(example, real, where):
    """The same fields, at every level where both have an object or a first list item."""
    assert set(example) == set(real), (where, set(example) ^ set(real))
    for name, value in example.items():
        if (
            isinstance(value, dict)
            and isinstance(real[name], dict)
            and name not in ("data", "changes", "errors")
        ):
            same_shape(value, real[name], (*where, name))
        if isinstance(value, list) and value and real[name] and isinstance(value[0], dict):
            same_shape(value[0], real[name][0], (*where, name))


def test_answer_examples_have_the_fields_of_real_answers(schema, api_client, article, editor, contributor):
    details = {}
    page = api_client.get("/api/v1/quotes/", {"page_size": 1}).json()
    feed = api_client.get("/api/v1/changes/").json()
    api_client.force_authenticate(contributor)
    proposal = api_client.patch(
        "/api/v1/topics/ai-and-humans/", {"description": "People and AI."}, format="json"
    )
    assert proposal.status_code == 202
    api_client.force_authenticate(editor)
    imported = api_client.post(
        "/api/v1/imports/",
        {"text": "Huang Renxun said: “AI will be your partner.”\n", "dialogue": article.dialogue.slug},
        format="json",
    )
    assert imported.status_code == 201
    proposals = api_client.get(imported.json()["proposals_url"]).json()
    api_client.force_authenticate(None)
    for path, method, operation in operations(schema):
        for code, answer in operation["responses"].items():
            if not code.startswith("2"):
                continue
            for value in examples_of(answer.get("content")):
                where = (method, path, code)
                if code == "202":
                    same_shape(value, proposal.json(), where)
                elif path == "/api/v1/changes/":
                    same_shape(value, feed, where)
                elif path == "/api/v1/imports/":
                    same_shape(value, imported.json(), where)
                elif path == "/api/v1/imports/{coverage_id}/proposals/":
                    same_shape(value, proposals, where)
                else:
                    resource = resource_of(path)
                    if resource not in details:
                        details[resource] = real_item(api_client, resource)
                    if method == "get" and "results" in value:  # a page of a list
                        assert set(value) == set(page), where
                        listed = api_client.get(f"/api/v1/{resource}/", {"page_size": 1}).json()["results"][0]
                        same_shape(value["results"][0], listed, where)
                    else:
                        same_shape(value, details[resource], where)
    # The feed's example names a fact source by id, with no slug, as the feed does.
    [example] = examples_of(schema["paths"]["/api/v1/changes/"]["get"]["responses"]["200"]["content"])
    facts = [entry for entry in example["results"] if entry["resource"] == "fact-sources"]
    assert facts and all(entry["slug"] is None for entry in facts)


def provoke(api_client, editor, contributor, article):
    """``{(example summary): real answer}``: each error the examples show, made for real."""
    api_client.force_authenticate(editor)
    quote = Quote.objects.published().first()
    version = quote.version
    stale = {"is_featured": not quote.is_featured, "version": version + 5}
    draft = factories.CoverageFactory(draft=True, dialogue=article.dialogue, source_text=article.source_text)
    answers = {
        "A filter value no visible item has": api_client.get("/api/v1/quotes/", {"speaker": "nobody"}),
        "A page past the end": api_client.get("/api/v1/quotes/", {"page": 999}),
        "No such item, or not published": api_client.get("/api/v1/quotes/no-such-quote/"),
        "Required fields missing": api_client.post(
            "/api/v1/commentary/", {"slug": "the-signal", "title": "x", "body": "y"}, format="json"
        ),
        "Someone changed it since you read it": api_client.patch(
            f"/api/v1/quotes/{quote.slug}/", stale, format="json"
        ),
        "Not a slug": api_client.patch("/api/v1/topics/open-source/", {"slug": "not a slug"}, format="json"),
        "Published: withdraw it instead": api_client.delete(f"/api/v1/quotes/{quote.slug}/"),
        "Still in use": api_client.delete("/api/v1/organizations/nvidia/"),
        "No note": api_client.post(f"/api/v1/quotes/{quote.slug}/withdraw/", {}, format="json"),
        "Readers saw it: say why": api_client.post(
            f"/api/v1/coverage/{ARTICLE}/unpublish/", {}, format="json"
        ),
        "Not a cursor": api_client.get("/api/v1/changes/", {"since": "x"}),
        "No text": api_client.post("/api/v1/imports/", {"dialogue": article.dialogue.slug}, format="json"),
    }
    imported = api_client.post(
        "/api/v1/imports/",
        {"text": "Huang Renxun said: “AI will be your partner.”\n", "dialogue": article.dialogue.slug},
        format="json",
    ).json()
    api_client.force_authenticate(contributor)
    answers["Someone else's draft"] = api_client.get(imported["proposals_url"])
    answers["Not an Editor"] = api_client.post(f"/api/v1/coverage/{draft.slug}/publish/", {}, format="json")
    theirs = factories.CoverageFactory(draft=True, dialogue=article.dialogue, created_by=editor)
    answers["Another contributor's draft"] = api_client.post(f"/api/v1/coverage/{theirs.slug}/submit/")
    api_client.force_authenticate(editor)
    api_client.post(f"/api/v1/quotes/{quote.slug}/withdraw/", {"note": "Misattributed."}, format="json")
    api_client.force_authenticate(None)
    answers["Withdrawn"] = api_client.get(f"/api/v1/quotes/{quote.slug}/")
    return answers


def words(message):
    """A message's words up to its first figure or name of a particular item."""
    return re.split(r"[0-9]|: [A-Z]", message)[0]


def test_error_examples_say_what_the_api_says(schema, api_client, editor, contributor, article):
    real = provoke(api_client, editor, contributor, article)
    shown = set()
    for path, method, operation in operations(schema):
        for code, answer in operation["responses"].items():
            if code.startswith("2"):
                continue
            json = (answer.get("content") or {}).get("application/json", {})
            for example in json.get("examples", {}).values():
                summary, value = example["summary"], example["value"]
                response = real[summary]
                where = (method, path, code, summary)
                assert response.status_code == int(code), (where, response.json())
                body = response.json()
                assert set(value) == set(body), where
                assert set(value["errors"]) == set(body["errors"]), where
                assert words(value["message"]) == words(body["message"]), (where, body["message"])
                shown.add(summary)
    assert shown == set(real)


def test_request_examples_are_accepted(schema, api_client, editor, article):
    """Each request example, sent as it is by an Editor (a new slug and name where it would add
    one the article has), is answered with success."""
    api_client.force_authenticate(editor)
    draft = factories.CoverageFactory(draft=True, dialogue=article.dialogue, source_text=article.source_text)
    sent = 0
    for path, method, operation in operations(schema):
        if "requestBody" not in operation or "/id/" in path:
            continue
        for value in examples_of(operation["requestBody"]["content"]):
            value = copy.deepcopy(value)
            url = path
            if "{slug}" in url:
                [answer] = examples_of(operation["responses"]["200"]["content"])
                slug = answer["slug"]
                if path.endswith("/publish/"):
                    slug = draft.slug
                url = url.replace("{slug}", slug)
            else:  # an addition: the article has these already, under their names
                if "slug" in value:
                    value["slug"] = f"{value['slug']}-example"
                if "name" in value:
                    value["name"] = f"{value['name']} (example)"
            response = getattr(api_client, method)(url, value, format="json")
            assert response.status_code in (200, 201), (method, path, response.json())
            sent += 1
            if url.endswith("/unpublish/"):
                Coverage.objects.filter(slug=ARTICLE).update(status="published")
    assert sent >= 20


def test_list_examples_are_pages_of_this_api_not_drfs_placeholders(schema):
    """Every list's example page said count 123 and next "http://api.example.org/accounts/"."""
    for path, method, operation in operations(schema):
        for value in examples_of(operation["responses"].get("200", {}).get("content")):
            if method == "get" and isinstance(value, dict) and "results" in value and "count" in value:
                assert "example.org" not in str(value), path
                assert value["count"] == len(value["results"]) or value["next"], path
