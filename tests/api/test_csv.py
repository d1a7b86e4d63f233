"""The CSV export of quotes and claims, as a spreadsheet opens it."""

import csv
import io
import json

import pytest

from dialogues.models import Claim, Quote

pytestmark = pytest.mark.django_db


def _rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8 only with its byte order mark
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_an_export_is_a_named_utf8_file_excel_opens(api_client, article):
    response = api_client.get("/api/v1/quotes/", {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="quotes.csv"'
    assert api_client.get("/api/v1/claims/", {"format": "csv"})["Content-Disposition"] == (
        'attachment; filename="claims.csv"'
    )
    # Served again from the anonymous cache, it is the same file.
    again = api_client.get("/api/v1/quotes/", {"format": "csv"})
    assert again.content == response.content
    assert again["Content-Disposition"] == response["Content-Disposition"]


def test_nested_columns_are_json_and_empty_values_empty(api_client, article):
    claims = _rows(api_client.get("/api/v1/claims/", {"format": "csv"}))
    coreweave = next(row for row in claims if row["slug"] == "coreweave-market-value-tripled")
    figures = json.loads(coreweave["figures"])
    assert {figure["unit"] for figure in figures} == {"USD", "×"}
    assert json.loads(coreweave["topics"]) == ["ai-infrastructure"]
    assert coreweave["checked_on"] == ""
    assert not [value for row in claims for value in row.values() if "{'" in value]  # no Python reprs
    quotes = _rows(api_client.get("/api/v1/quotes/", {"format": "csv", "speaker": "Jensen Huang"}))
    assert json.loads(quotes[0]["speaker_names"])[0]["name"] == "Huang Renxun"


def test_the_url_column_opens_the_item(api_client, article):
    rows = _rows(api_client.get("/api/v1/quotes/", {"format": "csv"}))
    assert rows[0]["url"] == f"http://testserver/api/v1/quotes/{rows[0]['slug']}/"
    item = api_client.get(rows[0]["url"])
    assert item.status_code == 200 and item.json()["slug"] == rows[0]["slug"]


def test_formula_cells_are_escaped(api_client, editor, article):
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    claim = Claim.objects.get(slug="coreweave-market-value-tripled")
    Quote.objects.filter(pk=quote.pk).update(text='=HYPERLINK("http://evil.example")', version=9)
    Claim.objects.filter(pk=claim.pk).update(check_note="@SUM(A1)", statement="+1", version=9)
    Claim.objects.filter(pk=claim.pk).update(attribution="-2+3")
    api_client.force_authenticate(editor)  # past the anonymous cache of the unedited answer
    quotes = {row["slug"]: row for row in _rows(api_client.get("/api/v1/quotes/", {"format": "csv"}))}
    assert quotes["huang-ai-digital-partner"]["text"] == '\'=HYPERLINK("http://evil.example")'
    claims = {row["slug"]: row for row in _rows(api_client.get("/api/v1/claims/", {"format": "csv"}))}
    row = claims["coreweave-market-value-tripled"]
    assert (row["check_note"], row["statement"], row["attribution"]) == ("'@SUM(A1)", "'+1", "'-2+3")


def test_an_export_holds_every_match_whatever_the_page_size(api_client, article):
    rows = _rows(api_client.get("/api/v1/claims/", {"format": "csv", "page_size": 2, "page": 3}))
    assert len(rows) == Claim.objects.published().count() > 50
