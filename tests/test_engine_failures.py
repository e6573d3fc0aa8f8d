"""Failures lose nothing already computed: replications, locks, unreadable inputs, full disks.

In process, on the real model at a tiny size: a replication that raises costs only itself
and a resume redoes only it; a job whose own bookkeeping hits a full disk is left for a
resume without ending the sweep; a job directory another process is writing is left
alone, and so is a results directory another command holds; aggregation reads what it
can, names every file it cannot (one line each), and still writes its summary when the
dataset cannot be written; a report that fails costs no results.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from omegaconf import open_dict

import experiments.replications
from experiments import job_files
from experiments.aggregate import PLAN_FORMAT, aggregate
from experiments.aggregate import main as aggregate_main
from experiments.cli import main as silosim_main
from experiments.config_tree import compose_config, config_tree
from experiments.job import run_job
from experiments.seeds import replicate_seed
from sim.errors import ConfigError
from sim.run import run_replication

TINY = ["model.org.n_reps=8", "model.org.n_marketers=2", "model.horizon_weeks=40",
        "model.delivery.build_weeks=13",
        "model.settle_weeks=104", "model.settle_snapshots_max=2"]


def job_config(*overrides: str):
    with config_tree():
        cfg = compose_config([*TINY, "replications=3", "seed=5", *overrides], with_hydra=True)
    choices = dict(cfg.hydra.runtime.choices)
    with open_dict(cfg):
        del cfg["hydra"]
    return cfg, choices


class Model:
    """``run_replication``, counting its calls and raising for the seeds in ``broken``."""

    def __init__(self, broken: set[int] = frozenset()) -> None:
        self.broken, self.calls = set(broken), []

    def __call__(self, params, seed):
        self.calls.append(seed)
        if seed in self.broken:
            raise RuntimeError(f"model blew up at seed {seed}")
        return run_replication(params, seed)


def tables(job: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(job / job_files.RUNS), pd.read_parquet(job / job_files.TIMESERIES)


def assert_same_tables(job: Path, reference: Path) -> None:
    for got, expected in zip(tables(job), tables(reference), strict=True):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.fixture(scope="module")
def clean_job(tmp_path_factory) -> Path:
    """The job run without any failure: what every repaired job must end up as."""
    job = tmp_path_factory.mktemp("clean")
    run_job(*_with_dir(job_config(), job))
    return job


def _with_dir(config, job):
    cfg, choices = config
    return cfg, job, choices


# ------------------------------------------------------------------- replications


def test_a_failing_replication_is_recorded_and_the_others_kept(tmp_path, monkeypatch, clean_job):
    bad_seed = replicate_seed(5, 1)
    monkeypatch.setattr(experiments.replications, "run_replication", Model({bad_seed}))
    run_job(*_with_dir(job_config(), tmp_path))
    marker = json.loads((tmp_path / job_files.DONE).read_text())
    assert marker["status"] == "partial" and not (tmp_path / job_files.ERROR).exists()
    [failure] = marker["failures"]
    assert (failure["replicate"], failure["seed"]) == (1, bad_seed)
    assert failure["error"] == f"RuntimeError: model blew up at seed {bad_seed}"
    assert "Traceback" in failure["traceback"]
    runs, weekly = tables(tmp_path)
    assert runs["replicate"].tolist() == [0, 2]
    clean_runs, _ = tables(clean_job)
    kept = clean_runs[clean_runs["replicate"] != 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(runs, kept, check_exact=True)
    assert set(weekly["run_id"]) == set(runs["run_id"])

    model = Model()
    monkeypatch.setattr(experiments.replications, "run_replication", model)
    run_job(*_with_dir(job_config(), tmp_path))  # the resume redoes replicate 1 only
    assert model.calls == [bad_seed]
    assert json.loads((tmp_path / job_files.DONE).read_text())["status"] == "complete"
    assert_same_tables(tmp_path, clean_job)
    run_job(*_with_dir(job_config(), tmp_path))  # complete now: nothing runs
    assert model.calls == [bad_seed]


def test_a_partial_job_survives_a_kill_between_its_two_tables(tmp_path, monkeypatch, clean_job):
    """A runs table newer than the weekly one: only runs both hold are kept, the rest redone."""
    bad_seed = replicate_seed(5, 2)
    monkeypatch.setattr(experiments.replications, "run_replication", Model({bad_seed}))
    run_job(*_with_dir(job_config(), tmp_path))
    _, weekly = tables(tmp_path)
    job_files.write_table(tmp_path / job_files.TIMESERIES, pa.Table.from_pandas(
        weekly[weekly["replicate"] == 0], preserve_index=False))  # as if cut short
    model = Model()
    monkeypatch.setattr(experiments.replications, "run_replication", model)
    run_job(*_with_dir(job_config(), tmp_path))
    assert model.calls == [replicate_seed(5, 1), bad_seed]
    assert_same_tables(tmp_path, clean_job)


def test_a_point_whose_every_replication_fails_is_a_partial_job_without_rows(tmp_path,
                                                                            monkeypatch):
    seeds = {replicate_seed(5, r) for r in range(3)}
    monkeypatch.setattr(experiments.replications, "run_replication", Model(seeds))
    run_job(*_with_dir(job_config(), tmp_path))
    marker = json.loads((tmp_path / job_files.DONE).read_text())
    assert marker["status"] == "partial" and len(marker["failures"]) == 3
    assert marker["points"][0]["replications"] == 0


def test_auto_replications_stop_adding_batches_after_a_failure_and_resume_to_the_same_count(
        tmp_path, monkeypatch):
    auto = ["replications=auto", "precision=0.05", "replications_batch=2", "replications_max=6"]
    clean = tmp_path / "clean"
    run_job(*_with_dir(job_config(*auto), clean))
    monkeypatch.setattr(experiments.replications, "run_replication", Model({replicate_seed(5, 0)}))
    broken = tmp_path / "broken"
    run_job(*_with_dir(job_config(*auto), broken))
    assert len(tables(broken)[0]) == 1  # the first batch, less its failure: no second batch
    monkeypatch.setattr(experiments.replications, "run_replication", Model())
    run_job(*_with_dir(job_config(*auto), broken))
    assert_same_tables(broken, clean)


# ----------------------------------------------------------------------- full disks


def _full_disk(under: Path):
    """``atomic_file`` with no space left for any file below ``under``."""
    original = job_files.atomic_file

    def atomic_file(path):
        if path.is_relative_to(under):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return original(path)

    return atomic_file


def test_a_job_whose_bookkeeping_hits_a_full_disk_is_left_for_a_resume(tmp_path, monkeypatch,
                                                                       caplog, clean_job):
    monkeypatch.setattr(job_files, "atomic_file", _full_disk(tmp_path))
    run_job(*_with_dir(job_config(), tmp_path))  # its results and then its error.json fail
    assert not (tmp_path / job_files.DONE).exists() and not (tmp_path / job_files.ERROR).exists()
    left = [r.getMessage() for r in caplog.records if "left unfinished" in r.getMessage()]
    assert len(left) == 1 and "No space left on device" in left[0] and "\n" not in left[0]
    monkeypatch.undo()
    run_job(*_with_dir(job_config(), tmp_path))  # space again: the resume redoes it
    assert job_files.is_complete(tmp_path)
    assert_same_tables(tmp_path, clean_job)


def test_a_full_disk_in_one_job_does_not_end_a_basic_launcher_sweep(tmp_path, monkeypatch):
    monkeypatch.setattr(job_files, "atomic_file", _full_disk(tmp_path / "jobs" / "0"))
    with pytest.raises(SystemExit) as caught:
        silosim_main(["-m", "model.silo.level=0.2,0.8", "replications=1", "report=false", *TINY,
                      f"out={tmp_path}"])
    assert caught.value.code == 1  # failures in the sweep, not a crash
    assert job_files.is_complete(tmp_path / "jobs" / "1")
    sweep = json.loads((tmp_path / job_files.SWEEP).read_text())
    assert [f["job"] for f in sweep["failed_points"]] == ["jobs/0"]
    assert sweep["failed_points"][0]["error"] == "missing: not run or interrupted"


# ------------------------------------------------------------------------- reports


def test_a_report_that_fails_is_one_warning_and_the_results_stay(tmp_path, monkeypatch, capsys):
    import analysis.report

    def broken(*args, **kwargs):
        raise RuntimeError("report blew up\nwith a second line")

    monkeypatch.setattr(analysis.report, "write_report", broken)
    leftovers = [tmp_path / "report.html.partial", tmp_path / f".plan.json.1{job_files.TEMP_SUFFIX}"]
    for path in leftovers:  # an interrupted command's, removed when the next one starts
        path.write_text("")
    silosim_main(["replications=1", *TINY, f"out={tmp_path}"])  # returns: exit status 0
    assert not any(path.exists() for path in leftovers)
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "warning" in line]
    assert warnings == ["silosim: warning: no report (RuntimeError: report blew up)"]
    assert "Traceback" not in captured.err + captured.out
    assert len(pd.read_parquet(tmp_path / job_files.RUNS)) == 1
    assert (tmp_path / job_files.SWEEP).is_file()


# ------------------------------------------------------------------------- locks


def _hold(path: Path) -> subprocess.Popen:
    """Another process holding ``path``'s lock until it is killed."""
    code = ("import fcntl, os, sys, time; h = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(h, fcntl.LOCK_EX); print('held', flush=True); time.sleep(600)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_job_another_process_is_writing_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(job_files, "JOB_LOCK_WAIT_SECONDS", 0.5)
    stray = tmp_path / f".runs.parquet.1234{job_files.TEMP_SUFFIX}"
    stray.write_text("a live writer's temporary")
    holder = _hold(tmp_path / job_files.JOB_LOCK)
    try:
        run_job(*_with_dir(job_config(), tmp_path))
        assert stray.exists()  # not removed: its writer is alive
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [job_files.JOB_LOCK, stray.name])
    finally:
        holder.kill()
        holder.wait()
    run_job(*_with_dir(job_config(), tmp_path))  # the writer is gone: the job runs, cleans up
    assert not stray.exists() and job_files.is_complete(tmp_path)


