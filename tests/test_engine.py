"""The experiment engine's parts, in process: seeds, designs, precision, configs, jobs, files.

Sweeps through the real ``silosim`` command (launchers, kill and resume) are in
``test_engine_sweeps.py``; bad command lines in ``test_cli.py``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from omegaconf import OmegaConf, open_dict

from experiments import job_files
from experiments.aggregate import PLAN_FORMAT
from experiments.allowlist import HYDRA_GROUPS, TARGETS
from experiments.config_tree import (
    CONFIG_DIR,
    compose_config,
    config_tree,
    file_model,
    group_options,
    scenario_parts,
)
from experiments.design import Design
from experiments.job import run_job
from experiments.plan import make_plan
from experiments.point import resolve_point
from experiments.replications import wilson_half_width
from experiments.seeds import point_id, replicate_seed
from sim.errors import ConfigError
from sim.params import SimParams

TINY = ["model.org.n_reps=8", "model.org.n_marketers=2", "model.horizon_weeks=40",
        "model.delivery.build_weeks=13",
        "model.settle_weeks=104", "model.settle_snapshots_max=2"]
#: the engine's own experiments and their number of jobs (sensitivity_* are tested with analysis)
EXPERIMENT_JOBS = {"silo_x_incentive": 16, "handoff_policies": 16, "five_actions_ablation": 12,
                   "org_size": 8, "levers_lhs": 8, "sensitivity_morris": 20}


# ----------------------------------------------------------------------------- seeds


def test_common_random_numbers_share_a_seed_per_replicate_across_points():
    assert replicate_seed(7, 3) == replicate_seed(7, 3)
    assert len({replicate_seed(7, r) for r in range(50)}) == 50
    assert replicate_seed(7, 3) != replicate_seed(8, 3)


def test_independent_seeding_mixes_in_the_point():
    a, b = point_id({"silo.level": 0.2}), point_id({"silo.level": 0.8})
    assert a != b and len(a) == 16
    assert replicate_seed(7, 3, a) != replicate_seed(7, 3, b)
    assert replicate_seed(7, 3, a) == replicate_seed(7, 3, a)
    assert replicate_seed(7, 3, a) != replicate_seed(7, 3)


def test_point_id_is_stable_and_ignores_key_order():
    assert point_id({"a": 1, "b": 0.5}) == point_id({"b": 0.5, "a": 1})
    # pinned: a changed hash would silently break resume and cross-sweep joins
    assert point_id({"silo.level": 0.65}) == "b215a7798a19b034"
    assert replicate_seed(0, 0) == 4334430513956379144


# --------------------------------------------------------------------------- precision


def test_wilson_half_width_matches_the_closed_form():
    z = 1.959963984540054
    assert wilson_half_width(0, 20) == pytest.approx(z * z / (2 * (20 + z * z)))
    p, n = 0.3, 100
    expected = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson_half_width(30, 100) == pytest.approx(expected)
    assert wilson_half_width(500, 1000) < wilson_half_width(50, 100)


# ----------------------------------------------------------------------------- designs


def _block(method: str, samples: int, **extra) -> dict:
    return {"method": method, "samples": samples, "seed": 11,
            "factors": {"model.silo.level": [0.1, 0.9], "model.org.n_reps": [10, 20]}, **extra}


@pytest.mark.parametrize(("method", "samples", "points"),
                         [("lhs", 8, 8), ("morris", 3, 3 * 3), ("sobol", 4, 4 * (2 * 2 + 2))])
def test_designs_are_deterministic_within_bounds_and_round_whole_numbers(method, samples, points):
    design = Design.from_dict(_block(method, samples))
    drawn = design.points()
    assert len(drawn) == points == design.to_dict()["points"]
    assert drawn == Design.from_dict(_block(method, samples)).points()
    assert drawn == Design.from_dict(design.to_dict()).points()
    for point in drawn:
        assert 0.1 <= point["model.silo.level"] <= 0.9
        assert isinstance(point["model.org.n_reps"], int) and 10 <= point["model.org.n_reps"] <= 20
    assert design.problem()["names"] == ["silo.level", "org.n_reps"]


def test_nested_and_dotted_factors_are_the_same_design():
    nested = _block("lhs", 5) | {"factors": {"model": {"silo": {"level": [0.1, 0.9]},
                                                       "org": {"n_reps": [10, 20]}}}}
    assert Design.from_dict(nested) == Design.from_dict(_block("lhs", 5))


def test_latin_hypercube_puts_one_point_in_every_stratum():
    design = Design.from_dict({"method": "lhs", "samples": 10, "seed": 3,
                               "factors": {"model.silo.level": [0.0, 1.0]}})
    levels = sorted(p["model.silo.level"] for p in design.points())
    assert [int(x * 10) for x in levels] == list(range(10))


@pytest.mark.parametrize(("block", "key"), [
    (_block("lhs", 4) | {"factors": {"model.incentives.rep_pay": [0, 1]}},
     "design.factors.model.incentives.rep_pay"),
    (_block("lhs", 4) | {"factors": {"model.programme.kpis": [0, 1]}},
     "design.factors.model.programme.kpis"),
    (_block("lhs", 4) | {"factors": {"model.silo.level": [0.5, 1.5]}},
     "design.factors.model.silo.level"),
    (_block("lhs", 4) | {"factors": {"model.silo.levl": [0, 1]}}, "model.silo.levl"),
    (_block("sobol", 6), "design.samples"),
    (_block("grid", 4), "design.method"),
    (_block("lhs", 4) | {"seed": 2**63}, "design.seed"),
    (_block("lhs", 4) | {"seed": -1}, "design.seed"),
])
def test_bad_designs_are_refused_naming_the_key(block, key):
    with pytest.raises(ConfigError) as caught:
        Design.from_dict(block)
    assert caught.value.key == key
    assert "\n" not in str(caught.value)


# ----------------------------------------------------------------------------- configs


def test_composed_config_holds_the_full_model_tree_with_schema_defaults():
    with config_tree():
        cfg = compose_config(["model.silo.level=0.3"])
    model = OmegaConf.to_container(cfg.model)
    expected = SimParams().to_dict() | {"silo": SimParams().to_dict()["silo"] | {"level": 0.3}}
    assert model == expected
    assert cfg.scenario == "baseline"


def test_experiment_presets_override_the_primary_config():
    with config_tree():
        cfg = compose_config(["experiment=five_actions_ablation"], with_hydra=True)
    assert cfg.replications == 100
    assert cfg.hydra.job.chdir is False
    assert "ablation.action" in cfg.hydra.sweeper.params


@pytest.mark.parametrize(("experiment", "jobs"), EXPERIMENT_JOBS.items())
def test_every_experiment_plans_cleanly_with_its_documented_size(experiment, jobs, tmp_path):
    plan = make_plan([f"experiment={experiment}", f"out={tmp_path}"])
    assert (plan.mode, plan.experiment, len(plan.jobs)) == ("sweep", experiment, jobs)
    assert plan.reference is None or plan.reference in {"baseline", "five_actions"}


def test_launcher_presets_compose_and_name_only_allowlisted_targets():
    """Every shipped launcher preset composes to an allowlisted plugin; the Ray presets only
    where the optional ``ray`` extra is installed (``.ci/run`` installs it)."""
    import importlib.util

    from hydra.core.plugins import Plugins

    ray = importlib.util.find_spec("hydra_plugins.hydra_ray_launcher") is not None
    launchers = [name for name in HYDRA_GROUPS["hydra/launcher"]
                 if ray or not name.startswith("ray")]
    expected = TARGETS if ray else {t for t in TARGETS if "ray" not in t}
    with config_tree():
        options = group_options("hydra/launcher")
        slurm = compose_config(["hydra/launcher=slurm", "out=/tmp/x"],
                               with_hydra=True).hydra.launcher
        targets = {name: compose_config([f"hydra/launcher={name}", "out=/tmp/x"],
                                        with_hydra=True).hydra.launcher._target_
                   for name in launchers}
        sweeper = compose_config(["experiment=org_size"], with_hydra=True).hydra.sweeper
    assert set(launchers) <= set(options)
    assert set(targets.values()) | {sweeper._target_} == expected  # the pin: every one is used
    assert all(target in Plugins.instance().class_name_to_class for target in expected)
    assert slurm._target_.endswith("SlurmLauncher") and slurm.submitit_folder.startswith("/tmp/x")
    assert sweeper._target_.endswith("BasicSweeper") and set(sweeper.params) == {"org", "scenario"}


def test_no_module_imports_private_hydra_or_omegaconf_code():
    import ast

    root = Path(__file__).resolve().parent.parent
    private = []
    for source in (p for d in ("experiments", "analysis", "dashboard", "sim", "scenarios",
                               "benchmarks", "tests") for p in (root / d).rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            private += [f"{source.name}: {n}" for n in names
                        if n.startswith(("hydra._internal", "omegaconf._"))]
    assert private == []


def test_agile_reuses_action_agile_through_its_defaults():
    assert scenario_parts("agile") == ["action_agile"]
    assert file_model("scenario", "agile") == file_model("scenario", "action_agile")
    text = (CONFIG_DIR / "scenario" / "agile.yaml").read_text()
    assert "model:" not in text  # composed, not copied


def test_ablation_toggles_one_action_between_the_two_scenarios():
    with config_tree():
        def point(scenario: str, action: str):
            cfg = compose_config(["experiment=five_actions_ablation", f"scenario={scenario}",
                                  f"ablation.action={action}"], with_hydra=True)
            return resolve_point(cfg, cfg.hydra.runtime.choices)

        base, full = point("baseline", "none"), point("five_actions", "none")
        added, removed = point("baseline", "agile"), point("five_actions", "agile")
    assert (added.scenario, removed.scenario) == ("baseline+agile", "five_actions-agile")
    assert added.params.delivery == full.params.delivery and full.params.delivery.name == "agile"
    assert removed.params.delivery == base.params.delivery
    assert added.choices["delivery"] == "agile" and removed.choices["delivery"] == "waterfall"
    assert added.params.programme.kpis == base.params.programme.kpis
    assert removed.params.programme.kpis == full.params.programme.kpis


def test_resuming_a_different_sweep_into_the_same_directory_is_refused(tmp_path):
    first = make_plan(["-m", "model.silo.level=0.2,0.8", f"out={tmp_path}"])
    job_files.write_json(tmp_path / job_files.PLAN, first.record())
    again = make_plan(["-m", "model.silo.level=0.2,0.8", f"out={tmp_path}", "hydra/launcher=joblib"])
    assert again.jobs == first.jobs
    again.guard_resume()  # another launcher may resume the same sweep
    with pytest.raises(ConfigError) as caught:
        make_plan(["-m", "model.silo.level=0.2,0.5", f"out={tmp_path}"]).guard_resume()
    assert caught.value.key == "out" and "different sweep" in str(caught.value)
    job_files.write_json(tmp_path / job_files.PLAN, first.record() | {"format": PLAN_FORMAT - 1})
    with pytest.raises(ConfigError, match="another version of silosim"):
        first.guard_resume()


def test_resuming_results_of_other_model_code_is_refused(tmp_path):
    plan = make_plan(["-m", "model.silo.level=0.2,0.8", f"out={tmp_path}"])
    job_files.write_json(tmp_path / job_files.PLAN, plan.record() | {"model_code": "0" * 16})
    with pytest.raises(ConfigError) as caught:
        make_plan(["-m", "model.silo.level=0.2,0.8", f"out={tmp_path}"]).guard_resume()
    assert caught.value.key == "out" and "other model code" in str(caught.value)


# -------------------------------------------------------------------------------- jobs


def _job_config(*overrides: str):
    with config_tree():
        cfg = compose_config([*TINY, "replications=3", *overrides], with_hydra=True)
    choices = dict(cfg.hydra.runtime.choices)
    with open_dict(cfg):
        del cfg["hydra"]
    return cfg, choices


def test_a_job_writes_tidy_rows_that_rerun_alone(tmp_path):
    from sim.run import run_replication

    cfg, choices = _job_config("model.silo.level=0.3", "seed=5")
    run_job(cfg, tmp_path, choices)
    runs = pd.read_parquet(tmp_path / job_files.RUNS)
    weekly = pd.read_parquet(tmp_path / job_files.TIMESERIES)
    assert list(runs.columns[:16]) == ["run_id", "scenario", "title", "point", "point_id",
                                       "point_index", "org", "leader", "delivery", "eet",
                                       "replicate", "base_seed", "seed", "label", "success",
                                       "horizon_weeks"]
    assert (runs["title"] == "Typical company").all()
    assert set(SimParams().flatten()) <= set(runs.columns)
    assert runs["replicate"].tolist() == [0, 1, 2]
    assert runs["seed"].tolist() == [replicate_seed(5, r) for r in range(3)]
    assert (runs["silo.level"] == 0.3).all() and runs["run_id"].is_unique
    assert set(weekly["run_id"]) == set(runs["run_id"])
    assert weekly.groupby("run_id")["week"].count().eq(40).all()
    marker = json.loads((tmp_path / job_files.DONE).read_text())
    assert marker["replications"] == 3 and marker["identity"]["settings"]["seed"] == 5
    assert 0 < marker["model_seconds"] <= marker["replication_seconds"] <= marker["job_seconds"]
    # any single run can be re-run alone from its config and seed
    model = OmegaConf.to_container(OmegaConf.load(tmp_path / job_files.CONFIG).model)
    row = runs.iloc[2]
    again = run_replication(SimParams.from_dict(model), int(row["seed"]))
    assert again.kpis["label"] == row["label"]
    assert again.kpis["revenue_final"] == pytest.approx(row["revenue_final"])


def test_a_completed_job_is_skipped_and_a_changed_one_redone(tmp_path):
    cfg, choices = _job_config()
    run_job(cfg, tmp_path, choices)
    stamp = (tmp_path / job_files.DONE).stat().st_mtime_ns
    run_job(cfg, tmp_path, choices)
    assert (tmp_path / job_files.DONE).stat().st_mtime_ns == stamp
    changed, _ = _job_config("replications=4")
    run_job(changed, tmp_path, choices)
    assert len(pd.read_parquet(tmp_path / job_files.RUNS)) == 4


def test_a_failing_job_records_its_error_and_traceback_instead_of_raising(tmp_path):
    cfg, choices = _job_config()
    (tmp_path / job_files.RUNS).mkdir()  # the job cannot write its results: it raises
    run_job(cfg, tmp_path, choices)
    error = json.loads((tmp_path / job_files.ERROR).read_text())
    assert error["error"].startswith("IsADirectoryError")
    assert "Traceback" in error["traceback"] and "write_table" in error["traceback"]
    assert not (tmp_path / job_files.DONE).exists()
    assert job_files.error_line(tmp_path) == error["error"]


def test_auto_replications_stop_at_the_target_precision(tmp_path):
    cfg, choices = _job_config("replications=auto", "precision=0.15", "replications_batch=4",
                               "replications_max=40")
    run_job(cfg, tmp_path, choices)
    runs = pd.read_parquet(tmp_path / job_files.RUNS)
    marker = json.loads((tmp_path / job_files.DONE).read_text())["points"][0]
    n = len(runs)
    assert marker["replications"] == n and n % 4 == 0
    assert marker["half_width"] == pytest.approx(wilson_half_width(int(runs["success"].sum()), n))
    assert marker["precision_reached"] == (marker["half_width"] <= 0.15)
    assert marker["precision_reached"] or n == 40
    earlier = runs.iloc[: n - 4]
    assert wilson_half_width(int(earlier["success"].sum()), n - 4) > 0.15


# --------------------------------------------------------------------------- files


def test_atomic_writes_leave_no_partial_file_when_writing_fails(tmp_path):
    target = tmp_path / "runs.parquet"
    job_files.write_table(target, pa.table({"a": [1, 2]}))

    def half_then_crash(handle):
        handle.write(b"PAR1 partial")
        raise OSError("disk gone")

    with pytest.raises(OSError):
        job_files.write_atomically(target, half_then_crash)
    assert pq.read_table(target).column("a").to_pylist() == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["runs.parquet"]


def test_a_streamed_table_keeps_every_row_once_in_bounded_row_groups(tmp_path):
    target = tmp_path / "timeseries.parquet"
    frames = [pd.DataFrame({"run": f"r{i}", "week": range(7), "x": np.arange(7) * 0.5 + i})
              for i in range(10)]
    with job_files.table_stream(target, row_group_rows=20) as stream:  # several groups
        for frame in frames:
            stream.append(frame)
        assert not target.exists()  # nothing visible until the stream is complete
    written = pq.ParquetFile(target)
    assert written.metadata.num_row_groups == 4  # 21, 21, 21 and the last 7 rows
    pd.testing.assert_frame_equal(written.read().to_pandas(),
                                  pd.concat(frames, ignore_index=True), check_dtype=False)


def test_a_streamed_frame_is_tagged_row_by_row_as_if_tagged_alone(tmp_path):
    """Tags are spread over a frame's rows only when its row group is written."""
    target = tmp_path / "timeseries.parquet"
    frames = [pd.DataFrame({"week": range(i + 3), "x": np.arange(i + 3) * 0.5}) for i in range(6)]
    tags = [{"run_id": f"p-0-{i}", "point_id": "p", "replicate": i} for i in range(6)]
    with job_files.table_stream(target, row_group_rows=10) as stream:
        for frame, tag in zip(frames, tags, strict=True):
            stream.append(frame, tag)
    alone = [pa.Table.from_pandas(pd.DataFrame(tag, index=frame.index).join(frame),
                                  preserve_index=False) for frame, tag in zip(frames, tags, strict=True)]
    written = pq.read_table(target)
    assert written.equals(pa.concat_tables(alone))
    assert pq.ParquetFile(target).metadata.num_row_groups == 3


