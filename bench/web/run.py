"""Web latency benchmark: 10× the demo cluster on PostgreSQL, main pages under concurrent load.

Reproduce with `make bench-web` (needs PostgreSQL on 127.0.0.1:5432). It creates the database
``jingxiang_bench``, loads the demo cluster at scale 10 (about 3,400 organisations and 6,000 talents),
starts gunicorn (2 workers × 4 threads, the size of the 2-core machine), logs in as two personas, and
sends a fixed number of requests from concurrent clients. Results go to bench/web/RESULTS.md.
"""

from __future__ import annotations

import http.cookiejar
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DB_NAME = "jingxiang_bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
REQUESTS_PER_PAGE = int(os.environ.get("BENCH_REQUESTS", "200"))

PAGES = {
    "home (operator)": ("operator", "/"),
    "organisation list": ("operator", "/organisations/"),
    "organisation list, filtered": ("operator", "/organisations/?kind=firm&region=杜桥&sort=-employee_count"),
    "talent list": ("firm_admin", "/talents/"),
    "talent list, pinyin search": ("firm_admin", "/talents/?q=wang"),
    "talent list, skill filter page 5": ("firm_admin", "/talents/?domain=1&page=5"),
    "talent detail": ("firm_admin", "/talents/{talent}/"),
    "organisation detail": ("firm_admin", "/organisations/{organisation}/"),
    "global search": ("firm_admin", "/search/?q=kb"),
    "API talents": ("firm_admin", "/api/v1/talents/"),
}


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "JINGXIANG_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env(), check=True)


def prepare_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    manage("migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    manage("load_demo", "--scale", "10")
    print(f"loaded 10x demo data in {time.perf_counter() - started:.1f}s")


class Session:
    def __init__(self, username: str) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(f"{BASE}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        data = urllib.parse.urlencode(
            {"username": username, "password": "jingxiang2026", "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{BASE}/accounts/login/", data=data, headers={"Referer": f"{BASE}/"}
        )
        self.opener.open(request).read()

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        with self.opener.open(BASE + urllib.parse.quote(path, safe="/?=&")) as response:
            response.read()
            status = response.status
        return status, (time.perf_counter() - started) * 1000


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/health/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    if "--reuse" not in sys.argv:
        prepare_database()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "jingxiang.config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env(),
    )
    try:
        wait_for_server()
        sessions = {name: Session(name) for name in ("operator", "firm_admin")}
        ids = (
            subprocess.run(
                [
                    PYTHON,
                    "manage.py",
                    "shell",
                    "-c",
                    "from jingxiang.talents.models import Talent; from jingxiang.organisations.models import Organisation;"
                    "print(Talent.objects.order_by('pk')[3000].pk, Organisation.objects.order_by('pk')[1500].pk)",
                ],
                cwd=ROOT,
                env=env(),
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )  # the shell may print a banner first
        rows = []
        for label, (persona, template) in PAGES.items():
            path = template.format(talent=ids[0], organisation=ids[1])
            session = sessions[persona]
            session.get(path)  # warm-up
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
                results = list(pool.map(session.get, [path] * REQUESTS_PER_PAGE))
            elapsed = time.perf_counter() - started
            failures = sum(1 for status, _ms in results if status != 200)
            latencies = [ms for _status, ms in results]
            rows.append(
                (
                    label,
                    path,
                    statistics.median(latencies),
                    percentile(latencies, 0.95),
                    REQUESTS_PER_PAGE / elapsed,
                    failures,
                )
            )
            print(
                f"{label:<36} p50 {rows[-1][2]:7.1f} ms  p95 {rows[-1][3]:7.1f} ms  {rows[-1][4]:6.1f} req/s"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    write_results(rows)


def write_results(rows: list[tuple[str, str, float, float, float, int]]) -> None:
    lines = [
        "# Web benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; PostgreSQL; "
        f"gunicorn 2 workers × 4 threads; {CONCURRENCY} concurrent clients; {REQUESTS_PER_PAGE} requests per page; "
        "data: demo cluster at scale 10 (≈3,400 organisations, 6,000 talents).",
        "",
        "| page | path | p50 ms | p95 ms | req/s | errors |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {label} | `{p}` | {a:.1f} | {b:.1f} | {c:.1f} | {f} |" for label, p, a, b, c, f in rows]
    (Path(__file__).parent / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
