"""OpenAPI: every operation documents the error responses it can really give, in the one
error shape ``dialogues.api.errors`` produces."""

import re

from django.conf import settings
from django.urls import LocalePrefixPattern, get_resolver
from drf_spectacular import generators, openapi
from rest_framework import serializers

from dialogues.api.serializers import KnownFieldsOnly


class SchemaGenerator(generators.SchemaGenerator):
    """drf-spectacular's generator, over every URL but the readers' pages: those sit under
    ``i18n_patterns`` (``/zh-hans/``), whose language prefix it cannot read (a warning that
    fails the deploy check), and hold no API view."""

    def __init__(self, *args, patterns=None, urlconf=None, **kwargs):
        if patterns is None and urlconf is None:
            patterns = [
                pattern
                for pattern in get_resolver().url_patterns
                if not isinstance(pattern.pattern, LocalePrefixPattern)
            ]
        super().__init__(*args, patterns=patterns, urlconf=urlconf, **kwargs)


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What went wrong, for people.")
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    errors = serializers.DictField(help_text="Field name → list of messages (400 only; empty otherwise).")


class GoneSerializer(ErrorSerializer):
    """The error shape, and when and why the item was withdrawn."""

    withdrawn_at = serializers.DateTimeField(help_text="When it was withdrawn.")
    withdrawal_note = serializers.CharField(help_text="The editors' public note saying why.")


class PastTheLastPageSerializer(ErrorSerializer):
    """The error shape, and the list's last page."""

    # Not required: a list under a path parameter (an import's proposals) also answers 404 for
    # an id that names nothing, without one.
    last_page = serializers.IntegerField(
        required=False,
        help_text="The last page there is (1 for an empty list); absent when what the path names does not exist.",
    )


ERROR_CODES = {
    "400": "Invalid input or filter value; `errors` names the fields.",
    "401": "Authentication required for this write.",
    "403": "Authenticated, but your role may not do this.",
    "404": "No such object (or not published), or no such page.",
    "405": "Method not allowed.",
    "429": "Too many requests from an anonymous client: retry after the `Retry-After` seconds. "
    "Every answer to an anonymous client says where it stands: `RateLimit-Limit` (requests a "
    "minute), `RateLimit-Remaining` and `RateLimit-Reset` (seconds).",
    "503": "The database is briefly unreachable; retry after the `Retry-After` seconds.",
}


def semantic_version(result, generator, request, public):
    """drf-spectacular's postprocessing hook: ``info.version`` stays the schema's own semantic
    version. Asked through a versioned URL, drf-spectacular appends the API's version
    ("1.0.0 (v1)"), which client generators refuse as a package version."""
    result["info"]["version"] = settings.SPECTACULAR_SETTINGS["VERSION"]
    return result


PAGINATION_PARAMETERS = {"page", "page_size"}

# An example for every query parameter, taken from the Chain Expo article so a reader of the docs
# can paste it and get results.
PARAMETER_EXAMPLES = {
    "speaker": "Jensen Huang",
    "claimant": "publication",
    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
    "event": "chain-expo-2025",
    "coverage": "huang-renxun-wang-jian-three-overlooked-insights",
    "topic": "open-source",
    "kind": "prediction",
    "status": "supported",
    "dialogue_format": "fireside_chat",
    "format": "json",
    "year": 2025,
    "date_after": "2025-07-01",
    "date_before": "2025-07-31",
    "resolve_by_after": "2027-01-01",
    "resolve_by_before": "2030-12-31",
    "published_after": "2025-07-01T00:00:00Z",
    "published_before": "2025-08-01T00:00:00Z",
    "search": "open source",
    "page": 1,
    "page_size": 20,
    "updated_since": "2025-07-20T00:00:00Z",
    "since": "0",
    "subject_type": "dialogues.event",
    "subject_id": 1,
}
OPERATION_EXAMPLES = {
    # Where one name means different things per resource, the resource decides.
    ("/api/v1/quotes/", "kind"): "paraphrase",
    ("/api/v1/organizations/", "kind"): "company",
    ("/api/v1/coverage/", "status"): "published",
}


def _names(model):
    meta = model._meta
    return str(meta.verbose_name), str(meta.verbose_name_plural)


def _a(name):
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


