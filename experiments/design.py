"""Space-filling and sensitivity designs expanded into explicit, numbered points.

Hydra's basic sweeper only does Cartesian products. A ``design:`` block names a
sampler (Latin hypercube from ``scipy.stats.qmc``; Morris or Sobol from SALib),
a sample size, a seed and factor bounds; the sample is drawn deterministically, so
every process that expands the same block gets the same points in the same order.
The sweep then runs over ``point_index`` and each job looks its point up here. The
design's ``seed`` is a whole number from 0 to ``limits.SEED_MAX`` (2^63 - 1), the range
of the base ``seed``, so both fit a 64-bit integer wherever they are kept.
Factors may be written nested (``factors: {model: {silo: {level: [0, 1]}}}``), which
the command line can edit (``design.factors.model.silo.level=[0,0.5]``), or as dotted
keys (``model.silo.level: [0, 1]``); both name the same factor.
``factors: assumptions`` stands for every parameter the schema marks as an assumption
with a plausible range (``sim.params.schema_rows``: ``plausible=(low, high)``), sampled
over that range, except those ``hold`` names (schema blocks such as ``leader``, or model
keys: each scenario keeps its own values there). ``groups: block`` (Morris only) moves
the factors of one schema block (``attitude``, ``leads``...) together, SALib's groups, so
a trajectory has G + 1 points for G blocks instead of D + 1; ``groups: {name: [blocks]}``
groups whole blocks under names of one's own (every factor's block in exactly one group).
``default_point: true`` adds one more block, the point where every factor keeps the value
the job's own config gives it (its scenario's), as the last ``point_index``.
``Design.to_dict`` goes into ``sweep.json`` so SALib analysis can rebuild the
problem and the sample order (``Design.from_dict(...).matrix()``): it records the factors
an ``assumptions`` block expanded to.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from experiments.limits import DESIGN_POINTS_MAX, SEED_MAX
from experiments.model_keys import MODEL_PREFIX, leaf
from sim.errors import ConfigError
from sim.params import schema_rows

METHODS = ("lhs", "morris", "sobol", "fast")
#: per method, what ``per_job`` counts (points, trajectories, base samples) and its default
PER_JOB = {"lhs": 8, "morris": 1, "sobol": 4, "fast": 8}
_KNOWN = ("method", "samples", "seed", "factors", "levels", "second_order", "per_job", "groups",
          "default_point", "hold")
#: ``design.factors: assumptions``: every assumption of the schema over its plausible range
ASSUMPTIONS = "assumptions"
#: ``design.groups: block``: one Morris group per schema block (else a mapping of groups to blocks)
BY_BLOCK = "block"
#: keys ``to_dict`` records beside the block's own, accepted when a recorded design is read
_RECORDED = ("points", "problem", "blocks")


@dataclass(frozen=True)
class Factor:
    """One sampled parameter: its dotted model key, bounds and whether it is a whole number."""

    key: str
    low: float
    high: float
    whole: bool

    @property
    def column(self) -> str:
        """The ``runs`` column that holds this factor (the key without ``model.``)."""
        return self.key.removeprefix(MODEL_PREFIX)


@dataclass(frozen=True)
class Design:
    """A deterministic sample over numeric model parameters."""

    method: str
    samples: int
    seed: int
    factors: tuple[Factor, ...]
    levels: int = 4
    second_order: bool = True
    per_job: int = 1
    groups: str | tuple[tuple[str, tuple[str, ...]], ...] | None = None  # block, or name->blocks
    default_point: bool = False

    @classmethod
    def from_dict(cls, block: Mapping[str, Any]) -> Design:
        """Check a ``design:`` block (or a recorded ``sweep.json`` design) and build it."""
        for key in block:
            if key not in _KNOWN + _RECORDED:
                raise ConfigError(f"design.{key}", block[key], "a known key: " + ", ".join(_KNOWN))
        method = block.get("method")
        if method not in METHODS:
            raise ConfigError("design.method", method, "one of " + ", ".join(METHODS))
        design = cls(method=method, samples=_count("design.samples", block.get("samples"), 2),
                     seed=_count("design.seed", block.get("seed", 0), 0, SEED_MAX),
                     factors=_factors(block.get("factors"), block.get("hold")),
                     levels=_count("design.levels", block.get("levels", 4), 2),
                     second_order=_flag("design.second_order", block.get("second_order", True)),
                     per_job=_count("design.per_job", block.get("per_job", PER_JOB[method]), 1),
                     groups=_grouping(method, block.get("groups")),
                     default_point=_flag("design.default_point",
                                         block.get("default_point", False)))
        if method == "sobol" and design.samples & (design.samples - 1):
            raise ConfigError("design.samples", design.samples,
                              "a power of two for the Sobol sampler (e.g. 64, 128, 256)")
        if method == "fast" and design.samples <= 4 * design.levels ** 2:
            raise ConfigError("design.samples", design.samples,
                              f"more than 4 x levels^2 = {4 * design.levels ** 2} for FAST "
                              f"(design.levels={design.levels} is its interference factor M)")
        design.check_groups()
        if design.size > DESIGN_POINTS_MAX:
            raise ConfigError("design.samples", design.samples,
                              f"a design of at most {DESIGN_POINTS_MAX:,} points "
                              f"(this one has {design.size:,})")
        return design

    @property
    def group_names(self) -> list[str] | None:
        """Per factor, its Morris group (its schema block, or the named group holding that
        block), or None when ungrouped."""
        if self.groups is None:
            return None
        if self.groups == BY_BLOCK:
            return [schema_block(f.key) for f in self.factors]
        owner = {block: name for name, blocks in self.groups for block in blocks}
        return [owner.get(schema_block(f.key), "") for f in self.factors]

    def check_groups(self) -> None:
        """Refuse named groups that leave a factor's block out or name a block twice."""
        if self.groups is None or self.groups == BY_BLOCK:
            return
        listed = [block for _, blocks in self.groups for block in blocks]
        twice = next((block for block in listed if listed.count(block) > 1), None)
        left = next((schema_block(f.key) for f, name in zip(self.factors, self.group_names or [],
                                                            strict=True) if not name), None)
        if twice is not None or left is not None:
            raise ConfigError("design.groups", dict(self.groups_record()),
                              "named groups of schema blocks with every factor's block in "
                              f"exactly one ({twice or left} is in "
                              f"{'two' if twice else 'none'})")

    def groups_record(self) -> str | dict[str, list[str]] | None:
        """``groups`` as a config writes it: null, ``block`` or ``{name: [blocks]}``."""
        if self.groups is None or self.groups == BY_BLOCK:
            return self.groups
        return {name: list(blocks) for name, blocks in self.groups}

    @property
    def unit(self) -> int:
        """Points that stay together in one job: a trajectory, a base sample's, one point."""
        d = len(self.factors) if self.groups is None else len(set(self.group_names or ()))
        return {"lhs": 1, "fast": 1, "morris": d + 1,
                "sobol": 2 * d + 2 if self.second_order else d + 2}[self.method]

    @property
    def sampled(self) -> int:
        """How many points the sampler draws; FAST samples every factor's search curve,
        ``samples`` points each."""
        per_sample = len(self.factors) if self.method == "fast" else self.unit
        return self.samples * per_sample

    @property
    def size(self) -> int:
        """How many points the design has (without drawing them): the sample, and the
        default point if asked for (its ``point_index`` is the last, ``sampled``)."""
        return self.sampled + self.default_point

    def blocks(self) -> list[range]:
        """The point indices each job runs, in job order: ``per_job`` units at a time, then
        the default point on its own."""
        step = self.per_job * self.unit
        blocks = [range(start, min(start + step, self.sampled))
                  for start in range(0, self.sampled, step)]
        return blocks + [range(self.sampled, self.size)] * self.default_point

    def problem(self) -> dict[str, Any]:
        """The SALib problem: factor names are the ``runs`` columns, in sample order; with
        groups, each factor's group."""
        problem = {"num_vars": len(self.factors), "names": [f.column for f in self.factors],
                   "bounds": [[f.low, f.high] for f in self.factors]}
        return problem if self.groups is None else {**problem, "groups": self.group_names}

    def matrix(self) -> np.ndarray:
        """The raw sample, one row per point in ``point_index`` order (whole numbers unrounded)."""
        if self.method == "lhs":
            from scipy.stats import qmc  # deferred: scipy.stats takes a second to import

            unit = qmc.LatinHypercube(d=len(self.factors), rng=np.random.default_rng(self.seed))
            lows, highs = zip(*((f.low, f.high) for f in self.factors), strict=True)
            return qmc.scale(unit.random(self.samples), lows, highs)
        if self.method == "morris":
            from SALib.sample import morris

            return morris.sample(self.problem(), self.samples, num_levels=self.levels,
                                 seed=self.seed)
        if self.method == "fast":
            from SALib.sample import fast_sampler

            return fast_sampler.sample(self.problem(), self.samples, M=self.levels, seed=self.seed)
        from SALib.sample import sobol

        return sobol.sample(self.problem(), self.samples, calc_second_order=self.second_order,
                            seed=self.seed)

    def points(self) -> list[dict[str, float | int]]:
        """Every point as ``{model key: value}``, whole-number parameters rounded; the default
        point sets nothing."""
        return [{f.key: _value(f, x) for f, x in zip(self.factors, row, strict=True)}
                for row in self.matrix()] + [{}] * self.default_point

    def to_dict(self) -> dict[str, Any]:
        """What ``sweep.json`` records: enough to rebuild the problem, the sample and the blocks."""
        return {"method": self.method, "samples": self.samples, "seed": self.seed,
                "levels": self.levels, "second_order": self.second_order,
                "per_job": self.per_job, "groups": self.groups_record(),
                "default_point": self.default_point,
                "factors": {f.key: [f.low, f.high] for f in self.factors},
                "problem": self.problem(), "points": self.size,
                "blocks": [[b.start, b.stop] for b in self.blocks()]}


