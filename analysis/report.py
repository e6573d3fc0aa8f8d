"""The sweep report: statistics, figures and plain-language findings, from a results dir alone.

``write_report(dir)`` runs at the end of every sweep, and ``silosim-report DIR``
rebuilds it at any time from the files in ``dir`` (see ``analysis.results``). It
writes ``report.html`` (one self-contained page), ``report.md`` (a Markdown
summary) and the PNGs the Markdown links in ``figures/`` — slide-ready, for
pasting into a deck; with ``--pdf`` also ``report.pdf`` (the page printed by headless
Chromium, ``analysis.export``) and with ``--pptx`` ``report.pptx`` (a slide per figure).

It reads in the order a client does: an **executive summary** (the question, the settings
every point shares, the answer in one sentence with its interval, the best option and its
main risk — or, when none is clear, whether staying is as good or the evidence
inconclusive and how many replications would settle it), then the findings, then the
evidence. Every comparison uses the test the data call for — paired under common random
numbers, independent otherwise — and the report says which and why. Bad input ends the
command with one line on stderr and exit status 2; nothing in the results directory is
changed except those outputs (and its lock file): ``silosim-report`` holds the directory's
command lock (``experiments.job_files.command_lock``) while it reads and writes, so it
refuses, naming the holder, a directory a ``silosim`` command is still writing.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis import economics, figures, findings, luck, robustness
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
from analysis.findings import ALPHA, listed, p_text, percent, percent_interval, points_interval
from analysis.measures import (
    ECONOMICS,
    MONEY_COMPARED,
    MONEY_TABLE,
    TIME_TO_VALUE,
    TRAIT_PREFIX,
    kpi_columns,
    measure,
    present,
    value_measure,
)
from analysis.results import (
    CONFIG_FILE,
    LABELS,
    MAX_NAMED_KEYS,
    POINT,
    SEGMENTS,
    TITLE,
    ResultsError,
    SweepResults,
    load_results,
    timeseries_has,
    weekly_summary,
)
from analysis.stats import (
    TEST_NAMES,
    EstimationError,
    OmnibusResult,
    average_marginal_effects,
    failure_modes,
    kpi_effects,
    lead_funnel,
    league_table,
    logit_coefficients,
    omnibus_test,
    paired_replications_to_detect,
    pairwise_vs_reference,
    replication_plan,
    replications_to_detect,
    success_rates,
)
from analysis.words import key_words, term_words, value_words
from experiments import job_files
from experiments.design import METHODS as DESIGN_METHODS
from sim.economics import NET_CUMULATIVE
from sim.errors import ConfigError

log = logging.getLogger(__name__)

HTML_NAME, MARKDOWN_NAME = "report.html", "report.md"
PROG = "silosim-report"
DETECTABLE_DIFFERENCE, POWER, TARGET_WIDTH = 0.10, 0.8, 0.10
MAX_POINTS_PLOTTED = 30
MAX_KPI_POINTS = 12  # in larger designs KPIs are compared for the reference and the best 11
GRID = "grid"                 # a sweep over values (no sampled design)
GRID_DISCOVERY_POINTS = 8     # a grid with this many points or more gets scenario discovery
ROBUSTNESS = "robustness"     # a robustness run (its comparisons recorded in sweep.json)
UNMATCHED_LISTED = 5          # more comparisons without a robustness verdict: one line for all
DESIGN_ANALYSES = (  # module with report_section(dir), its title, the sweep kinds it reads
    ("analysis.sensitivity", "Sensitivity analysis", ("morris", "sobol", "fast")),
    ("analysis.discovery", "Scenario discovery", ("morris", "sobol", "fast", "lhs", GRID)),
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
    "any other factor, with its 95% interval and runs. Read along a row to see the factor on "
    "the x-axis at a fixed value of the other; if the rows change differently, they interact.",
    "adoption": "Mean share of work done in the tools across runs, week by week; the band is "
    "the 95% interval of that mean. A curve that rises and then sags is a programme that is "
    "not sustained; a flat curve near zero is one that never rolled out.",
    "adoption_by_segment": "The same curves for enthusiasts, reluctant reps and avoiders. "
    "Success usually depends on the reluctant middle: look for which scenarios lift it.",
    "lead_funnel": "Leads marketing created per run, then the share of each stage that "
    "reached the next, per point. Silos and unscored lead dumps show up as a low share "
    "followed up.",
    "roi": "Each dot is a point's mean return on the programme's cost: value added against "
    "the same company without the programme, less the cost, over the cost (0% = break-even, "
    "-100% = nothing came back); the bar is its 95% interval.",
    "payback": "Left: the programme's cumulative net value (value added less cost, $k), mean "
    "and 95% interval across runs; it dips while the programme spends and crosses zero when "
    "the average run pays back. Right: the share of runs whose value added has covered the "
    "cost by each week; a curve that stays at 0 never pays back within the horizon.",
    "company_traits": "Runs split into thirds of each company trait (lowest, middle, top "
    "third of all runs); each line is one scenario point's success rate in each third. A "
    "steep line is a trait that decides success whatever the levers; parallel lines mean a "
    "lever shifts the odds the same for every kind of company.",
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
    paired: bool
    luck: luck.LuckVersusLevers | None
    economics: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def order(self) -> list[str]:
        """Points best first, as every per-point chart lists them."""
        return figures.best_first(self.rates)


@dataclass(frozen=True)
class Report:
    """A report ready to render: its title, subtitle and sections."""

    title: str
    subtitle: str
    sections: list[Section]

    @property
    def charts(self) -> list[Chart]:
        """Every figure in reading order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]


def analyse(results: SweepResults) -> Analysis:
    """Success rates, tests against the reference, KPIs, funnel, luck and replication plan.

    Paired methods when the runs are paired (``results.paired``), with a fallback to the
    independent ones, recorded in the notes, if too few replicates are shared.
    """
    several = len(results.points) > 1
    if not (results.paired and several):
        return _analyse(results, paired=False)
    try:
        return _analyse(results, paired=True)
    except EstimationError as exc:
        return _analyse(results, paired=False,
                        notes=(f"paired tests not possible ({exc}): independent tests used",))