# How every URL with a slug in it answers a slug the item had before it was renamed.
RENAMED = (
    "A slug the item had before it was renamed still works: a read (GET, HEAD) answers 301 "
    "and a write (PATCH, DELETE, POST) 308, with `Location` the same URL under the current "
    "slug, query string kept. A 308 asks to repeat the same method and body there. A draft's "
    "old slug is a 404 for whoever may not see the draft, like its current one; a slug that "
    "another item now has is that item's."
)


def _describe(view, action, model):
    """The description of an operation, for people writing a client: what it does, who may,
    and what the answers mean. (Docstrings are for developers of this code, not its clients.)"""
    name, plural = _names(model)
    versioned = any(field.name == "version" for field in model._meta.get_fields())
    if action == "list":
        text = (
            f"The {plural} you may read, a page at a time: `page` from 1 (or `last`), "
            "`page_size` from 1 to 200 (50 if not given); a page past the end is a 404 whose "
            "`last_page` names the last one. Clients who are not staff see what the site's "
            "readers see (published content, and what it names); staff (Contributors, "
            "Editors) see unpublished items too. "
        )
        sorts = bool(getattr(view, "ordering_fields", None))
        text += "Filter and sort with the parameters below" if sorts else "Filter with the parameters below"
        text += (
            ": a value a list does not know (a slug, a date, "
            + ("a choice, a sort field" if sorts else "a choice")
            + ") is a 400 naming the parameter, never an unfiltered list; an empty value is no "
            "filter. Send the `ETag` (or `Last-Modified`) you got back as `If-None-Match` "
            "(`If-Modified-Since`): an unchanged list answers 304 with no body."
        )
        if getattr(view, "csv_export", False):
            text += (
                "\n\nWith `format=csv` (or `Accept: text/csv`) the answer is one CSV file of "
                "*every* matching row: `page` does not apply, nor `page_size` (though one "
                "outside 1 to 200 is still a 400). UTF-8 with a byte order mark (spreadsheets "
                "read it as UTF-8), one column per field, nested objects as `parent.child` "
                "columns, lists as JSON arrays, empty values as empty cells; a text cell a "
                "spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or "
                "a carriage return) gets a `'` in front of it."
            )
        return text
    if action == "retrieve":
        if view.lookup_field == "slug":
            text = f"One {name}, by its slug."
        elif not any(field.name == "slug" for field in model._meta.fields):
            text = f"One {name}, by its id (`id`), which never changes."
        else:
            text = (
                f"One {name}, by its id (`id`), which never changes while its slug may: the same "
                f"answer as the {name}'s slug URL (its `url`), served here directly, no redirect "
                "to follow. Keep the id to find the item again whatever it is renamed to."
            )
        text += (
            f" The answer's `ETag` changes whenever the {name} does: send it back as "
            "`If-None-Match` and an unchanged one answers 304 with no body."
        )
        if versioned:
            text += f" It starts with the {name}'s `version`; `If-Match` accepts it for a change."
        return text + ("\n\n" + RENAMED if view.lookup_field == "slug" else "")
    if action == "create":
        return (
            f"Adds {_a(name)} (authenticated: a token or a session). An Editor's addition is "
            "saved (201); a Contributor's addition to published content is sent to an Editor "
            "as a proposal (202). A field this does not know is a 400."
        )
    if action in ("partial_update", "update"):
        text = (
            "Changes the fields you send and leaves the others as they are; a request that "
            "changes nothing saves nothing. A change to what readers of published content see "
            "needs a `correction_note`, shown to readers. A Contributor's change to published "
            "content is sent to an Editor as a proposal (202)."
        )
        if versioned:
            text += (
                " Send back the `version` you read (or `If-Match` with the ETag or the "
                "version): if someone changed it since, the change is refused with 409 (412 for "
                "If-Match) instead of overwriting theirs."
            )
        return text
    if action == "publish":
        return (
            "Publishes the coverage now (Editors; a Contributor gets 403). Publishing again what "
            "readers have already seen needs a `correction_note` in the body."
        )
    if action == "submit":
        return (
            "Hands a draft to the desk: in review, an Editor then publishes it or sends it back "
            "with a note. Its author or an Editor; another Contributor's draft is a 403, and "
            "published coverage a 400 (an Editor unpublishes it first). No body."
        )
    if action == "unpublish":
        return (
            "Takes coverage back to draft (Editors): readers stop seeing it. Readers saw it, so "
            "a `correction_note` in the body says why; without one it is a 400."
        )
    if action == "withdraw":
        return (
            f"Withdraws a published {name} with a public `note` (Editors; a Contributor gets "
            "403): it is never deleted. Afterwards its URL answers 410 with the date and note, "
            "and the article's corrections list the withdrawal."
        )
    if action == "destroy":
        if any(field.name == "withdrawn_at" for field in model._meta.get_fields()):
            return (
                f"Deletes {_a(name)} that readers never saw (Editors). A published {name} is "
                "withdrawn instead (`withdraw`), never deleted: deleting it is a 403."
            )
        return f"Deletes {_a(name)} (Editors). One still in use by other records is a 409."
    return ""


