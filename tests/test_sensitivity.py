"""Sensitivity analysis checked on functions with known indices, through the sweep file path.

A test function's values are written as a sweep directory in the engine's layout
(``runs.parquet`` one row per replication, rows shuffled, ``sweep.json`` with the
design), then analysed exactly as a model sweep is: load, average replicates per
``point_index``, check the design's structure, SALib. So a wrong ordering,
averaging or design bookkeeping shows up as wrong indices.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf
from SALib.test_functions import Ishigami

from analysis.sensitivity import analyze, main, report_section
from experiments.config_tree import compose_config, config_tree
from experiments.design import Design
from sim.errors import ConfigError

# Ishigami on three [0, 1] model parameters mapped onto [-π, π] (indices are unchanged).
ISHIGAMI_KEYS = ("model.silo.level", "model.programme.sponsor_strength",
                 "model.programme.manager_enablement")
ISHIGAMI_S1 = (0.314, 0.442, 0.0)
ISHIGAMI_ST = (0.558, 0.442, 0.244)


def ishigami(x: np.ndarray) -> np.ndarray:
    return Ishigami.evaluate(-math.pi + 2 * math.pi * x)


def write_sweep(directory: Path, block: dict, function: Callable[[np.ndarray], np.ndarray],
                replicates: int = 20) -> Path:
    """A sweep over the engine's expansion of ``block`` whose outputs follow ``function``.

    Each point's ``value_ratio`` replicates are ``value ± 1`` in equal numbers (mean
    exactly ``value``); its success count is ``value`` rescaled to [0, 1] times the
    replications, so the replicate-averaged success is a linear map of ``value``
    (same indices) up to a rounding of 1/replications.
    """
    design = Design.from_dict(block)
    points = pd.DataFrame(design.points())  # what each job ran, whole numbers rounded
    value = function(points.to_numpy(dtype=float))
    wins = np.round((value - value.min()) / np.ptp(value) * replicates).astype(int)
    params = points.rename(columns=lambda key: key.removeprefix("model.")).to_dict("records")
    rows = []
    for index, (y, won, param) in enumerate(zip(value, wins, params, strict=True)):
        for rep in range(replicates):
            rows.append({"run_id": f"r{index}-{rep}", "scenario": "test", "point_id": f"p{index}",
                         "point_index": index, "replicate": rep, "seed": 1000 * index + rep,
                         "label": "success" if rep < won else "stalled", "success": rep < won,
                         "value_ratio": y + (1.0 if rep % 2 else -1.0), **param})
    runs = pd.DataFrame(rows).sample(frac=1.0, random_state=3)  # analysis must re-order
    directory.mkdir(parents=True, exist_ok=True)
    runs.to_parquet(directory / "runs.parquet")
    meta = {"experiment": "test", "swept": list(design.problem()["names"]),
            "design": design.to_dict()}
    (directory / "sweep.json").write_text(json.dumps(meta))
    return directory


def ishigami_sweep(directory: Path, method: str, samples: int, replicates: int = 20) -> Path:
    block = {"method": method, "samples": samples, "seed": 7, "second_order": False,
             "factors": {key: [0.0, 1.0] for key in ISHIGAMI_KEYS}}
    return write_sweep(directory, block, ishigami, replicates)


@pytest.fixture(scope="module")
def sobol_result(tmp_path_factory):
    return analyze(ishigami_sweep(tmp_path_factory.mktemp("sobol"), "sobol", 1024))


@pytest.mark.parametrize("output", [0, 1], ids=["success", "kpi"])
def test_sobol_recovers_ishigami_indices(sobol_result, output):
    indices = sobol_result.outputs[output].indices
    assert list(indices.index) == [key.removeprefix("model.") for key in ISHIGAMI_KEYS]
    np.testing.assert_allclose(indices["S1"], ISHIGAMI_S1, atol=0.05)
    np.testing.assert_allclose(indices["ST"], ISHIGAMI_ST, atol=0.05)
    assert (indices[["S1_conf", "ST_conf"]] < 0.1).all().all()


def test_sobol_success_is_the_replicate_average(sobol_result):
    assert sobol_result.outputs[0].output == "success"
    assert sobol_result.outputs[1].output == "value_ratio"
    assert sobol_result.replicates == 20
    assert sobol_result.notes == []  # the run points are the regenerated design


def test_morris_ranks_x1_and_x2_above_x3(tmp_path):
    result = analyze(ishigami_sweep(tmp_path, "morris", 40, replicates=2))
    x1, x2, x3 = result.outputs[1].indices["mu_star"]
    assert min(x1, x2) > x3
    # x2 enters as 7 sin²(x2) alone: every 4-level step moves it by 7·0.75 over Δ = 2/3.
    assert x2 == pytest.approx(7.875)


def test_rounded_integer_factor_keeps_the_trajectories(tmp_path):
    block = {"method": "morris", "samples": 12, "seed": 5,
             "factors": {"model.delivery.learning_cadence_weeks": [1, 8],
                         "model.silo.level": [0.0, 1.0]}}
    result = analyze(write_sweep(tmp_path, block, lambda x: x[:, 0] - 3 * x[:, 1], 2))
    assert result.notes == []  # the runs hold the engine's rounded sprint lengths
    sprint, silo = result.outputs[1].indices["mu_star"]
    assert sprint > 0 and silo == pytest.approx(3.0)


def test_too_small_sobol_sample_warns_with_a_sample_size(tmp_path):
    result = analyze(ishigami_sweep(tmp_path, "sobol", 8, replicates=2))
    warnings = " ".join(result.outputs[1].warnings)
    assert "negative S1" in warnings
    assert "intervals are wide" in warnings
    suggested = int(warnings.split("design.samples=")[1].split()[0])
    assert suggested > 8 and suggested & (suggested - 1) == 0  # a larger power of two


def test_too_few_trajectories_warn_with_a_sample_size(tmp_path):
    result = analyze(ishigami_sweep(tmp_path, "morris", 4, replicates=2))
    warnings = " ".join(result.outputs[1].warnings)
    assert "μ* intervals are wide" in warnings
    assert int(warnings.split("design.samples=")[1].split()[0]) > 4


def add_noise(directory: Path, noise: Callable[[pd.DataFrame], np.ndarray]) -> Path:
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["value_ratio"] += noise(runs)
    runs.to_parquet(directory / "runs.parquet")
    return directory


def test_replicate_noise_is_flagged_with_replications_needed(tmp_path):
    rng = np.random.default_rng(0)
    directory = add_noise(ishigami_sweep(tmp_path, "sobol", 64, replicates=2),
                          lambda runs: rng.normal(0.0, 10.0, len(runs)))  # var 100 vs 14
    warnings = " ".join(analyze(directory).outputs[1].warnings)
    assert "replicate noise adds about" in warnings
    assert int(warnings.split("use about ")[-1].split()[0]) > 2


def test_noise_shared_by_replicate_number_cancels_like_common_seeds(tmp_path):
    directory = add_noise(ishigami_sweep(tmp_path, "sobol", 64, replicates=2),
                          lambda runs: np.where(runs["replicate"] == 0, -10.0, 10.0))
    output = analyze(directory).outputs[1]
    assert output.pair_noise == pytest.approx(0.0, abs=1e-12)
    assert not any("replicate noise" in text for text in output.warnings)


def test_morris_noise_floor_names_levers_lost_in_noise(tmp_path):
    rng = np.random.default_rng(1)
    directory = add_noise(ishigami_sweep(tmp_path, "morris", 20, replicates=2),
                          lambda runs: rng.normal(0.0, 5.0, len(runs)))
    warnings = " ".join(analyze(directory).outputs[1].warnings)
    assert "replicate noise alone gives μ* ≈" in warnings


def test_a_failed_point_drops_only_its_block(tmp_path):
    directory = ishigami_sweep(tmp_path, "sobol", 16, replicates=2)
    runs = pd.read_parquet(directory / "runs.parquet")
    runs[runs["point_index"] != 7].to_parquet(directory / "runs.parquet")
    result = analyze(directory)
    assert result.outputs[0].blocks == 15
    assert "1 of 16 blocks left out" in " ".join(result.outputs[0].warnings)


def test_an_output_that_never_varies_is_reported_not_divided_by_zero(tmp_path):
    directory = ishigami_sweep(tmp_path, "sobol", 8, replicates=2)
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["success"], runs["label"] = False, "stalled"
    runs.to_parquet(directory / "runs.parquet")
    success = analyze(directory).outputs[0]
    assert success.indices.isna().all().all()
    assert success.warnings == ["success probability is 0 at every point, so no index can be "
                                "computed: widen the factor ranges, change the base scenario "
                                "or lengthen the runs"]


def test_report_section_has_tables_warnings_and_an_embedded_figure(tmp_path):
    markdown, page = report_section(ishigami_sweep(tmp_path, "morris", 6, replicates=2))
    assert "## Sensitivity: Morris screening" in markdown and "| silo.level |" in markdown
    assert "warning:" in markdown
    assert "data:image/png;base64," in page and "<table" in page


# ---------------------------------------------------------------------- bad input


def test_a_sweep_without_a_design_is_refused(tmp_path):
    directory = ishigami_sweep(tmp_path, "sobol", 4, replicates=2)
    (directory / "sweep.json").write_text(json.dumps({"experiment": "grid", "swept": []}))
    with pytest.raises(ConfigError, match="design"):
        analyze(directory)


def test_an_lhs_design_is_refused_for_sensitivity(tmp_path):
    directory = ishigami_sweep(tmp_path, "sobol", 4, replicates=2)
    meta = json.loads((directory / "sweep.json").read_text())
    meta["design"]["method"] = "lhs"
    (directory / "sweep.json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="morris, sobol or fast"):
        analyze(directory)


def test_a_design_of_one_trajectory_is_refused(tmp_path):
    directory = ishigami_sweep(tmp_path, "morris", 2, replicates=2)
    meta = json.loads((directory / "sweep.json").read_text())
    meta["design"]["samples"] = 1
    (directory / "sweep.json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match=r"design\.samples=1"):
        analyze(directory)


def test_a_grouped_design_is_left_to_the_robustness_analysis(tmp_path):
    block = {"method": "morris", "samples": 4, "seed": 7, "groups": "block",
             "factors": {key: [0.0, 1.0] for key in ISHIGAMI_KEYS}}
    with pytest.raises(ConfigError) as caught:
        analyze(write_sweep(tmp_path, block, ishigami, replicates=2))
    assert caught.value.key == "design.groups" and "analysis.robustness" in str(caught.value)


def test_too_few_points_for_the_method_is_refused(tmp_path):
    directory = ishigami_sweep(tmp_path, "morris", 4, replicates=2)
    runs = pd.read_parquet(directory / "runs.parquet")
    runs[runs["point_index"] < 6].to_parquet(directory / "runs.parquet")  # 1 whole trajectory
    with pytest.raises(ConfigError, match="1 of 4 trajectories complete"):
        analyze(directory)


def test_points_out_of_design_order_are_refused(tmp_path):
    directory = ishigami_sweep(tmp_path, "morris", 4, replicates=2)
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["point_index"] = runs["point_index"].replace({1: 2, 2: 1})
    runs.to_parquet(directory / "runs.parquet")
    with pytest.raises(ConfigError, match="one factor moved per step"):
        analyze(directory)


def test_cli_prints_one_line_error_for_a_corrupt_parquet(tmp_path, capsys):
    directory = ishigami_sweep(tmp_path, "sobol", 4, replicates=2)
    (directory / "runs.parquet").write_bytes(b"not parquet")
    assert main([str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "runs.parquet" in err and err.count("\n") == 1


def test_cli_prints_indices(tmp_path, capsys):
    assert main([str(ishigami_sweep(tmp_path, "morris", 10, replicates=2))]) == 0
    out = capsys.readouterr().out
    assert "Morris over 3 factors" in out and "mu_star" in out


# ------------------------------------------------------------- the real experiments


@pytest.mark.parametrize("experiment", ["sensitivity_morris", "sensitivity_sobol",
                                        "sensitivity_fast"])
def test_experiment_design_is_valid_and_keeps_its_levers_live(experiment):
    with config_tree():
        cfg = compose_config([f"experiment={experiment}"])
    design = Design.from_dict(OmegaConf.to_container(cfg.design, resolve=True))
    assert len(design.factors) >= 10
    bounds = {factor.column: (factor.low, factor.high) for factor in design.factors}
    assert bounds["org.share_enthusiast"][1] + bounds["org.share_avoider"][1] <= 1.0
    model = cfg.model  # the sampled SLA, handoff share and sprint length must matter
    assert (model.lead_handoff.policy, model.account_handoff.policy,
            model.delivery.name) == ("abc_scoring", "at_potential_share", "agile")


# a small market keeps many settled states (sim/steady_state.py); a smoke run needs two
SMOKE = ["design.samples=2", "replications=2", "model.org.n_reps=8", "model.horizon_weeks=40",
         "model.settle_weeks=104", "model.settle_snapshots_max=2"]


@pytest.mark.parametrize("experiment", ["sensitivity_morris", "sensitivity_sobol"])
def test_experiment_smoke_run_through_engine_and_analysis(experiment, tmp_path):
    out = tmp_path / experiment
    done = subprocess.run([sys.executable, "-m", "experiments.cli", f"experiment={experiment}",
                           *SMOKE, f"out={out}"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = analyze(out)
    assert [o.output for o in result.outputs] == ["success", "value_vs_no_programme"]
    assert len(result.outputs[0].indices) == len(result.design.factors)
    report = (out / "report.md").read_text()
    assert "## Sensitivity:" in report and "## Scenario discovery" in report


# ------------------------------------------------------------------------------- FAST


def fast_sweep(directory: Path, samples: int = 513, replicates: int = 10) -> Path:
    """An Ishigami sweep over a FAST sample, written as the engine would expand it."""
    from analysis.sensitivity import FastDesign

    block = {"method": "fast", "samples": samples, "seed": 7, "levels": 4,
             "factors": {key: [0.0, 1.0] for key in ISHIGAMI_KEYS}}
    design = FastDesign.from_block(block)
    points = pd.DataFrame(design.points())
    value = ishigami(points.to_numpy(dtype=float))
    wins = np.round((value - value.min()) / np.ptp(value) * replicates).astype(int)
    params = points.rename(columns=lambda key: key.removeprefix("model.")).to_dict("records")
    rows = [{"run_id": f"r{i}-{rep}", "scenario": "test", "point_id": f"p{i}", "point_index": i,
             "replicate": rep, "seed": rep, "label": "success" if rep < won else "stalled",
             "success": rep < won, "value_ratio": y + (1.0 if rep % 2 else -1.0), **param}
            for i, (y, won, param) in enumerate(zip(value, wins, params, strict=True))
            for rep in range(replicates)]
    directory.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).sample(frac=1.0, random_state=3).to_parquet(directory / "runs.parquet")
    recorded = {**block, "points": len(points)}
    (directory / "sweep.json").write_text(json.dumps({"experiment": "test", "design": recorded,
                                                      "swept": list(design.problem()["names"])}))
    return directory


@pytest.mark.parametrize("output", [0, 1], ids=["success", "kpi"])
def test_fast_recovers_ishigami_indices_through_salib(tmp_path, output):
    result = analyze(fast_sweep(tmp_path))
    indices = result.outputs[output].indices
    assert list(indices.index) == [key.removeprefix("model.") for key in ISHIGAMI_KEYS]
    np.testing.assert_allclose(indices["S1"], ISHIGAMI_S1, atol=0.06)
    np.testing.assert_allclose(indices["ST"], ISHIGAMI_ST, atol=0.08)
    assert any("unreliable for FAST" in w for w in result.outputs[output].warnings)


def test_fast_report_section_and_its_refusals(tmp_path):
    directory = fast_sweep(tmp_path / "ok", samples=129, replicates=4)
    markdown, page = report_section(directory)
    assert markdown.startswith("## Sensitivity: FAST indices") and "S1" in markdown
    assert "data:image/png;base64," in page
    runs = pd.read_parquet(directory / "runs.parquet")
    runs[runs["point_index"] != 5].to_parquet(directory / "runs.parquet")
    with pytest.raises(ConfigError, match="2 of 3 search curves complete"):
        analyze(directory)
    with pytest.raises(ConfigError, match=r"design\.samples=64 .*more than 4·M² = 64"):
        from analysis.sensitivity import parse_design

        parse_design({"method": "fast", "samples": 64, "seed": 0,
                      "factors": {"model.silo.level": [0, 1]}})


def test_sensitivity_figures_have_their_axes_and_labels(sobol_result, tmp_path):
    from analysis.sensitivity import morris_figure, sobol_figure

    bars = sobol_figure(sobol_result).axes
    assert [ax.get_title(loc="left") for ax in bars] == ["success probability",
                                                         "value_ratio (mean)"]
    assert all(ax.get_xlabel() == "share of output variance" for ax in bars)
    assert [t.get_text() for t in bars[0].get_yticklabels()][-1] == "silo.level"  # largest ST
    morris = morris_figure(analyze(ishigami_sweep(tmp_path, "morris", 10, replicates=2))).axes
    for ax in morris:
        assert ax.get_xlabel() == "μ* (importance)" and ax.get_xlim()[0] == 0
        assert ax.get_ylim()[0] == 0 and ax.get_ylabel().startswith("σ")