def _analyse(results: SweepResults, paired: bool, notes: tuple[str, ...] = ()) -> Analysis:
    runs, several = results.runs, len(results.points) > 1
    rates = success_rates(runs)
    compared = runs[runs[POINT].isin(kpi_points(rates, results.reference))]
    if len(results.points) > MAX_KPI_POINTS:
        notes += (f"KPIs and economics are compared for the reference and the "
                  f"{MAX_KPI_POINTS - 1} points with the highest success rate, of "
                  f"{len(results.points)}",)
    return Analysis(
        rates=rates,
        modes=failure_modes(runs),
        league=league_table(runs),
        omnibus=omnibus_test(runs, paired=paired) if several else None,
        label_omnibus=omnibus_test(runs, outcome="label", paired=paired) if several else None,
        pairwise=pairwise_vs_reference(runs, results.reference, paired=paired),
        plan=replication_plan(runs, difference=DETECTABLE_DIFFERENCE, power=POWER,
                              target_width=TARGET_WIDTH),
        kpis=kpi_effects(compared, results.reference, kpis=kpi_columns(runs), paired=paired),
        funnel=lead_funnel(runs),
        paired=paired,
        luck=luck.luck_versus_levers(runs),
        economics=kpi_effects(compared, results.reference, kpis=_money(runs), paired=paired),
        notes=notes,
    )


def kpi_points(rates: pd.DataFrame, reference: str) -> list[str]:
    """The points whose KPIs the report compares: all, or in a large design the reference
    and the best by success rate (a table of thousands of rows informs no one)."""
    best = [p for p in figures.best_first(rates) if p != reference][:MAX_KPI_POINTS - 1]
    return [reference, *best]


def _money(runs: pd.DataFrame) -> list[str]:
    """The economics columns present that have a mean (payback is a week, or never)."""
    return [c for c in present(runs, ECONOMICS) if c != economics.PAYBACK]


def write_report(
    results_dir: Path | str,
    reference: str | None = None,
    out_dir: Path | str | None = None,
    *,
    title: str | None = None,
    client: str | None = None,
    pdf: bool = False,
    pptx: bool = False,
    robustness_dir: Path | str | None = None,
) -> Path:
    """Write ``report.html``, ``report.md``, ``figures/*.png`` (and the exports); return the
    HTML path.

    ``reference`` overrides the sweep's reference point (a point name, point_id or
    scenario); ``out_dir`` defaults to ``results_dir``; ``title`` replaces the report's
    own and ``client`` names who it is for; ``robustness_dir`` is a saved robustness run
    whose verdicts the report quotes for its own comparisons. Raises ``ResultsError`` when
    the directory cannot be analysed and ``ConfigError`` when an export cannot be made or
    ``robustness_dir`` is not a robustness run.
    """
    log.info("report: analysing %s", results_dir)
    results = load_results(results_dir, reference)
    run = robustness.analyze(robustness_dir) if robustness_dir is not None else None
    out = Path(out_dir) if out_dir is not None else results.directory
    report = build_report(results, title=title, client=client, robustness_run=run)
    log.info("report: writing %s", out / HTML_NAME)
    (out / FIGURE_DIR).mkdir(parents=True, exist_ok=True)
    for chart in report.charts:
        _write_atomic(out / chart.filename, chart.png)
    _write_atomic(out / MARKDOWN_NAME, render_markdown(
        report.title, report.sections, report.subtitle).encode("utf-8"))
    html_path = out / HTML_NAME
    _write_atomic(html_path, render_html(report.title, report.sections,
                                         report.subtitle).encode("utf-8"))
    if pdf or pptx:
        from analysis import export  # deferred: python-pptx and the PDF checks load on demand

        if pdf:
            export.print_pdf(html_path, out / export.PDF_NAME)
        if pptx:
            export.write_deck(report, out / export.PPTX_NAME)
    return html_path


def _write_atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def build_report(results: SweepResults, title: str | None = None,
                 client: str | None = None,
                 robustness_run: robustness.RobustnessResult | None = None) -> Report:
    """The report in reading order; problems met on the way go into *About these results*.

    ``robustness_run``: a saved robustness run whose verdicts on this sweep's comparisons
    the report quotes (*Robust to the assumptions?*)."""
    notes = list(results.notes)
    if not _plottable(results):
        notes.append(f"{len(results.points)} points are too many for legible per-point figures "
                     f"(limit {MAX_POINTS_PLOTTED}): see the tables")
    stats = analyse(results)
    notes += stats.notes
    factorial = _factorial(results, stats, notes)
    if stats.luck is None:
        notes.append(f"runs.parquet has no {TRAIT_PREFIX}<trait> columns with varying values: "
                     "the luck-versus-levers section is left out")
    body = [
        _findings(results, stats, factorial),
        _robustness_run_section(results, notes),
        _robustness_verdicts(results, stats, robustness_run),
        _league(results, stats),
        _tests(results, stats),
        _factorial_section(results, stats, factorial),
        _luck_section(results, stats),
        _economics(results, stats, notes),
        _adoption(results, stats, notes),
        _funnel(results, stats),
        _kpi_section(results, stats),
        _replications(results, stats),
        *_design_sections(results, notes),
        _about(results, stats, notes),
        _configuration(results),
    ]
    summary = executive_summary(results, stats, factorial)
    return Report(title or default_title(results, stats), _subtitle(client),
                  [summary, *(s for s in body if s is not None)])


# ---------------------------------------------------------------- executive summary


def default_title(results: SweepResults, stats: Analysis) -> str:
    """``What-if: Five key actions against Typical company``; a lone point names itself."""
    if len(results.points) == 1:
        return f"{results.point_names[0]}: how often the transformation succeeds"
    others = [p for p in stats.order if p != results.reference]
    if len(others) == 1:
        return f"What-if: {others[0]} against {results.reference}"
    named = results.experiment if results.experiment not in (None, "sweep") else None
    what = f" ({str(named).replace('_', ' ')})" if named else ""
    return f"What-if{what}: {len(others)} options against {results.reference}"


def _subtitle(client: str | None) -> str:
    today = datetime.date.today().isoformat()
    return f"Prepared for {client} · {today}" if client else f"silosim report · {today}"


def question(results: SweepResults, stats: Analysis) -> str:
    """The question the sweep answers: a lever sweep's, from the levers it varies; else the
    compared scenario's own question if there is one; else one built from the points."""
    levers = [f for f in results.factors if f != "scenario"]
    if levers:
        return lever_question(results, levers)
    others = {results.points.set_index(POINT).loc[p, "scenario"]
              for p in stats.order if p != results.reference}
    if len(others) == 1 and (asked := results.questions.get(str(next(iter(others))))):
        return asked
    if len(results.points) == 1:
        scenario = str(results.points["scenario"].iloc[0])
        return results.questions.get(scenario) or (
            f"How often does the digital transformation of {results.reference} succeed?")
    options = [p for p in stats.order if p != results.reference]
    if len(options) == 1:
        return (f"Does {options[0]} give a sales organisation like {results.reference} better "
                "odds that its digital transformation succeeds?")
    return (f"Which of these {len(options)} options gives a sales organisation like "
            f"{results.reference} better odds that its digital transformation succeeds?")


