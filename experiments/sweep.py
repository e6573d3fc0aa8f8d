"""A sweep's jobs, listed before Hydra runs them, in the order Hydra's basic sweeper runs them.

The basic sweeper takes the experiment's ``hydra.sweeper.params`` and then the command
line's overrides, keeps one entry per key (a later value list replaces an earlier one in
its place) and runs the Cartesian product of the entries in that order, the last key
varying fastest. ``jobs`` lists the same product, so ``jobs[n]`` are the overrides of
``jobs/n`` (``tests/test_engine_sweeps.py`` compares them with each job's
``.hydra/overrides.yaml``) and every job can be composed and checked before the first
one runs. ``count`` sizes a sweep without listing it, so a huge one is refused at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from hydra.core.override_parser.types import Override, RangeSweep

from sim.errors import ConfigError


def _entries(overrides: Sequence[Override]) -> dict[str, Override]:
    """One override per key, in the order the keys first appear (the basic sweeper's)."""
    entries: dict[str, Override] = {}
    for override in overrides:
        entries[override.get_key_element()] = override
    return entries


def _size(override: Override) -> int:
    if not override.is_sweep_override():
        return 1
    value = override.value()
    if isinstance(value, RangeSweep):
        start, stop, step = value.start, value.stop, value.step
        if step == 0:
            raise ConfigError(override.key_or_group, override.get_value_string(),
                              "a range with a step other than 0")
        return max(0, math.ceil((stop - start) / step))
    return sum(1 for _ in override.sweep_string_iterator())


def count(overrides: Sequence[Override]) -> int:
    """How many jobs the sweep has (computed, not listed)."""
    return math.prod(_size(o) for o in _entries(overrides).values())


def jobs(overrides: Sequence[Override]) -> list[list[str]]:
    """Every job's overrides, in the basic sweeper's order."""
    lists = []
    for key, override in _entries(overrides).items():
        if override.is_sweep_override():
            lists.append([f"{key}={value}" for value in override.sweep_string_iterator()])
        else:
            lists.append([f"{key}={override.get_value_element_as_str()}"])
    return [list(job) for job in itertools.product(*lists)]
