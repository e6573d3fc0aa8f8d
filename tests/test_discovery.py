"""Scenario discovery recovers a box planted in synthetic sweep results."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc

from analysis.discovery import discover_sweep, main, report_section, report_threshold
from sim.errors import ConfigError

FACTORS = {"model.silo.level": [0.0, 1.0], "model.programme.sponsor_strength": [0.0, 1.0],
           "model.tool.drift_weekly": [0.0, 0.02]}
INSIDE, OUTSIDE = 0.8, 0.1


def planted(silo: np.ndarray, sponsor: np.ndarray) -> np.ndarray:
    """Success probability: high where silos are low and the sponsor strong, low elsewhere."""
    return np.where((silo <= 0.35) & (sponsor > 0.6), INSIDE, OUTSIDE)


def write_lhs_sweep(directory: Path, points: int = 400, replicates: int = 10,
                    design: bool = True) -> Path:
    """An LHS sweep in the engine's layout whose success follows ``planted`` (seeded draws)."""
    rng = np.random.default_rng(11)
    unit = qmc.LatinHypercube(d=3, seed=5).random(points)
    lows, highs = np.array([v[0] for v in FACTORS.values()]), [v[1] for v in FACTORS.values()]
    x = qmc.scale(unit, lows, highs)
    columns = [key.removeprefix("model.") for key in FACTORS]
    rows = []
    for index, point in enumerate(x):
        chance = planted(point[0], point[1])
        for rep in range(replicates):
            win = bool(rng.random() < chance)
            rows.append({"run_id": f"r{index}-{rep}", "scenario": "lhs", "point_id": f"p{index}",
                         "point_index": index, "replicate": rep,
                         "label": "success" if win else "low_adoption", "success": win,
                         **dict(zip(columns, point, strict=True))})
    directory.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_parquet(directory / "runs.parquet")
    meta = {"experiment": "lhs", "swept": columns}
    if design:
        meta["design"] = {"method": "lhs", "samples": points, "seed": 5, "factors": FACTORS,
                          "points": points}
    (directory / "sweep.json").write_text(json.dumps(meta))
    return directory


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    return write_lhs_sweep(tmp_path_factory.mktemp("lhs"))


def test_prim_recovers_the_planted_box(sweep_dir):
    found = discover_sweep(sweep_dir, threshold=0.5)
    assert found.boxes
    box = found.boxes[0]
    bounds = {c.factor: (c.low, c.high) for c in box.conditions}
    assert set(bounds) >= {"silo.level", "programme.sponsor_strength"}
    assert bounds["silo.level"][0] is None
    assert bounds["silo.level"][1] == pytest.approx(0.35, abs=0.05)
    assert bounds["programme.sponsor_strength"][0] == pytest.approx(0.6, abs=0.05)
    assert bounds["programme.sponsor_strength"][1] is None
    assert box.ci_low < INSIDE < box.ci_high
    assert box.coverage > 0.5
    assert box.successes / box.runs == box.density
    assert list(found.scores.index[:2]) == ["silo.level", "programme.sponsor_strength"]
    assert found.scores["tool.drift_weekly"] < found.scores["programme.sponsor_strength"]


def test_rule_reads_as_conditions_rate_interval_and_coverage(sweep_dir):
    rule = discover_sweep(sweep_dir, threshold=0.5).boxes[0].rule()
    assert "silo level ≤ 0.3" in rule and "executive sponsor strength ≥ 0.6" in rule
    assert " → success " in rule and "% of successes" in rule and "–" in rule


def test_rules_as_data(sweep_dir):
    frame = discover_sweep(sweep_dir, threshold=0.5).to_frame()
    assert list(frame.columns) == ["rule", "density", "ci_low", "ci_high", "coverage", "runs",
                                   "points"]
    assert len(frame) >= 1 and frame.loc[0, "density"] > 0.5


def test_no_box_above_threshold_names_the_best_region(sweep_dir, capsys):
    assert main([str(sweep_dir), "--threshold", "0.95"]) == 0
    out = capsys.readouterr().out
    assert "none; the most favourable region: " in out and "silo level" in out
    assert "levers by feature score (extra trees): silo level" in out


def test_works_on_a_plain_numeric_sweep_without_design(tmp_path):
    found = discover_sweep(write_lhs_sweep(tmp_path, design=False), threshold=0.5)
    assert found.factors == ["silo.level", "programme.sponsor_strength", "tool.drift_weekly"]
    assert found.boxes


def test_categorical_levers_are_levers_too(tmp_path):
    directory = write_lhs_sweep(tmp_path, points=200, replicates=10, design=False)
    runs = pd.read_parquet(directory / "runs.parquet")
    rng = np.random.default_rng(4)
    pay = np.where(runs["point_index"] % 3 == 0, "lead_volume",
                   np.where(runs["point_index"] % 3 == 1, "pipeline", "closed_revenue"))
    runs["incentives.marketing_pay"] = pay
    runs["programme.kpis"] = (runs["point_index"] % 2).astype(bool)
    chance = np.where(pay == "lead_volume", 0.05, 0.6)
    runs["success"] = rng.random(len(runs)) < chance
    runs["label"] = np.where(runs["success"], "success", "low_adoption")
    runs.to_parquet(directory / "runs.parquet")
    meta = {"experiment": "x", "swept": ["silo.level", "incentives.marketing_pay",
                                         "programme.kpis"]}
    (directory / "sweep.json").write_text(json.dumps(meta))
    found = discover_sweep(directory, threshold=0.5)
    assert found.scores.index[0] == "incentives.marketing_pay"
    conditions = {c.factor: c for c in found.boxes[0].conditions}
    assert set(conditions["incentives.marketing_pay"].choices) == {"closed revenue", "pipeline"}
    assert "what marketing is paid on is closed revenue or pipeline" in found.boxes[0].rule()