def _value(factor: Factor, x: float) -> float | int:
    if factor.whole:
        return int(np.clip(np.floor(x + 0.5), factor.low, factor.high))
    return float(x)


def schema_block(key: str) -> str:
    """The schema block of a model key: ``model.attitude.habit_rate`` -> ``attitude``; a
    top-level parameter is its own block (``model.spin_up_weeks`` -> ``spin_up_weeks``)."""
    return key.removeprefix(MODEL_PREFIX).split(".")[0]


def _factors(block: Any, hold: Any) -> tuple[Factor, ...]:
    if block == ASSUMPTIONS:
        return assumption_factors(_held(hold))
    if hold is not None:
        raise ConfigError("design.hold", hold, f"null unless design.factors is {ASSUMPTIONS}")
    if not isinstance(block, Mapping) or not block:
        raise ConfigError("design.factors", block,
                          "a mapping of model keys to [low, high], e.g. model.silo.level: [0, 1], "
                          f"or {ASSUMPTIONS}")
    return tuple(_factor(key, bounds) for key, bounds in _leaves(block, ""))


@functools.cache
def assumption_factors(hold: tuple[str, ...] = ()) -> tuple[Factor, ...]:
    """Every numeric parameter the schema gives a plausible range (its assumptions), over
    that range, in schema order, except the blocks and keys in ``hold``; switches and
    policies are never factors."""
    factors = []
    for row in schema_rows():
        key = MODEL_PREFIX + row["key"]
        plausible = row.get("plausible")
        held = schema_block(key) in hold or key in hold
        if plausible is not None and not held and leaf(key).numeric:
            factors.append(_factor(key, list(plausible)))
    if not factors:
        raise ConfigError("design.factors", ASSUMPTIONS,
                          "a schema with plausible ranges on its assumptions (sim/params.py)")
    return tuple(factors)