def test_a_failed_stream_leaves_the_previous_table_and_no_partial_file(tmp_path):
    target = tmp_path / "timeseries.parquet"
    job_files.write_table(target, pa.table({"a": [1, 2]}))
    with pytest.raises(RuntimeError), job_files.table_stream(target) as stream:
        stream.append(pd.DataFrame({"a": [3]}))
        raise RuntimeError("replication failed")
    assert pq.read_table(target).column("a").to_pylist() == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["timeseries.parquet"]


def test_the_seeds_used_by_jobs_do_not_depend_on_numpy_global_state():
    np.random.seed(123)
    first = replicate_seed(1, 1)
    np.random.seed(456)
    assert replicate_seed(1, 1) == first


def test_results_doc_names_every_column_a_run_writes(tmp_path):
    cfg, choices = _job_config("incentive=shared_revenue", "replications=1")
    run_job(cfg, tmp_path, choices)
    doc = (Path(__file__).resolve().parent.parent / "docs" / "results.md").read_text()
    parameters = set(SimParams().flatten())
    columns = [c for c in pq.read_schema(tmp_path / job_files.RUNS).names if c not in parameters]
    columns += pq.read_schema(tmp_path / job_files.TIMESERIES).names
    assert [c for c in columns if f"| `{c}` |" not in doc] == []