# What every operation under ``/<resource>/id/<id>/`` adds to its description.
BY_ID = (
    "By the item's `id`: the same request, permissions and answers as at its slug URL (its "
    "`url`), never a redirect, whatever the item has been renamed to."
)


class AutoSchema(openapi.AutoSchema):
    def get_operation_id(self):
        # An action is named for what it does (``quotes_withdraw``, ``coverage_publish``), as a
        # generated client's functions are: not "…_withdraw_create", as if it made a withdraw.
        operation_id = super().get_operation_id()
        if self.method == "POST" and getattr(self.view, "action", "create") not in (None, "create"):
            return operation_id.removesuffix("_create")
        return operation_id

    def get_description(self):
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        action = getattr(self.view, "action", None)
        if model is None or action is None:
            return super().get_description()
        if action == "list" and getattr(self.view, "pagination_class", None) is None:
            # Not a paged list (the change feed): its docstring is written for clients.
            return super().get_description()
        text = _describe(self.view, action, model)
        if "{id}" in self.path and action != "retrieve" and getattr(self.view, "lookup_field", None) == "id":
            text = f"{text}\n\n{BY_ID}" if text else BY_ID
        return text

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            # An id is a whole number: typed from its path's pattern, it would be a string.
            if parameter["name"] == "id":
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "The item's `id`, which never changes."
            if parameter["name"] == "slug":
                parameter["description"] = (
                    "The item's slug, or one it had before a rename (answered with a redirect)."
                )
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A serializer's own docstring describes its shape to clients; one inherited from a
        # mixin (``ModelCleanMixin``: how validation is implemented) is for developers here.
        if "__doc__" not in vars(type(serializer)) or not type(serializer).__doc__:
            schema.pop("description", None)
        if direction == "request" and isinstance(serializer, KnownFieldsOnly):
            # A field the API does not know is a 400 (``KnownFieldsOnly``): say so, and generated
            # clients offer no "additional properties" that the server would refuse.
            schema["additionalProperties"] = False
        return schema

    def get_auth(self):
        auths = super().get_auth()
        # Anyone may read published content: authentication is optional on safe methods.
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auths:
            auths.append({})
        return auths

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # An empty filter (``?kind=``) means "no filter", as an HTML filter form sends it.
            if parameter["in"] != "query":
                continue
            if parameter["name"] not in PAGINATION_PARAMETERS:
                parameter["allowEmptyValue"] = True
            if parameter["name"] == "format" and not parameter.get("description"):
                parameter["description"] = (
                    "The answer's format: `json` (the default) or `csv`, every match in one file "
                    "(as `Accept: text/csv`)."
                )
            example = OPERATION_EXAMPLES.get(
                (self.path, parameter["name"]), PARAMETER_EXAMPLES.get(parameter["name"])
            )
            if example is not None and "example" not in parameter and "examples" not in parameter:
                enum = parameter.get("schema", {}).get("enum")
                parameter["example"] = example if not enum or example in enum else enum[0]
        return parameters

    def _is_a_detail_route(self):
        from dialogues.api.views import ContentViewSet

        return isinstance(self.view, ContentViewSet) and ("{slug}" in self.path or "{id}" in self.path)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = dict(ERROR_CODES)
        if self.method in ("POST", "PATCH"):
            codes["415"] = "Send the body as application/json."
            codes["413"] = "The request body is over the 1 MB limit."
        if self.method == "DELETE":
            codes["409"] = "Still referenced by other records (e.g. an organization that publishes evidence)."
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        fields = {field.name for field in model._meta.get_fields()} if model is not None else set()
        # Only what has a version can be stale, and only what readers saw requires one.
        if self.method in ("PATCH", "PUT", "POST", "DELETE") and self._is_a_detail_route():
            # ContentViewSet._check_if_match: any write to an item takes If-Match.
            codes["412"] = (
                "The `If-Match` you sent (the ETag or version you read) is stale: someone else "
                "changed this since you read it."
            )
        if self.method in ("PATCH", "PUT") and "version" in fields:
            codes["409"] = "The `version` you sent is stale: someone else changed this since you read it."
            if hasattr(model, "is_live"):
                codes["428"] = "This is published: send the `version` you read, or `If-Match`."
        if self.method == "GET" and "200" in responses:
            responses["304"] = {
                "description": "Not modified: the `If-None-Match` ETag or `If-Modified-Since` "
                "date you sent is still current. No body."
            }
            if "text/csv" in responses["200"].get("content", {}):
                responses["200"]["content"]["text/csv"] = {
                    "schema": {
                        "type": "string",
                        "description": "CSV: a header row of field names, then one row per item.",
                    },
                    "example": "\ufeffid,url,html_url,slug,text,kind,speakers,...\r\n",
                }
        if "{slug}" in self.path:
            moved = self._get_response_for_code(ErrorSerializer, "301", media_types=["application/json"])
            if self.method in ("GET", "HEAD"):
                moved["description"] = "Renamed: `Location` is this URL under the current slug."
                responses["301"] = moved
            else:
                moved["description"] = "Renamed: repeat this request at `Location`, the current slug's URL."
                responses["308"] = moved
            moved["headers"] = {
                "Location": {"schema": {"type": "string", "format": "uri"}, "description": "Where it is now."}
            }
        if (
            self.method == "GET"
            and getattr(self.view, "answers_gone", False)
            and getattr(self.view, "action", None) == "retrieve"
        ):
            gone = self._get_response_for_code(GoneSerializer, "410", media_types=["application/json"])
            gone["description"] = (
                "Withdrawn (coverage: taken down): `withdrawn_at` and `withdrawal_note` say when "
                "and why (the message says it for people). Drop your copy."
            )
            responses["410"] = gone
        if getattr(self.view, "action", None) in ("create", "partial_update") and "202" not in responses:
            from dialogues.api.serializers import ProposalAcceptedSerializer

            response = self._get_response_for_code(
                ProposalAcceptedSerializer, "202", media_types=["application/json"]
            )
            response["description"] = (
                "A Contributor's change to published content or a live entity: kept as a proposal "
                "until an Editor approves it."
            )
            responses["202"] = response
        if (
            self.method == "GET"
            and self._is_list_view()
            and getattr(self.view, "pagination_class", None) is not None
        ):
            past = self._get_response_for_code(
                PastTheLastPageSerializer, "404", media_types=["application/json"]
            )
            past["description"] = (
                "A `page` past the end: `last_page` is the last one there is (every list has "
                "a page 1, empty if nothing matches)."
            )
            responses["404"] = past
        # Refused by the app server (gunicorn) before Django sees it, so it is plain HTML.
        responses.setdefault(
            "414",
            {
                "description": "Request line too long.",
                "content": {"text/html": {"schema": {"type": "string"}}},
            },
        )
        for code, description in codes.items():
            if code not in responses:
                response = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"]
                )
                response["description"] = description
                responses[code] = response
        self._add_examples(responses, model)
        return responses

    def _add_examples(self, responses, model):
        """The 202's and the main errors' examples (``examples.ERRORS``), which every resource
        shares: success examples are each resource's own (in the views)."""
        from dialogues.api import examples

        def add(code, summary, value):
            content = responses.get(code, {}).get("content", {}).get("application/json")
            if content is not None and "examples" not in content:
                content["examples"] = {
                    re.sub(r"\W", "", summary.title()): {"value": value, "summary": summary}
                }

        add("202", "A proposal waiting for an Editor", examples.PROPOSAL)
        if self.method not in ("POST", "PATCH", "DELETE", "GET"):
            return
        kind = getattr(self.view, "error_examples", None) or getattr(self.view, "action", None)
        fields = {field.name for field in model._meta.get_fields()} if model is not None else set()
        for (action, code), (summary, value) in examples.ERRORS.items():
            if action != kind:
                continue
            if action == "destroy" and (code == "403") != ("withdrawn_at" in fields):
                continue  # published content is withdrawn, never deleted (403); the rest in use (409)
            if action == "partial_update" and (code == "409") != ("version" in fields):
                continue  # only what has a version can be stale
            add(code, summary, value)