def _held(hold: Any) -> tuple[str, ...]:
    """``design.hold``: schema blocks (``leader``) and model keys the expansion leaves out."""
    if hold is None:
        return ()
    blocks = {schema_block(MODEL_PREFIX + row["key"]) for row in schema_rows()}
    if not isinstance(hold, list | tuple) or not all(isinstance(item, str) for item in hold):
        raise ConfigError("design.hold", hold, "a list of schema blocks or model keys")
    for item in hold:
        if item not in blocks and not _is_model_key(item):
            raise ConfigError("design.hold", item, "a schema block (" + ", ".join(sorted(blocks))
                              + ") or a model key such as model.programme.plan_weeks")
    return tuple(hold)


def _is_model_key(key: str) -> bool:
    try:
        leaf(key)
    except ConfigError:
        return False
    return True


def _grouping(method: str, groups: Any) -> str | tuple[tuple[str, tuple[str, ...]], ...] | None:
    if groups is None:
        return None
    allowed = (f"null, {BY_BLOCK} or {{name: [schema blocks]}} with method: morris (SALib's "
               "Morris groups: the factors of one group move together)")
    if method != "morris":
        raise ConfigError("design.groups", groups, allowed)
    if groups == BY_BLOCK:
        return BY_BLOCK
    if not isinstance(groups, Mapping) or not groups or not all(
            isinstance(blocks, list | tuple) and blocks and all(isinstance(b, str) for b in blocks)
            for blocks in groups.values()):
        raise ConfigError("design.groups", groups, allowed)
    known = {schema_block(MODEL_PREFIX + row["key"]) for row in schema_rows()}
    for blocks in groups.values():
        for block in blocks:
            if block not in known:
                raise ConfigError("design.groups", block,
                                  "a schema block: " + ", ".join(sorted(known)))
    return tuple((str(name), tuple(blocks)) for name, blocks in groups.items())