def lever_question(results: SweepResults, levers: list[str]) -> str:
    """``How do the odds that Typical company's digital transformation succeeds change with
    silo level and what marketing is paid on?`` (and the scenario, when it varies too)."""
    titles = results.points[TITLE].unique()
    who = (f"{titles[0]}'s" if len(titles) == 1 else
           f"a sales organisation like {results.title_of(results.reference)}'s")
    named = [key_words(k) for k in levers] + (
        ["the scenario"] if "scenario" in results.factors else [])
    return (f"How do the odds that {who} digital transformation succeeds change with "
            f"{listed(named)}?")


def best_option(stats: Analysis) -> str | None:
    """The option that clearly beats the reference by the most, or None if none does."""
    if stats.pairwise.empty or not findings.points_differ(stats.omnibus):
        return None
    clear = stats.pairwise[(stats.pairwise["p_holm"] < ALPHA)
                           & (stats.pairwise["risk_difference"] > 0)]
    if clear.empty:
        return None
    return str(clear.sort_values("risk_difference", ascending=False)[POINT].iloc[0])


def answer(results: SweepResults, stats: Analysis) -> str:
    """The answer in one sentence, with its interval and how sure it is."""
    rates = stats.rates.set_index(POINT)
    ref = rates.loc[results.reference]
    ref_text = percent_interval(ref["rate"], ref["ci_low"], ref["ci_high"])
    if stats.pairwise.empty:
        return (f"{results.reference} succeeds in {ref_text} of {_runs(int(ref['n']))} "
                "(95% interval).")
    best = best_option(stats)
    test = TEST_NAMES["pairwise", stats.paired]
    if best is not None:
        row, mine = stats.pairwise.set_index(POINT).loc[best], rates.loc[best]
        return (f"With {best}, {percent_interval(mine['rate'], mine['ci_low'], mine['ci_high'])}"
                f" of transformations succeed, against {ref_text} for {results.reference}: "
                f"{points_interval(row['risk_difference'], row['rd_low'], row['rd_high'])} "
                f"({test}, Holm-adjusted {p_text(row['p_holm'])}).")
    top = stats.pairwise.sort_values("risk_difference", ascending=False).iloc[0]
    theirs = rates.loc[top[POINT]]
    return (f"No option is clearly better than {results.reference} ({ref_text}); the closest is "
            f"{top[POINT]} ({percent_interval(theirs['rate'], theirs['ci_low'], theirs['ci_high'])}"
            ").")


def _runs(n: int, kind: str = "simulated") -> str:
    """``1 simulated run``, ``40 simulated runs``."""
    return findings.counted(n, f"{kind} run")


def verdict(results: SweepResults, stats: Analysis) -> str:
    """The best option, or, when none is clear, whether staying is as good or the evidence is
    too thin — with the interval, and the replications a decisive answer would take."""
    best = best_option(stats)
    if best is not None:
        return f"The best option: {best}."
    reference, gain = results.reference, DETECTABLE_DIFFERENCE
    open_ = stats.pairwise[stats.pairwise["rd_high"] >= gain]
    if open_.empty:
        return (f"No option beats {reference} clearly, and none can be {100 * gain:.0f} points "
                f"better than it (every interval ends below +{100 * gain:.0f}): staying with "
                f"{reference} is as good on this evidence.")
    top = open_.sort_values("risk_difference", ascending=False).iloc[0]
    interval = points_interval(top["risk_difference"], top["rd_low"], top["rd_high"])
    comparisons = len(stats.pairwise)
    needed, what, difference = replications_needed(top, stats, comparisons)
    level = "5% level" + (f" shared by {comparisons} comparisons" if comparisons > 1 else "")
    return (f"The comparison is inconclusive: {top[POINT]} is {interval} against {reference}, "
            f"{_why_open(top, stats)}. A decisive answer would take about {needed:,} {what}: "
            f"enough to detect a difference of {100 * difference:.0f} points with {POWER:.0%} "
            f"power at the {level}.")


def _why_open(row: pd.Series, stats: Analysis) -> str:
    """Why a comparison that may matter is not settled: its interval holds no effect, or its
    own test, or the test across all points, does not rule out chance."""
    if row["rd_low"] <= 0:
        return (f"an interval wide enough to hold no effect and a gain of "
                f"{100 * DETECTABLE_DIFFERENCE:.0f} points or more")
    if row["p_holm"] >= ALPHA:
        return (f"yet the test does not rule out chance ({TEST_NAMES['pairwise', stats.paired]},"
                f" Holm-adjusted {p_text(row['p_holm'])})")
    return (f"yet the test across all points finds no difference beyond chance "
            f"({stats.omnibus.method}, {p_text(stats.omnibus.p_value)})")


def replications_needed(row: pd.Series, stats: Analysis, comparisons: int
                        ) -> tuple[int, str, float]:
    """Replications per point for a decisive test of one comparison, what they count, and
    the difference they detect.

    The difference to detect is the observed one, or the smallest that matters
    (``DETECTABLE_DIFFERENCE``) when the observed one is smaller; the level is Holm's first
    step over ``comparisons``. Paired runs: McNemar's pairs at the observed discordance.
    """
    difference = max(abs(float(row["risk_difference"])), DETECTABLE_DIFFERENCE)
    alpha = ALPHA / max(comparisons, 1)
    if stats.paired:
        return (paired_replications_to_detect(float(row["discordant"]), difference, POWER,
                                              alpha), "paired replications per point", difference)
    rate = float(row["reference_rate"])
    difference = min(difference, max(rate, 1 - rate))
    return replications_to_detect(rate, difference, POWER, alpha), "runs per point", difference


def executive_summary(results: SweepResults, stats: Analysis,
                      factorial: Factorial | None) -> Section:
    """The question, the answer, the best option and its main risk, its value, how sure."""
    best = best_option(stats)
    items = [f"The question: {question(results, stats)}"]
    if results.common:
        items.append(f"Common settings (every point): {', '.join(results.common)}.")
    if results.reference_by_default:
        items.append(f"Compared against {results.reference}, picked by default: no reference "
                     "was named (choose one with silosim-report --reference).")
    items.append(f"The answer: {answer(results, stats)}")
    if len(results.points) > 1:
        risk = (f"Its main risk: {findings.main_risk(stats.modes, best)}" if best else
                f"Main risk of {results.reference}: "
                f"{findings.main_risk(stats.modes, results.reference)}")
        items.append(f"{verdict(results, stats)} {risk}.")
    else:
        items.append(f"Its main risk: {findings.main_risk(stats.modes, results.reference)}.")
    items += _value_lines(results, stats, best)
    if factorial is not None and factorial.effects is not None:
        items += findings.factor_effects(factorial.effects, stats.omnibus)[:1]
    if stats.luck is not None and stats.luck.reliable:
        items.append(luck.sentences(stats.luck, results.reference)[0])
    items.append(_how_sure(results, stats))
    return Section("Executive summary", [Bullets(items)], summary=True)


