"""Exports: the PDF has the pages (summary first, no figure split), the deck opens with its slides.

The PDF test drives Debian's ``chromium`` headless, so it is a browser test: it skips
locally and fails in CI (``CI=true``) without the browser, like the other browser tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from analysis import export, synthetic
from analysis.report import write_report
from tests.test_report_browser import require_browser


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    directory = synthetic.write_results(tmp_path_factory.mktemp("export"),
                                        synthetic.silo_incentive_factorial(), 30, weeks=26,
                                        design={"method": "grid"},
                                        extras=synthetic.Extras(titles=True, traits=True))
    write_report(directory, pptx=True, client="ACME Corp", title="ACME: silos and pay")
    return directory


def figures_in(directory: Path) -> int:
    return (directory / "report.html").read_text().count("<img ")


def test_the_deck_opens_with_a_title_the_summary_and_one_slide_per_figure(exported):
    deck = Presentation(str(exported / export.PPTX_NAME))
    slides = list(deck.slides)
    assert len(slides) == 2 + figures_in(exported)
    assert slides[0].shapes.title.text == "ACME: silos and pay"
    assert "Prepared for ACME Corp" in slides[0].placeholders[1].text
    assert slides[1].shapes.title.text == "Executive summary"
    assert "The answer: " in slides[1].placeholders[1].text
    titles = [s.shapes.title.text for s in slides[2:]]
    assert titles[0] == "Success rate per scenario point"
    assert "Success by company trait" in titles
    for slide in slides[2:]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        texts = [s.text_frame.text for s in slide.shapes
                 if s.has_text_frame and s != slide.shapes.title]
        assert len(pictures) == 1 and texts and len(texts[0]) > 20
        picture = pictures[0]
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height
    assert "succeed" in slides[2].shapes[-1].text_frame.text  # the answer under the headline


@pytest.mark.browser
def test_the_pdf_has_the_summary_on_page_one_and_every_figure_whole(exported):
    require_browser()
    pdf = export.print_pdf(exported / "report.html", exported / export.PDF_NAME)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "ACME: silos and pay" in first and "Executive summary" in first
    assert "The answer:" in first and "Findings" not in first  # the summary has its page
    drawn = [len(page.images) for page in reader.pages]
    assert sum(drawn) == figures_in(exported)  # a split figure would be drawn twice
    assert export.check_pages(pdf, figures_in(exported)) == []
    assert export.check_pages(pdf, figures_in(exported) + 1)  # the check can fail


def test_a_print_problem_is_refused_and_leaves_no_partial_file(exported, monkeypatch, tmp_path):
    monkeypatch.setenv(export.CHROMIUM_ENV, "false")  # /usr/bin/false: exits 1, prints nothing
    with pytest.raises(Exception, match=r"--pdf=.*a print by Chromium"):
        export.print_pdf(exported / "report.html", tmp_path / "report.pdf")
    assert not list(tmp_path.iterdir())
