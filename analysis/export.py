"""The report as a PDF (headless Chromium prints the HTML page) and as a slide deck (python-pptx).

- ``print_pdf(html, pdf)`` runs Debian's ``chromium --headless --print-to-pdf`` on the
  self-contained ``report.html`` (its print styles lay it out for A4: the executive
  summary on its own page, no figure cut by a page break) and then checks the pages it
  made (``check_pages``): every figure drawn whole on one page, the executive summary on
  the first page. A missing browser or a bad print is a ``ConfigError`` naming what to do.
- ``write_deck(report, pptx)`` writes a 16:9 deck: a title slide, the executive summary,
  then one slide per figure with its title, the figure and the one sentence it shows.

Chromium runs with the flags a root user on a machine without a display needs
(``CHROMIUM_ARGS``), a fresh profile directory and no network of its own; the page it
prints loads nothing from anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PdfReader

from analysis.document import Bullets, Chart
from sim.errors import ConfigError

if TYPE_CHECKING:
    from analysis.report import Report

PDF_NAME, PPTX_NAME = "report.pdf", "report.pptx"
CHROMIUM_ENV = "SILOSIM_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-extensions", "--no-pdf-header-footer")
PRINT_SECONDS = 120
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
SUMMARY_MARKER = "Executive summary"


def chromium() -> str:
    """The browser to print with: ``$SILOSIM_CHROMIUM``, else the first on PATH."""
    wanted = os.environ.get(CHROMIUM_ENV)
    found = shutil.which(wanted) if wanted else next(
        (path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)
    if found is None:
        raise ConfigError("--pdf", wanted or "chromium",
                          "a Chromium browser on PATH or in $SILOSIM_CHROMIUM "
                          "(Debian: apt-get install -y chromium)")
    return found


def print_pdf(html_path: Path, pdf_path: Path, expected_figures: int | None = None) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium; check its pages.

    The PDF is printed to a temporary name and moved into place only when the browser
    succeeded and ``check_pages`` found nothing wrong, so a bad print never replaces a
    good one. ``expected_figures`` defaults to the number of ``<img>`` in the page.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    partial = pdf_path.with_name(pdf_path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="silosim-chromium-") as profile:
        command = [chromium(), *CHROMIUM_ARGS, f"--user-data-dir={profile}",
                   f"--print-to-pdf={partial.resolve()}", html_path.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_SECONDS,
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            partial.unlink(missing_ok=True)
            raise ConfigError("--pdf", str(pdf_path),
                              f"a print within {PRINT_SECONDS} s (Chromium hung)") from exc
    if done.returncode != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:160]
        raise ConfigError("--pdf", str(pdf_path), f"a print by Chromium (it said: {last})")
    figures = (html_path.read_text(encoding="utf-8").count("<img ")
               if expected_figures is None else expected_figures)
    problems = check_pages(partial, figures)
    if problems:
        partial.unlink(missing_ok=True)
        raise ConfigError("--pdf", str(pdf_path), "pages without split figures: "
                          + "; ".join(problems))
    os.replace(partial, pdf_path)
    return pdf_path


def figure_placements(pdf_path: Path) -> list[list[str]]:
    """Per page, the images drawn on it (by the names the PDF gives them)."""
    reader = PdfReader(str(pdf_path))
    return [[image.name for image in page.images] for page in reader.pages]


def check_pages(pdf_path: Path, figures: int) -> list[str]:
    """What is wrong with the printed pages, or nothing.

    A figure cut by a page break is drawn on both pages, so it is counted twice: the
    images drawn over all pages must equal the figures of the report, each on one page.
    The first page must hold the executive summary.
    """
    reader = PdfReader(str(pdf_path))
    problems = []
    drawn = sum(len(page.images) for page in reader.pages)
    if drawn != figures:
        problems.append(f"{drawn} figure drawings on {len(reader.pages)} pages for {figures} "
                        "figures (a figure split over a page break is drawn twice)")
    first = reader.pages[0].extract_text() if reader.pages else ""
    if SUMMARY_MARKER not in first:
        problems.append("the first page does not show the executive summary")
    return problems


def write_deck(report: Report, pptx_path: Path) -> Path:
    """A 16:9 deck: title, executive summary, one slide per figure with its sentence."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    title_slide = deck.slides.add_slide(deck.slide_layouts[0])
    title_slide.shapes.title.text = report.title
    title_slide.placeholders[1].text = report.subtitle
    summary = next((s for s in report.sections if s.summary), None)
    if summary is not None:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = summary.title
        body = slide.placeholders[1].text_frame
        items = [i for b in summary.blocks if isinstance(b, Bullets) for i in b.items]
        for index, item in enumerate(items):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            paragraph.text = item
            paragraph.font.size = Pt(14)
        _fit(slide.placeholders[1], Inches)
    for chart in report.charts:
        _figure_slide(deck, chart, Inches, Pt)
    partial = pptx_path.with_name(pptx_path.name + ".partial")
    deck.save(str(partial))
    os.replace(partial, pptx_path)
    return pptx_path


def _fit(placeholder, inches) -> None:
    placeholder.left, placeholder.top = inches(0.5), inches(1.3)
    placeholder.width, placeholder.height = inches(SLIDE_WIDTH_IN - 1), inches(SLIDE_HEIGHT_IN - 1.6)


def _figure_slide(deck, chart: Chart, inches, pt) -> None:
    import io

    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = chart.title
    slide.shapes.title.text_frame.paragraphs[0].font.size = pt(28)
    picture = slide.shapes.add_picture(io.BytesIO(chart.png), inches(0.6), inches(1.25),
                                       height=inches(SLIDE_HEIGHT_IN - 2.4))
    if picture.width > inches(SLIDE_WIDTH_IN - 1.2):  # a tall figure: fit the width instead
        ratio = inches(SLIDE_WIDTH_IN - 1.2) / picture.width
        picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
    picture.left = int((deck.slide_width - picture.width) / 2)
    box = slide.shapes.add_textbox(inches(0.6), inches(SLIDE_HEIGHT_IN - 1.05),
                                   inches(SLIDE_WIDTH_IN - 1.2), inches(0.9))
    box.text_frame.word_wrap = True
    box.text_frame.text = chart.message or chart.how_to_read
    box.text_frame.paragraphs[0].font.size = pt(16)
