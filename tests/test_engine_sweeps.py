"""Sweeps through the installed ``silosim`` command, on the real model at a small size.

One uninterrupted sweep with Hydra's basic launcher is the reference. Hydra's stock
joblib and submitit (local executor) launchers, a sweep killed with SIGKILL under each
launcher and resumed (orphaned workers included), a second command on the same
directory, and a sweep with a failing job that is then resumed must all end with exactly
the same results. The Ray launcher on a local two-worker cluster is in ``test_ray.py``.
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
import yaml

from experiments import job_files
from experiments.design import Design

BIN = Path(sys.executable).parent
TINY = ["model.org.n_reps=8", "model.org.n_marketers=2", "model.horizon_weeks=40",
        "model.delivery.build_weeks=13",
        "model.settle_weeks=104", "model.settle_snapshots_max=2", "report=false"]
SWEEP = ["-m", "model.silo.level=0.2,0.8", "incentive=commission,shared_revenue",
         "replications=4", "seed=3", *TINY]
POINTS = 4
#: per launcher, what runs the sweep's jobs in parallel (two at a time)
LAUNCHERS = {"joblib": ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"],
             "submitit_local": ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5",
                                "hydra.sweeper.max_batch_size=2"]}


def silosim(*args: str, command: str = "silosim", timeout: float = 300, cwd: Path | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """Run an installed console script of the project and capture its output."""
    return subprocess.run([str(BIN / command), *args], capture_output=True, text=True,
                          timeout=timeout, check=False, cwd=cwd)


def sweep(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = silosim(*SWEEP, f"out={out}", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (pd.read_parquet(out / job_files.RUNS), pd.read_parquet(out / job_files.TIMESERIES))


def assert_same_results(out: Path, reference: Path) -> None:
    for got, expected in zip(results(out), results(reference), strict=True):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def assert_clean(out: Path) -> None:
    """Each job has one outcome and no stray temporaries are left anywhere."""
    for job in out.glob("jobs/*"):
        assert not ((job / job_files.DONE).exists() and (job / job_files.ERROR).exists()), job
    assert not list(out.rglob(f".*{job_files.TEMP_SUFFIX}"))


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
            "point_id", "seed", "replicate", "title", "point"} <= set(runs.columns)
    assert runs.groupby("point_id")["seed"].apply(list).map(tuple).nunique() == 1  # CRN
    assert sorted(runs[["silo.level", "incentive"]].drop_duplicates().itertuples(index=False)) \
        == sorted((s, i) for s in (0.2, 0.8) for i in ("commission", "shared_revenue"))
    labels = runs.groupby(["silo.level", "incentive"])["point"].unique()
    assert len({label for each in labels for label in each}) == POINTS == len(labels)
    for (level, incentive), [label] in labels.items():  # the title, then the job's values
        assert label.startswith("Typical company") and f"silo level {level}" in label
        assert incentive.replace("_", " ") in label
    assert set(weekly["run_id"]) == set(runs["run_id"]) and "week" in weekly.columns
    sweep_json = json.loads((reference / job_files.SWEEP).read_text())
    assert sweep_json["experiment"] == "silo.level-incentive" and sweep_json["points"] == POINTS
    assert sweep_json["swept"] == ["silo.level", "incentive"]
    assert sweep_json["failed_points"] == [] == sweep_json["failed_runs"]
    assert sweep_json["runs"] == POINTS * 4
    assert sweep_json["reference"] is None and sweep_json["design"] is None
    stdout = (reference / "stdout.txt").read_text()
    assert f"{POINTS} of {POINTS} points" in stdout and "success" in stdout
    assert_clean(reference)


def test_the_planned_jobs_are_the_jobs_hydra_ran(reference):
    """The up-front check composed exactly the jobs Hydra's basic sweeper then ran, in order."""
    planned = json.loads((reference / job_files.PLAN).read_text())["jobs"]
    assert len(planned) == POINTS
    for n, job in enumerate(planned):
        ran = yaml.safe_load((reference / "jobs" / str(n) / ".hydra" / "overrides.yaml").read_text())
        assert [o for o in ran if not o.startswith("out=")] == job
        assert all((reference / "jobs" / str(n) / name).is_file() for name in (
            job_files.RUNS, job_files.TIMESERIES, job_files.CONFIG, job_files.DONE))


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_launchers_give_identical_results(launcher, reference, tmp_path):
    sweep(tmp_path, *LAUNCHERS[launcher])
    assert_same_results(tmp_path, reference)
    assert_clean(tmp_path)


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


def _kill_the_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)


