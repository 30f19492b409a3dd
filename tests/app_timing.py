"""Time a run of the plan in the app against `innosim run` of the same run, side by side (README, The app).

    .venv/bin/python tests/app_timing.py [--replications 100] [--rounds 2] [--workers 2]

Alternates CLI and app runs so both meet the same machine load. The app's time is from the click on Run to
the target table on the page (and to the briefing written); the CLI's is the command's wall time (and the
ensemble's, from summary.json).
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def cli(n: int, workers: int, out: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "model", "run", str(PLAN), "-n", str(n), "--workers", str(workers),
                    "--out", str(out), "--no-progress"], cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    return wall, json.loads((out / "summary.json").read_text("utf-8"))["wall_seconds"]


def app(browser, url: str, n: int) -> tuple[float, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(1_800_000)
    page.goto(url)
    page.locator(".run-button").wait_for()
    box = page.locator(".run-replications input")
    box.fill(str(n))
    box.press("Enter")
    page.locator(".run-replications input").evaluate("e => e.blur()")
    t0 = time.perf_counter()
    page.locator(".run-button").click()
    page.locator("table.targets-outcome td.c4").first.wait_for()
    shown = time.perf_counter() - t0
    page.locator(".saved-in").wait_for()
    report = time.perf_counter() - t0
    page.close()
    return shown, report


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="app-timing-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "model", "app", "--port", str(port), "--out", str(tmp / "app"),
                               "--workers", str(args.workers)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "readyz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for k in range(args.rounds):
                c_wall, c_ens = cli(args.replications, args.workers, tmp / f"cli-{k}")
                a_shown, a_report = app(browser, url, args.replications)
                print(f"round {k + 1}: CLI {c_wall:.1f} s (ensemble {c_ens:.1f} s); app: table on the page "
                      f"{a_shown:.1f} s, briefing written {a_report:.1f} s; ratio {a_shown / c_wall:.2f}", flush=True)
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
