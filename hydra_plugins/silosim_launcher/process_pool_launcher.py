"""Jobs in parallel on this machine, in worker processes forked from the command itself.

Hydra's joblib launcher always uses loky, whose workers are fresh interpreters: each one
imports Hydra, pandas and pyarrow again before its first job (about 1 s a worker on the
benchmark VM, on the critical path), every job is sent the Hydra context and the singletons'
state, and loky's workers are shut down at exit. This launcher runs the same jobs through
``concurrent.futures.ProcessPoolExecutor`` with the ``fork`` start method, as Mesa's own
``batch_run`` does: the workers begin with everything the command has imported and with
its Hydra context in memory, and each job ships only its number and overrides. The job
itself is Hydra's: composed from the sweep's config and overrides and run by
``hydra.core.utils.run_job``, as the basic and joblib launchers do, so job directories and
results are the same (``tests/test_engine_sweeps.py``).

Why ``fork`` is safe here: ``silosim`` forks before it has started any thread of its own
(the executor forks every worker before it starts its manager thread). The only other
threads are started by libraries at import and are fork-aware: OpenBLAS's worker (numpy)
and jemalloc's background thread (pyarrow); Python 3.12 warns about any fork of a
multi-threaded process, hence the filtered ``DeprecationWarning``. Where ``fork`` does not
exist, ``hydra/launcher=joblib`` starts fresh interpreters instead. A worker never outlives
the command: killed or not, its end takes the workers with it (``_die_with``).
"""

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from hydra.core.hydra_config import HydraConfig
from hydra.core.utils import JobReturn, configure_log, filter_overrides, run_job, setup_globals
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, open_dict

from sim.errors import ConfigError

log = logging.getLogger(__name__)

TARGET = "hydra_plugins.silosim_launcher.process_pool_launcher.ProcessPoolLauncher"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def worker_count(n_jobs: object) -> int:
    """``n_jobs`` worker processes, or with -1 one per core this process may use."""
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ConfigError("hydra/launcher", "local",
                          "a launcher this platform can run (it has no fork): hydra/launcher=joblib")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or (n_jobs < 1 and n_jobs != -1):
        raise ConfigError("hydra.launcher.n_jobs", n_jobs,
                          "a positive number of worker processes, or -1 for one per core")
    if n_jobs > 0:
        return n_jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass
class _Sweep:
    """What every job of the sweep shares; a forked worker inherits it, never receives it."""

    hydra_context: HydraContext
    config: DictConfig
    task_function: TaskFunction


_sweep: _Sweep | None = None


class ProcessPoolLauncher(Launcher):
    """Hydra launcher: the sweep's jobs on ``n_jobs`` forked local workers, results in job order."""

    def __init__(self, n_jobs: int = -1) -> None:
        self.workers = worker_count(n_jobs)
        self.sweep: _Sweep | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction,
              config: DictConfig) -> None:
        self.sweep = _Sweep(hydra_context, config, task_function)

    def launch(self, job_overrides: Sequence[Sequence[str]],
               initial_job_idx: int) -> Sequence[JobReturn]:
        """Run the jobs, at most ``workers`` at a time; return Hydra's records in job order."""
        global _sweep
        assert self.sweep is not None, "Hydra calls setup() before launch()"
        config = self.sweep.config
        setup_globals()
        configure_log(config.hydra.hydra_logging, config.hydra.verbose)
        Path(str(config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
        jobs = [(idx, list(overrides)) for idx, overrides in enumerate(job_overrides, initial_job_idx)]
        workers = min(len(jobs), self.workers)
        log.info(f"Launching {len(jobs)} jobs on {workers} forked worker processes")
        for idx, overrides in jobs:
            log.info(f"\t#{idx} : {' '.join(filter_overrides(overrides))}")
        _sweep = self.sweep  # what the workers inherit when they are forked
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "This process .* is multi-threaded",
                                        DeprecationWarning)
                with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_die_with, initargs=(os.getpid(),)) as pool:
                    return list(pool.map(_run, jobs))
        finally:
            _sweep = None


def _die_with(command: int) -> None:
    """In a new worker: end when the command that forked it ends, even if it was killed.

    An orphaned worker would go on running its job into a sweep directory that a re-run
    may be resuming meanwhile. Linux delivers the signal; elsewhere the worker ends when it
    next asks the gone command for work.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != command:  # the command died before the request took effect
        os._exit(1)


def _run(job: tuple[int, list[str]]) -> JobReturn:
    """In a worker: compose one job from the sweep's config and overrides, run it as Hydra does."""
    assert _sweep is not None, "workers are forked by ProcessPoolLauncher.launch"
    idx, overrides = job
    config = _sweep.hydra_context.config_loader.load_sweep_config(_sweep.config, overrides)
    with open_dict(config):
        config.hydra.job.id = f"{config.hydra.job.name}_{idx}"
        config.hydra.job.num = idx
    HydraConfig.instance().set_config(config)
    return run_job(hydra_context=_sweep.hydra_context, config=config,
                   task_function=_sweep.task_function, job_dir_key="hydra.sweep.dir",
                   job_subdir_key="hydra.sweep.subdir")
