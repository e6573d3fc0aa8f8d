"""Profile before optimising: where a replication, a large replication and a sweep spend time.

Three pyinstrument profiles (statistical, low overhead, call trees with shares of the
total), each written as text to ``benchmarks/results/`` (``--html``: also as an
interactive page, several MB each, so not by default and not for git):

- ``profile_default``: replications of the default organisation (what sweeps run);
- ``profile_30x``: one replication at 30x the size, where costs that grow faster than
  the organisation show up;
- ``profile_engine``: the benchmarked sweep (``silosim -m seed=0,1,2,3 replications=50``)
  in-process, with Hydra's and the engine's frames shown, so that every stage around the
  model appears with its share of the sweep (interpreter start and the imports before
  ``main`` are not in it: ``bench_sweep`` measures those).

Run: ``make bench`` (after the benchmarks), or ``.venv/bin/python benchmarks/profile_model.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from benchlib import RESULTS, scaled
from pyinstrument import Profiler

from sim.params import SimParams
from sim.run import run_replication

INTERVAL = 0.0005  # seconds between samples: several hundred per default replication
#: In the engine profile, show Hydra's and the engine's own frames (pyinstrument folds
#: library frames by default) and every stage from half a percent of the sweep up.
ENGINE_FRAMES = {"show_regex": r".*(hydra|omegaconf|experiments).*", "filter_threshold": 0.005}


def replications(params: SimParams, count: int) -> Callable[[], None]:
    def run() -> None:
        for seed in range(1, count + 1):
            run_replication(params, seed)
    return run


def engine_sweep(jobs: int, replications_per_job: int) -> Callable[[], None]:
    """The real command, in this process, so its stages appear in one call tree."""
    from experiments.cli import main as silosim

    def run() -> None:
        with TemporaryDirectory(prefix="silosim-profile-") as scratch:
            silosim(["-m", "seed=" + ",".join(map(str, range(jobs))),
                     f"replications={replications_per_job}", "report=false", f"out={scratch}/sweep"])
    return run


def profile(name: str, work: Callable[[], None], html: bool, options: dict[str, Any] | None = None) -> Path:
    """Profile ``work`` and write ``NAME.txt`` (call tree, % of total) and, if asked, ``NAME.html``."""
    profiler = Profiler(interval=INTERVAL)
    profiler.start()
    work()
    profiler.stop()
    RESULTS.mkdir(exist_ok=True)
    text = RESULTS / f"{name}.txt"
    text.write_text(profiler.output_text(unicode=False, color=False, time="percent_of_total",
                                         processor_options=options))
    if html:
        profiler.write_html(RESULTS / f"{name}.html")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer replications: a smoke test")
    parser.add_argument("--html", action="store_true", help="also write interactive HTML profiles")
    args = parser.parse_args()
    run_replication(scaled(1), 0)  # warm-up: imports and first-call costs are not the model's
    default = replications(scaled(1), 2 if args.quick else 10)
    sweep = engine_sweep(2, 3) if args.quick else engine_sweep(4, 50)
    print(f"wrote {profile('profile_default', default, args.html)}")
    print(f"wrote {profile('profile_30x', replications(scaled(30), 1), args.html)}")
    print(f"wrote {profile('profile_engine', sweep, args.html, ENGINE_FRAMES)}")


if __name__ == "__main__":
    main()
