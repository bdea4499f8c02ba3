"""Benchmark of the editor: p50 / p95 of the process edit page and of a step save, against
PostgreSQL with the demo manual scaled up, served as in production.

    .venv/bin/python bench/bench_editing.py [--clients 20] [--requests 400] [--steps 60]
        [--server gunicorn|runserver|gunicorn,runserver] [--workers N] [--think 1.0]

It (re)creates the database ``manuals_bench`` (UTF-8 ctype) on 127.0.0.1:5432 as postgres,
migrates, loads the demo, scales one process of the draft to ``--steps`` steps and every other
process to at least 15, then serves it with

- ``gunicorn`` (default): ``gunicorn config.wsgi -w N --threads 1`` with
  ``config.settings.production`` (DEBUG off; secret key and allowed hosts set here), N = 2 x cores;
- ``runserver``: ``manage.py runserver --noreload`` (one process, a thread per request, DEBUG on),
  for comparison.

Each client is a thread with its own signed-in session. One iteration of a client is what a clerk
does to one step: open the process edit page, open a step's form, save the step (a changed
duration). Every server is measured in three runs, each printed with p50 / p95 / max per request
kind and the throughput:

1. one client, no pause: the service time of each request on an idle server;
2. ``--clients`` clients, no pause (closed loop): the server's capacity. Here a request waits for
   the others: p50 is about clients x (service time of one iteration) / cores, whatever the code;
3. ``--clients`` clients that pause ``--think`` seconds before each request, like a clerk reading
   the page: the latency such a clerk sees.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DB = os.environ.get("BENCH_DB", "manuals_bench")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
KINDS = ("edit page", "step form", "step save")


def sh(*args, env=None):
    subprocess.run(args, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def prepare(env, steps: int) -> None:
    sql = (
        f"DROP DATABASE IF EXISTS {DB} WITH (FORCE); CREATE DATABASE {DB} TEMPLATE template0 "
        "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8';"
    )
    for statement in sql.split(";")[:-1]:
        sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", statement.strip())
    sh(PY, "manage.py", "migrate", "--noinput", env=env)
    sh(PY, "manage.py", "load_demo", env=env)
    # Production serves /static/ through WhiteNoise from the collected, hashed files.
    sh(PY, "manage.py", "collectstatic", "--noinput", env=production_env(env))
    script = f"""
from manuals.models import Manual
from processes.models import Process, Step
draft = Manual.objects.get(slug="kpp-spsc").editions.open().get()
lanes = list(draft.lanes.all())
for i, process in enumerate(Process.objects.filter(edition=draft).order_by("pk")):
    want = {steps} if i == 0 else 15
    have = Step.objects.filter(process=process).count()
    Step.objects.bulk_create([
        Step(process=process, position=have + n + 1, label=f"ขั้นตอนเพิ่ม {{n}}",
             detail="เจ้าหน้าที่ตรวจสอบเอกสารและเสนอผู้บังคับบัญชาพิจารณา" * 3,
             lane=lanes[n % len(lanes)], duration_text="๑-๒ วัน", quality_standard="ถูกต้อง")
        for n in range(max(0, want - have))
    ])
    for step in Step.objects.filter(process=process, version=1):
        step.apply_duration()
print(Process.objects.filter(edition=draft).order_by("pk").first().pk)
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    env["BENCH_PROCESS"] = out.stdout.strip().splitlines()[-1]


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path) as r:
            return r.status, r.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        req = urllib.request.Request(  # noqa: S310 - our own http:// server
            self.base + path,
            body,
            headers={"X-CSRFToken": self.csrf(), "HX-Request": "true", "Referer": self.base},
        )
        try:
            with self.opener.open(req) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def login(self) -> None:
        self.get("/accounts/login/")
        self.post(
            "/accounts/login/",
            {
                "username": "editor",
                "password": "demo-pass-123",
                "csrfmiddlewaretoken": self.csrf(),
            },
        )


def form_fields(html: str) -> dict:
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            data[name.group(1)] = value.group(1) if value else ""
    for name in ("new_lane", "label", "duration_text"):
        data.setdefault(name, "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen if name in ("other_lanes", "forms") else (chosen[0] if chosen else "")
    data.pop("csrfmiddlewaretoken", None)
    return data


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def production_env(env: dict) -> dict:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",  # plain http on the loopback
        "DJANGO_SSL_REDIRECT": "0",
    }


