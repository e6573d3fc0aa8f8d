"""The sweep report: statistics, figures and plain-language findings, from a results dir alone.

``write_report(dir)`` runs at the end of every sweep, and ``silosim-report DIR``
rebuilds it at any time from the files in ``dir`` (see ``analysis.results``). It
writes ``report.html`` (one self-contained page), ``report.md`` (a Markdown
summary) and the PNGs the Markdown links in ``figures/`` — slide-ready, for
pasting into a deck. Bad input ends the command with one line on stderr and exit
status 2; nothing in the results directory is changed except those outputs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis import figures, findings
from analysis.document import (
    FIGURE_DIR,
    Block,
    Bullets,
    Chart,
    Code,
    Fragment,
    Paragraph,
    Section,
    Table,
    render_html,
    render_markdown,
)
from analysis.findings import number_interval, p_text, percent, percent_interval, ratio_interval
from analysis.results import (
    CONFIG_FILE,
    LABELS,
    MAX_NAMED_KEYS,
    POINT,
    SEGMENTS,
    ResultsError,
    SweepResults,
    format_value,
    load_results,
    weekly_summary,
)
from analysis.stats import (
    KPI_LABELS,
    EstimationError,
    OmnibusResult,
    average_marginal_effects,
    failure_modes,
    kpi_effects,
    lead_funnel,
    league_table,
    logit_coefficients,
    omnibus_test,
    pairwise_vs_reference,
    replication_plan,
    success_rates,
)
from sim.errors import ConfigError

HTML_NAME, MARKDOWN_NAME = "report.html", "report.md"
DETECTABLE_DIFFERENCE, POWER, TARGET_WIDTH = 0.10, 0.8, 0.10
MAX_POINTS_PLOTTED = 30
DESIGN_ANALYSES = (  # module with report_section(dir), its title, the design methods it reads
    ("analysis.sensitivity", "Sensitivity analysis", ("morris", "sobol")),
    ("analysis.discovery", "Scenario discovery", ("morris", "sobol", "lhs")),
)
GUIDES = {
    "success_rates": "Each dot is the share of runs in which the transformation succeeded; "
    "the bar is its 95% interval, the grey dot and dashed line the reference. Points whose "
    "bars overlap a lot are not clearly different — the tests table says how sure a gap is.",
    "failure_modes": "Each bar splits a point's runs by how they ended: success, stalled "
    "(cancelled or never rolled out), low adoption (rolled out, too few genuine users) or "
    "not sustained (reached the bar, then fell back). It shows what to fix, not just how often.",
    "odds_ratio_forest": "Odds of success at each point divided by the odds at the reference. "
    "Right of the dashed line (1) is better than the reference; an interval that crosses the "
    "line is compatible with no difference. The axis is logarithmic: 2 and 0.5 are equally far.",
    "success_heatmap": "Success rate in every combination of the two factors, pooled over "
    "any other factor. Read along a row to see the factor on the x-axis at a fixed value of "
    "the other; if the rows change differently, the factors interact.",
    "adoption": "Mean share of work done in the tools across runs, week by week; the band is "
    "the 95% interval of that mean. A curve that rises and then sags is a programme that is "
    "not sustained; a flat curve near zero is one that never rolled out.",
    "adoption_by_segment": "The same curves for enthusiasts, reluctant reps and avoiders. "
    "Success usually depends on the reluctant middle: look for which scenarios lift it.",
    "lead_funnel": "Share of the leads marketing created that were followed up, qualified "
    "and won, per point. Silos and unscored lead dumps show up as a steep first drop.",
}


@dataclass(frozen=True)
class Factorial:
    """The factorial analysis; a part is None when the data cannot support it."""

    coefficients: pd.DataFrame | None
    effects: pd.DataFrame | None


@dataclass(frozen=True)
class Analysis:
    """Every statistic of the report, computed once."""

    rates: pd.DataFrame
    modes: pd.DataFrame
    league: pd.DataFrame
    omnibus: OmnibusResult | None
    label_omnibus: OmnibusResult | None
    pairwise: pd.DataFrame
    plan: pd.DataFrame
    kpis: pd.DataFrame
    funnel: pd.DataFrame


def analyse(results: SweepResults) -> Analysis:
    """Success rates, tests against the reference, KPIs, funnel and replication plan."""
    runs, several = results.runs, len(results.points) > 1
    return Analysis(
        rates=success_rates(runs),
        modes=failure_modes(runs),
        league=league_table(runs),
        omnibus=omnibus_test(runs) if several else None,
        label_omnibus=omnibus_test(runs, outcome="label") if several else None,
        pairwise=pairwise_vs_reference(runs, results.reference),
        plan=replication_plan(runs, difference=DETECTABLE_DIFFERENCE, power=POWER,
                              target_width=TARGET_WIDTH),
        kpis=kpi_effects(runs, results.reference),
        funnel=lead_funnel(runs),
    )


def write_report(
    results_dir: Path | str, reference: str | None = None, out_dir: Path | str | None = None
) -> Path:
    """Write ``report.html``, ``report.md`` and ``figures/*.png``; return the HTML path.

    ``reference`` overrides the sweep's reference point (a point name, point_id
    or scenario); ``out_dir`` defaults to ``results_dir``. Raises
    ``ResultsError`` when the directory cannot be analysed.
    """
    results = load_results(results_dir, reference)
    out = Path(out_dir) if out_dir is not None else results.directory
    sections = build_sections(results)
    title = f"silosim report: {results.experiment or results.directory.name}"
    (out / FIGURE_DIR).mkdir(parents=True, exist_ok=True)
    for chart in (b for s in sections for b in s.blocks if isinstance(b, Chart)):
        _write_atomic(out / chart.filename, chart.png)
    _write_atomic(out / MARKDOWN_NAME, render_markdown(title, sections).encode("utf-8"))
    _write_atomic(out / HTML_NAME, render_html(title, sections).encode("utf-8"))
    return out / HTML_NAME


def _write_atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def build_sections(results: SweepResults) -> list[Section]:
    """The report's sections in reading order; problems met on the way go into the summary."""
    notes = list(results.notes)
    if not _plottable(results):
        notes.append(f"{len(results.points)} points are too many for legible per-point figures "
                     f"(limit {MAX_POINTS_PLOTTED}): see the tables")
    stats = analyse(results)
    factorial = _factorial(results, notes)
    body = [
        _findings(results, stats, factorial),
        _league(results, stats),
        _tests(results, stats),
        _factorial_section(results, factorial),
        _adoption(results, notes),
        _funnel(results, stats),
        _kpi_section(results, stats),
        _replications(results, stats),
        *_design_sections(results, notes),
        _configuration(results),
    ]
    return [_summary(results, notes), *(s for s in body if s is not None)]


def _summary(results: SweepResults, notes: list[str]) -> Section:
    facts = [
        f"Results directory: {results.directory}",
        f"Experiment: {results.experiment or 'single run / unnamed'}",
        f"Scenario points: {len(results.points)}; runs: {len(results.runs)} "
        f"({_per_point(results.points['n'])} per point)",
        f"Reference point: {results.reference}",
        "Swept: " + (", ".join(results.swept) or _unswept(results)),
    ]
    if results.design:
        facts.append(f"Design: {results.design.get('method', results.design)}")
    blocks: list[Block] = [Bullets(facts)]
    if notes:
        blocks += [Paragraph("Read with care:"), Bullets(notes)]
    return Section("Summary", blocks)


def _unswept(results: SweepResults) -> str:
    return "the scenario only" if results.points["scenario"].nunique() > 1 else "nothing"


def _per_point(counts: pd.Series) -> str:
    low, high = int(counts.min()), int(counts.max())
    return str(low) if low == high else f"{low}–{high}"


def _findings(results: SweepResults, stats: Analysis, factorial: Factorial | None) -> Section:
    ref = stats.rates.set_index(POINT).loc[results.reference]
    sentences = [
        findings.overview(stats.rates, stats.omnibus),
        f"The reference, {results.reference}, succeeds in "
        f"{percent_interval(ref['rate'], ref['ci_low'], ref['ci_high'])} of runs. "
        + findings.failure_story(stats.modes, results.reference),
    ]
    sentences += findings.comparisons(stats.rates, stats.pairwise, results.reference)
    best = str(stats.league[POINT].iloc[0])
    if best != results.reference:
        sentences.append(findings.failure_story(stats.modes, best))
        story = findings.kpi_story(stats.kpis, best, results.reference)
        sentences += [story] if story else []
    if factorial is not None and factorial.effects is not None:
        sentences += findings.factor_effects(factorial.effects)
    sentences.append(findings.replication_story(stats.plan, results.reference,
                                                DETECTABLE_DIFFERENCE, POWER))
    return Section("Findings", [
        Paragraph("Ranges in brackets are 95% intervals; p-values are Fisher's exact test, "
                  "Holm-adjusted for the number of comparisons with the reference."),
        Bullets(sentences),
    ])


def _plottable(results: SweepResults) -> bool:
    """Per-point figures stay legible up to ``MAX_POINTS_PLOTTED`` points; beyond, tables only."""
    return len(results.points) <= MAX_POINTS_PLOTTED


def _league(results: SweepResults, stats: Analysis) -> Section:
    table = pd.DataFrame({
        "rank": stats.league["rank"],
        "point": [_mark_reference(p, results.reference) for p in stats.league[POINT]],
        "runs": stats.league["n"],
        "success [95% CI]": [percent_interval(r.rate, r.ci_low, r.ci_high)
                             for r in stats.league.itertuples()],
        **{label.replace("_", " "): stats.league[label].map(percent) for label in LABELS[1:]},
    })
    blocks: list[Block] = [Table(table, "Points ranked by success rate; the last three "
                                        "columns are the failure modes' shares of runs.")]
    numbered = [f for f in results.factors if f != "scenario"]
    if len(numbered) > MAX_NAMED_KEYS:
        values = results.points[[POINT, *numbered]]
        blocks.append(Table(values.astype(object).map(format_value),
                            "The design's points: the value of every varying parameter."))
    if _plottable(results):
        blocks += [
            _chart("success_rates", "Success rate per scenario point",
                   figures.success_rate_figure(stats.rates, results.reference)),
            _chart("failure_modes", "How the runs end",
                   figures.failure_mode_figure(stats.modes)),
        ]
    return Section("League table", blocks)


def _mark_reference(name: str, reference: str) -> str:
    return f"{name} (reference)" if name == reference else str(name)


def _tests(results: SweepResults, stats: Analysis) -> Section | None:
    if stats.omnibus is None or stats.label_omnibus is None:
        return None
    blocks: list[Block] = [
        Paragraph(_omnibus_text("success rates", stats.omnibus)),
        Paragraph(_omnibus_text("the mix of outcomes (success and the three failure modes)",
                                stats.label_omnibus)),
        Table(_pairwise_rows(stats.pairwise),
              "Difference: risk difference with Newcombe's interval. Odds ratio: Woolf "
              "interval (0.5 added to every cell if one is empty). h: Cohen's effect size for "
              "proportions (0.2 small, 0.5 medium, 0.8 large). p: Fisher's exact test; "
              "Holm: adjusted for all comparisons with the reference."),
    ]
    if _plottable(results):
        blocks.append(_chart("odds_ratio_forest", "Odds of success against the reference",
                             figures.odds_ratio_forest(stats.pairwise, results.reference)))
    return Section(f"Tests against the reference ({results.reference})", blocks)


def _omnibus_text(what: str, result: OmnibusResult) -> str:
    caution = "" if result.expected_counts_ok else (
        f" Some expected counts are below 5 (smallest {result.min_expected:.1f}), so the χ² "
        "approximation is rough; rely on the exact pairwise tests.")
    return (f"Do the {result.groups} points differ in {what}? Pearson χ² test of homogeneity: "
            f"χ² = {result.statistic:.2f}, df = {result.dof}, {p_text(result.p_value)}." + caution)


def _pairwise_rows(pairwise: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "point": pairwise[POINT],
        "runs": pairwise["n"],
        "success vs reference": [f"{percent(r.rate)} vs {percent(r.reference_rate)}"
                                 for r in pairwise.itertuples()],
        "difference [95% CI]": [f"{100 * r.risk_difference:+.0f} points "
                                f"[{100 * r.rd_low:+.0f} to {100 * r.rd_high:+.0f}]"
                                for r in pairwise.itertuples()],
        "odds ratio [95% CI]": [ratio_interval(r.odds_ratio, r.or_low, r.or_high)
                                for r in pairwise.itertuples()],
        "h": pairwise["cohen_h"].map(lambda h: f"{h:+.2f}"),
        "p": pairwise["p_value"].map(p_text),
        "p (Holm)": pairwise["p_holm"].map(p_text),
    })


def _factorial(results: SweepResults, notes: list[str]) -> Factorial | None:
    """Coefficients and marginal effects of a full factorial; each left out, with a note, if the
    data cannot support it (a cell without successes breaks the interaction model first)."""
    if not results.is_factorial:
        return None
    levels = results.points.set_index(POINT).loc[results.reference, results.factors].to_dict()
    fitted = []
    for what, fit in (("logistic regression with interactions", logit_coefficients),
                      ("average marginal effects", average_marginal_effects)):
        try:
            fitted.append(fit(results.runs, results.factors, levels))
        except EstimationError as exc:
            notes.append(f"factorial {what} left out: {exc}")
            fitted.append(None)
    return Factorial(*fitted)


def _heatmap_axes(factors: list[str]) -> tuple[str, str]:
    silo = next((f for f in factors if f.startswith("silo.")), None)
    incentive = next((f for f in factors if f.startswith("incentive")), None)
    return (silo, incentive) if silo and incentive else (factors[0], factors[1])


def _factorial_section(results: SweepResults, factorial: Factorial | None) -> Section | None:
    if factorial is None:
        return None
    rows, columns = _heatmap_axes(results.factors)
    blocks: list[Block] = [Paragraph(
        "Logistic regression of success on " + ", ".join(results.factors) + "; levels are "
        "compared with the reference point's levels.")]
    if factorial.effects is not None:
        blocks.append(_effects_table(factorial.effects))
    if factorial.coefficients is not None:
        blocks.append(_coefficients_table(factorial.coefficients))
    blocks.append(_chart("success_heatmap", f"Success rate by {rows} and {columns}",
                         figures.success_heatmap(results.runs, rows, columns)))
    return Section("Factorial analysis", blocks)


def _effects_table(effects: pd.DataFrame) -> Table:
    return Table(pd.DataFrame({
        "factor level": effects["term"],
        "average effect [95% CI]": [
            f"{r.ame_pp:+.1f} points [{r.ci_low_pp:+.1f} to {r.ci_high_pp:+.1f}]"
            for r in effects.itertuples()],
        "p": effects["p_value"].map(p_text),
    }), "Average marginal effects on the success rate (main-effects model): the change in "
        "percentage points when every run is moved to this level, averaged over the others.")


def _coefficients_table(coefficients: pd.DataFrame) -> Table:
    return Table(pd.DataFrame({
        "term": coefficients["term"],
        "log-odds": coefficients["coef"].map(lambda v: f"{v:+.2f}"),
        "SE": coefficients["se"].map(lambda v: f"{v:.2f}"),
        "odds ratio [95% CI]": [ratio_interval(r.odds_ratio, r.or_low, r.or_high)
                                for r in coefficients.itertuples()],
        "p": coefficients["p_value"].map(p_text),
    }), "Coefficients of the model with all two-way interactions; a '×' term is how much "
        "two factors' joint effect departs from the sum of their separate effects.")


def _adoption(results: SweepResults, notes: list[str]) -> Section | None:
    if not results.timeseries_path().is_file() or not _plottable(results):
        return None
    metrics = ["adoption_mean", *(f"adoption_{s}" for s in SEGMENTS)]
    try:
        weekly = weekly_summary(results, metrics)
    except ResultsError as exc:
        notes.append(f"adoption over time left out: {exc}")
        return None
    return Section("Adoption over time", [
        _chart("adoption", "Adoption over time",
               figures.adoption_figure(weekly[weekly["metric"] == "adoption_mean"])),
        _chart("adoption_by_segment", "Adoption by tech-affinity segment",
               figures.segment_adoption_figure(weekly)),
    ])


def _funnel(results: SweepResults, stats: Analysis) -> Section | None:
    if stats.funnel.empty or not _plottable(results):
        return None
    return Section("Lead funnel", [
        _chart("lead_funnel", "Lead funnel", figures.lead_funnel_figure(stats.funnel))])


def _kpi_section(results: SweepResults, stats: Analysis) -> Section | None:
    if stats.kpis.empty:
        return None
    kpis = stats.kpis
    table = pd.DataFrame({
        "KPI": kpis["kpi"].map(lambda k: KPI_LABELS.get(k, k)),
        "point": kpis[POINT],
        "mean [95% CI]": [number_interval(r.mean, r.ci_low, r.ci_high)
                          for r in kpis.itertuples()],
        "Hedges' g vs reference [95% CI]": [_effect_text(r, results.reference)
                                            for r in kpis.itertuples()],
    })
    return Section("Key performance indicators", [Table(
        table, "Means with BCa bootstrap intervals over runs; Hedges' g is the difference "
               "from the reference in pooled standard deviations (0.2 small, 0.5 medium, "
               "0.8 large).")])


def _effect_text(row: tuple, reference: str) -> str:
    if getattr(row, POINT) == reference:
        return "reference"
    if pd.isna(row.hedges_g):
        return "–"
    return f"{row.hedges_g:+.2f} [{row.g_low:+.2f} to {row.g_high:+.2f}]"


def _replications(results: SweepResults, stats: Analysis) -> Section:
    plan = stats.plan
    table = pd.DataFrame({
        "point": plan[POINT],
        "runs": plan["n"],
        "success": plan["rate"].map(percent),
        "95% interval width": plan["ci_width"].map(lambda w: f"{100 * w:.0f} points"),
        f"runs for ≤{100 * TARGET_WIDTH:.0f}-point width": plan["n_for_width"],
        f"runs to detect ±{100 * DETECTABLE_DIFFERENCE:.0f} points": plan["n_to_detect"],
    })
    return Section("Replications", [
        Paragraph(findings.replication_story(plan, results.reference, DETECTABLE_DIFFERENCE,
                                             POWER)),
        Table(table, f"Runs needed per point, taking the observed rate as the truth: for a "
                     f"Wilson interval no wider than {100 * TARGET_WIDTH:.0f} points, and to "
                     f"detect a {100 * DETECTABLE_DIFFERENCE:.0f}-point change with "
                     f"{POWER:.0%} power at the 5% level (two-sided)."),
    ])


def _design_sections(results: SweepResults, notes: list[str]) -> list[Section]:
    """Sensitivity and scenario discovery for design sweeps, each guarded on its own."""
    method = (results.design or {}).get("method")
    sections = []
    for module, title, methods in DESIGN_ANALYSES:
        if method not in methods:
            continue
        try:
            markdown, html = importlib.import_module(module).report_section(results.directory)
        except Exception as exc:  # a failure here must only cost this section, not the report
            notes.append(f"{title.lower()} left out: {type(exc).__name__}: {exc}")
            continue
        sections.append(Section(f"{title} ({method})", [Fragment(markdown, html)], heading=False))
    return sections


def _configuration(results: SweepResults) -> Section | None:
    if results.config_text is None:
        return None
    language = "yaml" if results.config_source == CONFIG_FILE else "json"
    return Section("Configuration", [Code(results.config_text,
                                          f"Configuration ({results.config_source})", language)])


def _chart(key: str, title: str, figure: Figure) -> Chart:
    return Chart(key, title, GUIDES[key], figures.figure_png(figure))


def main(argv: list[str] | None = None) -> int:
    """``silosim-report DIR [--reference NAME] [--out DIR]``: rebuild a sweep's report."""
    parser = argparse.ArgumentParser(
        prog="silosim-report",
        description="Write report.html and report.md for a sweep or run results directory.",
    )
    parser.add_argument("directory", type=Path, help="results directory (holds runs.parquet)")
    parser.add_argument("--reference", help="point name, point_id or scenario to compare against")
    parser.add_argument("--out", type=Path, help="where to write the report (default: DIRECTORY)")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.directory, reference=args.reference, out_dir=args.out)
    except ConfigError as exc:
        print(f"silosim-report: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"silosim-report: error: {exc.filename or args.out}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
