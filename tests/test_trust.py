"""Trust: security headers and settings, login throttling, faults (database and cache down),
oversized and hostile input."""

import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from dialogues.anchors import AnchorError, locate, selector_for
from dialogues.validators import validate_no_control_characters
from tests.conftest import ARTICLE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COVERAGE_URL = f"/coverage/{ARTICLE}/"


# --- Security headers -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", COVERAGE_URL, "/api/v1/quotes/", "/admin/login/", "/healthz"])
def test_every_response_carries_the_security_headers(client, article, url):
    response = client.get(url)
    policy = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    # Only the admin's own markup needs inline style attributes; no page runs inline script.
    assert policy["style-src"] == ("'self' 'unsafe-inline'" if url.startswith("/admin/") else "'self'")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_our_pages_need_no_inline_script_or_style(client, article):
    """What the policy forbids must not be on our pages (JSON-LD is data, not script)."""
    import re

    for url in ["/", COVERAGE_URL, "/speakers/huang-renxun/", "/claims/", "/search/?q=open", "/api/v1/docs/"]:
        page = client.get(url).content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), (url, scripts)
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", page), url


def _deploy_check_env(**extra):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is theirs alone, not a production setting.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "a-production-length-secret-key-with-enough-different-characters-0123456789",
        "DJANGO_ALLOWED_HOSTS": "dialogues.example.org",
        "DATABASE_URL": "sqlite://:memory:",
        **extra,
    }


def test_production_settings_pass_the_deploy_check_at_warning_level():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_deploy_check_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _deploy_check_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG, s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_deploy_check_env(),
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "False", "True"], result.stderr


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (None, "2 -c statement_timeout=5s -c plan_cache_mode=force_generic_plan -c random_page_cost=1.1"),
        ("", "None -c statement_timeout=5s"),
    ],
)
def test_postgresql_plans_each_query_once_unless_a_pooler_stands_between(threshold, expected):
    """dialogues.perf.postgres: prepared and planned once per connection. DATABASE_PREPARE_THRESHOLD=
    (empty) turns both off for a pooler in transaction mode; options in the URL are kept."""
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
        "print(o['prepare_threshold'], o['options'])"
    )
    env = _deploy_check_env(
        DATABASE_URL="postgres://app@db.example.org/site?options=-c%20statement_timeout%3D5s"
    )
    env.pop("DATABASE_PREPARE_THRESHOLD", None)
    if threshold is not None:
        env["DATABASE_PREPARE_THRESHOLD"] = threshold
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_a_sqlite_database_file_is_read_through_a_memory_map(tmp_path):
    """Every connection maps the file (``init_command``): without it, each request re-read from
    the OS the pages its queries passed, since SQLite's own cache is 2 MB per connection."""
    code = (
        "from django.db import connection; "
        "print(connection.cursor().execute('PRAGMA mmap_size').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_deploy_check_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}"),
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [str(256 * 1024 * 1024)], result.stderr


# --- Admin login throttling -------------------------------------------------------------------


def _login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def test_admin_login_locks_out_after_repeated_failures_even_with_the_right_password(client, superuser):
    limit = settings.LOGIN_FAILURE_LIMIT
    for n in range(limit):
        response = _login(client, "root", f"wrong-{n}")
        assert response.status_code == 200 and "Too many failed logins" not in response.content.decode()
    locked = _login(client, "root", "pw-root")
    assert locked.status_code == 200
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_lockout_is_per_address_as_well_as_per_account(superuser, editor, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(attacker, f"guess-{n}", "password")
    # A different account from the same address is refused too ...
    assert "Too many failed logins" in _login(attacker, "editor", "pw-editor").content.decode()
    # ... while the same account from another address still gets in.
    colleague = Client(REMOTE_ADDR="198.51.100.7")
    assert _login(colleague, "editor", "pw-editor").status_code == 302


def test_one_accounts_failures_do_not_lock_out_others_behind_the_same_address(superuser, editor):
    """Behind a load balancer every client may share one address: a few failures on one
    account leave everyone else's logins alone."""
    shared = Client(REMOTE_ADDR="10.0.0.1")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        _login(shared, "root", f"wrong-{n}")
    assert "Too many failed logins" in _login(shared, "root", "pw-root").content.decode()
    assert _login(Client(REMOTE_ADDR="10.0.0.1"), "editor", "pw-editor").status_code == 302


def test_a_unicode_spelling_of_the_user_name_counts_against_the_same_account(superuser):
    """The form reads "ｒｏｏｔ" (full-width) as "root" (NFKC): its failures are root's."""
    client = Client()
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        spelling = "ｒｏｏｔ" if n % 2 else "ROOT"
        _login(client, spelling, f"wrong-{n}")
    assert (
        "Too many failed logins"
        in _login(Client(REMOTE_ADDR="198.51.100.8"), "root", "pw-root").content.decode()
    )


def test_a_forged_forwarded_for_does_not_change_the_login_address(superuser, editor, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        Client(REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/admin/login/", {"username": f"guess-{n}", "password": "x"}
        )
    locked = _login(
        Client(REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR="192.0.2.99"), "editor", "pw-editor"
    )
    assert "Too many failed logins" in locked.content.decode()


def test_a_successful_login_before_the_limit_works(client, superuser):
    for n in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "root", f"wrong-{n}")
    assert _login(client, "root", "pw-root").status_code == 302


# --- Faults -----------------------------------------------------------------------------------


def _database_down():
    connection.close()
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    )


