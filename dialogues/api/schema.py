"""OpenAPI: every operation documents the error responses it can really give, in the one
error shape ``dialogues.api.errors`` produces."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What went wrong, for people.")
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    errors = serializers.DictField(help_text="Field name → list of messages (400 only; empty otherwise).")


ERROR_CODES = {
    "400": "Invalid input or filter value; `errors` names the fields.",
    "401": "Authentication required for this write.",
    "403": "Authenticated, but your role may not do this.",
    "404": "No such object (or not published), or no such page.",
    "405": "Method not allowed.",
    "429": "Too many requests from an anonymous client; retry later.",
    "503": "The database is briefly unreachable; retry after the `Retry-After` seconds.",
}


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
}
OPERATION_EXAMPLES = {
    # Where one name means different things per resource, the resource decides.
    ("/api/v1/quotes/", "kind"): "paraphrase",
    ("/api/v1/organizations/", "kind"): "company",
    ("/api/v1/coverage/", "status"): "published",
}


class AutoSchema(openapi.AutoSchema):
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
            example = OPERATION_EXAMPLES.get(
                (self.path, parameter["name"]), PARAMETER_EXAMPLES.get(parameter["name"])
            )
            if example is not None and "example" not in parameter and "examples" not in parameter:
                enum = parameter.get("schema", {}).get("enum")
                parameter["example"] = example if not enum or example in enum else enum[0]
        return parameters

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
        if self.method in ("PATCH", "PUT"):
            codes["409"] = "The `version` you sent is stale: someone else changed this since you read it."
            if "version" in fields:
                codes["412"] = "The `If-Match` version is stale: someone else changed this since you read it."
                codes["428"] = "This is published: send the `version` you read, or `If-Match`."
        if (
            self.method == "GET"
            and "withdrawn_at" in fields
            and getattr(self.view, "action", None) == "retrieve"
        ):
            codes["410"] = "Withdrawn: the message gives the date and the editors' note."
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
        return responses
