"""``silosim``: run one scenario x N replications, or (``-m``) a sweep of them, with Hydra.

The command checks the whole command line first (``experiments.plan``): bad input
is refused with ``silosim: error: <one line>`` (one line per bad point of a sweep) and exit
status 2, before any job runs and without a traceback. Then it holds the results
directory (one command at a time) and hands the command line to a plain ``hydra.main``
application, which runs the jobs with whichever stock launcher is configured;
afterwards the jobs' files are read back from disk into one dataset
(``experiments.aggregate``), a short summary is printed and the report is written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import hydra
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from experiments import job_files, progress
from experiments.aggregate import aggregate
from experiments.config_tree import CONFIG_DIR, CONFIG_NAME, VERSION_BASE, register_model_schema
from experiments.job import hydra_task
from experiments.plan import PROG, Plan, make_plan
from sim.errors import ConfigError

#: leftovers of an interrupted command at the top of a results directory (besides temporaries)
_LEFTOVERS = ("*.partial",)


def main(argv: list[str] | None = None) -> None:
    """Run ``silosim`` with ``argv`` (the command line's, if None)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        plan = make_plan(argv)
        if plan is None:
            run_hydra(argv)
            return
        with job_files.command_lock(plan.out):
            plan.guard_resume()
            job_files.clean_temporaries(plan.out, _LEFTOVERS)
            job_files.write_json(plan.out / job_files.PLAN, plan.record())
            plan.mark_latest()
            started = time.perf_counter()
            with progress.sweep_progress(plan.out, jobs=len(plan.jobs), runs=planned_runs(plan)):
                run_hydra(plan.hydra_argv)
            summary = aggregate(plan.out, timing={"wall_seconds": time.perf_counter() - started})
            print(summary.text())
            if plan.report:
                progress.phase("writing the report")
                _write_report(plan.out)
    except (ConfigError, HydraException, OmegaConfBaseException) as error:
        refuse(error)
    if summary.failed:
        print(f"{PROG}: {len(summary.failed)} failures in {summary.meta['jobs']} jobs "
              f"(see the summary above, sweep.json and the jobs' error.json)", file=sys.stderr)
        raise SystemExit(1)


def planned_runs(plan: Plan) -> int:
    """The replications the plan asks for (the first batch of each point under ``auto``)."""
    settings = plan.settings
    per_point = settings["replications_batch"] if settings["replications"] == "auto" \
        else settings["replications"]
    points = plan.design["points"] if plan.design else len(plan.jobs)
    return points * per_point


def refuse(error: Exception) -> NoReturn:
    """Print bad input as one line (one per bad point) and exit 2 (a usage error)."""
    for each in [error, *getattr(error, "others", [])]:
        line = next((ln.strip() for ln in str(each).splitlines() if ln.strip()),
                    type(each).__name__)
        print(f"{PROG}: error: {line}", file=sys.stderr)
    raise SystemExit(2)


def run_hydra(argv: list[str]) -> None:
    """Run ``argv`` through a plain ``hydra.main`` application of ``hydra_task``."""
    register_model_schema()
    app = hydra.main(config_path=str(CONFIG_DIR), config_name=CONFIG_NAME,
                     version_base=VERSION_BASE)(hydra_task)
    saved = sys.argv
    sys.argv = [PROG, *argv]
    try:
        app()
    finally:
        sys.argv = saved
        GlobalHydra.instance().clear()


def _write_report(results_dir: Path) -> None:
    """Write the report; a missing or broken report never costs the results."""
    try:
        from analysis.report import write_report

        path = write_report(results_dir)
    except Exception as error:  # the results are on disk already; the report is extra
        line = next((ln.strip() for ln in str(error).splitlines() if ln.strip()), "")
        print(f"{PROG}: warning: no report ({type(error).__name__}: {line})", file=sys.stderr)
        return
    print(f"report: {path}")


if __name__ == "__main__":
    main()
