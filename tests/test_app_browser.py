"""The app in a real browser: headless Chromium (Debian's package, driven by playwright) against `innosim app`.

Pick the plan, change one lever, run 8 replications, read P(meet) and P50 from the page and check them against
`innosim run` of the downloaded scenario file; download the target CSV; switch to English; upload a broken TOML
and read the one-line error; cancel a run. Screenshots go to INNOSIM_SCREENSHOTS (a folder) if set, else to the
test's temporary folder. Every wait polls for a page state; none sleeps a fixed time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

from model.app.text import t
from model.lever_registry import LEVERS
from model.output.readings import BRIEFING_REPLICATIONS, p_meet_error
from model.output.report import fmt

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000


def chromium() -> str | None:
    for path in (os.environ.get("INNOSIM_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if path and Path(path).is_file():
            return path
    return None


pytestmark = pytest.mark.skipif(chromium() is None, reason="THE APP'S BROWSER TEST DID NOT RUN: no Chromium "
                                "(`apt-get install chromium` as root; .ci/run does it, and there a skip fails the run)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> set[int]:
    """Every descendant of a process, from /proc."""
    parent = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    out, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - out
        out |= frontier
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`innosim app` on a free port, as a planner starts it; stopped with Ctrl-C (SIGINT) at the end."""
    out = tmp_path_factory.mktemp("app-results")
    port = free_port()
    log = (out.parent / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "model", "app", "--port", str(port), "--out", str(out),
                             "--workers", "2"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        assert proc.poll() is None, (out.parent / "server.log").read_text()
        assert time.monotonic() < deadline, "the app did not start within 60 s"
        time.sleep(0.1)
    yield {"url": url, "out": out, "proc": proc}
    spawned = children(proc.pid)
    proc.send_signal(signal.SIGINT)
    try:
        assert proc.wait(timeout=30) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
    deadline = time.monotonic() + 15  # multiprocessing's resource tracker ends just after its parent: poll
    while left := {p for p in spawned if _running(p)}:
        assert time.monotonic() < deadline, f"processes left behind: {[_cmdline(p) for p in left]}"
        time.sleep(0.1)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temporary files left in the results"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # playwright gives every launch a fresh temporary profile (the --user-data-dir)
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("INNOSIM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, url: str, height: int = 1400):
    ctx = browser.new_context(viewport={"width": 1280, "height": height}, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.locator(".run-button").wait_for()
    page.wait_for_function("document.fonts.check(\"16px 'innosim Noto Sans SC'\", '高新技术企业')")
    return ctx, page


def glyphs_render(page) -> bool:
    """Chinese text is drawn with the web font: it is loaded and covers the characters."""
    return page.evaluate("""() => [...document.fonts].some(f => f.family.includes('innosim Noto Sans SC')
                                                          && f.status === 'loaded')""")


def assert_web_font(page, selector: str) -> None:
    """The element's text is set in the served Noto Sans SC first (a style of Vuetify's once put Roboto there, and
    Chinese showed as boxes on a machine without CJK fonts)."""
    family = page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"innosim Noto Sans SC"'), (selector, family)


def set_input(page, selector: str, value: str) -> None:
    box = page.locator(f"{selector} input")
    box.fill(value)
    box.press("Enter")


def download(page, label: str) -> Path:
    with page.expect_download() as dl:
        page.get_by_text(label, exact=True).click()
    return Path(dl.value.path())


def test_plan_lever_run_matches_the_cli_and_downloads(server, browser, shots, tmp_path):
    ctx, page = open_page(browser, server["url"])
    try:
        assert glyphs_render(page)
        page.screenshot(path=str(shots / "app-start-zh.png"))
        # pick the plan from the library
        page.locator(".scenario-pick").click()
        page.get_by_role("option", name="sanliang-qisheng-2024-2026.toml", exact=False).first.click()
        page.get_by_text("北京城市副中心科技创新“三量齐升”行动计划（2024-2026年）：2024-01 至 2026-12").wait_for()
        # one lever: municipal platforms 3 -> 6 a year; the platform grant pays for them (1,000万元 each)
        set_input(page, ".lever-input-municipal-platforms-per-year", "6")
        page.locator(".lever-municipal-platforms-per-year .innosim-changed").wait_for()
        grant = page.locator(".lever-budget-platform-grant")
        grant.locator(".innosim-money-note").wait_for()
        assert grant.locator(".innosim-money-note").inner_text() == t("follows", "zh", delta="+3,000")
        assert grant.locator("input").first.input_value() == "8600.0"
        # the registry's mechanism and the evidence rows behind an effect
        reward = page.locator(".lever-budget-rd-growth-reward")
        reward.locator(".v-expansion-panel-header").click()
        reward.locator(".evidence-row", has_text="PE16").first.wait_for()
        assert LEVERS["budget.rd_growth_reward"].mechanism_zh in reward.locator(".mechanism").inner_text()
        set_input(page, ".run-replications", "8")
        set_input(page, ".run-seed", "7")
        page.locator(".run-button").click()
        page.locator(".run-progress").wait_for()  # the progress bar and the cancel button, while the page stays live
        page.locator(".cancel-button").wait_for()
        page.locator(".step-run").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "app-running-zh.png"))
        cell = page.locator('table.targets-outcome tr[data-target="municipal-platforms-2026"] td.c4')
        cell.wait_for()
        # 8 replications: the note on how far a P(meet) may be off; the model's known limits, folded
        few = {"n": 8, "runs": "8 runs", "points": p_meet_error(8), "briefing": BRIEFING_REPLICATIONS}
        assert page.locator(".few-runs").inner_text() == t("few_runs", "zh", **few)
        page.locator(".known-limits .v-expansion-panel-header").click()
        page.locator(".known-limit", has_text="(high_tech):").wait_for()
        shown = {r.get_attribute("data-target"): (r.locator("td.c3").inner_text(), r.locator("td.c4").inner_text())
                 for r in page.locator("table.targets-outcome tbody tr").all()}
        delivered = {r.get_attribute("data-target"): r.locator("td.c2").inner_text()
                     for r in page.locator("table.targets-commitment tbody tr").all()}
        money = {r.get_attribute("data-target"): r.locator("td.c1").inner_text()
                 for r in page.locator("table.money tbody tr").all()}
        assert len(delivered) == 3 and "total" in money

        toml = download(page, t("dl_scenario", "zh"))
        # the same settings and seed through the CLI, while the page goes on: the numbers on the page, exactly
        scenario = tmp_path / "from-app.toml"
        scenario.write_bytes(toml.read_bytes())
        out = tmp_path / "cli"
        mode = "posterior" if not page.locator(".parameters-note").count() else "defaults"
        cli = subprocess.Popen([sys.executable, "-m", "model", "run", str(scenario), "--out", str(out), "--workers",
                                "1", "--parameters", mode, "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)  # one worker: no processes to start for 8 replications
        targets_csv = download(page, t("dl_targets_csv", "zh"))
        raw = targets_csv.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(rows) == 15 and {r["目标编号"] for r in rows} == set(shown) | set(delivered)
        page.locator("table.comparison").wait_for()
        for selector in (".innosim-head", ".innosim-head-compare", "table.targets-outcome td", ".scenario-info",
                         ".few-runs", ".known-limit", ".innosim-lever-name", ".v-btn__content", ".v-select__selection",
                         ".v-card__title"):
            assert_web_font(page, selector)
        page.locator(".step-results").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "app-results-zh.png"))
        # English: every string switches
        page.locator(".lang-en").click()
        page.get_by_text(t("step_results", "en"), exact=True).wait_for()
        page.locator(".step-results").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "app-results-en.png"))
        assert page.get_by_text(t("step_results", "zh"), exact=True).count() == 0
        assert page.locator(".few-runs").inner_text() == t("few_runs", "en", **few)
        assert page.locator(".known-limit", has_text="National high-tech firms (high_tech):").count() == 1

        assert cli.wait(timeout=300) == 0, cli.stdout.read().decode()
        summary = json.loads((out / "summary.json").read_text("utf-8"))
        assert summary["replications"] == 8 and summary["seed"] == 7
        for tg in summary["targets"]:
            ind = tg["indicator"]
            if tg["kind"] == "commitment":
                assert delivered[tg["id"]] == fmt(ind, tg["p50"]), tg["id"]
            else:
                expected = (f"{fmt(ind, tg['p50'])} [{fmt(ind, tg['p10'])} - {fmt(ind, tg['p90'])}]",
                            f"{100 * tg['p_meet']:.0f}%")
                assert shown[tg["id"]] == expected, tg["id"]
            row = next(r for r in rows if r["目标编号"] == tg["id"])
            assert float(row["达成概率"]) == tg["p_meet"]
        for channel, v in summary["money"].items():  # budgeted P50, with the added platforms' grants
            assert money[channel] == f"{v['budgeted']['p50'] / 1e4:,.1f}", channel  # 亿元
    finally:
        ctx.close()