def _value_lines(results: SweepResults, stats: Analysis, best: str | None) -> list[str]:
    """The headline value measure (and the economics' ROI) of the best option and the reference."""
    lines = []
    shown = list(dict.fromkeys([best or stats.order[0], results.reference]))
    for table, column in ((stats.kpis, value_measure(results.runs)), (stats.economics, economics.ROI)):
        rows = table[table["kpi"] == column].set_index(POINT) if len(table) else table
        if column is None or rows.empty:
            continue
        unit = measure(column)
        parts = [f"{name} {unit.interval(*rows.loc[name, ['mean', 'ci_low', 'ci_high']])}"
                 for name in shown if name in rows.index]
        lines.append(f"{unit.heading}: " + "; ".join(parts) + ".")
    return lines


def _how_sure(results: SweepResults, stats: Analysis) -> str:
    runs = int(results.points["n"].median())
    if len(results.points) == 1:
        return f"Based on {_runs(runs)}; the range in brackets is a 95% interval."
    if stats.paired:
        return (f"Each option met the same {_companies(runs)} with the same luck "
                "(common random numbers), so every comparison is paired; ranges in brackets "
                "are 95% intervals.")
    return (f"Each option ran {_companies(runs, 'independent simulated')}; ranges in "
            "brackets are 95% intervals.")


def _companies(n: int, kind: str = "simulated") -> str:
    return f"{n} {kind} compan{'y' if n == 1 else 'ies'}"


# ------------------------------------------------------------------------ sections


def _findings(results: SweepResults, stats: Analysis, factorial: Factorial | None) -> Section:
    ref = stats.rates.set_index(POINT).loc[results.reference]
    sentences = [
        findings.overview(stats.rates, stats.omnibus),
        f"The reference, {results.reference}, succeeds in "
        f"{percent_interval(ref['rate'], ref['ci_low'], ref['ci_high'])} of runs. "
        + findings.failure_story(stats.modes, results.reference),
    ]
    sentences += findings.comparisons(stats.rates, stats.pairwise, results.reference,
                                      stats.omnibus)
    best = stats.order[0]
    if best != results.reference:
        sentences.append(findings.failure_story(stats.modes, best))
        story = findings.kpi_story(stats.kpis, best, results.reference)
        sentences += [story] if story else []
    if factorial is not None and factorial.effects is not None:
        sentences += findings.factor_effects(factorial.effects, stats.omnibus)
    sentences.append(findings.replication_story(stats.plan, results.reference,
                                                DETECTABLE_DIFFERENCE, POWER))
    test = TEST_NAMES["pairwise", stats.paired]
    about = "Ranges in brackets are 95% intervals" + (
        f"; p-values are {test} against the reference, Holm-adjusted for the number of "
        "comparisons." if len(results.points) > 1 else ".")
    return Section("Findings", [Paragraph(about), Bullets(sentences)])


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
        blocks.append(Table(values.astype(object).map(value_words),
                            "The design's points: the value of every varying parameter."))
    if _plottable(results):
        blocks += [
            _chart("success_rates", "Success rate per scenario point",
                   figures.success_rate_figure(stats.rates, results.reference),
                   answer(results, stats)),
            _chart("failure_modes", "How the runs end",
                   figures.failure_mode_figure(stats.modes, stats.order),
                   findings.failure_story(stats.modes, stats.order[0])),
        ]
    return Section("League table", blocks)


def _mark_reference(name: str, reference: str) -> str:
    return f"{name} (reference)" if name == reference else str(name)


def tests_used(stats: Analysis) -> str:
    """Which tests the report used, and why."""
    if stats.paired:
        return ("Runs share their random draws across points (seeding: common): replicate r of "
                "every point is the same simulated company with the same luck, so the points' "
                "runs are matched pairs. The tests are therefore paired: "
                f"{TEST_NAMES['omnibus', True]} across all points, "
                f"{TEST_NAMES['pairwise', True]} against the reference (it weighs only the pairs "
                f"that end differently), {TEST_NAMES['difference', True]} for the difference and "
                f"the {TEST_NAMES['odds', True]}. Independent-sample tests would ignore the "
                "pairing and overstate the uncertainty.")
    return ("Every run has its own seed (seeding: independent), so the points are independent "
            f"samples: {TEST_NAMES['omnibus', False]} across all points, "
            f"{TEST_NAMES['pairwise', False]} against the reference, "
            f"{TEST_NAMES['difference', False]} for the difference and the "
            f"{TEST_NAMES['odds', False]}.")


def _tests(results: SweepResults, stats: Analysis) -> Section | None:
    if stats.omnibus is None or stats.label_omnibus is None:
        return None
    blocks: list[Block] = [
        Paragraph(tests_used(stats)),
        Paragraph(_omnibus_text("success rates", stats.omnibus)),
        Paragraph(_omnibus_text("the mix of outcomes (success and the three failure modes)",
                                stats.label_omnibus)),
        Table(_pairwise_rows(stats.pairwise, stats.paired),
              f"Difference: {TEST_NAMES['difference', stats.paired]}. Odds ratio: "
              f"{TEST_NAMES['odds', stats.paired]}. h: Cohen's effect size for proportions "
              f"(0.2 small, 0.5 medium, 0.8 large). p: {TEST_NAMES['pairwise', stats.paired]}; "
              "Holm: adjusted for all comparisons with the reference."),
    ]
    if _plottable(results) and stats.pairwise["odds_ratio"].notna().any():
        first = findings.comparisons(stats.rates, stats.pairwise, results.reference,
                                     stats.omnibus)[0]
        blocks.append(_chart("odds_ratio_forest", "Odds of success against the reference",
                             figures.odds_ratio_forest(stats.pairwise, results.reference),
                             first))
    return Section(f"Tests against the reference ({results.reference})", blocks)


def _omnibus_text(what: str, result: OmnibusResult) -> str:
    caution = "" if result.expected_counts_ok else (
        f" Some expected counts are below 5 (smallest {result.min_expected:.1f}), so the χ² "
        "approximation is rough; rely on the exact pairwise tests.")
    pairs = f", on the {result.blocks} replicates every point ran" if result.blocks else ""
    return (f"Do the {result.groups} points differ in {what}? {result.method}{pairs}: "
            f"χ² = {result.statistic:.2f}, df = {result.dof}, {p_text(result.p_value)}." + caution)