def test_the_command_lock_refuses_a_second_command(tmp_path):
    holder = _hold(tmp_path / job_files.COMMAND_LOCK)
    try:
        with pytest.raises(ConfigError, match="no other silosim command is writing"), \
                job_files.command_lock(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with job_files.command_lock(tmp_path):  # free again once its holder is gone
        assert (tmp_path / job_files.COMMAND_LOCK).read_text() == f"silosim pid {os.getpid()}"


def test_aggregation_holds_the_directory_or_reads_it_without_writing(tmp_path, capsys):
    fake_sweep(tmp_path)
    holder = _hold(tmp_path / job_files.COMMAND_LOCK)
    try:
        with pytest.raises(SystemExit) as refused:
            aggregate_main([str(tmp_path)])
        err = capsys.readouterr().err
        assert refused.value.code == 2 and err.count("\n") == 1
        assert err.startswith(f"silosim-aggregate: error: results directory='{tmp_path}' is not "
                              "allowed: a directory no other silosim command is writing")
        with pytest.raises(SystemExit) as peeked:
            aggregate_main(["--read-only", str(tmp_path)])
        out = capsys.readouterr().out
        assert peeked.value.code == 1 and "2 of 3 points, 4 runs" in out
        assert "read-only: nothing was written" in out
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [job_files.COMMAND_LOCK, job_files.PLAN, "jobs"])
    finally:
        holder.kill()
        holder.wait()
    with pytest.raises(SystemExit) as caught:
        aggregate_main([str(tmp_path)])
    assert caught.value.code == 1 and (tmp_path / job_files.SWEEP).is_file()
    lock = (tmp_path / job_files.COMMAND_LOCK).read_text()
    assert lock == f"silosim-aggregate pid {os.getpid()}"


