"""One progress bar for a sweep: counted from the jobs' files, with an ETA; log lines off a tty."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from pathlib import Path

import pytest

from experiments import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def make_jobs(out: Path, count: int) -> list[Path]:
    jobs = [out / "jobs" / str(n) for n in range(count)]
    for job in jobs:
        job.mkdir(parents=True)
    return jobs


def test_the_tally_reads_done_failed_running_and_unstarted_jobs(tmp_path):
    jobs = make_jobs(tmp_path, 4)
    (jobs[0] / "done.json").write_text(json.dumps({"replications": 10}))
    progress.replication_done(jobs[1], 4, 10)
    progress.replication_done(jobs[2], 2, 10)
    (jobs[2] / "error.json").write_text(json.dumps({"error": "boom"}))
    state = progress.tally(tmp_path, jobs=5, runs_per_job=10)
    # done 10 + running 4 (of 10) + failed 2 settled; unstarted: job 3 and one not yet made
    assert (state.runs_done, state.runs_total) == (16, 10 + 10 + 2 + 2 * 10)
    assert (state.jobs_done, state.jobs_failed, state.jobs) == (1, 1, 5)
    assert not state.finished


def test_a_single_run_reports_in_its_own_directory(tmp_path):
    progress.replication_done(tmp_path, 3, 8)
    state = progress.tally(tmp_path, jobs=1, runs_per_job=8)
    assert (state.runs_done, state.runs_total) == (3, 8)
    assert not list(tmp_path.glob("*.part"))


def test_eta_counts_only_this_invocations_runs():
    assert progress.eta_seconds(done=30, total=100, done_at_start=10, elapsed=20) == 70
    assert progress.eta_seconds(done=10, total=100, done_at_start=10, elapsed=20) is None
    assert progress.clock(125) == "2m05s" and progress.clock(3780) == "1h03m"
    assert progress.clock(None) == "?"


def test_off_a_terminal_it_logs_timestamped_lines_with_an_eta(tmp_path):
    jobs = make_jobs(tmp_path, 2)
    stream = io.StringIO()
    with progress.sweep_progress(tmp_path, jobs=2, runs=8, stream=stream, log_seconds=0.05,
                                 refresh_seconds=0.02):
        for done in range(1, 5):
            progress.replication_done(jobs[0], done, 4)
            time.sleep(0.08)
        (jobs[0] / "done.json").write_text(json.dumps({"replications": 4}))
        time.sleep(0.08)
    lines = stream.getvalue().splitlines()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d silosim: running 2 job\(s\), 8 run\(s\)…",
                    lines[0])
    progress_lines = [ln for ln in lines if "sweep: " in ln]
    assert len(progress_lines) >= 3
    assert re.search(r"sweep: 4 of 8 runs \(50%\), 1 of 2 jobs done, elapsed \d+m\d\ds, "
                     r"ETA \d+m\d\ds$", progress_lines[-1])
    assert "ETA ?" in progress_lines[0] or "sweep: 1 of 8" in progress_lines[0]
    assert re.search(r"silosim: jobs finished in \d+m\d\ds; aggregating the results…$", lines[-1])


def test_on_a_terminal_it_draws_one_bar_over_the_whole_sweep(tmp_path):
    jobs = make_jobs(tmp_path, 3)
    (jobs[0] / "done.json").write_text(json.dumps({"replications": 5}))  # a resumed sweep
    stream = Terminal()
    with progress.sweep_progress(tmp_path, jobs=3, runs=15, stream=stream, refresh_seconds=0.02):
        progress.replication_done(jobs[1], 5, 5)
        time.sleep(0.1)
    text = stream.getvalue()
    assert "5 already done" in text
    assert re.search(r"sweep: +\d+%.*\| *10/15 \[.*run", text)
    assert "1/3 jobs" in text or "2/3 jobs" in text
    assert "sweep: 10 of" not in text  # no log lines on a terminal


def test_the_display_ends_cleanly_when_the_launch_raises(tmp_path):
    stream = io.StringIO()
    with pytest.raises(RuntimeError), progress.sweep_progress(tmp_path, jobs=1, runs=2,
                                                              stream=stream):
        raise RuntimeError("launcher died")
    assert "jobs finished in" in stream.getvalue().splitlines()[-1]
    assert not [t for t in threading.enumerate() if t.name == "silosim-progress"]


def test_a_write_that_fails_costs_only_the_display(tmp_path):
    progress.replication_done(tmp_path / "missing", 1, 2)   # no such directory: ignored
    assert not (tmp_path / "missing").exists()


def test_the_job_callback_is_wrapped_to_report_each_replication(tmp_path):
    seen: list[int] = []
    wrapped = progress.per_replication(lambda frame, tags: seen.append(tags["i"]), tmp_path, 3)
    for i in range(5):
        wrapped(None, {"i": i})
    assert seen == [0, 1, 2, 3, 4]
    assert json.loads((tmp_path / progress.PROGRESS_FILE).read_text()) == {"done": 5, "total": 5}