def _pairwise_rows(pairwise: pd.DataFrame, paired: bool) -> pd.DataFrame:
    return pd.DataFrame({
        "point": pairwise[POINT],
        "pairs" if paired else "runs": pairwise["n"],
        "success vs reference": [f"{percent(r.rate)} vs {percent(r.reference_rate)}"
                                 for r in pairwise.itertuples()],
        "difference [95% CI]": [points_interval(r.risk_difference, r.rd_low, r.rd_high)
                                for r in pairwise.itertuples()],
        "odds ratio [95% CI]": [findings.ratio_interval(r.odds_ratio, r.or_low, r.or_high)
                                for r in pairwise.itertuples()],
        "h": pairwise["cohen_h"].map(lambda h: f"{h:+.2f}"),
        "p": pairwise["p_value"].map(p_text),
        "p (Holm)": pairwise["p_holm"].map(p_text),
    })


def _factorial(results: SweepResults, stats: Analysis, notes: list[str]) -> Factorial | None:
    """Coefficients and marginal effects of a full factorial; each left out, with a note, if the
    data cannot support it (a cell without successes breaks the interaction model first)."""
    if not results.is_factorial:
        return None
    levels = results.points.set_index(POINT).loc[results.reference, results.factors].to_dict()
    fitted = []
    for what, fit in (("logistic regression with interactions", logit_coefficients),
                      ("average marginal effects", average_marginal_effects)):
        try:
            fitted.append(fit(results.runs, results.factors, levels, paired=stats.paired))
        except EstimationError as exc:
            notes.append(f"factorial {what} left out: {exc}")
            fitted.append(None)
    return Factorial(*fitted)


def _heatmap_axes(factors: list[str]) -> tuple[str, str]:
    silo = next((f for f in factors if f.startswith("silo.")), None)
    incentive = next((f for f in factors if f.startswith("incentive")), None)
    return (silo, incentive) if silo and incentive else (factors[0], factors[1])


def _factorial_section(results: SweepResults, stats: Analysis,
                       factorial: Factorial | None) -> Section | None:
    if factorial is None:
        return None
    rows, columns = _heatmap_axes(results.factors)
    model = TEST_NAMES["factorial", stats.paired]
    blocks: list[Block] = [Paragraph(
        f"{model} of success on " + ", ".join(key_words(f) for f in results.factors)
        + "; levels are compared with the reference point's levels.")]
    if factorial.effects is not None:
        blocks.append(_effects_table(factorial.effects))
    if factorial.coefficients is not None:
        blocks.append(_coefficients_table(factorial.coefficients))
    effects = (findings.factor_effects(factorial.effects, stats.omnibus)
               if factorial.effects is not None else [])
    blocks.append(_chart("success_heatmap",
                         f"Success rate by {key_words(rows)} and {key_words(columns)}",
                         figures.success_heatmap(results.runs, rows, columns, key_words(rows),
                                                 key_words(columns)),
                         effects[0] if effects else findings.overview(stats.rates, stats.omnibus)))
    return Section("Factorial analysis", blocks)


def _effects_table(effects: pd.DataFrame) -> Table:
    return Table(pd.DataFrame({
        "factor level": effects["term"].map(term_words),
        "average effect [95% CI]": [
            f"{r.ame_pp:+.1f} points [{r.ci_low_pp:+.1f} to {r.ci_high_pp:+.1f}]"
            for r in effects.itertuples()],
        "p": effects["p_value"].map(p_text),
        "p (Holm)": effects["p_holm"].map(p_text),
    }), "Average marginal effects on the success rate (main-effects model): the change in "
        "percentage points when every run is moved to this level, averaged over the others.")


def _coefficients_table(coefficients: pd.DataFrame) -> Table:
    return Table(pd.DataFrame({
        "term": coefficients["term"].map(term_words),
        "log-odds": coefficients["coef"].map(lambda v: f"{v:+.2f}"),
        "SE": coefficients["se"].map(lambda v: f"{v:.2f}"),
        "odds ratio [95% CI]": [findings.ratio_interval(r.odds_ratio, r.or_low, r.or_high)
                                for r in coefficients.itertuples()],
        "p": coefficients["p_value"].map(p_text),
    }), "Coefficients of the model with all two-way interactions; a '×' term is how much "
        "two factors' joint effect departs from the sum of their separate effects.")


def _luck_section(results: SweepResults, stats: Analysis) -> Section | None:
    found = stats.luck
    if found is None:
        return None
    shares = pd.DataFrame({
        "model of success": ["the swept levers (each point)", "the company traits",
                             "levers and traits", "what the levers add to the traits",
                             "what the traits add to the levers", "neither (the rest of luck)"],
        "share of the variation explained": [percent(v) for v in (
            found.explained["levers"], found.explained["traits"],
            found.explained["levers and traits"], found.levers_beyond_traits,
            found.traits_beyond_levers, found.unexplained)],
    })
    thirds = found.terciles
    table = pd.DataFrame({
        "trait": thirds["trait"].map(lambda t: t.removeprefix(TRAIT_PREFIX).replace("_", " ")),
        "third": [f"{r.tercile} ({r.low:.2g} to {r.high:.2g})" for r in thirds.itertuples()],
        "point": thirds[POINT],
        "runs": thirds["n"],
        "success [95% CI]": [percent_interval(r.rate, r.ci_low, r.ci_high)
                             for r in thirds.itertuples()],
    })
    words = luck.sentences(found, results.reference)
    caption = ("Shares of the null deviance of success explained by logistic models "
               "(McFadden's pseudo-R²): the levers as one factor per scenario point, the traits "
               "linearly. Descriptive of this sweep's ranges, not causal shares."
               + (" A model separates: its share is an upper limit." if found.separated else ""))
    blocks: list[Block] = [
        Bullets(words),
        *([Table(shares, caption)] if found.enough_runs else []),
        Table(table, "Success per third of each company trait (thirds of all runs), per point."),
    ]
    if _plottable(results):
        blocks.append(_chart("company_traits", "Success by company trait",
                             figures.trait_figure(thirds, stats.order), words[0]))
    return Section("Luck versus levers", blocks)


