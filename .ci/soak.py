"""A bounded soak: mixed anonymous reads and Editor writes against gunicorn on PostgreSQL.

    .venv/bin/python .ci/soak.py            # SOAK_SECONDS (default 300) of load, then checks

Passes when no request failed (no 5xx, no connection error, no traceback in the server log)
and every write the API acknowledged is in the database afterwards, exactly as acknowledged.
Loopback only; a throwaway database, dropped at the end."""

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("SOAK_PORT", "8766"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "300"))
DATABASE = f"dialogue_desk_soak_{uuid.uuid4().hex[:8]}"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
BASE = f"http://127.0.0.1:{PORT}"
ARTICLE = "huang-renxun-wang-jian-three-overlooked-insights"
READS = [
    "/",
    f"/coverage/{ARTICLE}/",
    "/speakers/huang-renxun/",
    "/topics/open-source/",
    "/quotes/",
    "/claims/?status=supported",
    "/search/?q=open+source",
    "/feeds/coverage.rss",
    "/sitemap.xml",
    "/api/v1/quotes/?speaker=huang-renxun",
    "/api/v1/claims/?status=supported",
]
ANCHOR = {"exact": "Open source is just a means; the essence is to seize control over downstream scenarios."}

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": "soak-only-" + "s" * 50,
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": "redis://127.0.0.1:6379/12",
    "DIALOGUE_DESK_CACHE_PREFIX": DATABASE,
    "DIALOGUE_DESK_ANON_THROTTLE": "100000000/minute",
}


def manage(*args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def call(method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        BASE + path,
        method=method,
        headers=headers,
        data=json.dumps(body).encode() if body is not None else None,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            content = response.read()
            return response.status, content
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Soak:
    def __init__(self, tokens):
        self.tokens = tokens
        self.deadline = time.monotonic() + SECONDS
        self.statuses = Counter()
        self.failures = []
        self.created = {}  # slug → text the API acknowledged
        self.edited = {}  # slug → text of the last acknowledged edit
        self.lock = threading.Lock()

    def record(self, what, status):
        with self.lock:
            self.statuses[status] += 1
            if status >= 500 or status == 0:
                self.failures.append(f"{what}: {status}")

    def reader(self, seed):
        rng = random.Random(seed)
        while time.monotonic() < self.deadline:
            path = rng.choice(READS)
            try:
                status, _ = call("GET", path)
            except OSError as error:
                status = 0
                self.failures.append(f"GET {path}: {error}")
            self.record(f"GET {path}", status)

    def writer(self, number):
        token = self.tokens[number]
        n = 0
        while time.monotonic() < self.deadline:
            n += 1
            slug = f"soak-{number}-{n}"
            text = f"Soak quote {number}.{n}: open source matters."
            status, body = call(
                "POST",
                "/api/v1/quotes/",
                token,
                {
                    "slug": slug,
                    "text": text,
                    "kind": "paraphrase",
                    "speakers": ["huang-renxun"],
                    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
                    "coverage": ARTICLE,
                    "anchor": ANCHOR,
                    "correction_note": "Added during the soak.",
                },
            )
            self.record("POST quote", status)
            if status == 201:
                self.created[slug] = text
            elif status != 400:
                self.failures.append(f"POST {slug}: {status} {body[:200]!r}")
            # Each writer edits only its own quotes: a 409 here would be a real lost update.
            if status == 201 and n % 3 == 0:
                edited = text + " (edited)"
                version = json.loads(body)["version"]
                status, body = call(
                    "PATCH",
                    f"/api/v1/quotes/{slug}/",
                    token,
                    {"text": edited, "version": version, "correction_note": "Edited during the soak."},
                )
                self.record("PATCH quote", status)
                if status == 200:
                    self.edited[slug] = edited
                else:
                    self.failures.append(f"PATCH {slug}: {status} {body[:200]!r}")


def main():
    psql(f"CREATE DATABASE {DATABASE}")
    log = tempfile.NamedTemporaryFile(prefix="soak-", suffix=".log", delete=False)  # noqa: SIM115
    server = None
    try:
        manage("migrate", "--noinput", "-v0")
        manage("loaddata", "chain_expo_2025", "-v0")
        manage("collectstatic", "--noinput", "-v0")
        tokens = []
        for number in range(2):
            manage("ensure_editor", "--username", f"soak-editor-{number}")
            tokens.append(manage("drf_create_token", f"soak-editor-{number}").split()[2])
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "3"],
            cwd=ROOT,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        soak = Soak(tokens)
        threads = [threading.Thread(target=soak.reader, args=(seed,)) for seed in range(4)]
        threads += [threading.Thread(target=soak.writer, args=(number,)) for number in range(2)]
        print(f"Soaking for {SECONDS} s: 4 readers, 2 editors writing …", flush=True)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        # Every acknowledged write, as acknowledged, read back from the database itself.
        stored = json.loads(
            manage(
                "shell",
                "--no-imports",
                "-c",
                "import json; from dialogues.models import Quote; "
                "print(json.dumps(dict(Quote.objects.filter(slug__startswith='soak-').values_list('slug', 'text'))))",
            )
        )
        expected = {**soak.created, **soak.edited}
        missing = sorted(set(expected) - set(stored))
        wrong = sorted(slug for slug in expected if slug in stored and stored[slug] != expected[slug])
        log.close()
        tracebacks = Path(log.name).read_text().count("Traceback")
        print(f"Requests by status: {dict(sorted(soak.statuses.items()))}")
        print(
            f"Writes acknowledged: {len(soak.created)} created, {len(soak.edited)} edited; in the database: {len(stored)}"
        )
        problems = (
            soak.failures[:20]
            + [f"missing: {s}" for s in missing[:20]]
            + [f"not as acknowledged: {s}" for s in wrong[:20]]
        )
        if tracebacks:
            problems.append(
                f"{tracebacks} tracebacks in the server log:\n{Path(log.name).read_text()[-3000:]}"
            )
        if not soak.created:
            problems.append("no write was acknowledged")
        if problems:
            print("SOAK FAILED:\n  " + "\n  ".join(problems))
            return 1
        print("Soak passed: zero errors, every acknowledged write present.")
        return 0
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        os.unlink(log.name)
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
