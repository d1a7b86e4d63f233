"""Dialogue Desk benchmark: each endpoint's throughput as a ratio of an outside floor.

    .venv/bin/python bench/run.py                       # SQLite and PostgreSQL, scales 1 and 10
    .venv/bin/python bench/run.py --db sqlite --scale 1 --seconds 2 --rounds 2   # a quick look

The floor is ``bench/floor/floorapp.py``, a one-file Django project that is not ours, under the
same gunicorn beside our server. For each database and scale: a fresh database (migrate, the
article, ``grow_archive``), then our gunicorn (2 workers, production settings, DEBUG off) in
each mode, loaded by wrk from this machine. Rounds go floor, endpoint, floor, endpoint...;
medians are kept, so a machine that is busier or slower moves both alike and the ratio stays.
Results go to bench/results/latest.{md,json}; older runs live in git history.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / "work"
PORT = 8799
FLOOR_PORT = 8798
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
ARTICLE = "huang-renxun-wang-jian-three-overlooked-insights"
# An anonymous reader with a session cookie: the page cache lets it through to the view
# (dialogues.caching._cacheable_request). Too short to be a session key, so no session query.
SESSION_COOKIE = "Cookie: sessionid=bench"

PAGES = {
    "home": "/",
    "coverage page": f"/coverage/{ARTICLE}/",
    "speaker page": "/speakers/grown-speaker-7/",
    "topic page": "/topics/grown-topic-3/",
    "search": "/search/?q=CoreWeave",
}
API = {
    # A headliner's (grow_archive quotes each dialogue's first speaker most): a full page of 50.
    "API quotes by speaker": "/api/v1/quotes/?speaker=grown-speaker-6",
    "API claims by status": "/api/v1/claims/?status=supported",
}
API_PAGE_SIZE = 50

# Mode: (what it measures, the lowest ratio of the floor it may reach).
TARGETS = {
    "uncached": ("pages rendered, page cache bypassed by a session cookie", 0.05),
    "cached": ("pages served from the page cache", 0.5),
    "api": (f"API lists of {API_PAGE_SIZE}, uncached", 0.08),
    "caches off": ("pages rendered, fragment and object caches off too", 0.03),
}
SCALE_BAND = (0.8, 1.2)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run(*args, env, **kwargs):
    subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_database(db, scale, env):
    if db == "sqlite":
        path = WORK / f"bench-{scale}.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        name = f"dd_bench_{scale}"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, env=env)
        url = PG_URL.format(name=name)
    env = {**env, "DATABASE_URL": url}
    started = time.monotonic()
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(PYTHON, "manage.py", "loaddata", "chain_expo_2025", "-v0", env=env)
    run(PYTHON, "manage.py", "grow_archive", "--scale", str(scale), env=env, stdout=subprocess.DEVNULL)
    if db == "postgresql":
        name = url.rsplit("/", 1)[1]
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "VACUUM ANALYZE", env=env)
    log(f"  {db} scale {scale}: database ready in {time.monotonic() - started:.0f} s")
    return url


class Server:
    """gunicorn with 2 sync workers; knows its workers' pids for CPU and memory readings."""

    def __init__(self, app, port, env, *, chdir=ROOT, ready="/healthz"):
        self.port = port
        self.process = subprocess.Popen(
            [
                GUNICORN,
                app,
                "--chdir",
                str(chdir),
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url(ready), timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn {app} did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cpu_seconds(self):
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / ticks

    def rss_kib(self):
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
        return sizes

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def floor_server(env):
    env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
    return Server("floorapp:application", FLOOR_PORT, env, chdir=ROOT / "bench" / "floor", ready="/")


def wrk(server, path, seconds, headers=()):
    before = server.cpu_seconds()
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c4",
            f"-d{seconds}s",
            "--latency",
            *(arg for header in headers for arg in ("-H", header)),
            server.url(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = server.cpu_seconds() - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} error responses\n{output}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "cpu_ms_per_request": 1000 * cpu / max(requests, 1),
    }


def _ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def check_full_pages(server):
    """Each API list holds a whole page, as the target for "lists of 50" assumes."""
    for name, path in API.items():
        with urllib.request.urlopen(server.url(path), timeout=10) as response:
            listed = len(json.load(response)["results"])
        if listed != API_PAGE_SIZE:
            raise RuntimeError(f"{name} ({path}) lists {listed} items, not a page of {API_PAGE_SIZE}")


def check_cookie_bypasses_page_cache(server):
    """With the cookie a page is rendered (no ETag: the page cache adds one); without, cached."""
    for path in PAGES.values():
        name, value = SESSION_COOKIE.split(": ", 1)
        with urllib.request.urlopen(
            urllib.request.Request(server.url(path), headers={name: value})
        ) as response:
            if response.headers["ETag"]:
                raise RuntimeError(f"{path} with {SESSION_COOKIE} came from the page cache")
        with urllib.request.urlopen(server.url(path)) as response:
            if not response.headers["ETag"]:
                raise RuntimeError(f"{path} without a cookie did not go through the page cache")


def ratio(endpoint_rps, floor_before_rps, floor_after_rps):
    """Endpoint req/s ÷ the mean of the floor runs on either side of it."""
    return endpoint_rps / ((floor_before_rps + floor_after_rps) / 2)


def measure(server, floor, endpoints, rounds, seconds, headers=()):
    """Interleaved floor/endpoint/floor/... rounds; medians of each, ratios to the nearby floors."""
    samples = {name: [] for name in endpoints}
    for round_number in range(rounds):
        floor_before = wrk(floor, "/", seconds)
        for name, path in endpoints.items():
            result = wrk(server, path, seconds, headers)
            floor_after = wrk(floor, "/", seconds)
            samples[name].append(
                {
                    **result,
                    "floor_rps": (floor_before["rps"] + floor_after["rps"]) / 2,
                    "ratio": ratio(result["rps"], floor_before["rps"], floor_after["rps"]),
                }
            )
            floor_before = floor_after
        log(f"    round {round_number + 1}/{rounds} done")
    return {
        name: {key: statistics.median(sample[key] for sample in runs) for key in runs[0]}
        for name, runs in samples.items()
    }


def memory_run(server, total_requests):
    """RSS of each worker after the first 1,000 requests and after ``total_requests`` in all.

    Nine requests in ten are the benchmark's endpoints (mostly cache hits); every tenth is a
    search no one asked before, so the workers keep rendering and querying throughout."""
    paths = list(PAGES.values()) + list(API.values())
    script = WORK / "mixed.lua"
    script.write_text(
        "paths = {" + ", ".join(json.dumps(p) for p in paths) + "}\n"
        "n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  if n % 10 == 0 then return wrk.format(nil, '/search/?q=open&page=' .. n) end\n"
        "  return wrk.format(nil, paths[(n % #paths) + 1])\n"
        "end\n"
    )

    def load(seconds):
        output = subprocess.run(
            ["wrk", "-t1", "-c4", f"-d{seconds}s", "-s", str(script), server.url("/")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(re.search(r"(\d+) requests in", output).group(1))

    done = 0
    while done < 1000:
        done += load(1)
    early, early_at = server.rss_kib(), done
    while done < total_requests:
        done += load(10)
    late = server.rss_kib()
    return {
        "requests": done,
        "rss_kib_early": early,
        "early_after_requests": early_at,
        "rss_kib_after_all": late,
        "growth": max(b / a - 1 for a, b in zip(early, late, strict=True)),
    }


def database_times(env):
    """``bench/query_times.py`` on this database: each endpoint's queries re-run one at a time."""
    output = subprocess.run(
        [PYTHON, "bench/query_times.py", *PAGES.values(), *API.values()],
        cwd=ROOT,
        env={**env, "DIALOGUE_DESK_PAGE_CACHE": "false"},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    by_path = json.loads(output)
    return {name: by_path[path] for name, path in {**PAGES, **API}.items()}


def our_server(env):
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], check=True, capture_output=True)
    return Server("config.wsgi", PORT, env)


def bench(db, scale, args, base_env, floor):
    url = prepare_database(db, scale, base_env)
    env = {**base_env, "DATABASE_URL": url}
    result = {"database": database_times(env)}
    cookie = (SESSION_COOKIE,)

    server = our_server(env)
    try:
        check_cookie_bypasses_page_cache(server)
        log(f"  {db} scale {scale}: pages rendered (session cookie), then from the page cache")
        result["uncached"] = measure(server, floor, PAGES, args.rounds, args.seconds, cookie)
        result["cached"] = measure(server, floor, PAGES, args.rounds, args.seconds)
        if args.memory_requests and scale == min(args.scale):
            log(f"  {db} scale {scale}: memory over {args.memory_requests} requests")
            result["memory"] = memory_run(server, args.memory_requests)
    finally:
        server.stop()

    # The API caches anonymous reads whatever the cookies; only the switch turns that off.
    server = our_server({**env, "DIALOGUE_DESK_PAGE_CACHE": "false"})
    try:
        check_full_pages(server)
        log(f"  {db} scale {scale}: API lists, uncached")
        result["api"] = measure(server, floor, API, args.rounds, args.seconds)
    finally:
        server.stop()

    server = our_server({**env, "DIALOGUE_DESK_FRAGMENT_CACHE": "0"})
    try:
        log(f"  {db} scale {scale}: pages rendered with fragment and object caches off")
        result["caches off"] = measure(server, floor, PAGES, args.rounds, args.seconds, cookie)
    finally:
        server.stop()
    return result


def scale_change(by_scale, mode, name):
    """The ratio at the largest scale ÷ the ratio at the smallest, or None with one scale.

    Floor ratios, not req/s: the scales run minutes apart, and a machine that slows in between
    must not read as a query that grew with the table."""
    scales = sorted(by_scale, key=int)
    if len(scales) < 2:
        return None
    return by_scale[scales[-1]][mode][name]["ratio"] / by_scale[scales[0]][mode][name]["ratio"]


def target_checks(by_scale):
    """One row per target for one database: ``(target, worst value, where, met)``."""
    rows = []
    for mode, (label, lowest) in TARGETS.items():
        worst = min(
            (measured["ratio"], f"{name}, scale {scale}")
            for scale, modes in by_scale.items()
            for name, measured in modes[mode].items()
        )
        rows.append((f"{label} ≥ {lowest}", worst[0], worst[1], worst[0] >= lowest))
    changes = [
        (change, f"{name}, {mode}")
        for mode in TARGETS
        for name in next(iter(by_scale.values()))[mode]
        if (change := scale_change(by_scale, mode, name)) is not None
    ]
    if changes:
        low, high = min(changes), max(changes)
        worst = max(low, high, key=lambda change: abs(change[0] - 1))
        met = SCALE_BAND[0] <= low[0] and high[0] <= SCALE_BAND[1]
        rows.append((f"largest ÷ smallest scale within {SCALE_BAND[0]}–{SCALE_BAND[1]}", *worst, met))
    return rows


def markdown(report):
    lines = [
        f"# Benchmark {report['date']}",
        "",
        f"Machine: {report['machine']}. gunicorn 2 sync workers, production settings, wrk 1 thread "
        f"4 connections, {report['seconds']} s per run, {report['rounds']} rounds, medians. "
        "Ratio = endpoint req/s ÷ the floor's (bench/floor/floorapp.py) measured beside it; "
        "CPU = our workers' CPU ms per request.",
        "",
    ]
    for db, by_scale in report["results"].items():
        scales = sorted(by_scale, key=int)
        lines += [f"## {db}", "", "| target | worst | where | met? |", "|---|---|---|---|"]
        for target, value, where, met in target_checks(by_scale):
            lines.append(f"| {target} | {value:.3f} | {where} | {'met' if met else 'NOT MET'} |")
        lines += [
            "",
            "| endpoint | mode | " + " | ".join(f"scale {s} ratio | req/s | p50 ms | CPU ms" for s in scales),
        ]
        lines[-1] += " | scale change |" if len(scales) > 1 else " |"
        lines.append("|" + "---|" * (2 + 4 * len(scales) + (len(scales) > 1)))
        for mode in TARGETS:
            for name in by_scale[scales[0]][mode]:
                row = [name, mode]
                for s in scales:
                    m = by_scale[s][mode][name]
                    row += [
                        f"{m['ratio']:.3f}",
                        f"{m['rps']:.0f}",
                        f"{m['p50_ms']:.1f}",
                        f"{m['cpu_ms_per_request']:.2f}",
                    ]
                change = scale_change(by_scale, mode, name)
                if change is not None:
                    row.append(f"{change:.2f}")
                lines.append("| " + " | ".join(row) + " |")
        lines += database_table(by_scale, scales)
        memory = by_scale[scales[0]].get("memory")
        if memory:
            lines += [
                "",
                f"Memory: worker RSS after the first {memory['early_after_requests']:,} requests "
                f"{memory['rss_kib_early']} KiB, after {memory['requests']:,} "
                f"{memory['rss_kib_after_all']} KiB: largest growth {memory['growth']:+.1%}.",
            ]
        lines.append("")
    return "\n".join(lines)


def database_table(by_scale, scales):
    """Each endpoint's database time per request, by scale."""
    lines = [
        "",
        "Database time per request (`bench/query_times.py`: each query of a render re-run on its "
        "own, median of 15, summed; it names the query that grows with the table):",
        "",
        "| endpoint | "
        + " | ".join(f"scale {s} queries | DB ms | slowest ms" for s in scales)
        + (" | DB ms change |" if len(scales) > 1 else " |"),
        "|" + "---|" * (1 + 3 * len(scales) + (len(scales) > 1)),
    ]
    for name in by_scale[scales[0]]["database"]:
        row = [name]
        for s in scales:
            t = by_scale[s]["database"][name]
            row += [str(t["queries"]), f"{t['db_ms']:.2f}", f"{t['slowest_ms']:.2f}"]
        if len(scales) > 1:
            first, last = by_scale[scales[0]]["database"][name], by_scale[scales[-1]]["database"][name]
            row.append(f"{last['db_ms'] / first['db_ms']:.1f}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--scale", nargs="+", type=int, default=[1, 10])
    parser.add_argument("--seconds", type=int, default=3, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-requests", type=int, default=100_000, help="0 skips the memory run")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the tables go")
    args = parser.parse_args()
    for tool in ("wrk", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install wrk redis-tools")
    WORK.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Per second: the throttle keeps every request time of its window, and wrk is one client.
        "DIALOGUE_DESK_ANON_THROTTLE": "1000000/second",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
    }
    run(
        PYTHON,
        "manage.py",
        "collectstatic",
        "--noinput",
        "-v0",
        env={**base_env, "DATABASE_URL": "sqlite://:memory:"},
    )
    report = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, {os.uname().machine}",
        "seconds": args.seconds,
        "rounds": args.rounds,
        "results": {},
    }
    floor = floor_server(base_env)
    try:
        for db in args.db:
            for scale in args.scale:
                log(f"{db}, scale {scale}")
                report["results"].setdefault(db, {})[str(scale)] = bench(db, scale, args, base_env, floor)
    finally:
        floor.stop()
    (args.results / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.results / "latest.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