def _kill_the_command_only(process: subprocess.Popen) -> None:
    """SIGKILL the command alone: its workers may run on as orphans, still writing."""
    process.kill()


KILLS = {"basic launcher, whole process group": ([], _kill_the_group),
         "joblib, the command only": (LAUNCHERS["joblib"], _kill_the_command_only),
         "submitit, the command only": (LAUNCHERS["submitit_local"], _kill_the_command_only)}


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
        finished = {p.parent.name: p.stat().st_mtime_ns for p in tmp_path.glob("jobs/*/done.json")}
        assert 0 < len(finished) < POINTS, "the kill must land mid-sweep"
        assert not (tmp_path / job_files.RUNS).exists()
        # resume at once: orphaned workers may still be writing their jobs
        sweep(tmp_path, *launcher)
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert_same_results(tmp_path, reference)
    for job, stamp in finished.items():  # completed points were skipped, not redone
        assert (tmp_path / "jobs" / job / job_files.DONE).stat().st_mtime_ns == stamp
    assert_clean(tmp_path)


def test_a_second_command_on_a_directory_in_use_is_refused(reference, tmp_path):
    first = subprocess.Popen([str(BIN / "silosim"), *SWEEP, f"out={tmp_path}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / job_files.PLAN).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    second = silosim(*SWEEP, f"out={tmp_path}")
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.returncode == 2 and second.stderr.count("\n") == 1
    assert "no other silosim command is writing" in second.stderr
    assert "silosim pid" in second.stderr
    assert_same_results(tmp_path, reference)
    assert_clean(tmp_path)


def test_a_failing_job_is_recorded_the_sweep_finishes_and_a_rerun_repairs_it(reference,
                                                                            tmp_path):
    blocker = tmp_path / "jobs" / "1" / job_files.RUNS
    blocker.mkdir(parents=True)  # job 1 cannot write its results: it raises inside the job
    first = silosim(*SWEEP, f"out={tmp_path}")
    assert first.returncode == 1
    assert f"{POINTS - 1} of {POINTS} points" in first.stdout and "FAILED jobs/1" in first.stdout
    assert "1 failures in 4 jobs" in first.stderr
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
    refused = silosim(str(tmp_path), command="silosim-aggregate")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1


def test_a_single_run_writes_the_same_layout_named_by_its_scenario(tmp_path):
    first = silosim("scenario=high_silo", "replications=3", "model.silo.level=0.3", *TINY,
                    cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    latest = tmp_path / "results" / "latest"
    out = latest.resolve()
    assert latest.is_symlink() and out.parent == tmp_path / "results" / "high_silo"
    runs, weekly = results(out)
    assert len(runs) == 3 and (runs["scenario"] == "high_silo").all()
    assert set(runs["title"]) == {"High silos"}
    [label] = set(runs["point"])  # the title, then the run's values in words
    assert label.startswith("High silos") and "silo level 0.3" in label
    assert (runs["silo.level"] == 0.3).all() and weekly["run_id"].nunique() == 3
    assert (out / job_files.CONFIG).is_file()
    sweep_json = json.loads((out / job_files.SWEEP).read_text())
    assert (sweep_json["mode"], sweep_json["points"], sweep_json["experiment"]) == (
        "run", 1, "high_silo")
    second = silosim("-m", "seed=1,2", "replications=1", *TINY, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert latest.resolve().parent == tmp_path / "results" / "seed"


def test_a_design_runs_in_blocks_and_records_them(tmp_path):
    result = silosim("-m", "experiment=levers_lhs", "design.samples=5", "design.per_job=2",
                     "replications=2", *TINY, f"out={tmp_path}")
    assert result.returncode == 0, result.stderr
    runs = pd.read_parquet(tmp_path / job_files.RUNS)
    recorded = json.loads((tmp_path / job_files.SWEEP).read_text())
    design = recorded["design"]
    assert design["method"] == "lhs" and design["points"] == 5 == recorded["points"]
    assert design["blocks"] == [[0, 2], [2, 4], [4, 5]] and recorded["jobs"] == 3
    assert sorted(p.name for p in tmp_path.glob("jobs/*")) == ["0", "1", "2"]
    points = Design.from_dict(design).points()
    assert sorted(runs["point_index"].unique()) == [0, 1, 2, 3, 4]
    for index, point in enumerate(points):
        rows = runs[runs["point_index"] == index]
        assert len(rows) == 2 and set(rows["point"]).pop().endswith(f"design point {index}")
        for key, value in point.items():
            assert (rows[key.removeprefix("model.")] == value).all()
    assert design["problem"]["names"][0] == "silo.level"
