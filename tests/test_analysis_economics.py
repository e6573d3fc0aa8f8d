"""The money in a sweep: payback curves, each action's value in money, and the report's
Economics section with its ROI and payback figures (analysis/economics.py)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from analysis import synthetic
from analysis.economics import action_values, payback_curves
from analysis.report import write_report
from analysis.synthetic import Extras, SyntheticPoint


def runs_of(values: dict[str, list[float]]) -> pd.DataFrame:
    """Paired runs (replicate r has seed 100 + r at every point) with the given net values."""
    rows = [{"point": scenario, "scenario": scenario, "replicate": r, "seed": 100 + r,
             "net_value": value, "payback_week": 60 + r if value > 0 else None}
            for scenario, series in values.items() for r, value in enumerate(series)]
    runs = pd.DataFrame(rows)
    runs["point"] = pd.Categorical(runs["point"], categories=list(values), ordered=True)
    return runs


def test_an_action_added_alone_or_removed_from_all_five_is_valued_by_the_paired_difference():
    runs = runs_of({"baseline": [0.0, 10.0, 20.0, 30.0],
                    "baseline+kpis": [100.0, 115.0, 118.0, 140.0],
                    "action_agile": [50.0, 60.0, 70.0, 80.0],
                    "five_actions": [500.0, 510.0, 520.0, 530.0],
                    "five_actions-kpis": [400.0, 405.0, 430.0, 425.0]})
    values = action_values(runs, "baseline", paired=True).set_index("point")
    assert values.loc["baseline+kpis", "value"] == pytest.approx(np.mean([100, 105, 98, 110]))
    assert values.loc["action_agile", "value"] == pytest.approx(50.0)
    assert values.loc["five_actions-kpis", "value"] == pytest.approx(np.mean([100, 105, 90, 105]))
    assert values.loc["five_actions-kpis", "against"] == \
        "within five_actions (what removing it loses)"
    assert values.loc["five_actions-kpis", "action"] == values.loc["baseline+kpis", "action"] \
        == "KPIs and governance"
    assert values.loc["action_agile", "action"] == "agile"   # no title recorded: its name
    assert values.loc["baseline+kpis", "against"] == "added alone to baseline"
    tested = values.drop(index="action_agile")
    assert (tested["low"] <= tested["value"]).all() and (tested["value"] <= tested["high"]).all()
    # +50 in every pair: nothing varies, so nothing to test and no interval
    assert values.loc["action_agile", ["low", "high", "p_value", "p_holm"]].isna().all()
    assert "five_actions" not in values.index, "a scenario of all five is no single action"


def test_the_action_values_are_holm_adjusted_together_and_titled():
    rng = np.random.default_rng(5)
    base = rng.normal(0, 50, 12)
    runs = runs_of({"baseline": list(base), "action_kpis": list(base + 30 + rng.normal(0, 20, 12)),
                    "action_agile": list(base + 2 + rng.normal(0, 20, 12))})
    runs["title"] = runs["scenario"].map({"baseline": "Typical company",
                                          "action_kpis": "KPIs and governance",
                                          "action_agile": "Agile delivery"})
    values = action_values(runs, "baseline", paired=True).set_index("action")
    assert set(values.index) == {"KPIs and governance", "Agile delivery"}
    expected = multipletests(values["p_value"], method="holm")[1]
    assert values["p_holm"].to_numpy() == pytest.approx(expected)
    assert (values["p_holm"] >= values["p_value"]).all()


def test_no_action_values_without_economics_or_pairs():
    runs = runs_of({"baseline": [1.0, 2.0], "low_silo": [3.0, 4.0]})
    assert action_values(runs, "baseline", paired=True).empty
    assert action_values(runs.drop(columns="net_value"), "baseline", paired=True).empty


def test_payback_curves_count_the_runs_paid_back_by_each_week():
    runs = runs_of({"a": [5.0, 5.0, -1.0, -1.0]})   # paid back in weeks 60 and 61, two never
    curve = payback_curves(runs, 70).set_index("week")["share"]
    assert curve[59] == 0.0 and curve[60] == 0.25 and curve[61] == 0.5 and curve[69] == 0.5


@pytest.fixture(scope="module")
def ablation_markdown(tmp_path_factory) -> str:
    points = [SyntheticPoint("baseline", 0.2), SyntheticPoint("baseline+kpis", 0.35),
              SyntheticPoint("five_actions", 0.6), SyntheticPoint("five_actions-kpis", 0.45)]
    directory = synthetic.write_results(tmp_path_factory.mktemp("ablation"), points, 60, weeks=20,
                                        extras=Extras(economics=True))
    return (write_report(directory).parent / "report.md").read_text()


def test_the_report_values_each_action_in_money_and_charts_roi_and_payback(ablation_markdown):
    economics = ablation_markdown.split("## Economics")[1].split("\n## ")[0]
    assert "The value of each action in money" in economics
    assert re.search(r"- KPIs and governance, added alone to [^:]+: [+-][\d,]+ "
                     r"\[[-+\d,]+ to [-+\d,]+\] \$k \(", economics)
    assert "KPIs and governance, within " in economics and "(what removing it loses)" in economics
    assert "paired runs, Holm-adjusted p" in economics and "p = p" not in economics
    assert "![Return on investment](figures/roi.png)" in economics
    assert "![Payback over time](figures/payback.png)" in economics
    assert "Net value (value added less programme cost) vs reference" in economics
    assert "| pays back within the horizon |" in economics


def test_when_no_run_pays_back_or_is_cancelled_the_table_says_so(tmp_path):
    points = [SyntheticPoint("baseline", 0.2), SyntheticPoint("five_actions", 0.5)]
    directory = synthetic.write_results(tmp_path, points, 30, weeks=10,
                                        extras=Extras(titles=True, economics=True))
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["payback_week"] = pd.array([pd.NA] * len(runs), dtype="Int64")
    runs["cancellation_cost"] = np.where(runs["cancelled"], 120.0, np.nan)
    runs.loc[runs["scenario"] == "five_actions", "cancelled"] = False
    runs.loc[runs["scenario"] == "five_actions", "cancellation_cost"] = np.nan
    runs.to_parquet(directory / "runs.parquet")
    economics = (write_report(directory).parent / "report.md").read_text().split(
        "## Economics")[1].split("\n## ")[0]
    header = next(line for line in economics.splitlines() if line.startswith("| point |"))
    assert "| pays back within the horizon | median payback |" in header
    assert "Spent by the cancellation ($k)" in header
    five = next(line for line in economics.splitlines() if line.startswith("| Five key actions"))
    assert five.endswith("| no run cancelled | 0% | never |")
    typical = next(line for line in economics.splitlines() if line.startswith("| Typical"))
    assert re.search(r"\| 120 \[120–120\] \$k \| 0% \| never \|$", typical)
