"""One Hydra job: one scenario point x N replications, written to the job's own directory.

The job never lets an exception escape: Hydra would end the whole sweep on the
first failing job (and skip the end-of-sweep callback), so a failure is recorded
as ``error.json`` in the job directory and the sweep moves on. A job whose marker
records the same point and settings is skipped, which is how a re-run resumes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments import job_files
from experiments.point import ScenarioPoint, resolve_point
from experiments.replications import Outcome, replicate
from experiments.settings import RunSettings

log = logging.getLogger(__name__)


def hydra_task(cfg: DictConfig) -> None:
    """The Hydra task function: run the composed point in Hydra's job directory."""
    runtime = HydraConfig.get().runtime
    run_job(cfg, Path(runtime.output_dir), dict(runtime.choices))


def run_job(cfg: DictConfig, job_dir: Path, choices: Mapping[str, str | None]) -> None:
    """Run (or skip, if already done) one point; record any failure instead of raising."""
    identity = None
    try:
        settings = RunSettings.from_config(cfg)
        point = resolve_point(cfg, choices)
        identity = job_identity(point, settings)
        if job_files.is_complete(job_dir, identity):
            log.info("%s: already complete, skipped", point.scenario)
            return
        job_files.reset(job_dir)
        started = time.perf_counter()
        with job_files.table_stream(job_dir / job_files.TIMESERIES) as weekly:
            outcome = replicate(point, settings, weekly.append)
        _write_results(job_dir, cfg, point, identity, outcome, time.perf_counter() - started)
    except Exception as error:
        log.error("job failed: %s: %s", type(error).__name__, error)
        job_files.record_error(job_dir, error, identity)


def job_identity(point: ScenarioPoint, settings: RunSettings) -> dict[str, Any]:
    """What a completion marker must match for the job to count as done."""
    return {"point": point.columns(), "settings": settings.to_dict()}


def _write_results(job_dir: Path, cfg: DictConfig, point: ScenarioPoint,
                   identity: dict[str, Any], outcome: Outcome, seconds: float) -> None:
    job_files.write_table(job_dir / job_files.RUNS,
                          pa.Table.from_pandas(outcome.runs, preserve_index=False))
    resolved = OmegaConf.to_container(cfg, resolve=True)
    resolved["model"] = point.params.to_dict()
    job_files.write_text(job_dir / job_files.CONFIG, job_files.plain_yaml(resolved))
    job_files.write_json(job_dir / job_files.DONE, {
        "identity": identity,
        "replications": outcome.replications,
        "half_width": outcome.half_width,
        "precision_reached": outcome.precision_reached,
        "replication_seconds": outcome.seconds,
        "model_seconds": outcome.model_seconds,
        "job_seconds": seconds,
        "finished": job_files.now(),
        **job_files.provenance(),
    })
