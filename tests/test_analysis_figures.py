"""Figures show the numbers they are given, in the one slide style."""

from __future__ import annotations

import matplotlib as mpl
import pytest
import seaborn as sns

from analysis import figures, synthetic
from analysis.results import load_results, weekly_summary
from analysis.stats import failure_modes, lead_funnel, pairwise_vs_reference, success_rates

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    directory = synthetic.write_results(tmp_path_factory.mktemp("figures"),
                                        synthetic.silo_incentive_factorial(), 20, weeks=12)
    return load_results(directory)


def test_success_rate_figure_draws_one_interval_per_point_with_its_label(results):
    rates = success_rates(results.runs)
    figure = figures.success_rate_figure(rates, results.reference)
    ax = figure.axes[0]
    assert len(ax.containers) == len(rates)  # one errorbar per point
    texts = [t.get_text() for t in ax.texts]
    assert "60% [39–78]  n=20" in texts
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(label.endswith("(reference)") for label in labels)


def test_slide_style_is_applied_without_leaking_into_global_settings(results):
    before = mpl.rcParams["font.size"]
    figure = figures.failure_mode_figure(failure_modes(results.runs))
    tick = figure.axes[0].get_xticklabels()[0]
    assert tick.get_fontsize() == pytest.approx(sns.plotting_context("talk")["xtick.labelsize"])
    assert tuple(figure.get_size_inches()) == pytest.approx(figures.SLIDE_SIZE)
    assert mpl.rcParams["font.size"] == before


def test_heatmap_cells_carry_the_success_rate_and_n(results):
    figure = figures.success_heatmap(results.runs, "silo.level", "incentives.marketing_pay")
    texts = sorted(t.get_text() for t in figure.axes[0].texts)
    assert texts == ["15%\nn=20", "25%\nn=20", "30%\nn=20", "60%\nn=20"]


def test_forest_plot_is_on_a_log_scale_with_a_line_at_one(results):
    pairwise = pairwise_vs_reference(results.runs, results.reference)
    ax = figures.odds_ratio_forest(pairwise, results.reference).axes[0]
    assert ax.get_xscale() == "log"
    assert any(list(line.get_xdata()) == [1.0, 1.0] for line in ax.lines)


def test_display_labels_drop_what_every_point_shares():
    labels = figures.display_labels(["baseline | silo.level=0.2", "baseline | silo.level=0.8"])
    assert labels == {"baseline | silo.level=0.2": "silo.level=0.2",
                      "baseline | silo.level=0.8": "silo.level=0.8"}
    assert figures.display_labels(["baseline"]) == {"baseline": "baseline"}


def test_time_and_funnel_figures_render_to_png(results):
    metrics = ["adoption_mean", "adoption_enthusiast", "adoption_reluctant", "adoption_avoider"]
    weekly = weekly_summary(results, metrics)
    built = [
        figures.adoption_figure(weekly[weekly["metric"] == "adoption_mean"]),
        figures.segment_adoption_figure(weekly),
        figures.lead_funnel_figure(lead_funnel(results.runs)),
    ]
    assert len(built[1].axes) == 3
    assert len(built[0].axes[0].lines) == len(results.points)
    funnel_panels = built[2].axes
    assert [ax.get_title(loc="left").split("\n")[0] for ax in funnel_panels] == [
        "Created", "Followed up", "Qualified", "Won"]
    assert all(len(ax.patches) == len(results.points) for ax in funnel_panels)
    for figure in built:
        png = figures.figure_png(figure)
        assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
