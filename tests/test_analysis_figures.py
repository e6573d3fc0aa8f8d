"""Figures show the numbers they are given, in the one slide style, on honest axes."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
import seaborn as sns

from analysis import economics, figures, luck, synthetic
from analysis.results import load_results, weekly_summary
from analysis.stats import (
    failure_modes,
    kpi_effects,
    lead_funnel,
    pairwise_vs_reference,
    success_rates,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    directory = synthetic.write_results(tmp_path_factory.mktemp("figures"),
                                        synthetic.silo_incentive_factorial(), 20, weeks=12,
                                        extras=synthetic.Extras(titles=True, traits=True))
    return load_results(directory)


def tick_labels(ax, axis: str = "y") -> list[str]:
    return [t.get_text() for t in getattr(ax, f"get_{axis}ticklabels")()]


def top_to_bottom(ax) -> list[str]:
    """The y tick labels as they read down the chart (first line of each)."""
    ticks = sorted(zip(ax.get_yticks(), tick_labels(ax), strict=True), reverse=True)
    return [label.split("\n")[0] for _, label in ticks]


def test_success_rate_figure_stays_within_0_and_100_percent_with_numbers_beside_it(results):
    rates = success_rates(results.runs)
    figure = figures.success_rate_figure(rates, results.reference)
    ax = figure.axes[0]
    assert ax.get_xlim() == (0, 100)
    assert ax.get_xlabel() == "Runs that succeed (%)"
    assert tick_labels(ax, "x")[-1] == "100%"
    assert len(ax.containers) == len(rates)  # one errorbar per point
    texts = [t.get_text() for t in ax.texts]
    assert "60% [39–78]  n=20" in texts
    assert all(t.xyann[0] > 1 or t.xycoords[0] == "axes fraction" for t in ax.texts)
    labels = tick_labels(ax)
    assert top_to_bottom(ax)[0] == "silo level 0.2" and "closed revenue" in labels[-1]  # best on top
    assert any(label.endswith("(reference)") for label in labels)


@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_no_and_all_successes_draw_without_negative_error_bars(rate):
    runs = pd.DataFrame({"point": ["a"] * 10 + ["b"] * 10,
                         "success": [rate == 1] * 10 + [True, False] * 5})
    runs["label"] = np.where(runs["success"], "success", "stalled")
    rates = success_rates(runs)
    figure = figures.success_rate_figure(rates, "b")
    segments = [c.lines[2][0].get_segments()[0] for c in figure.axes[0].containers]
    ends = sorted(x for seg in segments for x, _ in seg)
    assert ends[0] >= 0 and ends[-1] <= 100
    assert figures.figure_png(figure).startswith(PNG_SIGNATURE)


def test_failure_modes_follow_the_success_chart_order_with_percent_labels(results):
    rates = success_rates(results.runs)
    order = figures.best_first(rates)
    figure = figures.failure_mode_figure(failure_modes(results.runs), order)
    ax = figure.axes[0]
    assert ax.get_xlim() == (0, 100) and ax.get_xlabel() == "Share of runs (%)"
    success = figures.success_rate_figure(rates, results.reference).axes[0]
    assert top_to_bottom(ax) == top_to_bottom(success)
    assert top_to_bottom(ax)[0] == "silo level 0.2"  # the best point, 60%, first
    shown = [t.get_text() for t in ax.texts if t.get_text()]
    assert "60%" in shown and all(s.endswith("%") for s in shown)
    assert [t.get_text() for t in figure.legends[0].texts] == [
        "success", "stalled", "low adoption", "not sustained"]


def test_slide_style_is_applied_without_leaking_into_global_settings(results):
    before = mpl.rcParams["font.size"]
    figure = figures.failure_mode_figure(failure_modes(results.runs))
    tick = figure.axes[0].get_xticklabels()[0]
    assert tick.get_fontsize() == pytest.approx(sns.plotting_context("talk")["xtick.labelsize"])
    assert tuple(figure.get_size_inches()) == pytest.approx(figures.SLIDE_SIZE)
    assert mpl.rcParams["font.size"] == before


def test_heatmap_cells_carry_the_success_rate_its_interval_and_n(results):
    figure = figures.success_heatmap(results.runs, "silo.level", "incentives.marketing_pay",
                                     "silo level", "marketing pay")
    ax = figure.axes[0]
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["15%\n[5–36]\nn=20", "25%\n[11–47]\nn=20", "30%\n[15–52]\nn=20",
                     "60%\n[39–78]\nn=20"]
    assert ax.get_xlabel() == "marketing pay" and ax.get_ylabel() == "silo level"
    assert ax.collections[0].get_clim() == (0, 100)


def test_forest_plot_is_on_a_log_scale_with_a_line_at_one_and_copes_with_infinite_bounds(results):
    pairwise = pairwise_vs_reference(results.runs, results.reference, paired=True)
    pairwise.loc[0, "or_high"] = np.inf
    ax = figures.odds_ratio_forest(pairwise, results.reference).axes[0]
    assert ax.get_xscale() == "log"
    assert any(list(line.get_xdata()) == [1.0, 1.0] for line in ax.lines)
    low, high = ax.get_xlim()
    assert 0 < low < 1 < high < np.inf
    assert any("∞" in t.get_text() for t in ax.texts)


def test_display_labels_drop_what_every_point_shares():
    labels = figures.display_labels(["Typical company, silo level 0.2",
                                     "Typical company, silo level 0.8"])
    assert labels == {"Typical company, silo level 0.2": "silo level 0.2",
                      "Typical company, silo level 0.8": "silo level 0.8"}
    assert figures.display_labels(["baseline"]) == {"baseline": "baseline"}


def test_funnel_panels_share_one_percent_scale_after_the_counts(results):
    figure = figures.lead_funnel_figure(lead_funnel(results.runs), reference=results.reference)
    panels = figure.axes
    assert [ax.get_title(loc="left").split("\n")[0] for ax in panels] == [
        "Created", "Followed up", "Qualified", "Won"]
    assert panels[0].get_title(loc="left").endswith("leads per run")
    assert {ax.get_xlim() for ax in panels[1:]} == {(0, 100)}
    assert tick_labels(panels[1], "x") == ["0%", "50%", "100%"]
    assert all(len(ax.patches) == len(results.points) for ax in panels)
    marked = [label for label in tick_labels(panels[0]) if label.endswith("\n(reference)")]
    assert len(marked) == 1


def test_heatmap_levels_read_as_words(results):
    ax = figures.success_heatmap(results.runs, "silo.level", "incentives.marketing_pay").axes[0]
    assert sorted(tick_labels(ax, "x")) == ["closed revenue", "lead volume"]
    assert sorted(tick_labels(ax, "y")) == ["0.2", "0.8"]


@pytest.fixture(scope="module")
def money(tmp_path_factory):
    directory = synthetic.write_results(tmp_path_factory.mktemp("money"),
                                        synthetic.scenario_comparison(0.2, 0.6), 40, weeks=30,
                                        extras=synthetic.Extras(titles=True, economics=True))
    return load_results(directory)


def test_roi_figure_shows_every_interval_and_break_even_on_a_percent_axis(money):
    roi = kpi_effects(money.runs, money.reference, kpis=["roi"])
    order = figures.best_first(success_rates(money.runs))
    ax = figures.roi_figure(roi, money.reference, order).axes[0]
    low, high = ax.get_xlim()
    assert low < 100 * roi["ci_low"].min() and high > 100 * roi["ci_high"].max()
    assert low < 0 < high                                              # break-even in view
    assert any(list(line.get_xdata()) == [0.0, 0.0] for line in ax.lines)
    assert ax.get_xlabel() == "Return on the programme's cost (%)"
    assert top_to_bottom(ax) == order                      # the success chart's order
    assert [label for label in tick_labels(ax) if label.endswith("(reference)")] == [
        "Typical company\n(reference)"]
    assert all(t.xycoords[0] == "axes fraction" and t.xy[0] > 1 for t in ax.texts
               if "n=40" in t.get_text())
    assert len([t for t in ax.texts if "n=40" in t.get_text()]) == 2


def test_payback_figure_has_money_left_shares_right_on_the_run_weeks(money):
    net = weekly_summary(money, ["net_value_cumulative"])
    paid = economics.payback_curves(money.runs, 30)
    left, right = figures.payback_figure(net, paid).axes[:2]
    assert (left.get_xlabel(), left.get_ylabel()) == ("Week", "Cumulative net value ($k)")
    assert (right.get_xlabel(), right.get_ylabel()) == ("Week", "Runs paid back (%)")
    assert left.get_xlim() == right.get_xlim() == (0, 29)
    assert right.get_ylim() == (0, 100) and tick_labels(right)[-1] == "100%"
    assert any(list(line.get_ydata()) == [0.0, 0.0] for line in left.lines)   # break-even
    bottom, top = left.get_ylim()
    assert bottom <= net["low"].min() and top >= net["high"].max()
    assert len(right.lines) == len(left.get_legend_handles_labels()[0]) == 2


def test_trait_figure_has_one_panel_per_trait_on_a_0_to_100_axis(results):
    found = luck.luck_versus_levers(results.runs)
    order = figures.best_first(success_rates(results.runs))
    figure = figures.trait_figure(found.terciles, order)
    panels = [ax for ax in figure.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["Company culture", "Company tool fit"]
    assert all(ax.get_ylim() == (0, 100) for ax in panels)
    assert tick_labels(panels[0], "x") == ["lowest", "middle", "top"]
    assert len(figure.legends[0].texts) == len(results.points)


def test_time_figures_render_bands_within_0_and_1(results):
    metrics = ["adoption_mean", "adoption_enthusiast", "adoption_reluctant", "adoption_avoider"]
    weekly = weekly_summary(results, metrics)
    built = [
        figures.adoption_figure(weekly[weekly["metric"] == "adoption_mean"]),
        figures.segment_adoption_figure(weekly),
    ]
    assert len(built[1].axes) == 3
    assert len(built[0].axes[0].lines) == len(results.points)
    for figure in built:
        assert all(ax.get_ylim() == (0, 1) for ax in figure.axes)
        png = figures.figure_png(figure)
        assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