def _economics(results: SweepResults, stats: Analysis, notes: list[str]) -> Section | None:
    """Programme cost, value added, ROI and payback per point; time to value; each point's
    value in money against the reference; each action's, where the sweep isolates it; and
    the ROI and payback charts, when the results carry the economics."""
    columns = present(results.runs, ECONOMICS)
    if not columns:
        return None
    shown = [n for n in stats.order if n in set(kpi_points(stats.rates, results.reference))]
    blocks: list[Block] = [Table(_money_table(results, stats, shown, columns),
                                 "Means per run with 95% bootstrap intervals; money in $k over "
                                 "the run as the model counts it (docs/economics.md). Spent by "
                                 "the cancellation: mean over the cancelled runs.")]
    timing = [c for c in TIME_TO_VALUE if c in columns]
    if timing:
        blocks.append(Table(_effect_table(stats.economics, shown, timing, results.reference),
                            "Time to value: cumulative gross-margin value added against the "
                            "counterfactual so many weeks after launch (mean, 95% interval)."))
    compared = _money_comparison(stats.economics, shown, results.reference)
    if compared is not None:
        blocks.append(Table(compared, f"Each point against {results.reference}, in money over "
                            "the run: " + ("mean paired difference" if stats.paired else
                                           "difference of means") +
                            " with its 95% interval. Net value counts the programme's own "
                            "money; contribution also what the organisation's levers cost "
                            "(silo mitigations, inside sales, marketing)."))
    actions = economics.action_values(results.runs, results.reference, stats.paired)
    if len(actions):
        blocks += [Paragraph("The value of each action in money — net value, the value added "
                             "less the programme's cost, over the run, with its 95% t-interval "
                             f"({TEST_NAMES['kpi', stats.paired]}; p Holm-adjusted over the "
                             f"{len(actions)} action value{'s' if len(actions) != 1 else ''}):"),
                   Bullets(_action_lines(actions, stats.paired))]
    if _plottable(results):
        blocks += _economics_charts(results, stats, notes)
    return Section("Economics", blocks)


def _money_table(results: SweepResults, stats: Analysis, shown: list[str],
                 columns: list[str]) -> pd.DataFrame:
    """Per point the money means; how often the programme pays back and when (or never);
    what a cancellation spent, or that no run was cancelled."""
    rows = []
    effects, runs = stats.economics, results.runs
    for name in shown:
        row = {"point": _mark_reference(name, results.reference)}
        mine = runs[runs[POINT] == name]
        for column in (c for c in MONEY_TABLE if c in columns or c in runs.columns):
            found = effects[(effects[POINT] == name) & (effects["kpi"] == column)]
            mean = found.iloc[0][["mean", "ci_low", "ci_high"]] if len(found) else None
            if column == economics.CANCELLATION and (mean is None or pd.isna(mean["mean"])):
                row[measure(column).heading] = ("no run cancelled" if _none_cancelled(mine)
                                                else "–")
                continue
            row[measure(column).heading] = "–" if mean is None else measure(column).interval(
                *mean)
        if economics.PAYBACK in runs.columns:
            weeks = pd.to_numeric(mine[economics.PAYBACK], errors="coerce")
            paid = weeks.notna().mean()
            row["pays back within the horizon"] = percent(paid)
            row["median payback"] = (measure(economics.PAYBACK).value(weeks.dropna().median())
                                     if paid else "never")
        rows.append(row)
    return pd.DataFrame(rows)


def _none_cancelled(runs: pd.DataFrame) -> bool:
    if "cancelled" in runs.columns:
        return not runs["cancelled"].astype(bool).any()
    return bool(runs[economics.CANCELLATION].isna().all())


def _effect_table(effects: pd.DataFrame, shown: list[str], kpis: list[str],
                  reference: str) -> pd.DataFrame:
    rows = []
    for name in shown:
        row = {"point": _mark_reference(name, reference)}
        for column in kpis:
            found = effects[(effects[POINT] == name) & (effects["kpi"] == column)]
            row[measure(column).heading] = "–" if found.empty else measure(column).interval(
                *found.iloc[0][["mean", "ci_low", "ci_high"]])
        rows.append(row)
    return pd.DataFrame(rows)


def _money_comparison(effects: pd.DataFrame, shown: list[str], reference: str
                      ) -> pd.DataFrame | None:
    """Each point's difference from the reference in the money measures present."""
    kpis = [k for k in MONEY_COMPARED if k in set(effects["kpi"])]
    others = [n for n in shown if n != reference]
    if not kpis or not others:
        return None
    rows = []
    for name in others:
        row = {"point": name}
        for column in kpis:
            found = effects[(effects[POINT] == name) & (effects["kpi"] == column)]
            if found.empty:
                row[f"{measure(column).label} vs reference"] = "–"
                continue
            r = found.iloc[0]
            row[f"{measure(column).label} vs reference"] = measure(column).change_interval(
                r["difference"], r["diff_low"], r["diff_high"])
        rows.append(row)
    return pd.DataFrame(rows)


def _action_lines(actions: pd.DataFrame, paired: bool) -> list[str]:
    unit, kind = measure("net_value"), "paired runs" if paired else "runs"
    return [f"{row.action}, {row.against}: {unit.change_interval(row.value, row.low, row.high)} "
            f"({row.point}; {row.n} {kind}" + (
                f", Holm-adjusted {p_text(row.p_holm)})" if pd.notna(row.p_holm) else ")")
            for row in actions.itertuples()]


def _economics_charts(results: SweepResults, stats: Analysis, notes: list[str]) -> list[Block]:
    charts: list[Block] = []
    roi = stats.economics[stats.economics["kpi"] == economics.ROI]
    if len(roi) and roi["mean"].notna().any():
        best = roi.dropna(subset=["mean"]).sort_values("mean").iloc[-1]
        charts.append(_chart("roi", "Return on investment", figures.roi_figure(
            roi.dropna(subset=["mean"]), results.reference, stats.order),
            f"Highest mean return: {best[POINT]}, "
            f"{measure('roi').interval(best['mean'], best['ci_low'], best['ci_high'])}."))
    if economics.PAYBACK not in results.runs.columns or not timeseries_has(results, NET_CUMULATIVE):
        notes.append(f"payback curves left out: the weekly series have no {NET_CUMULATIVE}")
        return charts
    try:
        net = weekly_summary(results, [NET_CUMULATIVE])
    except ResultsError as exc:
        notes.append(f"payback curves left out: {exc}")
        return charts
    weeks = int(net["week"].max()) + 1
    paid = economics.payback_curves(results.runs, weeks)
    final = paid[paid["week"] == weeks - 1].set_index(POINT)["share"]
    message = ", ".join(f"{name}: {percent(final.get(name, float('nan')))} paid back by the end"
                        for name in stats.order[:3]) + "."
    charts.append(_chart("payback", "Payback over time", figures.payback_figure(net, paid),
                         message))
    return charts


