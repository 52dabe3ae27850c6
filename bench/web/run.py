"""Web benchmark: the project's main pages side by side with the floor, in one run (issue 13).

Reproduce with `make bench-web` (needs PostgreSQL on 127.0.0.1:5432 and `wrk`: `apt-get install -y wrk`).
It creates the database ``jingxiang_bench``, loads the demo cluster at scale 10 (about 3,400
organisations and 6,000 talents), starts gunicorn with 4 sync workers on the project's settings plus one
extra URL (``bench_settings``/``bench_urls``: the *floor*, a bare Django view rendering a 50-row table
from the database through the same middleware), logs every persona in, and runs
``wrk -t2 -c32 -d10s`` against the floor and then every page, one after the other, with the floor run
again at the end. Each page's requests per second are reported as a share of the floor's (the mean of
its two runs), with p50/p95/p99 latency, the HTML size and the non-200 answers. Results go to
bench/web/RESULTS.md (summarised in docs/benchmarks.md).

Fixed-rate mode (the issue's "p95 under 100 ms at 100 requests per second"): after its throughput run
each page is run again at a fixed ``BENCH_RATE`` (100) requests per second with ``fixed_rate.lua``:
wrk's ``delay()`` hook holds each thread to its share of the schedule across ``BENCH_RATE_CONNECTIONS``
(16) connections, and the p95 of that run is its own column. wrk times a request from when it is
written, so when all connections are busy the wait for one is not in the latency (coordinated
omission): the script counts the requests sent more than 10 ms after their slot instead, and a row whose
achieved rate fell short or with more than 5 % late requests is marked as not holding the rate (its
p95 then understates what clients would see). ``BENCH_RATE=0`` skips the mode.

The tables have no statistics after a fresh load (this machine's PostgreSQL runs without autovacuum),
which a production database would have: the run ``ANALYZE``s the benchmark database first.

On a shared machine absolute figures move with the other work; the share of the floor is measured under
the same load and is the figure to compare. The load average before and after is recorded.

Options: ``--reuse`` keeps an existing benchmark database; ``--only SUBSTRING`` runs the pages whose
label contains it, or one of several given comma-separated (plus the floor). Environment: ``BENCH_DATABASE_URL``, ``BENCH_PORT``,
``BENCH_DURATION`` (wrk -d, default 10s), ``BENCH_CONNECTIONS`` (32), ``BENCH_WORKERS`` (4),
``BENCH_SRC`` (another source tree to serve, e.g. an export of an older commit, for before/after runs),
``BENCH_RESULTS`` (where to write the table), ``BENCH_RATE``, ``BENCH_RATE_CONNECTIONS``,
``BENCH_RATE_DURATION`` (the fixed-rate mode; default: as long as the throughput run).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SRC = Path(os.environ.get("BENCH_SRC", str(ROOT / "src")))
PYTHON = sys.executable
DB_NAME = "jingxiang_bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
RESULTS = Path(os.environ.get("BENCH_RESULTS", str(HERE / "RESULTS.md")))
RATE = int(os.environ.get("BENCH_RATE", "100"))
RATE_CONNECTIONS = int(os.environ.get("BENCH_RATE_CONNECTIONS", "16"))
RATE_DURATION = os.environ.get("BENCH_RATE_DURATION", DURATION)
RATE_THREADS = 2
PERSONAS = (
    "operator",
    "firm_admin",
    "talent_officer",
    "member",
    "expert",
    "lab_staff",
    "union_staff",
    "secretariat",
)
#: Personas of the later apps (their demo.py adds them): logged in too, no home page of their own measured.
APP_PERSONAS = ("provider", "park_manager", "tf_clerk", "tf_agency", "tf_tax")
FLOOR = ("floor: bare 50-row list", "operator", "/bench/floor/")

# (label, persona, path); {name} is filled from page_ids.py (records in the middle of each table).
PAGES: list[tuple[str, str, str]] = [
    *((f"home ({persona})", persona, "/") for persona in PERSONAS),
    ("organisation list", "operator", "/organisations/"),
    ("organisation list, filtered+sorted", "operator", "/organisations/?kind=firm&sort=-employee_count"),
    ("talent list", "firm_admin", "/talents/"),
    ("talent list, pinyin search", "firm_admin", "/talents/?q=wang"),
    ("talent list, skill domain page 5", "firm_admin", "/talents/?domain=1&page=5"),
    ("demand list", "operator", "/demands/"),
    ("demand board", "operator", "/demands/board/"),
    ("demands for me", "expert", "/demands/for-me/"),
    ("my sharing", "expert", "/sharing/me/"),
    ("challenge list", "operator", "/demands/challenges/"),
    ("sharing pool", "operator", "/sharing/pool/"),
    ("sharing requests", "talent_officer", "/sharing/requests/"),
    ("sharing agreements", "operator", "/sharing/agreements/"),
    ("sharing statements", "operator", "/sharing/statements/"),
    ("event list", "firm_admin", "/events/"),
    ("course list", "operator", "/academy/courses/"),
    ("cohort list", "operator", "/academy/cohorts/"),
    ("enrolment list", "operator", "/academy/enrolments/"),
    ("lab requests", "lab_staff", "/lab/"),
    ("lab samples", "lab_staff", "/lab/samples/"),
    ("lab reports", "lab_staff", "/lab/reports/"),
    ("jobs", "operator", "/jobs/"),
    ("notifications", "firm_admin", "/notifications/"),
    ("alliance home", "secretariat", "/alliance/"),
    ("alliance dashboard", "secretariat", "/alliance/{alliance}/dashboard/"),
    ("alliance members", "secretariat", "/alliance/{alliance}/members/"),
    ("alliance tasks", "secretariat", "/alliance/{alliance}/tasks/"),
    ("alliance page (public)", "", "/alliance/public/{alliance}/"),
    ("insights dashboard", "operator", "/insights/"),
    ("insights open data (public)", "", "/insights/open-data/"),
    ("service catalogue", "firm_admin", "/services/"),
    ("service orders (provider)", "provider", "/services/orders/"),
    ("service vouchers", "operator", "/services/vouchers/"),
    ("park sites", "park_manager", "/parks/"),
    ("park leases", "park_manager", "/parks/leases/"),
    ("wage agreements", "union_staff", "/wages/agreements/"),
    ("wage reports", "union_staff", "/wages/reports/"),
    ("wage lines", "union_staff", "/wages/lines/"),
    ("wage compliance", "union_staff", "/wages/compliance/"),
    ("recruitment fairs", "operator", "/recruitment/"),
    ("recruitment fairs (firm)", "firm_admin", "/recruitment/"),
    ("recruitment applications", "firm_admin", "/recruitment/applications/"),
    ("recruitment fair (public)", "", "/recruitment/f/{fair_code}/"),
    ("tax-free stores", "tf_clerk", "/taxfree/"),
    ("tax-free forms", "tf_clerk", "/taxfree/forms/"),
    ("tax-free agency", "tf_agency", "/taxfree/agency/"),
    ("tax-free reports", "tf_tax", "/taxfree/reports/"),
    ("lab brand directory (public)", "", "/lab/brand/directory/"),
    ("global search", "firm_admin", "/search/?q=kb"),
    ("talent detail", "firm_admin", "/talents/{talent}/"),
    ("organisation detail", "operator", "/organisations/{organisation}/"),
    ("demand detail", "operator", "/demands/{demand}/"),
    ("event detail", "operator", "/events/{event}/"),
    ("course detail", "operator", "/academy/courses/{course}/"),
    ("lab report detail", "lab_staff", "/lab/reports/{report}/"),
    ("sharing agreement detail", "operator", "/sharing/agreements/{agreement}/"),
    ("verify: certificate (public)", "", "/verify/certificate/{v_certificate}/"),
    ("verify: lab report (public)", "", "/verify/report/{v_report}/"),
    ("verify: brand (public)", "", "/verify/brand/{v_brand}/"),
    ("verify: agreement (public)", "", "/verify/agreement/{v_agreement}/"),
    ("verify: statement (public)", "", "/verify/statement/{v_statement}/"),
    ("verify: event agenda (public)", "", "/verify/event-agenda/{v_agenda}/"),
    ("API organisations", "operator", "/api/v1/organisations/"),
    ("API talents", "firm_admin", "/api/v1/talents/"),
    ("API skills", "firm_admin", "/api/v1/skills/"),
    ("API sharing agreements", "operator", "/api/v1/sharing/agreements/"),
]


def env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": DATABASE_URL,
        "JINGXIANG_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env(), check=True)


def prepare_database() -> None:
    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage("migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    manage("load_demo", "--scale", "10")
    print(f"loaded 10x demo data in {time.perf_counter() - started:.1f}s")


def analyse_database() -> None:
    """Table statistics as autovacuum would keep them in production (plans without them are guesses)."""
    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "ANALYZE", name], check=True)


def session_cookie(username: str) -> str:
    """Log in through the login form (as a browser would) and return the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if username:
        page = opener.open(f"{BASE}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        data = urllib.parse.urlencode(
            {"username": username, "password": "jingxiang2026", "csrfmiddlewaretoken": token}
        ).encode()
        opener.open(
            urllib.request.Request(f"{BASE}/accounts/login/", data=data, headers={"Referer": f"{BASE}/"})
        )
        if not any(cookie.name == "sessionid" for cookie in jar):
            raise RuntimeError(f"could not log in as {username}")
        # A first login asks for consent to the current privacy policy (issue 21) and every page redirects
        # there until it is given: agree as the person would, or wrk would measure the redirect.
        consent = opener.open(f"{BASE}/accounts/privacy/consent/").read().decode()
        version = re.search(r'name="version" value="([^"]+)"', consent)
        if version:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', consent).group(1)  # type: ignore[union-attr]
            data = urllib.parse.urlencode(
                {"version": version.group(1), "agree": "on", "csrfmiddlewaretoken": token}
            ).encode()
            opener.open(
                urllib.request.Request(
                    f"{BASE}/accounts/privacy/consent/", data=data, headers={"Referer": f"{BASE}/"}
                )
            )
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def fetch(path: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def wait_for_server() -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{BASE}/health/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def settle() -> None:
    """Wait until the server has worked off what a saturating run left queued (gunicorn's sync workers
    still answer the requests of connections wrk has closed), so the next run starts on an idle server."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{BASE}/health/", timeout=5).read()
        if time.monotonic() - started < 0.1:
            return
        time.sleep(0.2)


@dataclass
class Result:
    label: str
    path: str
    rps: float
    p50: float
    p95: float
    p99: float
    kb: float
    failures: int
    rate_p95: float = 0.0
    rate_achieved: float = 0.0
    rate_late: float = 0.0

    @property
    def holds_rate(self) -> bool:
        return self.rate_achieved >= 0.95 * RATE and self.rate_late <= 0.05


def run_wrk(path: str, cookie: str, *, rate: int = 0) -> dict[str, float]:
    """One wrk run: as fast as the server answers, or with ``rate`` at that many requests per second."""
    if rate:
        options = [
            f"-t{RATE_THREADS}",
            f"-c{RATE_CONNECTIONS}",
            f"-d{RATE_DURATION}",
            "-s",
            str(HERE / "fixed_rate.lua"),
        ]
        script_args = ["--", str(rate), str(RATE_THREADS)]
    else:
        options = ["-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "-s", str(HERE / "report.lua")]
        script_args = []
    command = ["wrk", *options, "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, BASE + path, *script_args], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def measure(label: str, persona: str, path: str, cookies: dict[str, str]) -> Result:
    cookie = cookies.get(persona, "")
    status, size = fetch(path, cookie)  # also the warm-up
    if status != 200:
        print(f"{label}: {path} answered {status}, not measured", flush=True)
        return Result(label, path, 0.0, 0.0, 0.0, 0.0, 0.0, -status)
    settle()
    data = run_wrk(path, cookie)
    result = Result(
        label,
        path,
        data["rps"],
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
        size / 1024,
        int(data["errors"] + data["non200"]),
    )
    if RATE:
        settle()
        paced = run_wrk(path, cookie, rate=RATE)
        result.rate_p95 = paced["p95"] / 1000
        result.rate_achieved = paced["rps"]
        result.rate_late = paced["late"] / max(paced["paced"], 1)
        result.failures += int(paced["errors"] + paced["non200"])
    print(
        f"{label:<38} {result.rps:7.1f} req/s  p50 {result.p50:7.1f}  p95 {result.p95:7.1f}  "
        f"p99 {result.p99:7.1f} ms  {result.kb:6.1f} KB  failures {result.failures}"
        + (
            f"  | at {RATE}/s: p95 {result.rate_p95:7.1f} ms, {result.rate_achieved:5.1f} req/s, "
            f"{100 * result.rate_late:.0f} % late"
            if RATE
            else ""
        ),
        flush=True,
    )
    return result


def page_ids() -> dict[str, object]:
    output = subprocess.run(
        [PYTHON, str(HERE / "page_ids.py")], cwd=ROOT, env=env(), capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the finally below: stop the server
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    if "--reuse" not in sys.argv:
        prepare_database()
    analyse_database()
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else [""]
    ids = page_ids()
    pages = []
    for label, persona, path in PAGES:
        if not any(part in label for part in only):
            continue
        if any(ids.get(key) is None for key in re.findall(r"{(\w+)}", path)):
            print(f"{label}: no record in the database, skipped")
            continue
        pages.append((label, persona, path.format(**ids)))
    load_before = os.getloadavg()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "jingxiang.config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env(),
    )
    try:
        wait_for_server()
        cookies = {persona: session_cookie(persona) for persona in (*PERSONAS, *APP_PERSONAS)}
        cookies[""] = ""
        # Every worker loads its apps, templates and connections on its first requests: not measured.
        for _label, persona, path in [FLOOR, *pages]:
            fetch(path, cookies[persona])
        subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", "-d3s", "-H", f"Cookie: {cookies['operator']}", BASE + "/"],
            capture_output=True,
            check=True,
        )
        floor_first = measure(*FLOOR, cookies)
        results = [measure(label, persona, path, cookies) for label, persona, path in pages]
        floor_last = measure(*FLOOR, cookies)
    finally:
        server.terminate()
        server.wait(timeout=20)
    load_after = os.getloadavg()
    write_results(floor_first, floor_last, results, load_before, load_after)


def write_results(
    floor_first: Result,
    floor_last: Result,
    results: list[Result],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> None:
    floor_rps = (floor_first.rps + floor_last.rps) / 2
    lines = [
        "# Web benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; PostgreSQL; "
        f"gunicorn {WORKERS} sync workers; `wrk -t2 -c{CONNECTIONS} -d{DURATION}` per page, one page at a time; "
        "data: demo cluster at scale 10 (≈3,400 organisations, 6,000 talents). "
        f"Load average (1/5/15 min) before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f} (the machine is shared: compare "
        "shares of the floor, measured under the same load, rather than absolute figures). "
        f"Floor: {floor_first.rps:.0f} req/s at the start, {floor_last.rps:.0f} at the end; shares are of "
        f"their mean, {floor_rps:.0f} req/s. Generated by `bench/web/run.py`; do not edit by hand.",
    ]
    if RATE:
        lines += [
            "",
            f"Fixed rate: {RATE} requests per second for {RATE_DURATION} per page, {RATE_THREADS} wrk threads over "
            f'{RATE_CONNECTIONS} connections paced by `fixed_rate.lua`; "late" is the share of requests sent '
            "more than 10 ms after their slot (all connections busy: wrk's latency leaves that wait out). "
            "A p95 marked \\* did not hold the rate (under 95 % of it achieved or over 5 % late) and understates.",
        ]
    rate_head = f" p95 ms at {RATE}/s | late |" if RATE else ""
    lines += [
        "",
        f"| page | path | req/s | share of floor | p50 ms | p95 ms | p99 ms | HTML KB | failures |{rate_head}",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if RATE else ""),
    ]
    for result in (floor_first, *results, floor_last):
        rate_cells = ""
        if RATE:
            mark = "" if result.holds_rate else "\\*"
            rate_cells = f" {result.rate_p95:.0f}{mark} | {100 * result.rate_late:.0f} % |"
        lines.append(
            f"| {result.label} | `{result.path}` | {result.rps:.0f} | {100 * result.rps / floor_rps:.0f} % | "
            f"{result.p50:.0f} | {result.p95:.0f} | {result.p99:.0f} | {result.kb:.1f} | {result.failures} |"
            + rate_cells
        )
    below = [r.label for r in results if r.failures >= 0 and r.rps < 0.25 * floor_rps]
    refused = [f"{r.label} ({-r.failures})" for r in results if r.failures < 0]
    failing = [f"{r.label} ({r.failures})" for r in (floor_first, *results, floor_last) if r.failures > 0]
    if failing:
        # A redirect or an error answered fast is not a fast page: these rows measure nothing.
        lines += ["", f"**Invalid rows** (answers other than 200 under load): {', '.join(failing)}."]
    if refused:
        lines += ["", f"Not measured (the page did not answer 200): {', '.join(refused)}."]
    lines += ["", f"Pages below 25 % of the floor: {', '.join(below) if below else 'none'}."]
    if RATE:
        slow = [r.label for r in results if r.failures >= 0 and (r.rate_p95 >= 100 or not r.holds_rate)]
        lines += [
            "",
            f"Pages with p95 at or over 100 ms at {RATE}/s (or not holding the rate): {', '.join(slow) or 'none'}.",
        ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
