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
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from experiments import job_files
from experiments.aggregate import aggregate
from experiments.config_tree import CONFIG_DIR, CONFIG_NAME, register_model_schema
from experiments.job import hydra_task
from experiments.plan import make_plan
from sim.errors import ConfigError

PROG = "silosim"


def main(argv: list[str] | None = None) -> None:
    """Run ``silosim`` with ``argv`` (the console script, ``experiments.command``, loads this)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        plan = make_plan(argv)
    except (ConfigError, HydraException, OmegaConfBaseException) as error:
        refuse(error)
    if plan is None:
        _run_hydra(argv)
        return
    job_files.write_json(plan.out / job_files.PLAN, plan.record())
    started = time.perf_counter()
    _run_hydra(plan.hydra_argv)
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
    """Hand the (checked) command line to Hydra's own app runner and launchers."""
    register_model_schema()
    app = hydra.main(config_path=str(CONFIG_DIR), config_name=CONFIG_NAME,
                     version_base="1.3")(hydra_task)
    saved = sys.argv
    sys.argv = [PROG, *argv]
    try:
        app()
    finally:
        sys.argv = saved


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