def _adoption(results: SweepResults, stats: Analysis, notes: list[str]) -> Section | None:
    if not results.timeseries_path().is_file() or not _plottable(results):
        return None
    metrics = ["adoption_mean", *(f"adoption_{s}" for s in SEGMENTS)]
    try:
        weekly = weekly_summary(results, metrics)
    except ResultsError as exc:
        notes.append(f"adoption over time left out: {exc}")
        return None
    final = weekly[weekly["metric"] == "adoption_mean"].sort_values("week").groupby(
        POINT, observed=True)["mean"].last()
    best = stats.order[0]
    message = (f"Adoption in the last week: {percent(final.get(best, float('nan')))} of work in "
               f"the tools for {best}" + (
                   f", {percent(final.get(results.reference, float('nan')))} for "
                   f"{results.reference}." if best != results.reference else "."))
    return Section("Adoption over time", [
        _chart("adoption", "Adoption over time",
               figures.adoption_figure(weekly[weekly["metric"] == "adoption_mean"]), message),
        _chart("adoption_by_segment", "Adoption by tech-affinity segment",
               figures.segment_adoption_figure(weekly), message),
    ])


def _funnel(results: SweepResults, stats: Analysis) -> Section | None:
    if stats.funnel.empty or not _plottable(results):
        return None
    followed = stats.funnel[stats.funnel["stage"] == "followed up"].set_index(POINT)["conversion"]
    message = ", ".join(f"{name}: {percent(followed[name])} of leads followed up"
                        for name in stats.order[:3] if name in followed.index) + "."
    return Section("Lead funnel", [
        _chart("lead_funnel", "Lead funnel", figures.lead_funnel_figure(
            stats.funnel, stats.order, results.reference), message)])


WIDE_KPI_POINTS = 6  # up to this many points, one column per point; beyond, one row per pair


def _kpi_section(results: SweepResults, stats: Analysis) -> Section | None:
    if stats.kpis.empty:
        return None
    tested = untested_kpis(stats.kpis, results.reference)
    caption = (f"Differences from the reference in the KPI's unit: "
               f"{TEST_NAMES['kpi', stats.paired]}, with that test's 95% t-interval "
               "(unadjusted) and its p-value Holm-adjusted over the table. Hedges' g is the "
               "difference in pooled standard deviations (0.2 small, 0.5 medium, 0.8 large), "
               "left out where a KPI barely varies (SD under 1% of its level), since a "
               "standardised effect would divide by almost nothing." + _untested_text(tested))
    if len(results.points) <= WIDE_KPI_POINTS:
        differences = _kpi_differences(results, stats)
        return Section("Key performance indicators", [
            Table(_kpi_means(stats), "Mean per run [95% BCa bootstrap interval], per point."),
            *([Table(differences, caption)] if len(differences) else [])])
    kpis = stats.kpis[(stats.kpis[POINT] == results.reference) | stats.kpis["p_value"].notna()]
    table = pd.DataFrame({
        "KPI (unit)": kpis["kpi"].map(lambda k: measure(k).heading),
        "point": kpis[POINT],
        "mean [95% BCa CI]": [measure(r.kpi).interval(r.mean, r.ci_low, r.ci_high)
                              for r in kpis.itertuples()],
        "difference vs reference [95% t-interval, unadjusted]": [
            _difference_text(r, results.reference) for r in kpis.itertuples()],
        "p (Holm)": [("–" if pd.isna(p) else p_text(p)) for p in kpis["p_holm"]],
        "Hedges' g [95% CI]": [_effect_text(r, results.reference) for r in kpis.itertuples()],
    })
    return Section("Key performance indicators", [Table(table, caption)])


def untested_kpis(kpis: pd.DataFrame, reference: str) -> list[str]:
    """KPIs compared at no point: every difference from the reference is the same in every
    pair (a measure fixed before the programme, or the same counterfactual under common
    random numbers), so there is nothing to test; they stay out of the table and of Holm."""
    others = kpis[kpis[POINT] != reference]
    tested = others.groupby("kpi", sort=False)["p_value"].apply(lambda p: p.notna().any())
    return [kpi for kpi, any_test in tested.items() if not any_test]


def _untested_text(untested: list[str]) -> str:
    if not untested:
        return ""
    names = "; ".join(measure(k).label.lower() for k in untested)
    return (f" Not compared, as every pair of runs differs by the same amount (nothing to "
            f"test): {names}.")


def _kpi_means(stats: Analysis) -> pd.DataFrame:
    """One row per KPI, one column per point (best first): mean [interval]."""
    rows = []
    for kpi, part in stats.kpis.groupby("kpi", sort=False):
        cells = part.set_index(POINT)
        rows.append({"KPI (unit)": measure(kpi).heading, **{
            name: measure(kpi).interval(*cells.loc[name, ["mean", "ci_low", "ci_high"]])
            for name in stats.order if name in cells.index}})
    return pd.DataFrame(rows)


def _kpi_differences(results: SweepResults, stats: Analysis) -> pd.DataFrame:
    """One row per KPI tested somewhere, one column per point against the reference:
    difference [t-interval]; Holm-adjusted p; g. An untested comparison reads "–"."""
    rows = []
    skipped = set(untested_kpis(stats.kpis, results.reference))
    for kpi, part in stats.kpis.groupby("kpi", sort=False):
        if kpi in skipped:
            continue
        cells = part.set_index(POINT)
        row = {"KPI (unit)": measure(kpi).heading}
        for name in (n for n in stats.order if n != results.reference and n in cells.index):
            cell = cells.loc[name]
            if pd.isna(cell["p_value"]):
                row[f"{name} vs reference"] = "–"
                continue
            text = measure(kpi).change_interval(cell["difference"], cell["diff_low"],
                                                cell["diff_high"])
            g = "" if cell["near_constant"] or pd.isna(cell["hedges_g"]) else \
                f"; g = {cell['hedges_g']:+.2f}"
            row[f"{name} vs reference"] = f"{text}; Holm {p_text(cell['p_holm'])}{g}"
        rows.append(row)
    return pd.DataFrame(rows)


def _difference_text(row: tuple, reference: str) -> str:
    if getattr(row, POINT) == reference:
        return "reference"
    return measure(row.kpi).change_interval(row.difference, row.diff_low, row.diff_high)


def _effect_text(row: tuple, reference: str) -> str:
    if getattr(row, POINT) == reference:
        return "reference"
    if row.near_constant:
        return "– (KPI nearly constant)"
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
                     f"{POWER:.0%} power at the 5% level (two-sided, independent samples: an "
                     "upper bound for paired runs)."),
    ])


def _design_sections(results: SweepResults, notes: list[str]) -> list[Section]:
    """Sensitivity and scenario discovery for design sweeps (and discovery for a large grid),
    each guarded on its own."""
    method = sweep_kind(results)
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