@pytest.mark.django_db(transaction=True)
def test_database_down_gives_503_pages_and_api_errors_then_recovers_by_itself(article):
    client = Client(raise_request_exception=False)
    with _database_down():
        page = client.get(COVERAGE_URL)
        api = client.get("/api/v1/quotes/")
        health = client.get("/healthz")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    body = page.content.decode()
    assert "Briefly unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body and "Connection refused" not in body
    assert api.status_code == 503
    assert api.json() == {
        "message": "The service is briefly unavailable; try again shortly.",
        "status": 503,
        "errors": {},
    }
    assert health.status_code == 503 and health.json()["database"] == "down"
    # The database is back: the next requests just work, no restart.
    assert client.get(COVERAGE_URL).status_code == 200
    assert client.get("/api/v1/quotes/").status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "cache_backend": "LocMemCache",
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_redis_outage_as_degraded_not_down(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["cache"] == "down"


# --- Oversized and hostile input --------------------------------------------------------------


def test_oversized_api_body_is_a_json_413(api_client, editor, article):
    api_client.force_authenticate(editor)
    body = json.dumps({"slug": "huge", "text": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = api_client.post("/api/v1/quotes/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["status"] == 413 and "limit" in response.json()["message"]


def test_oversized_admin_post_is_a_413_that_says_what_to_do_not_a_500(client, editor):
    client.force_login(editor)
    client.raise_request_exception = False
    response = client.post(
        "/admin/dialogues/topic/add/", {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    assert response.status_code == 413
    assert "over 1 MB" in response.content.decode() and "Nothing was saved" in response.content.decode()


def test_malformed_api_json_names_the_problem(api_client, editor):
    api_client.force_authenticate(editor)
    response = api_client.post("/api/v1/topics/", '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["message"]


@pytest.mark.parametrize("slug", ["../etc/passwd", "<script>", "x" * 500, "a.b", "é"])
def test_hostile_slugs_in_urls_are_404s(client, article, slug):
    assert client.get(f"/coverage/{slug}/").status_code == 404
    assert client.get(f"/api/v1/quotes/{slug}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/coverage/%00/",
        "/api/v1/quotes/%00/",
        "/api/v1/quotes/?speaker=%00",
        "/search/?q=a%00b",
        "/quotes/?topic=%00",
    ],
)
def test_nul_bytes_in_paths_and_queries_are_400s_not_database_errors(client, article, url):
    # PostgreSQL refuses NUL in text parameters: found by this test's first run there, as a 500.
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["status"] == 400


CONTROL = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\x7f"]


@given(st.text(), st.sampled_from(CONTROL), st.text())
def test_any_text_with_a_control_character_is_rejected(before, control, after):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_no_control_characters(before + control + after)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_text_without_control_characters_is_accepted(text):
    validate_no_control_characters(text)
    validate_no_control_characters(text + "\n\t\r" + text)


@given(st.data())
def test_an_anchor_for_any_passage_finds_that_passage_or_says_why_not(data):
    from dialogues.anchors import AnchorAmbiguous, TextQuoteSelector

    # A small alphabet makes repeated passages, the hard case, common.
    text = data.draw(st.text(alphabet="ab c\n", min_size=1, max_size=200))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    exact = text[start:end]
    occurrences = sum(text.startswith(exact, i) for i in range(len(text)))  # overlapping too
    if occurrences == 1:
        selector = selector_for(text, exact)
        assert locate(text, selector) == (start, end)
    else:
        with pytest.raises(AnchorAmbiguous):
            selector_for(text, exact)
    # With enough context on either side, any occurrence can be named.
    full_context = TextQuoteSelector(exact=exact, prefix=text[:start], suffix=text[end:])
    assert locate(text, full_context) == (start, end)


@given(st.text(min_size=1, max_size=50), st.text(max_size=200))
def test_an_anchor_that_is_not_in_the_text_is_an_error_never_a_wrong_passage(exact, text):
    from dialogues.anchors import TextQuoteSelector

    if exact in text:
        span = locate(text, TextQuoteSelector(exact=exact))
        assert text[span[0] : span[1]] == exact
    else:
        with pytest.raises(AnchorError):
            locate(text, TextQuoteSelector(exact=exact))


@pytest.mark.parametrize("url", ["/", COVERAGE_URL, "/api/v1/docs/", "/api/v1/redoc/", "/admin/login/"])
def test_pages_load_every_asset_from_us(client, article, url):
    import re

    page = client.get(url).content.decode()
    assets = re.findall(r'<(?:script|img)[^>]*\bsrc="([^"]+)"', page)
    assets += re.findall(
        r'<link[^>]*\brel="(?:stylesheet|icon|preconnect|preload)"[^>]*\bhref="([^"]+)"', page
    )
    assert assets, url
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets), (url, assets)


def test_only_redoc_gets_a_looser_policy_and_only_for_styles(client):
    policy = client.get("/api/v1/redoc/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


# --- Markdown commentary and feeds under hostile text -----------------------------------------

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<details open ontoggle=alert(1)>",
]


def _assert_inert(html):
    """No element or attribute that could run anything; hostile words left as text are harmless."""
    from html.parser import HTMLParser

    problems = []

    class Inspector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "svg", "style", "object", "embed", "form"):
                problems.append(tag)
            for name, value in attrs:
                scheme = (value or "").strip().lower().replace("\t", "").replace("\n", "")
                if name.startswith("on") or name == "style":
                    problems.append(f"{tag}[{name}]")
                if name in ("href", "src") and scheme.startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{tag}[{name}={value}]")

    Inspector().feed(html)
    assert problems == [], html


@pytest.mark.parametrize("body", HOSTILE_MARKDOWN)
def test_commentary_markdown_is_sanitized(body):
    from dialogues.rendering import render_markdown

    _assert_inert(render_markdown(body))


def test_commentary_markdown_is_converted_once_per_text(client, editor, article):
    from dialogues.models import Commentary
    from dialogues.rendering import render_markdown

    render_markdown.cache_clear()
    client.force_login(editor)  # past the page cache: the page is rendered each time
    client.get(COVERAGE_URL)
    converted = render_markdown.cache_info().misses
    client.get(COVERAGE_URL)
    assert converted > 0 and render_markdown.cache_info().misses == converted
    # An edited body is another text: the next page shows it.
    commentary = Commentary.objects.filter(coverage=article).first()
    commentary.body = "An **edited** analysis."
    commentary.save()
    assert "An <strong>edited</strong> analysis." in client.get(COVERAGE_URL).content.decode()


@given(
    st.lists(
        st.sampled_from(HOSTILE_MARKDOWN + ["**bold**", "plain", "<b>", '"', "`code`", "\n\n"]), max_size=8
    )
)
def test_any_mix_of_markdown_and_html_renders_inert(parts):
    from dialogues.rendering import render_markdown

    _assert_inert(render_markdown(" ".join(parts)))


def test_hostile_commentary_is_inert_on_the_page_and_in_the_api(client, article):
    from dialogues.models import Commentary

    Commentary.objects.filter(coverage=article).update(body="\n\n".join(HOSTILE_MARKDOWN))
    page = client.get(COVERAGE_URL).content.decode()
    body = page[page.index("<main") :]
    body = body.split('<script type="application/ld+json">')[0]
    _assert_inert(body)
    for item in client.get("/api/v1/commentary/").json()["results"]:
        _assert_inert(item["body_html"])


def test_feeds_stay_valid_xml_with_any_printable_text(client, article):
    from xml.etree import ElementTree

    from dialogues.models import Quote

    Quote.objects.filter(slug="huang-ai-digital-partner").update(
        text="<b>&amp; ]]> \u201c\u4e2d\u6587\u201d \U0001f600 </script>"
    )
    for url in ("/feeds/coverage.rss", "/feeds/coverage.atom", "/feeds/speakers/huang-renxun.rss"):
        ElementTree.fromstring(client.get(url).content)
