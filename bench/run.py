"""Dialogue Desk benchmark: each endpoint's throughput as a ratio of the stack's own floor.

    .venv/bin/python bench/run.py                       # SQLite and PostgreSQL, scales 1 and 10
    .venv/bin/python bench/run.py --db sqlite --scale 1 --seconds 2 --rounds 2   # a quick look

For each database and scale: a fresh database (migrate, the article, ``grow_archive``), then
gunicorn (2 workers, production settings, DEBUG off) loaded by wrk from this machine. Every
endpoint run sits between two runs of the floor (a fixed 20 KB response, no database, no
template) in the same round; rounds repeat and medians are kept, so a machine that is busier
or slower moves both alike and the ratio stays. Results go to bench/results/.
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
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
ARTICLE = "huang-renxun-wang-jian-three-overlooked-insights"

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
FLOOR = "/__bench__/floor/"
# Issue #6's own reference point, measured beside the floor: "a plain Django page rendering 50
# rows from one query", which it puts at about 0.06. First renders only: nothing caches it.
REFERENCE = {"plain Django page, 50 rows": "/__bench__/plain/"}


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
        name = f"dialogue_desk_bench_{scale}"
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}", env=env)
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}", env=env)
        url = PG_URL.format(name=name)
    env = {**env, "DATABASE_URL": url}
    started = time.monotonic()
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(PYTHON, "manage.py", "loaddata", "chain_expo_2025", "-v0", env=env)
    run(PYTHON, "manage.py", "grow_archive", "--scale", str(scale), env=env, stdout=subprocess.DEVNULL)
    if db == "postgresql":
        run(
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            url.rsplit("/", 1)[1],
            "-qc",
            "VACUUM ANALYZE",
            env=env,
        )
    log(f"  {db} scale {scale}: database ready in {time.monotonic() - started:.0f} s")
    return url


class Server:
    """gunicorn with 2 sync workers; knows its workers' pids for CPU and memory readings."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{FLOOR}", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")

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


def wrk(server, path, seconds, connections=4):
    before = server.cpu_seconds()
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{PORT}{path}"],
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


def check_full_pages(server):
    """Each API list holds a whole page, as the targets for "lists of 50" assume."""
    for name, path in API.items():
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10) as response:
            listed = len(json.load(response)["results"])
        if listed != API_PAGE_SIZE:
            raise RuntimeError(f"{name} ({path}) lists {listed} items, not a page of {API_PAGE_SIZE}")


def _ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(server, endpoints, rounds, seconds):
    """Interleaved floor/endpoint/floor/... rounds; medians of each, ratios to the nearby floors."""
    samples = {name: [] for name in endpoints}
    for round_number in range(rounds):
        floor_before = wrk(server, FLOOR, seconds)
        for name, path in endpoints.items():
            result = wrk(server, path, seconds)
            floor_after = wrk(server, FLOOR, seconds)
            floor_rps = (floor_before["rps"] + floor_after["rps"]) / 2
            samples[name].append({**result, "floor_rps": floor_rps, "ratio": result["rps"] / floor_rps})
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
            ["wrk", "-t1", "-c4", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{PORT}/"],
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


def bench(db, scale, args, base_env):
    url = prepare_database(db, scale, base_env)
    env = {**base_env, "DATABASE_URL": url}
    result = {"database": database_times(env)}
    # First renders: the page cache off, so every request renders.
    server = Server({**env, "DIALOGUE_DESK_PAGE_CACHE": "false"})
    try:
        check_full_pages(server)
        log(f"  {db} scale {scale}: first renders and API")
        result["uncached"] = measure(server, {**PAGES, **API, **REFERENCE}, args.rounds, args.seconds)
    finally:
        server.stop()
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], check=True, capture_output=True)
    server = Server(env)
    try:
        log(f"  {db} scale {scale}: pages and API reads from the cache")
        result["cached"] = measure(server, {**PAGES, **API}, args.rounds, args.seconds)
        if args.memory_requests and scale == min(args.scale):
            log(f"  {db} scale {scale}: memory over {args.memory_requests} requests")
            result["memory"] = memory_run(server, args.memory_requests)
    finally:
        server.stop()
    return result


def markdown(report):
    lines = [
        f"# Benchmark {report['date']}",
        "",
        f"Machine: {report['machine']}. gunicorn 2 sync workers, production settings, wrk 1 thread "
        f"4 connections, {report['seconds']} s per run, {report['rounds']} rounds, medians. "
        "Ratio = endpoint req/s ÷ floor req/s measured beside it; CPU = server CPU ms per request; "
        "scale 10 ÷ scale 1 = the ratio at scale 10 ÷ the ratio at scale 1.",
        "",
    ]
    for db, by_scale in report["results"].items():
        scales = sorted(by_scale, key=int)
        lines += [f"## {db}", ""]
        header = "| endpoint | " + " | ".join(
            f"scale {s} ratio | req/s | p50 ms | p99 ms | CPU ms" for s in scales
        )
        lines += [header + (" | scale 10 ÷ scale 1 |" if len(scales) > 1 else " |")]
        lines += ["|" + "---|" * (1 + 5 * len(scales) + (len(scales) > 1))]
        for mode in ("uncached", "cached"):
            for name in by_scale[scales[0]][mode]:
                row = [f"{name} ({_measured_as(name, mode)})"]
                for s in scales:
                    m = by_scale[s][mode][name]
                    row += [
                        f"{m['ratio']:.3f}",
                        f"{m['rps']:.0f}",
                        f"{m['p50_ms']:.1f}",
                        f"{m['p99_ms']:.1f}",
                        f"{m['cpu_ms_per_request']:.2f}",
                    ]
                if len(scales) > 1:
                    # Floor ratios, not req/s: the two scales run minutes apart, and a machine
                    # that slows in between must not read as a query that grew with the table.
                    row.append(
                        f"{by_scale[scales[-1]][mode][name]['ratio'] / by_scale[scales[0]][mode][name]['ratio']:.2f}"
                    )
                lines.append("| " + " | ".join(row) + " |")
        lines += database_table(by_scale, scales)
        memory = by_scale[scales[0]].get("memory")
        if memory:
            lines += [
                "",
                f"Memory: worker RSS after the first {memory['early_after_requests']:,} requests "
                f"{memory['rss_kib_early']} KiB, after "
                f"{memory['requests']:,} {memory['rss_kib_after_all']} KiB: largest growth {memory['growth']:+.1%}.",
            ]
        lines.append("")
    return "\n".join(lines)


def _measured_as(name, mode):
    if mode == "cached":
        return "cached"
    return f"list of {API_PAGE_SIZE}" if name in API else "first render"


def database_table(by_scale, scales):
    """Each endpoint's database time per request, by scale (runs before this table have none)."""
    if any("database" not in by_scale[s] for s in scales):
        return []
    lines = [
        "",
        "Database time per request (`bench/query_times.py`: each query of a first render re-run on "
        "its own, median of 15, summed; it names the query that grows with the table, but on a busy "
        "machine only large multiples mean something):",
        "",
        "| endpoint | "
        + " | ".join(f"scale {s} queries | DB ms | slowest ms" for s in scales)
        + " |"
        + (" DB ms scale 10 ÷ scale 1 |" if len(scales) > 1 else ""),
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
        "DIALOGUE_DESK_BENCH_FLOOR": "true",
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
    for db in args.db:
        for scale in args.scale:
            log(f"{db}, scale {scale}")
            report["results"].setdefault(db, {})[str(scale)] = bench(db, scale, args, base_env)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M")
    (args.results / f"{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.results / f"{stamp}.md").write_text(markdown(report))
    (args.results / "latest.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