def sweep_kind(results: SweepResults) -> str | None:
    """``robustness`` for a robustness run (its design mixes scenarios: the design analyses
    do not apply); the design's sampling method; ``grid`` for a sweep over lever values with
    at least ``GRID_DISCOVERY_POINTS`` points; else None (nothing for the design analyses)."""
    if robustness.is_robustness_run(results.directory):
        return ROBUSTNESS
    method = (results.design or {}).get("method")
    if method in DESIGN_METHODS:
        return str(method)
    levers = [f for f in results.factors if f != "scenario"]
    return GRID if levers and len(results.points) >= GRID_DISCOVERY_POINTS else None


def _robustness_run_section(results: SweepResults, notes: list[str]) -> Section | None:
    """A robustness run's own verdicts, figures and notes (``analysis.robustness``)."""
    if sweep_kind(results) != ROBUSTNESS:
        return None
    try:
        blocks = robustness.report_blocks(robustness.analyze(results.directory))
    except Exception as exc:  # a failure here must only cost this section, not the report
        notes.append(f"robustness analysis left out: {type(exc).__name__}: {exc}")
        return None
    return Section("Robustness to the assumptions", blocks)


def _robustness_verdicts(results: SweepResults, stats: Analysis,
                         run: robustness.RobustnessResult | None) -> Section | None:
    """Per comparison of this report, the saved robustness run's verdict on it, in words."""
    if run is None or len(results.points) < 2:
        return None
    intro = (f"From the robustness run {run.directory.name}: "
             f"{robustness.describe(run)}. It compares the same two scenarios across the "
             "plausible range of every assumption of the model (docs/robustness.md).")
    intro += _robustness_caveats(results, run)
    return Section("Robust to the assumptions?", [Paragraph(intro),
                                                  Bullets(robustness_lines(results, stats, run))])


def robustness_lines(results: SweepResults, stats: Analysis,
                     run: robustness.RobustnessResult) -> list[str]:
    """One line per comparison with the reference: the run's verdicts, or that it has none."""
    scenario = results.points.set_index(POINT)["scenario"]
    reference = str(scenario[results.reference])
    lines, unmatched = [], []
    for point in (p for p in stats.order if p != results.reference):
        found = robustness.comparison_sentences(run, str(scenario[point]), reference)
        if found is None:
            unmatched.append(point)
        else:
            lines.append(f"{point} against {results.reference}: " + " ".join(found))
    compared = "; ".join(robustness.comparison_title(c, run.titles) for c in run.comparisons)
    if len(unmatched) > UNMATCHED_LISTED:
        lines.append(f"{len(unmatched)} other points against {results.reference}: the "
                     f"robustness run does not compare their scenarios (it compares {compared}).")
    else:
        lines += [f"{point} against {results.reference}: no verdict; the robustness run does "
                  f"not compare these two scenarios (it compares {compared})."
                  for point in unmatched]
    return lines


def _robustness_caveats(results: SweepResults, run: robustness.RobustnessResult) -> str:
    text = ""
    levers = [f for f in results.factors if f != "scenario"]
    if levers:
        text += (" This sweep also varies " + listed([key_words(k) for k in levers])
                 + "; the robustness run holds every lever at its scenario's value.")
    mine = robustness.model_code(results.directory)
    if mine is not None and mine != run.sweep.get("model_code"):
        text += (" The robustness run was made with other model code than this sweep "
                 f"({run.sweep.get('model_code')} against {mine}), so its verdicts may not "
                 "hold for this version of the model.")
    return text


def _about(results: SweepResults, stats: Analysis, notes: list[str]) -> Section:
    """What the results are: where, which experiment, how many runs, how seeded; caveats."""
    seeding = ("common random numbers (replicate r shares its seed at every point): paired "
               "tests" if stats.paired else "independent seeds per run: independent tests")
    facts = [
        f"Results directory: {results.directory.name}/ (every path in this report is "
        "relative to it)",
        f"Experiment: {results.experiment or 'single run / unnamed'}",
        f"Scenario points: {len(results.points)}; runs: {len(results.runs)} "
        f"({_per_point(results.points['n'])} per point)",
        f"Reference point: {results.reference}"
        + (" (chosen by default)" if results.reference_by_default else ""),
        "Swept: " + (", ".join(key_words(k) for k in results.swept) or _unswept(results)),
        *([f"Common settings (every point, left out of the point names): "
           f"{', '.join(results.common)}"] if results.common else []),
        f"Seeding: {seeding}",
    ]
    if results.design:
        facts.append(f"Design: {results.design.get('method', results.design)}")
    blocks: list[Block] = [Bullets(facts)]
    if notes:
        blocks += [Paragraph("Read with care:"), Bullets(list(dict.fromkeys(notes)))]
    return Section("About these results", blocks)


def _unswept(results: SweepResults) -> str:
    return "the scenario only" if results.points["scenario"].nunique() > 1 else "nothing"


def _per_point(counts: pd.Series) -> str:
    low, high = int(counts.min()), int(counts.max())
    return str(low) if low == high else f"{low}–{high}"


def _configuration(results: SweepResults) -> Section | None:
    if results.config_text is None:
        return None
    language = "yaml" if results.config_source == CONFIG_FILE else "json"
    return Section("Configuration", [Code(results.config_text,
                                          f"Configuration ({results.config_source})", language)])


def _chart(key: str, title: str, figure: Figure, message: str = "") -> Chart:
    return Chart(key, title, GUIDES[key], figures.figure_png(figure), message)


def main(argv: list[str] | None = None) -> int:
    """``silosim-report DIR [--reference NAME] [--out DIR] [--title T] [--client C] [--pdf]
    [--pptx]``: rebuild a sweep's report."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Write report.html and report.md (and optionally report.pdf, report.pptx) "
                    "for a sweep or run results directory.",
    )
    parser.add_argument("directory", type=Path, help="results directory (holds runs.parquet)")
    parser.add_argument("--reference", help="point name, point_id or scenario to compare against")
    parser.add_argument("--out", type=Path, help="where to write the report (default: DIRECTORY)")
    parser.add_argument("--title", help="the report's title (default: what it compares)")
    parser.add_argument("--client", help="who the report is for (shown under the title)")
    parser.add_argument("--pdf", action="store_true",
                        help="also print report.pdf with headless Chromium")
    parser.add_argument("--pptx", action="store_true",
                        help="also write report.pptx, a slide per figure")
    parser.add_argument("--robustness", type=Path, metavar="RUN",
                        help="a saved robustness run (silosim experiment=robustness): say for "
                             "each comparison whether it is robust to the assumptions")
    args = parser.parse_args(argv)
    try:
        with job_files.command_lock(args.directory, command=PROG, key="directory"):
            path = write_report(args.directory, reference=args.reference, out_dir=args.out,
                                title=args.title, client=args.client, pdf=args.pdf,
                                pptx=args.pptx, robustness_dir=args.robustness)
    except ConfigError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: error: {exc.filename or args.out}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
