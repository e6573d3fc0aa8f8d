"""A fuzz of parameter sets: the model either refuses one (``ConfigError``) or runs it cleanly.

Hypothesis draws parameter sets over the whole schema: each leaf left out, inside its
range, at a bound, just outside it, of the wrong type, NaN or infinite, a policy name that
is registered or not. ``SimParams.from_dict`` must accept it or refuse it with one
``ConfigError`` (one line naming the key); an accepted set must run a short replication
without raising and with no NaN or infinity in its KPIs or weekly series. The draws are
derandomised, so CI runs the same sets every time; sizes (reps, customers, weeks) are
kept small so each run takes a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import scenarios  # noqa: F401  (registers every policy)
from scenarios.registry import names
from sim.errors import ConfigError
from sim.params import SimParams, field_types
from sim.run import run_replication

#: small organisations and short horizons, so that a run takes a fraction of a second
SMALL = {"horizon_weeks": (26, 40), "baseline_weeks": (4, 8), "spin_up_weeks": (0, 4),
         "settle_weeks": (104, 156), "programme.plan_weeks": (1, 3),
         "programme.waterfall_build_weeks": (13, 14), "programme.mvp_weeks": (4, 8),
         "labels.rollout_margin_weeks": (13, 14),
         "org.n_reps": (4, 16), "org.n_marketers": (1, 3), "org.customers_per_rep": (5.0, 12.0)}
JUNK = st.sampled_from([None, "many", [], {}, True, math.nan, math.inf, -math.inf, 10**20])


def _leaves(cls: type, prefix: str = "") -> list[tuple[str, Any, typing.Mapping[str, Any]]]:
    hints = field_types(cls)
    leaves = []
    for spec in dataclasses.fields(cls):
        hint = hints[spec.name]
        if dataclasses.is_dataclass(hint):
            leaves += _leaves(hint, f"{prefix}{spec.name}.")
        else:
            leaves.append((prefix + spec.name, hint, spec.metadata))
    return leaves


LEAVES = _leaves(SimParams)


def _number(hint: Any, low: float | None, high: float | None,
            valid: bool) -> st.SearchStrategy[Any]:
    low = -1e6 if low is None else low
    high = 1e6 if high is None else high
    if hint is int:
        inside = st.integers(math.ceil(low), math.floor(high))
        outside = st.sampled_from([int(low) - 1, int(high) + 1])
    else:
        inside = st.floats(low, high, allow_nan=False)
        outside = st.sampled_from([low - 1e-9 - abs(low) * 1e-6, high + 1e-9 + abs(high) * 1e-6])
    bounds = st.sampled_from([low, high])
    return st.one_of(inside, inside, bounds) if valid else st.one_of(inside, bounds, outside, JUNK)


def _value(key: str, hint: Any, meta: typing.Mapping[str, Any], valid: bool) -> st.SearchStrategy:
    """Values for one leaf: its own kind (in range, at a bound) and, unless ``valid``, junk."""
    if valid and key in SMALL:
        low, high = SMALL[key]
        return st.integers(low, high) if hint is int else st.floats(low, high)
    junk = [] if valid else [JUNK]
    if typing.get_origin(hint) is list:
        options = names(meta["policy"]) if meta.get("policy") else ["x"]
        return st.one_of(st.lists(st.sampled_from(options), max_size=3, unique=valid), *junk)
    if hint is bool:
        return st.one_of(st.booleans(), *junk)
    if hint is str:
        registered = st.sampled_from(names(meta["policy"])) if meta.get("policy") else st.text()
        return st.one_of(registered, *([] if valid else [st.text(max_size=8)]), *junk)
    return _number(hint, meta.get("low"), meta.get("high"), valid)


def parameter_sets(valid: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Nested parameter trees: every leaf absent (its default) or drawn.

    ``valid``: values of each leaf's own type and range only (cross-field rules may still
    refuse a set), with small sizes always set; otherwise anything, junk included.
    """
    leaves = {key: st.one_of(st.none(), st.none(), st.none(), _value(key, hint, meta, valid))
              for key, hint, meta in LEAVES}
    if valid:  # sizes always set, so every run stays short
        leaves |= {key: _value(key, hint, meta, True) for key, hint, meta in LEAVES
                   if key in SMALL}

    def nest(flat: dict[str, Any]) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        for key, value in flat.items():
            if value is None:
                continue
            *groups, name = key.split(".")
            node = tree
            for group in groups:
                node = node.setdefault(group, {})
            node[name] = value
        return tree

    return st.fixed_dictionaries(leaves).map(nest)


def _finite(values: Any) -> bool:
    array = np.asarray(values, dtype=float)
    return bool(np.isfinite(array).all())


@settings(max_examples=400, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(parameter_sets(valid=False))
def test_validation_accepts_or_refuses_in_one_line(tree):
    try:
        SimParams.from_dict(tree)
    except ConfigError as error:
        assert "\n" not in str(error) and error.key and error.allowed
        assert str(error).startswith(f"{error.key}=")


@settings(max_examples=60, derandomize=True, deadline=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],  # CI time: no shrinking
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(parameter_sets(valid=True), st.integers(0, 2**63 - 1))
def test_every_accepted_parameter_set_runs_without_crash_nan_or_inf(tree, seed):
    try:
        params = SimParams.from_dict(tree)
    except ConfigError:
        assume(False)  # a cross-field refusal; Hypothesis fails the test if most sets are
        return
    run = run_replication(params, seed)
    numbers = {k: v for k, v in run.kpis.items()
               if isinstance(v, int | float | np.number) and not isinstance(v, bool)}
    assert _finite(list(numbers.values())), {k: v for k, v in numbers.items()
                                              if not np.isfinite(v)}
    weekly = run.timeseries.select_dtypes("number")
    bad = [c for c in weekly if not _finite(weekly[c])]
    assert bad == [], f"NaN or infinity in weekly {bad}"
