"""One Hydra job: one scenario point (or a design's block of points) x N replications.

The job never lets an exception escape: Hydra would end the whole sweep on the first
failing job (and skip the end-of-sweep callback), so a failure is recorded as
``error.json`` in the job directory and the sweep moves on; if even that cannot be
written (a full disk), it is logged and the job is left unfinished for a resume. A
replication that raises costs only itself: it is listed in a ``partial`` marker and the
others are kept. A job whose marker records the same points and settings is skipped, and
a partial one runs only what failed, which is how a re-run resumes. The job holds its
directory's lock while it runs, whichever launcher runs it, so no two processes ever
write one job.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping, Sequence
from contextlib import closing, nullcontext
from pathlib import Path
from typing import Any

import pyarrow as pa
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments import job_files, progress
from experiments.job_files import KeptRuns, Status
from experiments.point import ScenarioPoint, resolve_job
from experiments.replications import Outcome, replicate, runs_frame
from experiments.settings import RunSettings

log = logging.getLogger(__name__)


def hydra_task(cfg: DictConfig) -> None:
    """The Hydra task function: run the composed job in Hydra's job directory."""
    hydra = HydraConfig.get()
    run_job(cfg, Path(hydra.runtime.output_dir), dict(hydra.runtime.choices),
            list(hydra.overrides.task))


def run_job(cfg: DictConfig, job_dir: Path, choices: Mapping[str, str | None],
            overrides: Sequence[str] = ()) -> None:
    """Run (or skip, if already done) one job; record any failure instead of raising.

    Nothing escapes, not even a failure of the job's own bookkeeping (taking its lock,
    recording its error on a full disk): that is logged in one line and the job is left
    without a marker, so a resume redoes it.
    """
    try:
        with job_files.job_lock(job_dir) as locked:
            if not locked:
                log.error("%s is being written by another process; left for a later resume",
                          job_dir)
                return
            _run_held(cfg, job_dir, choices, overrides)
    except OSError as error:
        log.error("%s: left unfinished for a resume (%s: %s)", job_dir, type(error).__name__,
                  error)


def _run_held(cfg: DictConfig, job_dir: Path, choices: Mapping[str, str | None],
              overrides: Sequence[str]) -> None:
    """The job, its directory held: its results, or its error recorded (which may raise OSError)."""
    job_files.clean_temporaries(job_dir)
    identity = None
    try:
        settings = RunSettings.from_config(cfg)
        points = resolve_job(cfg, choices, overrides)
        identity = job_identity(points, settings)
        previous = job_files.status(job_dir, identity)
        if previous is Status.COMPLETE:
            log.info("%s: already complete, skipped", points[0].scenario)
            return
        if previous is None:
            job_files.reset(job_dir)
        (job_dir / job_files.ERROR).unlink(missing_ok=True)
        started = time.perf_counter()
        kept = closing(KeptRuns(job_dir)) if previous is Status.PARTIAL else nullcontext()
        with kept as runs, job_files.table_stream(job_dir / job_files.TIMESERIES) as weekly:
            planned = len(points) * (settings.replications_batch if settings.auto
                                     else settings.replications)
            series = progress.per_replication(weekly.append, job_dir, planned)
            outcomes = [replicate(point, settings, series, runs) for point in points]
        _write_results(job_dir, cfg, points, identity, outcomes, time.perf_counter() - started)
    except Exception as error:
        log.error("job failed: %s: %s", type(error).__name__, error)
        job_files.record_error(job_dir, error, identity)


def job_identity(points: list[ScenarioPoint], settings: RunSettings) -> dict[str, Any]:
    """What a marker must match for the job to count as done."""
    return {"points": [point.columns() for point in points], "settings": settings.to_dict()}


def _write_results(job_dir: Path, cfg: DictConfig, points: list[ScenarioPoint],
                   identity: dict[str, Any], outcomes: list[Outcome], seconds: float) -> None:
    rows = [row for outcome in outcomes for row in outcome.rows]
    job_files.write_table(job_dir / job_files.RUNS,
                          pa.Table.from_pandas(runs_frame(rows), preserve_index=False))
    resolved = OmegaConf.to_container(cfg, resolve=True)
    if len(points) == 1:
        resolved["model"] = points[0].params.to_dict()
    job_files.write_text(job_dir / job_files.CONFIG, OmegaConf.to_yaml(resolved))
    failures = [dataclasses.asdict(f) for outcome in outcomes for f in outcome.failures]
    job_files.write_json(job_dir / job_files.DONE, {
        "status": Status.PARTIAL if failures else Status.COMPLETE,
        "identity": identity,
        "points": [outcome.summary() for outcome in outcomes],
        "failures": failures,
        "replications": len(rows),
        "replication_seconds": sum(o.seconds for o in outcomes),
        "model_seconds": sum(o.model_seconds for o in outcomes),
        "job_seconds": seconds,
        "finished": job_files.now(),
        **job_files.provenance(),
    })
