"""What the benchmarks share: the machine's description, timed child processes, result tables.

Timings only mean something next to the machine they were taken on, and on a shared
machine next to how busy it was, so every table is written with both: the CPU,
cores, memory, Python/Mesa/numpy versions and the date, plus the load average when
the benchmark started and ended. Tables go to ``benchmarks/results/`` twice: as CSV
(for tools) and as Markdown (for ``docs/performance.md``).
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mesa
import numpy as np
import pandas as pd

from sim.params import SimParams

RESULTS = Path(__file__).resolve().parent / "results"
KIB_PER_MIB = 1024


def scaled(scale: int) -> SimParams:
    """The default organisation (100 reps, 12 marketers) times ``scale``; customers follow reps."""
    return SimParams.from_dict({"org": {"n_reps": 100 * scale, "n_marketers": 12 * scale}})


def machine() -> dict[str, str]:
    """The machine and software the figures were measured with."""
    return {
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} logical ({len(os.sched_getaffinity(0))} usable)",
        "memory": f"{_memory_gib():.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_at_start": load(),
    }


def load() -> str:
    """The 1-, 5- and 15-minute load averages: how much else the machine was doing."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return float("nan")


@dataclass(frozen=True)
class ChildRun:
    """One child process: its wall and CPU time, its peak memory and what it printed."""

    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    stdout: str


def run_child(argv: Sequence[str], log: Path) -> ChildRun:
    """Run ``argv`` to completion; time it and read its CPU time and peak RSS from the kernel.

    ``os.wait4`` returns the child's own resource usage, so the figures are not mixed up
    with earlier children; they include the processes the child itself waited for.
    CPU time (user + system) is what a busy shared machine disturbs least. Linux
    reports ``ru_maxrss`` in KiB as the largest resident set of any one of those
    processes: for the serial runs, the one Python process doing all the work. Stderr
    goes to ``log``.
    """
    with log.open("w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, text=True)
        stdout = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}; see {log}")
    return ChildRun(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / KIB_PER_MIB, stdout)


def median(values: Sequence[float]) -> float:
    """The median, the figure every table reports (robust to one disturbed repeat)."""
    return statistics.median(values)


def write_table(name: str, table: pd.DataFrame, about: dict[str, str], notes: Sequence[str] = ()) -> Path:
    """Write ``results/NAME.csv`` (machine as columns) and ``results/NAME.md``; print the table."""
    RESULTS.mkdir(exist_ok=True)
    about = about | {"load_at_end": load()}
    table.assign(**about).to_csv(RESULTS / f"{name}.csv", index=False)
    text = "\n".join([*(f"- {key}: {value}" for key, value in about.items()), "",
                      markdown(table), "", *notes]).rstrip() + "\n"
    (RESULTS / f"{name}.md").write_text(text)
    print(text)
    return RESULTS / f"{name}.md"


def markdown(table: pd.DataFrame) -> str:
    """A GitHub Markdown table (without pulling in ``tabulate`` for it)."""
    cells = [[_cell(v) for v in row] for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(map(str, table.columns)) + " |",
             "|" + "|".join("---" for _ in table.columns) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)
