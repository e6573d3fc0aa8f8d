"""The report: written from results alone for any outcome mix, summary first, readable aloud,
paired when the runs are, in units, with paths relative to the results; one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from analysis import findings, synthetic
from analysis.report import main, write_report
from analysis.stats import OmnibusResult
from analysis.synthetic import Extras, SyntheticPoint
from experiments import job_files

REPO = Path(__file__).resolve().parents[1]
FACTORIAL_FIGURES = {"success_rates", "failure_modes", "odds_ratio_forest", "success_heatmap",
                     "adoption", "adoption_by_segment", "lead_funnel"}
EVERYTHING = Extras(titles=True, traits=True, counterfactual=True, economics=True)


def markdown_of(directory: Path, **options) -> str:
    return (write_report(directory, **options).parent / "report.md").read_text()


def sections(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.M)


@pytest.fixture(scope="module")
def factorial_report(tmp_path_factory) -> Path:
    directory = synthetic.write_results(tmp_path_factory.mktemp("factorial"),
                                        synthetic.silo_incentive_factorial(), 40, weeks=26,
                                        design={"method": "grid"})
    return write_report(directory)


@pytest.fixture(scope="module")
def comparison_dir(tmp_path_factory) -> Path:
    # 72/400 = 18% and 188/400 = 47%: the example sentence of the guide.
    return synthetic.write_results(tmp_path_factory.mktemp("comparison"),
                                   synthetic.scenario_comparison(0.18, 0.47), 400, weeks=8,
                                   extras=EVERYTHING)


@pytest.fixture(scope="module")
def comparison_markdown(comparison_dir) -> str:
    return markdown_of(comparison_dir)


def test_the_executive_summary_comes_first_with_question_answer_best_option_and_risk(
        comparison_markdown):
    assert sections(comparison_markdown)[0] == "Executive summary"
    summary = comparison_markdown.split("## Executive summary")[1].split("\n## ")[0]
    assert "The question: Does Five key actions give a sales organisation like Typical company" \
        in summary
    assert re.search(r"The answer: With Five key actions, 47% \[42–52\] of transformations "
                     r"succeed, against 18% \[15–22\] for Typical company: \+29 points "
                     r"\[\+\d\d to \+\d\d\] \(McNemar's exact test, Holm-adjusted p < 0\.001\)",
                     summary)
    assert re.search(r"The best option: Five key actions\. Its main risk: .+ \(\d+% of its runs\)",
                     summary)
    assert "same 400 simulated companies" in summary


def test_the_report_reads_the_house_sentence_aloud(comparison_markdown):
    assert re.search(r"Five key actions raises success from 18% \[15–22\] to 47% \[42–52\], "
                     r"\+29 points \[\+\d\d to \+\d\d\], p < 0\.001", comparison_markdown)


def test_paired_runs_get_paired_tests_and_the_report_says_why(comparison_markdown, tmp_path):
    assert "seeding: common" in comparison_markdown
    assert "Cochran's Q test" in comparison_markdown
    assert "| point | pairs |" in comparison_markdown
    assert "Fisher" not in comparison_markdown
    independent = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.18, 0.47),
                                          100, weeks=4, seeding="independent")
    markdown = markdown_of(independent)
    assert "seeding: independent" in markdown and "Fisher's exact test" in markdown
    assert "McNemar" not in markdown and "| point | runs | success vs" in markdown


def test_values_carry_units_and_the_counterfactual_is_the_headline_value(comparison_markdown,
                                                                         tmp_path):
    summary = comparison_markdown.split("\n## ")[1]
    assert "Final-year revenue with the programme vs without (ratio, 1.0 = no effect): " \
        "Five key actions ×1.0" in summary
    assert "Revenue at the end vs the baseline quarter" not in comparison_markdown
    assert "| Recurring revenue at the end ($k per year) |" in comparison_markdown
    assert re.search(r"\| Adoption at the end \(share of work in the tools\) \| \d+% \[\d+–\d+\]",
                     comparison_markdown)
    old = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 30, weeks=4)
    assert "Revenue at the end vs the baseline quarter (ratio, 1.0 = the baseline quarter): " \
        in markdown_of(old).split("\n## ")[1]


def test_economics_and_luck_sections_appear_when_their_columns_do(comparison_markdown, tmp_path):
    assert "## Economics" in comparison_markdown and "## Luck versus levers" in comparison_markdown
    assert "| Programme cost ($k) |" in comparison_markdown
    assert re.search(r"the company's own traits \(culture, tool fit\) \d+%", comparison_markdown)
    assert re.search(r"companies in the lowest third of culture \([\d.]+ to [\d.]+\) succeed in "
                     r"\d+% \[\d+–\d+\] of runs", comparison_markdown)
    plain = markdown_of(synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 20,
                                                weeks=4))
    assert "## Economics" not in plain and "## Luck versus levers" not in plain
    assert "no company.<trait> columns" in plain


def test_paths_are_relative_to_the_results_directory(comparison_dir, comparison_markdown):
    html = (comparison_dir / "report.html").read_text()
    for text in (comparison_markdown, html):
        assert str(comparison_dir) not in text and str(comparison_dir.parent) not in text
    assert f"Results directory: {comparison_dir.name}/" in comparison_markdown


def test_title_and_client_options(comparison_dir, tmp_path, capsys):
    assert main([str(comparison_dir), "--out", str(tmp_path), "--title", "ACME: the five actions",
                 "--client", "ACME Corp"]) == 0
    markdown = (tmp_path / "report.md").read_text()
    assert markdown.startswith("# ACME: the five actions\n\n_Prepared for ACME Corp · ")
    assert "<h1>ACME: the five actions</h1><p class=\"subtitle\">Prepared for ACME Corp" in (
        tmp_path / "report.html").read_text()


def test_factorial_report_has_every_section_and_figure(factorial_report):
    markdown = (factorial_report.parent / "report.md").read_text()
    assert sections(markdown) == [
        "Executive summary", "Findings", "League table", "Tests against the reference "
        "(baseline, silo level 0.2, what marketing is paid on: lead volume)", "Factorial analysis",
        "Adoption over time", "Lead funnel", "Key performance indicators", "Replications",
        "About these results", "Configuration"]
    assert "GEE logistic regression clustered on the replicate" in markdown
    assert re.search(r"Averaged over the other factors, silo level 0\.8 changes success by -\d+ "
                     r"points \[-\d+ to -\d+\], Holm-adjusted p", markdown)
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
    assert "Reference point: Five key actions\n" in markdown
    assert "Typical company lowers success from 47%" in markdown


# ------------------------------------------------------------- every outcome mix


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10, 23])
@pytest.mark.parametrize(("reference", "other"), [(0.0, 1.0), (1.0, 0.0), (0.0, 0.0),
                                                  (1.0, 1.0)])
def test_a_report_for_any_mix_of_no_and_all_successes(tmp_path, n, reference, other):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(reference, other),
                                        n, weeks=4)
    markdown = markdown_of(directory)
    assert sections(markdown)[:3] == ["Executive summary", "Findings", "League table"]
    assert f"{100 * reference:.0f}% [" in markdown and "The answer: " in markdown
    if reference == other:
        assert "No option is clearly better than baseline" in markdown
    assert "Traceback" not in markdown and not re.search(r"\bnan\b", markdown.lower())


@pytest.mark.parametrize("share", [0.0, 0.4, 1.0])
def test_a_single_point_and_a_single_run_get_a_report_without_comparisons(tmp_path, share):
    for replications in (1, 8):
        directory = synthetic.write_results(tmp_path / str(replications),
                                            [SyntheticPoint("baseline", share)], replications,
                                            weeks=4)
        (directory / "sweep.json").unlink()
        runs = pd.read_parquet(directory / "runs.parquet").drop(columns=["point_index"])
        runs.to_parquet(directory / "runs.parquet")
        markdown = markdown_of(directory)
        assert "## League table" in markdown and "## Tests against" not in markdown
        assert f"baseline succeeds in {100 * round(share * replications) / replications:.0f}% [" \
            in markdown
        assert "Its main risk: " in markdown


def test_a_design_point_with_no_success_does_not_break_the_figures(tmp_path):
    shares = {(0.2, "lead_volume"): 0.0, (0.2, "closed_revenue"): 1.0,
              (0.8, "lead_volume"): 0.0, (0.8, "closed_revenue"): 0.5}
    directory = synthetic.write_results(tmp_path, synthetic.silo_incentive_factorial(shares), 9,
                                        weeks=4, extras=Extras(traits=True))
    markdown = markdown_of(directory)
    assert "figures/success_rates.png" in markdown and "figures/success_heatmap.png" in markdown
    assert "## Luck versus levers" in markdown


# ----------------------------------------------------- findings agree with the tests


def test_findings_never_claim_a_difference_the_omnibus_test_rejects():
    rates = pd.DataFrame({"point": ["ref", "a", "b"], "n": [40, 40, 40], "rate": [0.2, 0.45, 0.3],
                          "ci_low": [0.1, 0.3, 0.18], "ci_high": [0.35, 0.6, 0.45]})
    pairwise = pd.DataFrame({"point": ["a", "b"], "n": [40, 40], "rate": [0.45, 0.3],
                             "reference_rate": [0.2, 0.2], "risk_difference": [0.25, 0.1],
                             "rd_low": [0.05, -0.1], "rd_high": [0.45, 0.3],
                             "p_holm": [0.019, 0.5]})
    within_chance = OmnibusResult(3.1, 2, 0.21, 3, 10.0)
    spoken = " ".join(findings.comparisons(rates, pairwise, "ref", within_chance))
    assert "raises" not in spoken and "not distinguishable" in spoken
    assert "finds no difference beyond chance" in spoken
    effects = pd.DataFrame({"term": ["x=1"], "ame_pp": [12.0], "ci_low_pp": [1.0],
                            "ci_high_pp": [23.0], "p_value": [0.03], "p_holm": [0.03]})
    assert findings.factor_effects(effects, within_chance) == []
    differ = OmnibusResult(12.0, 2, 0.002, 3, 10.0)
    assert "a raises success" in " ".join(findings.comparisons(rates, pairwise, "ref", differ))
    assert findings.factor_effects(effects, differ)


def test_no_standardised_effect_is_quoted_for_a_kpi_that_barely_varies(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.2, 0.5), 40,
                                        weeks=4)
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["rep_attrition_annual"] = (runs["scenario"] == "five_actions") * 0.008 + 0.15 + \
        runs["replicate"] * 1e-6 + np.random.default_rng(0).normal(0, 1e-5, len(runs))
    runs.to_parquet(directory / "runs.parquet")
    markdown = markdown_of(directory)
    row = next(line for line in markdown.splitlines()
               if line.startswith("| Rep attrition (share of reps per year) |") and "vs" not in
               line and "points [" in line)
    assert "g = " not in row
    assert "g = " not in " ".join(line for line in markdown.splitlines() if line.startswith("- "))


# ------------------------------------------------------------------ robustness


def test_separation_in_a_factorial_costs_only_the_interaction_model(tmp_path):
    shares = {(0.2, "lead_volume"): 0.3, (0.2, "closed_revenue"): 0.6,
              (0.8, "lead_volume"): 0.0, (0.8, "closed_revenue"): 0.25}
    points = synthetic.silo_incentive_factorial(shares)
    directory = synthetic.write_results(tmp_path, points, 10, weeks=8)
    markdown = markdown_of(directory)
    assert "logistic regression with interactions left out" in markdown
    assert "all fail: the logistic model has no finite estimate (separation)" in markdown
    assert "Average marginal effects on the success rate" in markdown  # still estimable
    assert "![Success rate by silo level and what marketing is paid on]" in markdown


def test_too_few_shared_replicates_fall_back_to_independent_tests(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4)
    runs = pd.read_parquet(directory / "runs.parquet")
    five = runs["scenario"] == "five_actions"
    runs.loc[five, "replicate"] += 5   # only replicate 5 is shared
    runs.loc[five & (runs["replicate"] != 5), "seed"] += 7
    runs.loc[five & (runs["replicate"] == 5), "seed"] = runs.loc[
        ~five & (runs["replicate"] == 5), "seed"].iloc[0]
    runs.to_parquet(directory / "runs.parquet")
    markdown = markdown_of(directory)
    assert "paired tests not possible" in markdown and "Fisher's exact test" in markdown


def test_a_corrupt_timeseries_costs_only_the_figures_over_time(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4)
    (directory / "timeseries.parquet").write_bytes(b"not parquet")
    markdown = markdown_of(directory)
    assert "adoption over time left out: " in markdown and "timeseries.parquet" in markdown
    assert "## Adoption over time" not in markdown and "## League table" in markdown


def test_large_designs_get_tables_instead_of_unreadable_figures(tmp_path):
    points = [SyntheticPoint("baseline", 0.1 * (i % 5), {"silo.level": i / 40, "org.n_reps": 60 + i,
                                                         "programme.kpis": bool(i % 2),
                                                         "incentives.rep_pay": f"s{i % 3}"})
              for i in range(31)]
    directory = synthetic.write_results(tmp_path, points, 3, weeks=4, reference=None,
                                        design={"method": "lhs"},
                                        extras=Extras(economics=True))
    markdown = markdown_of(directory)
    assert "31 points are too many for legible per-point figures" in markdown
    assert "![" not in markdown
    assert "| baseline #30 | 90 | 0.75 | s0 | off |" in markdown  # the design's points
    assert "KPIs and economics are compared for the reference and the 11 points" in markdown
    kpis = markdown.split("## Key performance indicators")[1].split("\n## ")[0]
    assert len({line.split(" | ")[1] for line in kpis.splitlines()
                if line.startswith("| Adoption at the end")}) == 12
    economics = markdown.split("## Economics")[1].split("\n## ")[0]
    assert economics.count("| baseline #") == 12 + 11   # money table; each against the reference


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


def test_a_directory_a_silosim_command_is_writing_is_refused_naming_the_holder(tmp_path, capsys):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4)
    with job_files.command_lock(directory):          # as a running silosim holds it
        assert main([str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("silosim-report: error: ") and err.count("\n") == 1
    assert f"silosim pid {os.getpid()} is" in err
    assert not (directory / "report.html").exists()
    assert main([str(directory)]) == 0                 # free again: the report is written
    assert (directory / "report.html").is_file()


def test_an_unknown_reference_is_a_one_line_error(comparison_dir, capsys):
    assert main([str(comparison_dir), "--reference", "nope"]) == 2
    assert "--reference 'nope': matches no point" in capsys.readouterr().err


def test_pdf_without_a_browser_is_a_one_line_error_and_keeps_the_html(tmp_path, capsys,
                                                                      monkeypatch):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4)
    monkeypatch.setenv("SILOSIM_CHROMIUM", "no-such-browser")
    assert main([str(directory), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--pdf='no-such-browser'" in err and "apt-get install" in err
    assert (directory / "report.html").is_file() and not (directory / "report.pdf").exists()


def test_the_module_entry_point_prints_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "analysis.report", str(tmp_path / "none")],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("silosim-report: error: ")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_sweep_json_without_settings_still_reports(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 6, weeks=4)
    sweep = json.loads((directory / "sweep.json").read_text())
    del sweep["settings"]
    (directory / "sweep.json").write_text(json.dumps(sweep))
    assert "McNemar" in markdown_of(directory)  # the seeds show the pairing


# ------------------------------------------------------- the summary says how sure it is


def summary_of(markdown: str) -> str:
    return markdown.split("## Executive summary")[1].split("\n## ")[0]


def test_a_wide_interval_is_called_inconclusive_with_the_pairs_a_decisive_answer_needs(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.33, 0.83), 6,
                                        weeks=4, extras=Extras(titles=True))
    summary = summary_of(markdown_of(directory))
    assert "as good on this evidence" not in summary
    found = re.search(r"The comparison is inconclusive: Five key actions is (\+\d+) points "
                      r"\[(-?\+?\d+) to \+(\d+)\] against Typical company.+ about (\d+) paired "
                      r"replications per point", summary)
    assert found, summary
    low, high, needed = int(found[2]), int(found[3]), int(found[4])
    assert low < 10 <= high and 6 < needed < 400
    assert "Main risk of Typical company: " in summary


def test_staying_is_as_good_only_when_no_interval_reaches_a_ten_point_gain(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.3, 0.3), 1000,
                                        weeks=4, extras=Extras(titles=True))
    summary = summary_of(markdown_of(directory))
    assert re.search(r"No option beats Typical company clearly, and none can be 10 points "
                     r"better than it .+ staying with Typical company is as good on this "
                     r"evidence", summary)
    assert "inconclusive" not in summary


def test_the_replications_a_decisive_answer_needs_do_decide_it(tmp_path):
    # the count the summary names, run, gives a clear answer for the same true rates
    directory = synthetic.write_results(tmp_path / "few", synthetic.scenario_comparison(0.2, 0.5),
                                        10, weeks=4, extras=Extras(titles=True))
    needed = int(re.search(r"about (\d+) paired replications",
                           summary_of(markdown_of(directory)))[1])
    more = synthetic.write_results(tmp_path / "more", synthetic.scenario_comparison(0.2, 0.5),
                                   needed, weeks=4, extras=Extras(titles=True))
    assert "The best option: Five key actions." in summary_of(markdown_of(more))


def test_the_summary_says_when_the_reference_was_picked_by_default(tmp_path):
    points = [SyntheticPoint("kpis_only", 0.3, {"programme.kpis": True}),
              SyntheticPoint("agile", 0.2, {"delivery.name": "agile"})]
    directory = synthetic.write_results(tmp_path, points, 20, weeks=4, reference=None)
    summary = summary_of(markdown_of(directory))
    assert "Compared against kpis_only, picked by default: no reference was named" in summary
    named = summary_of(markdown_of(directory, reference="agile"))
    assert "picked by default" not in named


def test_common_settings_are_one_line_and_the_names_stay_short(tmp_path):
    shared = {"org.n_reps": 20, "org.n_marketers": 3}
    points = [SyntheticPoint("baseline", 0.2, shared),
              SyntheticPoint("five_actions", 0.5, {**synthetic.FIVE_ACTIONS, **shared})]
    directory = synthetic.write_results(tmp_path, points, 20, weeks=4,
                                        extras=Extras(titles=True, labels=True))
    markdown = markdown_of(directory)
    assert markdown.startswith("# What-if: Five key actions against Typical company\n")
    assert "- Common settings (every point): 20 sales reps, 3 marketers." in summary_of(markdown)
    assert "Common settings (every point, left out of the point names): 20 sales reps, " \
        "3 marketers" in markdown
    assert "Typical company, 20 sales reps" not in markdown


def test_a_lever_sweep_asks_about_its_levers_not_the_baseline_question(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.silo_incentive_factorial(), 20,
                                        weeks=4, extras=Extras(titles=True))
    (directory / "config.yaml").write_text("scenario: baseline\ntitle: Typical company\n"
                                           "question: How often does a typical company's sales "
                                           "digitalisation succeed?\n")
    summary = summary_of(markdown_of(directory))
    assert "The question: How do the odds that Typical company's digital transformation " \
        "succeeds change with silo level and what marketing is paid on?" in summary
    assert "typical company's sales digitalisation" not in summary


def test_a_one_point_one_run_report_speaks_in_the_singular_without_tests(tmp_path):
    directory = synthetic.write_results(tmp_path, [SyntheticPoint("baseline", 1.0)], 1, weeks=4)
    markdown = markdown_of(directory)
    assert "of 1 simulated run (95% interval)" in markdown
    assert "Based on 1 simulated run;" in markdown
    assert "1 simulated runs" not in markdown and "1 scenario point and 1 run," in markdown
    assert "p-values" not in markdown and "Fisher" not in markdown and "McNemar" not in markdown


def test_the_luck_line_leaves_the_summary_when_its_models_cannot_carry_it(tmp_path):
    few = synthetic.write_results(tmp_path / "few", synthetic.scenario_comparison(0.3, 0.6), 8,
                                  weeks=4, extras=Extras(traits=True))
    markdown = markdown_of(few)
    assert "Of the variation in success" not in summary_of(markdown)
    assert "Too few runs to split success between the levers and the company's traits" in \
        markdown
    many = synthetic.write_results(tmp_path / "many", synthetic.scenario_comparison(0.3, 0.6), 400,
                                   weeks=4, extras=Extras(traits=True))
    summary = summary_of(markdown_of(many))
    assert "Of the variation in success between runs" in summary


# --------------------------------------------- KPI intervals agree with their tests


def test_kpi_differences_use_the_tests_own_interval_and_leave_out_what_cannot_differ(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.2, 0.5), 30,
                                        weeks=4, extras=Extras(titles=True, counterfactual=True))
    runs = pd.read_parquet(directory / "runs.parquet")
    baseline = runs[runs["scenario"] == "baseline"].set_index("replicate")
    # the same company without the programme, and its pre-programme quarter: equal in every pair
    runs["recurring_revenue_final_without"] = runs["replicate"].map(baseline["revenue_final"])
    runs["quota_attained_share_baseline"] = runs["replicate"].map(baseline["adoption_final"])
    runs.to_parquet(directory / "runs.parquet")
    markdown = markdown_of(directory)
    kpis = markdown.split("## Key performance indicators")[1].split("\n## ")[0]
    differences = kpis.split("_Mean per run")[1]
    assert "Recurring revenue at the end without the programme" not in differences.split("_")[1]
    assert "Reps at or above quota in the baseline quarter" not in differences.split("_")[1]
    assert "Not compared, as every pair of runs differs by the same amount (nothing to test): " \
           "recurring revenue at the end without the programme; reps at or above quota in the " \
           "baseline quarter." in differences
    assert "t-interval (unadjusted)" in differences and "Holm-adjusted" in differences
    assert "| Recurring revenue at the end without the programme ($k per year) |" in kpis
    # each interval is the paired t-test's: it excludes 0 exactly when p < 0.05 before Holm
    wide = runs.pivot(index="replicate", columns="scenario", values="adoption_final")
    test = sps.ttest_rel(wide["five_actions"], wide["baseline"])
    interval = test.confidence_interval()
    row = next(line for line in differences.splitlines()
               if line.startswith("| Adoption at the end"))
    shown = re.search(r"\[([-+]\d+) to ([-+]\d+)\]", row)
    assert (int(shown[1]), int(shown[2])) == (round(100 * interval.low),
                                              round(100 * interval.high))


def test_an_interval_clear_of_zero_with_a_test_that_is_not_is_still_inconclusive(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(0.0, 0.67), 6,
                                        weeks=4, extras=Extras(titles=True))
    summary = summary_of(markdown_of(directory))
    found = re.search(r"The comparison is inconclusive: Five key actions is \+67 points "
                      r"\[\+(\d+) to \+\d+\] against Typical company, yet the test does not rule "
                      r"out chance \(McNemar's exact test, Holm-adjusted p = ([\d.]+)\)", summary)
    assert found, summary
    assert int(found[1]) > 0 and float(found[2]) >= 0.05