def test_a_broken_upload_shows_one_line_and_runs_nothing(server, browser, shots, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[scenario\nname = 'x'\n", "utf-8")
    validate = subprocess.run([sys.executable, "-m", "model", "validate", "broken.toml"], cwd=tmp_path,
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert validate.returncode == 2
    ctx, page = open_page(browser, server["url"], height=900)
    try:
        page.locator(".innosim-upload-input").set_input_files(str(broken))
        error = page.locator(".upload-error")
        error.wait_for()
        assert error.inner_text() == validate.stderr.strip()
        assert_web_font(page, ".upload-error")
        page.locator(".step-levers").wait_for(state="detached")  # no scenario: no levers and no run button
        assert page.locator(".run-button").count() == 0
        page.screenshot(path=str(shots / "app-upload-error-zh.png"))
    finally:
        ctx.close()


def test_cancel_stops_a_run(server, browser):
    ctx, page = open_page(browser, server["url"], height=900)
    try:
        set_input(page, ".run-replications", "400")
        page.locator(".run-button").click()
        page.locator(".cancel-button").click()
        page.locator(".run-cancelled").wait_for()
        deadline = time.monotonic() + 30
        while any("spawn_main" in _cmdline(p) for p in children(server["proc"].pid)):
            assert time.monotonic() < deadline, "worker processes still running 30 s after cancel"
            time.sleep(0.1)
    finally:
        ctx.close()


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def test_inside_one_run_with_mesas_plots(server, browser, shots):
    ctx, page = open_page(browser, server["url"], height=1000)
    try:
        page.locator(".inside-button").click()
        for key in ("inside_sizes", "inside_flows", "inside_programmes"):
            page.locator(f".inside-{key} img").wait_for()
        page.locator(".step-inside").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "app-inside-zh.png"))
    finally:
        ctx.close()


def test_two_tabs_run_at_once_without_mixing(server, browser):
    """Two tabs, two settings, both running at the same time: each shows its own run."""
    tabs = [open_page(browser, server["url"], height=900) for _ in range(2)]
    try:
        (_, a), (_, b) = tabs
        set_input(a, ".run-replications", "2")
        set_input(b, ".lever-input-municipal-platforms-per-year", "8")
        set_input(b, ".run-replications", "3")
        a.locator(".run-button").click()
        b.locator(".run-button").click()
        for page, n in ((a, 2), (b, 3)):
            page.locator(".run-done").wait_for()
            assert page.locator(".run-done").inner_text().startswith(f"{n} 次模拟")
        b.locator("table.comparison").wait_for()  # B moved a lever: compared with the plan
        assert a.locator(".innosim-head-compare").inner_text() == t("head_same", "zh")  # A runs the plan itself
        row = 'table.targets-outcome tr[data-target="municipal-platforms-2026"] td.c3'
        assert a.locator(row).inner_text() != b.locator(row).inner_text()
        for page in (a, b):  # both briefings written, each in its own folder
            page.locator(".saved-in").wait_for()
        assert a.locator(".saved-in").inner_text() != b.locator(".saved-in").inner_text()
    finally:
        for ctx, _ in tabs:
            ctx.close()
