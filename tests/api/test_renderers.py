"""The API's JSON renderer writes what DRF's would, byte for byte."""

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers

from dialogues.api.renderers import JSONRenderer

pytestmark = pytest.mark.django_db


def _drf(data, media_type="application/json"):
    return renderers.JSONRenderer().render(data, media_type, {})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/quotes/",
        "/api/v1/claims/",
        "/api/v1/speakers/",
        "/api/v1/coverage/",
        "/api/v1/events/",
        "/api/v1/quotes/?kind=shouted",
        "/api/v1/claims/coreweave-market-value-tripled/",
        "/api/v1/claims/no-such-claim/",
    ],
)
def test_every_kind_of_response_reads_as_drf_wrote_it(api_client, article, path, monkeypatch):
    written = []
    render = JSONRenderer.render

    def render_and_compare(self, data, accepted_media_type=None, renderer_context=None):
        rendered = render(self, data, accepted_media_type, renderer_context)
        written.append((rendered, _drf(data, accepted_media_type)))
        return rendered

    monkeypatch.setattr(JSONRenderer, "render", render_and_compare)
    response = api_client.get(path)
    assert response["Content-Type"] == "application/json"
    [(ours, drf)] = written
    assert ours == drf == response.content
    assert len(ours) > 20


def test_values_orjson_does_not_write_itself_are_written_as_drf_writes_them():
    data = {
        "at": datetime.datetime(2025, 7, 16, 9, 30, 1, 123456, tzinfo=datetime.UTC),
        "on": datetime.date(2025, 7, 16),
        "time": datetime.time(9, 30),
        "amount": decimal.Decimal("4.5"),
        "label": gettext_lazy("Not found."),
        "id": uuid.UUID(int=7),
        "lines": "one\u2028two\u2029three",
        2025: "a number as a key",
        "pair": (1, 2),
    }
    rendered = JSONRenderer().render(data, "application/json")
    assert rendered == _drf(data)
    assert b'"2025-07-16T09:30:01.123456Z"' in rendered
    assert b"one\\u2028two\\u2029three" in rendered


def test_indented_json_and_what_orjson_refuses_are_drfs_own_work():
    data = {"big": 2**70, "nested": {"list": [1, 2]}}
    assert JSONRenderer().render(data, "application/json") == _drf(data)
    indented = JSONRenderer().render(data, "application/json; indent=2")
    assert indented == _drf(data, "application/json; indent=2")
    assert b'\n  "nested": {\n' in indented
