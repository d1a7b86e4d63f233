"""Real app servers: gunicorn processes with production settings on a throwaway database.

Two instances share the database and Redis, as app servers behind a load balancer do."""

import contextlib
import json
import socket
import threading
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings

from tests.throwaway import app_server, manage, throwaway_database

ARTICLE_URL = "/coverage/huang-renxun-wang-jian-three-overlooked-insights/"
QUOTE = "huang-ai-digital-partner"

pytestmark = pytest.mark.django_db


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _patch(url, token, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PATCH",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


@pytest.fixture
def loaded_database():
    with throwaway_database() as url:
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "chain_expo_2025", "-v0")
        manage(url, "ensure_editor", "--username", "live-editor")
        token = manage(url, "drf_create_token", "live-editor").split()[2]
        yield url, token


def test_an_edit_through_one_instance_shows_on_the_next_request_to_the_other(loaded_database):
    url, token = loaded_database
    shared = {"REDIS_URL": "redis://127.0.0.1:6379/13", "DIALOGUE_DESK_CACHE_PREFIX": uuid.uuid4().hex}
    with app_server(url, **shared) as first, app_server(url, **shared) as second:
        for base in (first, second):  # both warm: the page is in the shared cache
            status, headers, page = _get(base + ARTICLE_URL)
            assert status == 200 and "digital partner" in page
        status, headers, _ = _get(second + ARTICLE_URL)
        etag = headers["ETag"]
        assert _get(second + ARTICLE_URL, **{"If-None-Match": etag})[0] == 304

        status, quote = _patch(
            f"{first}/api/v1/quotes/{QUOTE}/",
            token,
            {
                "text": "AI will become your trusted digital colleague.",
                "correction_note": "Wording.",
                "version": json.loads(_get(f"{first}/api/v1/quotes/{QUOTE}/")[2])["version"],
            },
        )
        assert status == 200

        status, headers, page = _get(second + ARTICLE_URL)
        assert "AI will become your trusted digital colleague." in page
        assert headers["ETag"] != etag
        assert _get(second + ARTICLE_URL, **{"If-None-Match": etag})[0] == 200
        api = json.loads(_get(f"{second}/api/v1/quotes/{QUOTE}/")[2])
        assert api["text"] == "AI will become your trusted digital colleague."
        health = json.loads(_get(second + "/healthz")[2])
        assert health == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "cache_backend": "ResilientRedisCache",
        }


def test_redis_down_the_site_still_serves_uncached(loaded_database):
    url, _ = loaded_database
    with app_server(url, REDIS_URL="redis://127.0.0.1:9/0", clean_log=True) as base:
        for _ in range(3):
            status, _, page = _get(base + ARTICLE_URL)
            assert status == 200 and "digital partner" in page
        assert _get(base + "/api/v1/quotes/")[0] == 200
        health = json.loads(_get(base + "/healthz")[2])
        assert health["status"] == "degraded" and health["cache"] == "down"


class Proxy:
    """A TCP relay in front of PostgreSQL that can be cut and restored: the database "goes down"."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.up = False
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.connections = []

    def restore(self):
        self.up = True


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs a database server to cut off: runs in the PostgreSQL pass of .ci/run",
)
def test_database_down_answers_503_and_recovers_without_a_restart(loaded_database):
    url, _ = loaded_database
    port = int(settings.DATABASES["default"].get("PORT") or 5432)
    proxy = Proxy(port)
    proxied = url.replace(f":{port}/", f":{proxy.port}/")
    with app_server(proxied, clean_log=False, DIALOGUE_DESK_PAGE_CACHE="false") as base:
        assert _get(base + ARTICLE_URL)[0] == 200
        proxy.cut()
        for path in (ARTICLE_URL, "/api/v1/quotes/", "/healthz"):
            status, headers, body = _get(base + path)
            assert status == 503, (path, status)
            assert "Traceback" not in body and "psycopg" not in body
        assert json.loads(_get(base + "/api/v1/quotes/")[2])["status"] == 503
        proxy.restore()
        statuses = [_get(base + ARTICLE_URL)[0] for _ in range(4)]
        assert statuses == [200] * 4
        assert json.loads(_get(base + "/healthz")[2])["database"] == "ok"
