"""The report opens in headless Chromium: every figure renders and the page logs no errors.

Uses Debian's ``chromium`` (``apt-get install -y chromium``) through Playwright's
Python API — never ``playwright install``. Without the browser the test skips
locally and fails in CI (``CI=true``), so the check cannot silently vanish there.
The full-page screenshot is kept in ``test-artifacts/report.png``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis import synthetic
from analysis.report import write_report

CHROMIUM = os.environ.get("SILOSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = pytest.mark.browser


def require_browser() -> None:
    """Skip locally, fail in CI, when Playwright or Chromium is missing."""
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright Python package"
    if missing is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing = f"{CHROMIUM} (apt-get install -y chromium)"
    if missing is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test needs {missing}")
    pytest.skip(f"browser test needs {missing}")


def test_report_renders_every_figure_without_page_errors(tmp_path):
    require_browser()
    from playwright.sync_api import sync_playwright

    directory = synthetic.write_results(tmp_path, synthetic.silo_incentive_factorial(), 30,
                                        weeks=26, design={"method": "grid"})
    report = write_report(directory)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
            page.goto(report.as_uri(), wait_until="load")
            images = page.eval_on_selector_all("img", """images => images.map(img => {
                const box = img.getBoundingClientRect();
                return {alt: img.alt, complete: img.complete, natural: img.naturalWidth,
                        width: box.width, height: box.height};
            })""")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert len(images) == 7
    for image in images:
        assert image["complete"] and image["natural"] > 0, image["alt"]
        assert image["width"] > 0 and image["height"] > 0, image["alt"]
    assert problems == []
    assert (ARTIFACTS / "report.png").stat().st_size > 0
