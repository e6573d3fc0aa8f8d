"""A fuzz of parameter sets: the model either refuses one (``ConfigError``) or runs it cleanly.

Hypothesis draws parameter sets over the whole schema: each leaf left out, inside its
range, at a bound, just outside it, of the wrong type, NaN or infinite, a policy name that
is registered or not. ``SimParams.from_dict`` must accept it or refuse it with one
``ConfigError`` (one line naming the key). Sets drawn to be valid keep the schema's
cross-field rules by construction (ordered pairs drawn in order, shares drawn to sum to
at most 1, mitigations unique, sizes and weeks small), so nearly all are accepted; each
accepted set must run a short replication without raising and with no NaN or infinity in
its KPIs or weekly series. The few a rule still refuses are discarded, and Hypothesis's
health check fails the test if that becomes most of them. The draws are derandomised,
so CI runs the same sets every time; sizes (reps, customers, weeks) are kept small so
each run takes a fraction of a second. The crashers issue #19 named are run once each.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import scenarios  # noqa: F401  (registers every policy)
from experiments.config_tree import compose_model
from scenarios.registry import names
from sim.errors import ConfigError
from sim.params import ORDERED, PRICED_POLICIES, SimParams, field_types, priced_names
from sim.run import run_replication

#: small organisations and short horizons, so that a run takes a fraction of a second
SMALL = {"horizon_weeks": (26, 40), "baseline_weeks": (4, 8), "spin_up_weeks": (0, 4),
         "settle_weeks": (104, 156), "programme.plan_weeks": (1, 3),
         "delivery.build_weeks": (4, 14),
         "labels.rollout_margin_weeks": (13, 14),
         "org.n_reps": (4, 16), "org.n_marketers": (1, 3), "org.customers_per_rep": (5.0, 12.0)}
#: names a schema check ties to a cost (``leader.name``: ``costs.leader_year_<name>``)
PRICED = {key: priced_names(key) for key, _ in PRICED_POLICIES}
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
        registered = st.sampled_from(names(meta["policy"])) if meta.get("policy") else \
            st.sampled_from(PRICED[key]) if key in PRICED else st.text()
        return st.one_of(registered, *([] if valid else [st.text(max_size=8)]), *junk)
    return _number(hint, meta.get("low"), meta.get("high"), valid)


def parameter_sets(valid: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Nested parameter trees: every leaf absent (its default) or drawn.

    ``valid``: values of each leaf's own type and range only, with small sizes always set,
    ordered pairs in order and shares summing to at most 1 (``accepted``); otherwise
    anything, junk included.
    """
    leaves = {key: st.one_of(st.none(), st.none(), st.none(), _value(key, hint, meta, valid))
              for key, hint, meta in LEAVES}
    if not valid:
        return st.fixed_dictionaries(leaves).map(_nest)
    leaves |= {key: _value(key, hint, meta, True) for key, hint, meta in LEAVES
               if key in SMALL}  # sizes always set, so every run stays short
    return accepted(st.fixed_dictionaries(leaves))


def _chains() -> list[list[str]]:
    """The schema's ordered pairs joined into chains (enthusiast <= reluctant <= avoider)."""
    chains: list[list[str]] = []
    for low, high in ORDERED:
        chain = next((c for c in chains if c[-1] == low), None)
        if chain is None:
            chains.append([low, high])
        else:
            chain.append(high)
    return chains


CHAINS = _chains()
META = {key: meta for key, _, meta in LEAVES}
#: shares of one whole: (first, second) must sum to at most 1
SHARES = (("org.share_enthusiast", "org.share_avoider"),)


@st.composite
def accepted(draw: st.DrawFn, flat: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """``flat`` with every chain of ordered keys drawn in order and every pair of shares
    drawn to sum to at most 1 (each chain or pair left out, or drawn as a whole)."""
    values = draw(flat)
    for chain in CHAINS:
        low = max(META[key]["low"] for key in chain)
        high = min(META[key]["high"] for key in chain)
        drawn = draw(st.one_of(st.none(), st.lists(
            st.one_of(st.floats(low, high), st.sampled_from([low, high])),
            min_size=len(chain), max_size=len(chain))))
        values |= dict(zip(chain, sorted(drawn) if drawn else [None] * len(chain), strict=True))
    for first, second in SHARES:
        share = draw(st.one_of(st.none(), st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0])))
        rest = None if share is None else draw(st.floats(0.0, 1.0)) * (1.0 - share)
        while rest is not None and share + rest > 1.0:
            rest = math.nextafter(rest, 0.0)
        values |= {first: share, second: rest}
    return _nest(values)


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
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
        assume(False)  # a rule the draws do not keep; the health check fails if most are
        return
    assert_runs_cleanly(params, seed)


def assert_runs_cleanly(params: SimParams, seed: int) -> pd.DataFrame:
    """A replication runs, with no NaN or infinity in its KPIs or weekly series (returned)."""
    run = run_replication(params, seed)
    numbers = {k: v for k, v in run.kpis.items()
               if isinstance(v, int | float | np.number) and not isinstance(v, bool)}
    assert _finite(list(numbers.values())), {k: v for k, v in numbers.items()
                                              if not np.isfinite(v)}
    weekly = run.timeseries.select_dtypes("number")
    bad = [c for c in weekly if not _finite(weekly[c])]
    assert bad == [], f"NaN or infinity in weekly {bad}"
    return run.timeseries


def test_the_valid_draws_keep_the_cross_field_rules():
    """Most valid draws are accepted (what the health check also guards), checked directly."""
    accepted_sets = []

    @settings(max_examples=200, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(parameter_sets(valid=True))
    def draw(tree):
        try:
            SimParams.from_dict(tree)
        except ConfigError:
            accepted_sets.append(False)
        else:
            accepted_sets.append(True)

    draw()
    assert sum(accepted_sets) >= 0.9 * len(accepted_sets)


TINY = ["model.org.n_reps=4", "model.org.n_marketers=1", "model.horizon_weeks=40",
        "model.delivery.build_weeks=13"]


# the crashers of issue #19 that the schema accepts (those it refuses are in test_cli.py's table)


def test_a_two_role_handoff_introducing_the_farmer_for_8_weeks_runs_cleanly():
    params = compose_model("handoff_first_sale",
                           [*TINY, "model.account_handoff.introduction_weeks=8"])
    assert params.account_handoff.policy != "single_role"
    for seed in range(3):
        assert_runs_cleanly(params, seed)


def test_a_sales_force_whose_every_seat_is_vacant_runs_cleanly():
    params = compose_model("baseline", [*TINY, "model.settle_weeks=0", "model.spin_up_weeks=0",
                                        "model.attrition.base_quit_weekly=0.1",
                                        "model.attrition.vacancy_weeks=52"])
    for seed in range(3):
        weekly = assert_runs_cleanly(params, seed)
        assert (weekly["headcount"] == 0).any()  # the case did arise
