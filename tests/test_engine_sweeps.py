"""Sweeps through the installed ``silosim`` command, on the real model at a small size.

One uninterrupted sweep with Hydra's basic launcher is the reference; silosim's forked
local workers, joblib's, submitit's local executor (and Ray, if installed), a sweep killed with SIGKILL and
resumed, and a sweep with a failing job that is then resumed must all end with
exactly the same results.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments import job_files
from experiments.design import Design

BIN = Path(sys.executable).parent
TINY = ["model.org.n_reps=8", "model.org.n_marketers=2", "model.horizon_weeks=40", "report=false"]
SWEEP = ["-m", "model.silo.level=0.2,0.8", "incentive=commission,shared_revenue",
         "replications=4", "seed=3", *TINY]
POINTS = 4


def silosim(*args: str, command: str = "silosim", timeout: float = 240,
            ) -> subprocess.CompletedProcess[str]:
    """Run an installed console script of the project and capture its output."""
    return subprocess.run([str(BIN / command), *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def sweep(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = silosim(*SWEEP, f"out={out}", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (pd.read_parquet(out / job_files.RUNS), pd.read_parquet(out / job_files.TIMESERIES))


def assert_same_results(out: Path, reference: Path) -> None:
    for got, expected in zip(results(out), results(reference), strict=True):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    result = sweep(out)
    (out / "stdout.txt").write_text(result.stdout)
    return out


def test_a_sweep_leaves_one_tidy_dataset_and_per_job_directories(reference):
    runs, weekly = results(reference)
    assert len(runs) == POINTS * 4 and runs["run_id"].is_unique
    assert {"silo.level", "incentive", "incentives.marketing_pay", "label", "success",
            "point_id", "seed", "replicate"} <= set(runs.columns)
    assert runs.groupby("point_id")["seed"].apply(list).map(tuple).nunique() == 1  # CRN
    assert sorted(runs[["silo.level", "incentive"]].drop_duplicates().itertuples(index=False)) \
        == sorted((s, i) for s in (0.2, 0.8) for i in ("commission", "shared_revenue"))
    assert set(weekly["run_id"]) == set(runs["run_id"]) and "week" in weekly.columns
    sweep_json = json.loads((reference / job_files.SWEEP).read_text())
    assert sweep_json["experiment"] == "sweep" and sweep_json["points"] == POINTS
    assert sweep_json["swept"] == ["silo.level", "incentive"]
    assert sweep_json["failed_points"] == [] and sweep_json["runs"] == POINTS * 4
    assert sweep_json["reference"] is None and sweep_json["design"] is None
    for n in range(POINTS):
        job = reference / "jobs" / str(n)
        assert all((job / name).is_file() for name in (job_files.RUNS, job_files.TIMESERIES,
                                                       job_files.CONFIG, job_files.DONE))
    stdout = (reference / "stdout.txt").read_text()
    assert f"{POINTS} of {POINTS} points" in stdout and "success" in stdout


@pytest.mark.parametrize("launcher", ["local", "joblib", "submitit_local"])
def test_launchers_give_identical_results(launcher, reference, tmp_path):
    sweep(tmp_path, f"hydra/launcher={launcher}", "hydra.launcher.timeout_min=5"
          if launcher == "submitit_local" else "hydra.launcher.n_jobs=2")
    assert_same_results(tmp_path, reference)


@pytest.mark.ray
def test_ray_gives_identical_results(reference, tmp_path):
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    sweep(tmp_path, "hydra/launcher=ray_cluster", "hydra.launcher.ray.init.address=null",
          "+hydra.launcher.ray.init.num_cpus=2")
    assert_same_results(tmp_path, reference)


def _read_every_visible_parquet(out: Path, stop: threading.Event, problems: list[str]) -> None:
    """What any reader would do mid-sweep: open every Parquet file it can see."""
    while not stop.is_set():
        for path in out.rglob("*.parquet"):
            try:
                pq.read_table(path)
            except FileNotFoundError:
                continue
            except Exception as error:  # a partial file would land here
                problems.append(f"{path}: {error}")


def _alive_in_group(group: int) -> list[int]:
    """Processes of a process group that are still running (zombies are done)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _parent, member_of = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(member_of) == group and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _kill_the_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)


def _kill_the_command_only(process: subprocess.Popen) -> None:
    """SIGKILL the command alone: its forked workers must not run on as orphans."""
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive_in_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _alive_in_group(process.pid) == [], "workers outlived the command"


KILLS = {"basic launcher, whole process group": ([], _kill_the_group),
         "local launcher, the command only": (["hydra/launcher=local", "hydra.launcher.n_jobs=2"],
                                              _kill_the_command_only)}


