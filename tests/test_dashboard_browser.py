"""The dashboard served by ``silosim-dash`` works in headless Chromium: levers, steps, Replicate.

Starts the real console script on a free port with a small organisation, a synthetic
sweep and a folder with one scenario file of the user's, drives Debian's ``chromium``
through Playwright (never ``playwright install``): changes a lever, resets, steps the run
and checks that the charts are redrawn; runs **Replicate** and reads its progress, success
rate and label mix; checks that the page made no request off this machine and logged no
error. The same server is asked for a foreign Host and for a CDN package it does not have.
The browser tests (marked ``browser``) skip locally, and fail in CI (``CI=true``), when the
browser is missing; the Host and CDN checks need no browser. The screenshots are kept in
``test-artifacts/dashboard*.png``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

import pytest

from analysis import synthetic
from tests.test_report_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser

HOST = "127.0.0.1"
SERVER_START_SECONDS = 60
UI_SECONDS = 20
REPLICATE_SECONDS = 120
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


USER_SCENARIO = """# @package _global_
defaults:
  - small_org
  - _self_
scenario: acme
title: ACME today
question: Would ACME do better with less silo?
model:
  silo:
    level: 0.8
"""


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory) -> Iterator[str]:
    """``silosim-dash`` on a free port: a 10-rep organisation, a synthetic sweep, a user file."""
    tmp_path = tmp_path_factory.mktemp("dashboard")
    sweep = synthetic.write_results(tmp_path / "sweep", synthetic.scenario_comparison(), 20,
                                    weeks=26, extras=synthetic.Extras(titles=True))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "acme.yaml").write_text(USER_SCENARIO)
    port = free_port()
    command = [str(Path(sys.executable).with_name("silosim-dash")), "--port", str(port),
               "--scenario", "small_org", "--results", str(sweep), "--scenarios", str(mine)]
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


def open_page(playwright, url: str, problems: list[str]):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.set_default_timeout(UI_SECONDS * 1000)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    server = urlsplit(url).netloc
    page.on("request", lambda request: problems.append(f"off this machine: {request.url}")
            if off_this_machine(request.url, server) else None)
    page.goto(url)
    page.get_by_text("Week 0 of 156").wait_for(timeout=SERVER_START_SECONDS * 1000)
    return browser, page


@pytest.mark.browser
def test_dashboard_changes_a_lever_steps_and_redraws_its_charts(dashboard_url):
    require_browser()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser, page = open_page(playwright, dashboard_url, problems)
        try:
            page.get_by_text("4. Agile delivery").click()             # a lever: action 4
            page.get_by_text("Press Reset").wait_for()
            page.get_by_role("button", name="Reset", exact=True).click()
            page.get_by_text("delivery=agile").wait_for()
            page.get_by_text("Week 0 of 156").wait_for()
            before = settled_image_sources(page)
            for week in range(1, STEPS + 1):
                page.get_by_role("button", name="Step", exact=True).click()
                page.get_by_text(f"Week {week} of 156").wait_for()
            page.get_by_text("Label if the run ended now").wait_for()
            page.wait_for_function(
                "before => Array.from(document.images).filter(i => !before.includes(i.src)).length"
                f" >= {REDRAWN}", arg=before)
            page.get_by_text("Typical company (reference)").wait_for()  # the sweep's league
            body = page.inner_text("body")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
            after = image_sources(page)
        finally:
            browser.close()
    assert len(after) == 8            # network view, six live charts, the sweep's success rates
    assert sum(source not in before for source in after) >= REDRAWN
    assert "Model Parameters" not in body and "PAGE 0" not in body and "Time:" not in body
    assert problems == []


@pytest.mark.browser
def test_replicate_runs_the_levers_on_screen_with_progress_rate_and_label_mix(dashboard_url):
    require_browser()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser, page = open_page(playwright, dashboard_url, problems)
        try:
            field = page.get_by_label("Replications (1–1000)")
            field.fill("6")
            field.press("Enter")
            page.get_by_role("button", name="Replicate", exact=True).click()
            page.get_by_text(re.compile(r"\d of 6 runs done")).wait_for()   # the progress
            page.get_by_text(re.compile(r"Success: \d+% \[\d+–\d+\] of 6 runs")).wait_for(
                timeout=REPLICATE_SECONDS * 1000)
            page.get_by_text("Against the sweep's reference:").wait_for()
            page.get_by_text(re.compile(r"stalled \d+%")).wait_for()         # the label mix
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-replicate.png"), full_page=True)
            page.locator(".v-select").first.click()                         # the scenario list
            page.get_by_text("ACME today", exact=True).wait_for()           # the user's file
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)


def test_the_server_answers_only_local_host_names_and_fetches_nothing(dashboard_url):
    """No browser: plain HTTP requests to the server the browser tests share."""
    def status(path: str, host: str | None = None) -> int:
        request = urllib.request.Request(dashboard_url.rstrip("/") + path,
                                         headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except HTTPError as error:
            return error.code

    assert status("/") == 200
    assert status("/", "localhost") == 200
    assert status("/", "attacker.example") == 400
    assert status("/_solara/cdn/requirejs@2.3.6/require.js") == 200     # installed locally
    started = time.monotonic()
    assert status("/_solara/cdn/left-pad@1.3.0/index.js") == 404       # not fetched from the CDN
    assert time.monotonic() - started < 5
