"""``silosim``: run one scenario x N replications, or (``-m``) a sweep of them, with Hydra.

The command checks the whole command line first (``experiments.plan``): bad input
is refused with ``silosim: error: <one line>`` and exit status 2, before any job
runs and without a traceback. Then Hydra runs the jobs with whichever launcher is
configured; afterwards the jobs' files are read back from disk into one dataset
(``experiments.aggregate``), a short summary is printed and the report is written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import hydra
from hydra import version
from hydra._internal.hydra import Hydra
from hydra._internal.utils import (
    _run_app,
    create_config_search_path,
    detect_calling_file_or_module_from_task_function,
    detect_task_name,
    get_args_parser,
    run_and_report,
)
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from experiments import job_files
from experiments.aggregate import aggregate
from experiments.composition import SweepConfigLoader, with_sweep_loader
from experiments.config_tree import CONFIG_DIR, CONFIG_NAME, VERSION_BASE, register_model_schema
from experiments.job import hydra_task
from experiments.plan import Plan, make_plan
from sim.errors import ConfigError

PROG = "silosim"


def main(argv: list[str] | None = None) -> None:
    """Run ``silosim`` with ``argv`` (the console script, ``experiments.command``, loads this)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    loader = SweepConfigLoader(create_config_search_path(str(CONFIG_DIR)))
    try:
        plan = make_plan(argv, loader)
    except (ConfigError, HydraException, OmegaConfBaseException) as error:
        refuse(error)
    if plan is None:
        _run_hydra(argv)
        return
    job_files.write_json(plan.out / job_files.PLAN, plan.record())
    started = time.perf_counter()
    _launch(plan, loader)
    wall = time.perf_counter() - started
    summary = aggregate(plan.out, timing={"wall_seconds": wall})
    print(summary.text())
    if plan.report:
        _write_report(plan.out)
    if summary.failed:
        print(f"{PROG}: {len(summary.failed)} of {summary.meta['points']} points failed "
              f"(see their error.json)", file=sys.stderr)
        raise SystemExit(1)


def refuse(error: Exception) -> NoReturn:
    """Print bad input as one line and exit 2 (the shell's usage-error status)."""
    line = next((ln.strip() for ln in str(error).splitlines() if ln.strip()), type(error).__name__)
    print(f"{PROG}: error: {line}", file=sys.stderr)
    raise SystemExit(2)


def _run_hydra(argv: list[str]) -> None:
    """Hand a command line with nothing to run (``--help``, ``--cfg``...) to ``hydra.main``."""
    register_model_schema()
    app = hydra.main(config_path=str(CONFIG_DIR), config_name=CONFIG_NAME,
                     version_base=VERSION_BASE)(hydra_task)
    saved = sys.argv
    sys.argv = [PROG, *argv]
    try:
        app()
    finally:
        sys.argv = saved


def _launch(plan: Plan, loader: SweepConfigLoader) -> None:
    """Run the plan's jobs with Hydra as ``hydra.main`` would, without its mode probe.

    ``hydra.main`` composes the whole config once only to read ``hydra.mode``, then
    again to run (~0.06 s); the plan has read it already. The rest is Hydra's own path
    (1.3): the same search path, task name (``job``, from the task function's module),
    run or multirun call, and error reporting; only its config loader is ``loader``,
    which composes each job with less repetition and already holds the plan's
    compositions (``experiments.composition``).
    """
    register_model_schema()
    version.setbase(VERSION_BASE)
    overrides = get_args_parser().parse_args(plan.hydra_argv).overrides
    task_name = detect_task_name(*detect_calling_file_or_module_from_task_function(hydra_task))
    app = run_and_report(lambda: with_sweep_loader(Hydra.create_main_hydra2(
        task_name=task_name, config_search_path=loader.get_search_path()), loader))
    try:
        _run_app(run=plan.mode == "run", multirun=plan.mode == "sweep", mode=plan.hydra_mode,
                 hydra=app, config_name=CONFIG_NAME, task_function=hydra_task,
                 overrides=overrides)
    finally:
        GlobalHydra.instance().clear()


def _write_report(results_dir: Path) -> None:
    """Write the report; a missing or broken report never costs the results."""
    try:
        from analysis.report import write_report

        path = write_report(results_dir)
    except Exception as error:  # the results are on disk already; the report is extra
        print(f"{PROG}: warning: no report ({type(error).__name__}: {error})", file=sys.stderr)
        return
    print(f"report: {path}")


if __name__ == "__main__":
    main()
