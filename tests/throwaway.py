"""Throwaway databases and app servers for tests that need real processes.

Each database is created for one test and dropped after it, on the same kind of server the
suite runs on (PostgreSQL when DATABASE_URL says so, a temporary SQLite file otherwise), so
these tests run on both, apart from pytest-django's own test database."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def throwaway_database():
    """Yields a DATABASE_URL for a new, empty database."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"dd_throwaway_{uuid.uuid4().hex[:12]}"
        server = {
            "host": database.get("HOST") or "127.0.0.1",
            "port": database.get("PORT") or 5432,
            "user": database.get("USER") or "postgres",
            "password": database.get("PASSWORD") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            password = f":{server['password']}" if server["password"] else ""
            yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/throwaway.sqlite3"


def manage(database_url, *args, settings_module="config.settings.dev", **env):
    """Run ``manage.py`` against ``database_url``; returns stdout, fails the test on an error."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_static_collected = []


@contextlib.contextmanager
def app_server(database_url, *, clean_log=True, **env):
    """gunicorn on a free port with production settings; yields its base URL.

    With ``clean_log``, any traceback in the server's log fails the test."""
    if not _static_collected:  # production settings serve the collected, hashed files
        manage("sqlite://:memory:", "collectstatic", "--noinput", "-v0")
        _static_collected.append(True)
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "throwaway-" + "k" * 50,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(Path(log.name).read_text()) from None
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer:\n" + Path(log.name).read_text())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        server_log = Path(log.name).read_text()
        os.unlink(log.name)
        if clean_log:
            assert "Traceback" not in server_log, server_log
