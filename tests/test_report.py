"""The report: written from results alone, self-contained, readable aloud; one-line errors."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from analysis import synthetic
from analysis.report import main, write_report
from analysis.synthetic import SyntheticPoint

REPO = Path(__file__).resolve().parents[1]
FACTORIAL_FIGURES = {"success_rates", "failure_modes", "odds_ratio_forest", "success_heatmap",
                     "adoption", "adoption_by_segment", "lead_funnel"}


@pytest.fixture(scope="module")
def factorial_report(tmp_path_factory) -> Path:
    directory = synthetic.write_results(tmp_path_factory.mktemp("factorial"),
                                        synthetic.silo_incentive_factorial(), 40, weeks=26,
                                        design={"method": "grid"})
    return write_report(directory)


@pytest.fixture(scope="module")
def comparison_dir(tmp_path_factory) -> Path:
    # 72/400 = 18% and 188/400 = 47%: the example sentence of the issue.
    return synthetic.write_results(tmp_path_factory.mktemp("comparison"),
                                   synthetic.scenario_comparison(0.18, 0.47), 400, weeks=8)


def test_report_reads_the_house_sentence_aloud(comparison_dir):
    markdown = (write_report(comparison_dir).parent / "report.md").read_text()
    assert re.search(r"five_actions raises success from 18% \[15–22\] to 47% \[42–52\], "
                     r"\+29 points, p < 0\.001", markdown)


def test_factorial_report_has_every_section_and_figure(factorial_report):
    markdown = (factorial_report.parent / "report.md").read_text()
    for heading in ("## Summary", "## Findings", "## League table", "## Tests against the",
                    "## Factorial analysis", "## Adoption over time", "## Lead funnel",
                    "## Key performance indicators", "## Replications", "## Configuration"):
        assert heading in markdown
    assert "Averaged over the other factors, silo.level=0.8 changes success by" in markdown
    assert "| 1 | baseline \\| silo.level=0.2 \\| incentives.marketing_pay=closed_revenue" \
        in markdown
    linked = set(re.findall(r"\]\(figures/(\w+)\.png\)", markdown))
    assert linked == FACTORIAL_FIGURES
    assert {p.stem for p in (factorial_report.parent / "figures").glob("*.png")} == linked


def test_html_is_self_contained(factorial_report):
    html = factorial_report.read_text()
    images = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert len(images) == len(FACTORIAL_FIGURES)
    assert all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r"""(src|href)=["'](https?:|//|[^"'#d])""", html)
    assert "<script" not in html and "<link" not in html


def test_reference_and_output_directory_can_be_chosen(comparison_dir, tmp_path, capsys):
    assert main([str(comparison_dir), "--reference", "five_actions", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "report.html")
    markdown = (tmp_path / "report.md").read_text()
    assert "Reference point: five_actions" in markdown
    assert "baseline lowers success from 47%" in markdown


def test_a_single_run_directory_gets_a_report_without_comparisons(tmp_path):
    directory = synthetic.write_results(tmp_path, [SyntheticPoint("baseline", 0.25)], 8, weeks=8)
    (directory / "sweep.json").unlink()
    runs = pd.read_parquet(directory / "runs.parquet").drop(columns=["point_index"])
    runs.to_parquet(directory / "runs.parquet")
    markdown = (write_report(directory).parent / "report.md").read_text()
    assert "## League table" in markdown and "## Tests against" not in markdown
    assert "succeeds in 25% [" in markdown


def test_separation_in_a_factorial_costs_only_the_interaction_model(tmp_path):
    shares = {(0.2, "lead_volume"): 0.3, (0.2, "closed_revenue"): 0.6,
              (0.8, "lead_volume"): 0.0, (0.8, "closed_revenue"): 0.25}
    points = synthetic.silo_incentive_factorial(shares)
    directory = synthetic.write_results(tmp_path, points, 10, weeks=8)
    markdown = (write_report(directory).parent / "report.md").read_text()
    assert "logistic regression with interactions left out" in markdown
    assert "all fail: the logistic model has no finite estimate (separation)" in markdown
    assert "Average marginal effects on the success rate" in markdown  # still estimable
    assert "![Success rate by silo.level and incentives.marketing_pay]" in markdown


def test_a_corrupt_timeseries_costs_only_the_figures_over_time(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4)
    (directory / "timeseries.parquet").write_bytes(b"not parquet")
    markdown = (write_report(directory).parent / "report.md").read_text()
    assert "adoption over time left out: " in markdown and "timeseries.parquet" in markdown
    assert "## Adoption over time" not in markdown and "## League table" in markdown


def test_large_designs_get_tables_instead_of_unreadable_figures(tmp_path):
    points = [SyntheticPoint("baseline", 0.1 * (i % 5), {"silo.level": i / 40, "org.n_reps": 60 + i,
                                                         "programme.kpis": bool(i % 2),
                                                         "incentives.rep_pay": f"s{i % 3}"})
              for i in range(31)]
    directory = synthetic.write_results(tmp_path, points, 3, weeks=4, reference=None,
                                        design={"method": "lhs"})
    markdown = (write_report(directory).parent / "report.md").read_text()
    assert "31 points are too many for legible per-point figures" in markdown
    assert "![" not in markdown
    assert "| baseline #30 | 90 | 0.75 | s0 | false |" in markdown  # the design's points


@pytest.mark.parametrize("fails", [False, True], ids=["included", "guarded"])
def test_sensitivity_section_for_design_sweeps(tmp_path, monkeypatch, fails):
    def report_section(results_dir: Path) -> tuple[str, str]:
        if fails:
            raise RuntimeError("too few trajectories")
        return "## Sensitivity: Morris\n\nmu_star table\n", "<h2>Sensitivity: Morris</h2>"

    for name in ("analysis.sensitivity", "analysis.discovery"):
        monkeypatch.setitem(sys.modules, name,
                            types.SimpleNamespace(report_section=report_section))
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4,
                                        design={"method": "morris"})
    html_path = write_report(directory)
    markdown = (html_path.parent / "report.md").read_text()
    if fails:
        assert "sensitivity analysis left out: RuntimeError: too few trajectories" in markdown
        assert "## Sensitivity" not in markdown
    else:
        assert markdown.count("## Sensitivity: Morris\n\nmu_star table") == 2
        assert "<h2>Sensitivity: Morris</h2>" in html_path.read_text()


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("make", "named"), [
    (lambda d: None, "no runs.parquet here"),
    (lambda d: (d / "runs.parquet").write_bytes(b"PAR1 broken"), "cannot be read as Parquet"),
    (lambda d: pd.DataFrame({"run_id": ["a"]}).to_parquet(d / "runs.parquet"),
     "missing column(s) scenario, point_id, label, success"),
    (lambda d: pd.DataFrame({c: pd.Series([], dtype=object) for c in
                             ("run_id", "scenario", "point_id", "label", "success")}
                            ).to_parquet(d / "runs.parquet"), "has no rows"),
])
def test_command_line_errors_are_one_line_with_exit_status_2(tmp_path, capsys, make, named):
    make(tmp_path)
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("silosim-report: error: ") and named in err
    assert err.count("\n") == 1
    assert not (tmp_path / "report.html").exists()


def test_an_unknown_reference_is_a_one_line_error(comparison_dir, capsys):
    assert main([str(comparison_dir), "--reference", "nope"]) == 2
    assert "--reference 'nope': matches no point" in capsys.readouterr().err


def test_the_module_entry_point_prints_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "analysis.report", str(tmp_path / "none")],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("silosim-report: error: ")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