def test_aggregation_locks_nothing_in_a_directory_silosim_did_not_write(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        aggregate_main([str(tmp_path)])
    assert caught.value.code == 2 and capsys.readouterr().err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------- aggregation


def fake_sweep(root: Path, jobs: int = 3, done: int = 2) -> None:
    """A sweep directory of ``jobs`` jobs, the first ``done`` of them with two runs each."""
    job_files.write_json(root / job_files.PLAN, {
        "format": PLAN_FORMAT, "experiment": "t", "mode": "sweep", "reference": None,
        "design": None, "sweep": {"model.silo.level": "0.2,0.8,0.9"}, "settings": {},
        "jobs": [[f"model.silo.level={v}"] for v in (0.2, 0.8, 0.9)[:jobs]]})
    for n, (level, kpi) in enumerate([(0.2, [None, None]), (0.8, [1.5, 2.5]),
                                      (0.9, [3.5, 4.5])][:done]):
        job = root / "jobs" / str(n)
        job.mkdir(parents=True)
        runs = pd.DataFrame({"run_id": [f"{n}-0", f"{n}-1"], "scenario": "baseline",
                             "point_id": str(n), "point_index": pd.array([None, None], "Int64"),
                             "label": ["success", "stalled"], "success": [True, False],
                             "silo.level": level, "kpi": kpi})
        job_files.write_table(job / job_files.RUNS, pa.Table.from_pandas(runs))
        job_files.write_table(job / job_files.TIMESERIES,
                              pa.table({"run_id": [f"{n}-0"], "week": [0]}))
        job_files.write_json(job / job_files.DONE, {
            "status": "complete", "failures": [], "replications": 2,
            "points": [{"identity": {"scenario": "baseline", "point_id": str(n),
                                     "point_index": None},
                        "replications": 2, "failed": 0, "half_width": 0.5,
                        "precision_reached": None}]})


def test_aggregation_unifies_job_schemas_and_reports_missing_jobs(tmp_path):
    fake_sweep(tmp_path)
    summary = aggregate(tmp_path)
    runs = pd.read_parquet(tmp_path / job_files.RUNS)
    assert runs["run_id"].tolist() == ["0-0", "0-1", "1-0", "1-1"]
    assert runs["kpi"].isna().sum() == 2 and runs["kpi"].dropna().tolist() == [1.5, 2.5]
    sweep = json.loads((tmp_path / job_files.SWEEP).read_text())
    assert sweep["swept"] == ["silo.level"] and sweep["points"] == 3
    assert [f["job"] for f in sweep["failed_points"]] == ["jobs/2"]
    assert sweep["failed_points"][0]["overrides"] == ["model.silo.level=0.9"]
    assert [p["success_rate"] for p in sweep["point_summary"]] == [0.5, 0.5]
    assert "FAILED jobs/2" in summary.text()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


def _mixed_types(job: Path) -> None:
    """Job 1's ``kpi`` as text, where the job before it has numbers."""
    for each, values in ((job.parent / "0", [0.5, 0.5]), (job, ["a", "b"])):
        runs = pd.read_parquet(each / job_files.RUNS).assign(kpi=values)
        job_files.write_table(each / job_files.RUNS, pa.Table.from_pandas(runs))


BAD_FILES = {
    "truncated runs": (lambda job: _truncate(job / job_files.RUNS), "runs.parquet",
                       "not a readable Parquet file"),
    "corrupt weekly table": (lambda job: (job / job_files.TIMESERIES).write_bytes(b"garbage"),
                             "timeseries.parquet", "not a readable Parquet file"),
    "missing weekly table": (lambda job: (job / job_files.TIMESERIES).unlink(),
                             "timeseries.parquet", "missing"),
    "marker of another version": (lambda job: job_files.write_json(job / job_files.DONE,
                                                                   {"identity": {}}),
                                  "done.json", "not a marker of this version"),
    "marker that is not JSON": (lambda job: (job / job_files.DONE).write_text("{not json"),
                                "done.json", "not a marker of this version"),
    "missing column": (lambda job: job_files.write_table(
        job / job_files.RUNS, pa.Table.from_pandas(pd.read_parquet(job / job_files.RUNS).drop(
            columns=["label"]))), "runs.parquet", "missing column(s) label"),
    "zero rows": (lambda job: job_files.write_table(
        job / job_files.RUNS, pa.Table.from_pandas(pd.read_parquet(job / job_files.RUNS).iloc[:0])),
                  "runs.parquet", "0 rows, but done.json records 2"),
    "mixed column types": (_mixed_types, "runs.parquet", "kpi is large_string here, double"),
}


@pytest.mark.parametrize(("spoil", "file", "problem"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_an_unreadable_job_is_named_in_one_line_and_the_rest_aggregated(spoil, file, problem,
                                                                       tmp_path, capsys):
    fake_sweep(tmp_path, jobs=3, done=3)
    spoil(tmp_path / "jobs" / "1")
    summary = aggregate(tmp_path)
    sweep = json.loads((tmp_path / job_files.SWEEP).read_text())
    [bad] = sweep["unreadable"]
    assert bad["file"] == f"jobs/1/{file}" and problem in bad["error"] and "\n" not in bad["error"]
    assert pd.read_parquet(tmp_path / job_files.RUNS)["run_id"].tolist() == [
        "0-0", "0-1", "2-0", "2-1"]
    assert [f["job"] for f in sweep["failed_points"]] == ["jobs/1"]
    assert f"UNREADABLE jobs/1/{file}: " in summary.text()
    with pytest.raises(SystemExit) as caught:
        aggregate_main([str(tmp_path)])
    assert caught.value.code == 1 and "Traceback" not in capsys.readouterr().err


def test_a_plan_of_another_version_is_one_line(tmp_path, capsys):
    fake_sweep(tmp_path)
    job_files.write_json(tmp_path / job_files.PLAN, {"experiment": "t", "jobs": []})
    with pytest.raises(SystemExit) as caught:
        aggregate_main([str(tmp_path)])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and err.count("\n") == 1
    assert "plan.json='format None' is not allowed: a plan of this version" in err


def test_a_full_disk_still_leaves_a_summary_naming_what_was_not_written(tmp_path, monkeypatch):
    fake_sweep(tmp_path)
    original = job_files.atomic_file

    def full_for_parquet(path):
        if path.suffix == ".parquet":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(path)

    monkeypatch.setattr(job_files, "atomic_file", full_for_parquet)
    summary = aggregate(tmp_path)
    sweep = json.loads((tmp_path / job_files.SWEEP).read_text())
    assert [n["file"] for n in sweep["not_written"]] == [job_files.RUNS, job_files.TIMESERIES]
    assert "No space left on device" in sweep["not_written"][0]["error"]
    assert sweep["completed_points"] == 2 and summary.failed
    assert "NOT WRITTEN runs.parquet" in summary.text()


def test_a_read_only_directory_is_aggregated_in_memory_and_named(tmp_path, monkeypatch, capsys):
    fake_sweep(tmp_path)

    def read_only(path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(job_files, "atomic_file", read_only)  # chmod does not stop root
    with pytest.raises(SystemExit) as caught:
        aggregate_main([str(tmp_path)])
    out = capsys.readouterr().out
    assert caught.value.code == 1 and "2 of 3 points, 4 runs" in out
    assert [line.split(":")[0] for line in out.splitlines() if "NOT WRITTEN" in line] == [
        "  NOT WRITTEN runs.parquet", "  NOT WRITTEN timeseries.parquet", "  NOT WRITTEN sweep.json"]
    assert "Permission denied" in out
