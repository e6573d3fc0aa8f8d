"""Shared ways for tests to build parameters and run replications of the real model."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from experiments.config_tree import compose_model, file_model
from sim.params import SimParams
from sim.run import Replication, run_replication


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base``."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out.get(key, {}), value) if isinstance(value, dict) else value
    return out


def scenario(name: str, **extra: Any) -> dict[str, Any]:
    """A named scenario's parameters as Hydra composes them (a full tree), plus extra overrides."""
    return merge(compose_model(name).to_dict(), extra)


def profile(group: str, name: str) -> dict[str, Any]:
    """A profile's block (``configs/<group>/<name>.yaml``: ``leader``, ``delivery``, ``eet``) as
    Hydra composes it, for a parameter tree: ``{"delivery": profile("delivery", "agile")}``."""
    return file_model(group, name)[group]


def _run(args: tuple[dict[str, Any], int]) -> Replication:
    overrides, seed = args
    return run_replication(SimParams.from_dict(overrides), seed)


def replicate(overrides: dict[str, Any], n: int, first_seed: int = 0) -> list[Replication]:
    """``n`` replications (seeds first_seed…) on two processes."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(_run, [(overrides, first_seed + i) for i in range(n)]))


def kpi_mean(runs: list[Replication], name: str) -> float:
    return float(np.mean([r.kpis[name] for r in runs]))


def kpi_frame(runs: list[Replication]) -> pd.DataFrame:
    return pd.DataFrame([r.kpis for r in runs])
