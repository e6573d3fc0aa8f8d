"""The dashboard served by ``silosim-dash`` works in headless Chromium: a lever, steps, charts.

Starts the real console script on a free port with a small organisation and a synthetic
sweep, drives Debian's ``chromium`` through Playwright (never ``playwright install``),
changes a lever, resets, steps the run and checks that the charts are redrawn and that the
page made no request off this machine and logged no error. Skips locally, fails in CI
(``CI=true``), when the browser is missing. The screenshot is kept in
``test-artifacts/dashboard.png``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

import pytest

from analysis import synthetic
from tests.test_report_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser

pytestmark = pytest.mark.browser

HOST = "127.0.0.1"
SERVER_START_SECONDS = 60
UI_SECONDS = 20
STEPS = 3
#: charts redrawn by three weeks: all but rep attrition, whose picture is the same until a rep
#: quits or a quarter has passed (an unchanged PNG keeps its image)
REDRAWN = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_serving(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"silosim-dash exited with {server.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"silosim-dash did not serve {url} within {SERVER_START_SECONDS} s")


@pytest.fixture
def dashboard_url(tmp_path) -> Iterator[str]:
    """``silosim-dash`` on a free port: a 10-rep organisation and a two-point synthetic sweep."""
    sweep = synthetic.write_results(tmp_path / "sweep", synthetic.scenario_comparison(), 20, weeks=26)
    port = free_port()
    command = [str(Path(sys.executable).with_name("silosim-dash")), "--port", str(port),
               "--scenario", "small_org", "--results", str(sweep)]
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        url = f"http://{HOST}:{port}/"
        wait_until_serving(server, url, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def image_sources(page) -> list[str]:
    return page.eval_on_selector_all("img", "images => images.map(image => image.src)")


def settled_image_sources(page) -> list[str]:
    """The images once the page has stopped redrawing them."""
    sources = image_sources(page)
    while True:
        page.wait_for_timeout(750)
        again = image_sources(page)
        if again == sources:
            return sources
        sources = again


def off_this_machine(url: str, server: str) -> bool:
    """True for a request to anywhere but the dashboard's server (blob: and data: stay local)."""
    return not url.startswith("data:") and urlsplit(url.removeprefix("blob:")).netloc != server


def test_dashboard_changes_a_lever_steps_and_redraws_its_charts(dashboard_url):
    require_browser()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.set_default_timeout(UI_SECONDS * 1000)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
            server = urlsplit(dashboard_url).netloc
            page.on("request", lambda request: problems.append(f"off this machine: {request.url}")
                    if off_this_machine(request.url, server) else None)
            page.goto(dashboard_url)
            page.get_by_text("Week 0 of 156").wait_for(timeout=SERVER_START_SECONDS * 1000)

            page.get_by_text("4. agile").click()                       # a lever: action 4
            page.get_by_text("Press Reset").wait_for()
            page.get_by_role("button", name="Reset", exact=True).click()
            page.get_by_text("model.programme.delivery=agile").wait_for()
            page.get_by_text("Week 0 of 156").wait_for()
            before = settled_image_sources(page)
            for week in range(1, STEPS + 1):
                page.get_by_role("button", name="Step", exact=True).click()
                page.get_by_text(f"Week {week} of 156").wait_for()
            page.get_by_text("Label if the run ended now").wait_for()
            page.wait_for_function(
                "before => Array.from(document.images).filter(i => !before.includes(i.src)).length"
                f" >= {REDRAWN}", arg=before)
            page.get_by_text("baseline (reference)").wait_for()       # the sweep's league table
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
            after = image_sources(page)
        finally:
            browser.close()
    assert len(after) == 7            # network view, five live charts, the sweep's success rates
    assert sum(source not in before for source in after) >= REDRAWN
    assert problems == []
