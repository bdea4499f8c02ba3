"""Benchmark of the editor: p50 / p95 of the process edit page and of a step save under 20
concurrent clients, against PostgreSQL with the demo manual scaled up.

    .venv/bin/python bench/bench_editing.py [--clients 20] [--requests 400] [--steps 60]

It (re)creates the database ``manuals_bench`` (UTF-8 ctype) on 127.0.0.1:5432 as postgres,
migrates, loads the demo, scales one process of the draft to ``--steps`` steps and every other
process to at least 15, serves with ``manage.py runserver --noreload`` (threaded: one thread per
request, DB_CONN_MAX_AGE=60) and drives it from ``--clients`` threads, each with its own session.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
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
DB = "manuals_bench"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8765


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    prepare(env, args.steps)
    process = env["BENCH_PROCESS"]
    server = subprocess.Popen(
        [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/")  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        sessions = [Session(base) for _ in range(args.clients)]
        for s in sessions:
            s.login()
        page = sessions[0].get(f"/processes/{process}/")[1]
        step_ids = [int(x) for x in re.findall(r'id="step-(\d+)" class="step-row', page)]
        print(f"process {process}: {len(step_ids)} steps; {args.clients} clients")
        lock = threading.Lock()
        timings: dict[str, list[float]] = {"edit page": [], "step save": []}
        errors = []

        def one(i: int) -> None:
            s = sessions[i % len(sessions)]
            t = time.perf_counter()
            status, _ = s.get(f"/processes/{process}/")
            page_ms = (time.perf_counter() - t) * 1000
            step = step_ids[i % len(step_ids)]
            status_form, form = s.get(f"/steps/{step}/edit/")
            data = form_fields(form)
            data["duration_text"] = f"{i % 9 + 1} วัน"
            t = time.perf_counter()
            status2, _ = s.post(f"/steps/{step}/edit/", data)
            save_ms = (time.perf_counter() - t) * 1000
            with lock:
                timings["edit page"].append(page_ms)
                if status2 == 200:
                    timings["step save"].append(save_ms)
                elif status2 != 409:  # a concurrent save of the same step is a correct 409
                    errors.append((status, status_form, status2))

        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, range(args.requests)))
        for name, values in timings.items():
            print(
                f"{name:10s} n={len(values):4d}  p50={statistics.median(values):7.1f} ms  "
                f"p95={pct(values, 95):7.1f} ms  max={max(values):7.1f} ms"
            )
        if errors:
            print("errors:", errors[:10], file=sys.stderr)
        return 1 if errors else 0
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
