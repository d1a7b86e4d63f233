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
}


PAGINATION_PARAMETERS = {"page", "page_size"}


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
            if parameter["in"] == "query" and parameter["name"] not in PAGINATION_PARAMETERS:
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = dict(ERROR_CODES)
        if self.method in ("POST", "PATCH"):
            codes["415"] = "Send the body as application/json."
        if self.method == "DELETE":
            codes["409"] = "Still referenced by other records (e.g. an organization that publishes evidence)."
        for code, description in codes.items():
            if code not in responses:
                response = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"]
                )
                response["description"] = description
                responses[code] = response
        return responses