def test_report_section_embeds_the_figures(sweep_dir):
    markdown, page = report_section(sweep_dir)
    assert markdown.startswith("## Scenario discovery") and "→ success" in markdown
    assert "(PRIM)" in markdown and "feature score" in markdown
    assert page.count("data:image/png;base64,") == 2


@pytest.mark.parametrize(("overall", "bar"), [(0.2, 0.5), (0.7, 0.85), (0.99, 0.95)])
def test_report_bar_beats_the_sweep_as_a_whole(overall, bar):
    runs = pd.DataFrame({"success": np.arange(100) < round(100 * overall)})
    assert report_threshold(runs) == pytest.approx(bar)


def test_a_threshold_outside_zero_one_is_refused(sweep_dir):
    with pytest.raises(ConfigError, match="threshold"):
        discover_sweep(sweep_dir, threshold=1.5)


def test_cli_one_line_error_without_any_swept_lever(tmp_path, capsys):
    directory = write_lhs_sweep(tmp_path, points=20, replicates=2, design=False)
    meta = {"experiment": "x", "swept": ["incentives.rep_pay"]}
    (directory / "sweep.json").write_text(json.dumps(meta))
    assert main([str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "at least one swept lever" in err
    assert err.count("\n") == 1


def test_discovery_figures_have_their_axes_and_labels(sweep_dir):
    from analysis.discovery import box_figure, lever_table, results_discovery, scores_figure
    from analysis.results import load_results

    results = load_results(sweep_dir)
    found = results_discovery(results, 0.5)
    scores = scores_figure(found).axes[0]
    assert scores.get_xlim()[0] == 0 and "feature score" in scores.get_xlabel()
    assert [t.get_text() for t in scores.get_yticklabels()][-1] == "silo level"  # top bar
    drawn = box_figure(found, lever_table(results), results.runs["success"].to_numpy(),
                       results.runs["point_id"].to_numpy())
    ax = drawn.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("silo level", "executive sponsor strength")
    assert ax.get_xlim() == (0.0, 1.0) and ax.get_ylim() == (0.0, 1.0)
    assert len(ax.patches) == 1 and ax.get_title(loc="left").startswith("success ")


def test_a_categorical_lever_swept_beside_a_design_is_a_lever_too(tmp_path):
    # experiment=levers_lhs model.lead_handoff.policy=dump_all,abc_scoring: the design samples
    # the numbers, the grid adds the policy; success is planted on the policy alone
    directory = write_lhs_sweep(tmp_path, points=200, replicates=10)
    runs = pd.read_parquet(directory / "runs.parquet")
    policy = np.where(runs["point_index"] % 2 == 0, "abc_scoring", "dump_all")
    runs["lead_handoff.policy"] = policy
    runs["success"] = np.random.default_rng(8).random(len(runs)) < np.where(
        policy == "abc_scoring", 0.7, 0.05)
    runs["label"] = np.where(runs["success"], "success", "low_adoption")
    runs.to_parquet(directory / "runs.parquet")
    meta = json.loads((directory / "sweep.json").read_text())
    meta["swept"] = ["lead_handoff.policy", *meta["swept"]]
    (directory / "sweep.json").write_text(json.dumps(meta))
    found = discover_sweep(directory, threshold=0.5)
    assert "lead_handoff.policy" in found.factors and "silo.level" in found.factors
    assert found.scores.index[0] == "lead_handoff.policy"
    conditions = {c.factor: c for c in found.boxes[0].conditions}
    assert conditions["lead_handoff.policy"].choices == ("ABC scoring",)
    assert "lead handoff policy is ABC scoring" in found.boxes[0].rule()


def test_a_grid_sweep_with_enough_points_gets_scenario_discovery(tmp_path):
    from analysis import synthetic
    from analysis.report import write_report

    shares = {(silo, pay): (0.7 if pay == "closed_revenue" else 0.1)
              for silo in (0.2, 0.4, 0.6, 0.8) for pay in ("lead_volume", "closed_revenue")}
    directory = synthetic.write_results(tmp_path, synthetic.silo_incentive_factorial(shares), 20,
                                        weeks=4)
    markdown = (write_report(directory).parent / "report.md").read_text()
    assert "## Scenario discovery: where success reaches" in markdown
    section = markdown.split("## Scenario discovery")[1].split("\n## ")[0]
    assert "what marketing is paid on is closed revenue" in section
    small = synthetic.write_results(tmp_path / "small", synthetic.silo_incentive_factorial(), 20,
                                    weeks=4)
    assert "Scenario discovery" not in (write_report(small).parent / "report.md").read_text()