def start_server(kind: str, env: dict, workers: int) -> subprocess.Popen:
    if kind == "gunicorn":
        env = production_env(env)
        args = [PY, "-m", "gunicorn", "config.wsgi", "-w", str(workers), "--threads", "1"]
        args += ["-b", f"127.0.0.1:{PORT}", "--log-level", "warning"]
    else:
        args = [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"]
    server = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/")  # noqa: S310
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"{kind} did not start") from None
            time.sleep(0.2)
    raise RuntimeError(f"{kind} did not answer")


class Run:
    """One measured run: ``clients`` sessions doing ``iterations`` iterations in all."""

    def __init__(self, sessions, process: str, step_ids: list[int], think: float):
        self.sessions, self.process, self.step_ids, self.think = sessions, process, step_ids, think
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.errors: list = []

    def timed(self, call):
        if self.think:
            time.sleep(self.think)
        t = time.perf_counter()
        status, body = call()
        ms = (time.perf_counter() - t) * 1000
        return status, body, ms

    def one(self, i: int) -> None:
        s = self.sessions[i % len(self.sessions)]
        step = self.step_ids[i % len(self.step_ids)]
        page_status, _body, page_ms = self.timed(lambda: s.get(f"/processes/{self.process}/"))
        form_status, form, form_ms = self.timed(lambda: s.get(f"/steps/{step}/edit/"))
        data = form_fields(form)
        data["duration_text"] = f"{i % 9 + 1} วัน"
        save_status, _body, save_ms = self.timed(lambda: s.post(f"/steps/{step}/edit/", data))
        with self.lock:
            self.timings["edit page"].append(page_ms)
            self.timings["step form"].append(form_ms)
            if save_status == 200:
                self.timings["step save"].append(save_ms)
            elif save_status != 409:  # a concurrent save of the same step is a correct 409
                self.errors.append((page_status, form_status, save_status))

    def go(self, iterations: int) -> float:
        t = time.perf_counter()
        with ThreadPoolExecutor(len(self.sessions)) as pool:
            list(pool.map(self.one, range(iterations)))
        return time.perf_counter() - t

    def report(self, title: str, seconds: float) -> None:
        done = sum(len(v) for v in self.timings.values())
        print(f"  {title}: {seconds:.1f} s, {done / seconds:.1f} requests/s")
        for kind, values in self.timings.items():
            if not values:
                continue
            print(
                f"    {kind:10s} n={len(values):4d}  p50={statistics.median(values):7.1f} ms  "
                f"p95={pct(values, 95):7.1f} ms  max={max(values):7.1f} ms  "
                f"{len(values) / seconds:6.1f}/s"
            )


def bench_server(kind: str, args, env: dict) -> list:
    process = env["BENCH_PROCESS"]
    server = start_server(kind, env, args.workers)
    errors = []
    try:
        base = f"http://127.0.0.1:{PORT}"
        sessions = [Session(base) for _ in range(args.clients)]
        for s in sessions:
            s.login()
        page = sessions[0].get(f"/processes/{process}/")[1]
        step_ids = [int(x) for x in re.findall(r'id="step-(\d+)" class="step-row', page)]
        workers = f"{args.workers} workers x 1 thread" if kind == "gunicorn" else "threaded"
        print(
            f"\n== {kind} ({workers}): process {process} with {len(step_ids)} steps, "
            f"edit page {len(page.encode()) / 1024:.0f} KB"
        )
        # Warm every worker up (templates, URLconf, database connection) before measuring.
        Run(sessions, process, step_ids, 0).go(args.clients * 2)
        runs = [
            ("1 client, no pause (service time)", sessions[:1], 0.0, max(40, args.requests // 10)),
            (f"{args.clients} clients, no pause (closed loop)", sessions, 0.0, args.requests),
        ]
        if args.think:
            title = f"{args.clients} clients, {args.think:g} s pause before each request"
            runs.append((title, sessions, args.think, args.requests))
        for title, group, think, iterations in runs:
            run = Run(group, process, step_ids, think)
            seconds = run.go(iterations)
            run.report(title, seconds)
            errors += run.errors
    finally:
        server.terminate()
        server.wait(10)
    return errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="iterations per run")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--server", default="gunicorn", help="gunicorn, runserver or both")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--think", type=float, default=1.0, help="seconds; 0 skips that run")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    prepare(env, args.steps)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores; load average before the runs {load:.2f}")
    errors = []
    for kind in args.server.replace("both", "gunicorn,runserver").split(","):
        errors += bench_server(kind.strip(), args, env)
    if errors:
        print("errors:", errors[:10], file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
