"""One progress bar for a whole sweep, with its ETA, and the phases announced as they start.

A sweep's jobs may run in this process, in worker processes or on other machines, so the
command cannot count replications in memory. It watches the sweep directory instead:

- each job reports as it goes with ``replication_done(job_dir, done, total)`` — a tiny
  ``.progress.json`` beside its other files, replaced atomically (a few µs per
  replication, against the ~0.5 s a replication takes);
- a finished job's ``done.json`` (its ``replications``) and a failed job's ``error.json``
  are read too, so jobs that never report still count when they end, and a resumed sweep
  starts from what is already done.

``sweep_progress(out, jobs, runs)`` is the command's side: while the launch runs, a thread
sums those files every ``REFRESH_SECONDS``. On a terminal it draws one ``tqdm`` bar over
all runs of the sweep, with the rate and the time left; otherwise (CI, ``nohup``, a
cluster log) it writes a time-stamped line every ``LOG_SECONDS``: runs done of all, jobs
done and failed, elapsed, ETA. The ETA counts only this invocation's runs, so a resume is not
credited with the work of an earlier one. The phases are announced as they start: the
jobs, then (when the launch returns) the aggregation that follows it; ``phase(name)``
announces any further step, such as the report.

Hooks the engine calls (PROGRESS.md): ``with progress.sweep_progress(plan.out, jobs,
runs):`` around the launch (required: the bar, the log lines, the phases), and in the
job, ``per_replication(weekly.append, job_dir, planned)`` as the replication callback
(for a bar that moves with every run, not only with every job).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tqdm import tqdm

PROGRESS_FILE = ".progress.json"
DONE_FILE, ERROR_FILE, JOBS_DIR = "done.json", "error.json", "jobs"
REFRESH_SECONDS = 0.5
LOG_SECONDS = 30.0


def replication_done(job_dir: Path | str, done: int, total: int) -> None:
    """Record that a job has ``done`` of its ``total`` replications (called in the job).

    Written to a temporary name and moved into place, so a reader never sees half a file;
    a failure to write costs only the progress display, never the job.
    """
    path = Path(job_dir) / PROGRESS_FILE
    partial = path.with_name(f".{PROGRESS_FILE}.{os.getpid()}.part")
    try:
        partial.write_text(json.dumps({"done": int(done), "total": int(total)}),
                           encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)


def per_replication[**P](series: Callable[P, None], job_dir: Path | str,
                        planned: int) -> Callable[P, None]:
    """``series`` (the job's per-replication callback), also reporting each replication.

    A job hands each replication's weekly series to a callback once, so wrapping that
    callback counts replications without touching the replication loop:
    ``replicate(point, settings, per_replication(weekly.append, job_dir, planned))``.
    ``planned`` is the replications the job expects (the first batch under ``auto``; the
    total grows as more are done).
    """
    done = [0]

    def counted(*args: P.args, **kwargs: P.kwargs) -> None:
        series(*args, **kwargs)
        done[0] += 1
        replication_done(job_dir, done[0], max(planned, done[0]))

    return counted


@dataclass(frozen=True)
class Tally:
    """What the sweep directory says: runs done of all planned, jobs done and failed."""

    runs_done: int
    runs_total: int
    jobs_done: int
    jobs_failed: int
    jobs: int

    @property
    def finished(self) -> bool:
        return self.jobs_done + self.jobs_failed >= self.jobs


def job_dirs(out: Path) -> list[Path]:
    """The directories jobs write to: ``jobs/<n>/`` in a sweep, the directory itself in a run."""
    jobs = out / JOBS_DIR
    return sorted((p for p in jobs.iterdir() if p.is_dir()), key=lambda p: p.name) \
        if jobs.is_dir() else [out]


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def tally(out: Path, jobs: int, runs_per_job: int) -> Tally:
    """Sum the jobs' files: a finished job counts its replications, a failed one its planned
    runs as settled, a running one what it reported, a job not started its planned runs."""
    done = total = finished = failed = 0
    seen = 0
    for job in job_dirs(out):
        marker, error, report = (_read(job / DONE_FILE), _read(job / ERROR_FILE),
                                 _read(job / PROGRESS_FILE))
        if marker is None and error is None and report is None:
            continue
        seen += 1
        if marker is not None:
            count = int(marker.get("replications") or runs_per_job)
            done, total, finished = done + count, total + count, finished + 1
        elif error is not None:
            failed += 1
            settled = int(report["done"]) if report else 0
            done, total = done + settled, total + settled
        else:
            done += int(report.get("done", 0))
            total += max(int(report.get("total", runs_per_job)), int(report.get("done", 0)))
    total += max(jobs - seen, 0) * runs_per_job
    return Tally(done, max(total, done), finished, failed, jobs)


def eta_seconds(done: int, total: int, done_at_start: int, elapsed: float) -> float | None:
    """Seconds left at this invocation's rate, or None before anything was done here."""
    made = done - done_at_start
    if made <= 0 or elapsed <= 0:
        return None
    return (total - done) * elapsed / made


def clock(seconds: float | None) -> str:
    """``2m05s``, ``1h03m``, ``?``."""
    if seconds is None:
        return "?"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def line(state: Tally, done_at_start: int, elapsed: float) -> str:
    """One log line: ``sweep: 120 of 400 runs (30%), 3 of 8 jobs done, elapsed 2m10s, ETA 5m03s``."""
    share = state.runs_done / state.runs_total if state.runs_total else 1.0
    failed = f", {state.jobs_failed} failed" if state.jobs_failed else ""
    eta = eta_seconds(state.runs_done, state.runs_total, done_at_start, elapsed)
    return (f"sweep: {state.runs_done} of {state.runs_total} runs ({share:.0%}), "
            f"{state.jobs_done} of {state.jobs} jobs done{failed}, elapsed {clock(elapsed)}, "
            f"ETA {clock(eta)}")


def emit(text: str, stream: IO[str] | None = None) -> None:
    """One line to ``stream`` (stderr); time-stamped when it is not a terminal (a log)."""
    stream = stream or sys.stderr
    stamp = "" if stream.isatty() else datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S ")
    print(f"{stamp}silosim: {text}", file=stream, flush=True)


def phase(name: str, stream: IO[str] | None = None) -> None:
    """Announce a step of the command (``running 8 jobs``, ``aggregating results``)."""
    emit(f"{name}…", stream)


@contextmanager
def sweep_progress(out: Path | str, jobs: int, runs: int, stream: IO[str] | None = None,
                   log_seconds: float = LOG_SECONDS,
                   refresh_seconds: float = REFRESH_SECONDS) -> Iterator[None]:
    """Show the sweep's progress while the block (the launch) runs.

    ``jobs`` and ``runs`` are what the plan holds (with ``replications=auto``, the first
    batch of each job; the total grows as jobs report more). A bar on a terminal, log
    lines elsewhere; the last state is shown when the block ends, however it ends.
    """
    out, stream = Path(out), stream or sys.stderr
    per_job = max(1, -(-runs // max(jobs, 1)))
    first = tally(out, jobs, per_job)
    started = time.monotonic()
    stop = threading.Event()
    terminal = stream.isatty()
    phase(f"running {jobs} job(s), {runs} run(s)" + (
        f"; {first.runs_done} already done" if first.runs_done else ""), stream)
    bar = tqdm(total=first.runs_total, initial=first.runs_done, unit="run", desc="sweep",
               file=stream, dynamic_ncols=True) if terminal else None
    last_log = [started]

    def show(state: Tally, final: bool = False) -> None:
        elapsed = time.monotonic() - started
        if bar is not None:
            bar.total = state.runs_total
            bar.n = state.runs_done
            failed = f", {state.jobs_failed} failed" if state.jobs_failed else ""
            bar.set_postfix_str(f"{state.jobs_done}/{state.jobs} jobs{failed}", refresh=False)
            bar.refresh()
        elif final or time.monotonic() - last_log[0] >= log_seconds:
            last_log[0] = time.monotonic()
            emit(line(state, first.runs_done, elapsed), stream)

    def watch() -> None:
        while not stop.wait(refresh_seconds):
            show(tally(out, jobs, per_job))

    watcher = threading.Thread(target=watch, name="silosim-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        show(tally(out, jobs, per_job), final=True)
        if bar is not None:
            bar.close()
        emit(f"jobs finished in {clock(time.monotonic() - started)}; aggregating the results…",
             stream)