@pytest.mark.parametrize(("launcher", "kill"), KILLS.values(), ids=KILLS.keys())
def test_a_sweep_killed_midway_resumes_to_the_uninterrupted_results(launcher, kill, reference,
                                                                    tmp_path):
    command = [str(BIN / "silosim"), *SWEEP, f"out={tmp_path}", *launcher]
    stop, problems = threading.Event(), []
    reader = threading.Thread(target=_read_every_visible_parquet, args=(tmp_path, stop, problems))
    reader.start()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob("jobs/*/done.json")) and time.monotonic() < deadline:
            time.sleep(0.01)
        kill(process)
        process.wait(timeout=30)
    finally:
        stop.set()
        reader.join()
    finished = {p.parent.name: p.stat().st_mtime_ns for p in tmp_path.glob("jobs/*/done.json")}
    assert 0 < len(finished) < POINTS, "the kill must land mid-sweep"
    assert problems == []
    assert not (tmp_path / job_files.RUNS).exists()
    for path in tmp_path.rglob("*.parquet"):
        pq.read_table(path)  # nothing half-written is visible, even after the kill

    sweep(tmp_path)
    assert_same_results(tmp_path, reference)
    for job, stamp in finished.items():  # completed points were skipped, not redone
        assert (tmp_path / "jobs" / job / job_files.DONE).stat().st_mtime_ns == stamp
    assert not list(tmp_path.rglob(f".*{job_files.TEMP_SUFFIX}"))


def test_a_failing_job_is_recorded_the_sweep_finishes_and_a_rerun_repairs_it(reference,
                                                                            tmp_path):
    blocker = tmp_path / "jobs" / "1" / job_files.RUNS
    blocker.mkdir(parents=True)  # job 1 cannot write its results: it raises inside the job
    first = silosim(*SWEEP, f"out={tmp_path}")
    assert first.returncode == 1
    assert f"{POINTS - 1} of {POINTS} points" in first.stdout and "FAILED jobs/1" in first.stdout
    assert f"1 of {POINTS} points failed" in first.stderr
    error = json.loads((tmp_path / "jobs" / "1" / job_files.ERROR).read_text())
    assert "IsADirectoryError" in error["error"] and "Traceback" in error["traceback"]
    sweep_json = json.loads((tmp_path / job_files.SWEEP).read_text())
    assert [f["job"] for f in sweep_json["failed_points"]] == ["jobs/1"]
    assert len(pd.read_parquet(tmp_path / job_files.RUNS)) == (POINTS - 1) * 4

    blocker.rmdir()
    sweep(tmp_path)
    assert_same_results(tmp_path, reference)
    assert json.loads((tmp_path / job_files.SWEEP).read_text())["failed_points"] == []
    assert not (tmp_path / "jobs" / "1" / job_files.ERROR).exists()


def test_aggregate_on_demand_rebuilds_the_same_dataset(reference, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(reference, copy)
    for name in (job_files.RUNS, job_files.TIMESERIES, job_files.SWEEP):
        (copy / name).unlink()
    result = silosim(str(copy), command="silosim-aggregate")
    assert result.returncode == 0, result.stderr
    assert f"{POINTS} of {POINTS} points" in result.stdout
    assert_same_results(copy, reference)
    assert silosim(str(tmp_path), command="silosim-aggregate").returncode == 2


def test_a_single_run_writes_the_same_layout(tmp_path):
    result = silosim("replications=3", "model.silo.level=0.3", *TINY, f"out={tmp_path}")
    assert result.returncode == 0, result.stderr
    runs, weekly = results(tmp_path)
    assert len(runs) == 3 and (runs["scenario"] == "baseline").all()
    assert (runs["silo.level"] == 0.3).all() and weekly["run_id"].nunique() == 3
    assert (tmp_path / job_files.CONFIG).is_file()
    sweep_json = json.loads((tmp_path / job_files.SWEEP).read_text())
    assert (sweep_json["mode"], sweep_json["points"], sweep_json["experiment"]) == (
        "run", 1, "baseline")


def test_a_design_runs_every_point_and_records_the_design(tmp_path):
    result = silosim("-m", "experiment=levers_lhs", "design.samples=3", "replications=2",
                     *TINY, f"out={tmp_path}")
    assert result.returncode == 0, result.stderr
    runs = pd.read_parquet(tmp_path / job_files.RUNS)
    recorded = json.loads((tmp_path / job_files.SWEEP).read_text())["design"]
    assert recorded["method"] == "lhs" and recorded["points"] == 3
    points = Design.from_dict(recorded).points()
    assert sorted(runs["point_index"].unique()) == [0, 1, 2]
    for index, point in enumerate(points):
        rows = runs[runs["point_index"] == index]
        for key, value in point.items():
            assert (rows[key.removeprefix("model.")] == value).all()
    assert recorded["problem"]["names"][0] == "silo.level"