def _leaves(block: Mapping[str, Any], prefix: str) -> list[tuple[str, Any]]:
    """Factors nested by key path (editable from the command line) or as dotted keys."""
    leaves = []
    for key, value in block.items():
        if isinstance(value, Mapping):
            leaves += _leaves(value, f"{prefix}{key}.")
        else:
            leaves.append((f"{prefix}{key}", value))
    return leaves


def _factor(key: str, bounds: Any) -> Factor:
    spec = leaf(key, bounds)
    if not spec.numeric:
        raise ConfigError(f"design.factors.{key}", bounds,
                          "a numeric parameter (policies and switches cannot be sampled; "
                          "sweep them as a grid)")
    low_limit = _limit(spec.meta.get("low"), float("-inf"))
    high_limit = _limit(spec.meta.get("high"), float("inf"))
    allowed = f"[low, high] with {low_limit} <= low < high <= {high_limit}"
    if (not isinstance(bounds, list | tuple) or len(bounds) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)):
        raise ConfigError(f"design.factors.{key}", bounds, allowed)
    low, high = float(bounds[0]), float(bounds[1])
    if not (low_limit <= low < high <= high_limit):
        raise ConfigError(f"design.factors.{key}", list(bounds), allowed)
    return Factor(key=key, low=low, high=high, whole=spec.hint is int)


def _limit(value: float | None, unbounded: float) -> float:
    return unbounded if value is None else float(value)


def _count(key: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (
            high is not None and value > high):
        allowed = f"a whole number >= {low}" if high is None else \
            f"a whole number from {low} to {high}"
        raise ConfigError(key, value, allowed)
    return value


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(key, value, "true or false")
    return value
