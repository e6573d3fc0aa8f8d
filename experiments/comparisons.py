"""The comparisons a robustness sweep measures: which scenario against which, checked up front.

A ``robustness:`` block names the sweep's headline comparisons, each a treated scenario
against a reference scenario::

    robustness:
      comparisons:
        five_actions: {treated: five_actions, reference: baseline}
        silo: {treated: high_silo, reference: low_silo}

The sweep runs every scenario at every point of a Morris design over the assumptions
(with its default point), under common random numbers, so replicate r of the treated
scenario and of the reference at the same point are a matched pair; ``analysis.robustness``
reads the paired differences back. Everything the analysis needs is refused here, before
the first job, in one line: an unknown key or scenario, a compared scenario the sweep
neither runs nor has a twin of (a swept scenario with the same parameters: the engine runs
a point once, so ``single_role`` runs as ``baseline`` while the two are the same company),
two swept scenarios with the same parameters, a comparison of a scenario with itself, a
sweep that cannot pair its runs (independent seeds, ``replications: auto``) or has no
Morris design with a default point, and a design factor the two scenarios of a comparison
set differently (the design would overwrite the very difference that is compared).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from experiments.design import Design
from experiments.settings import RunSettings
from sim.errors import ConfigError

KEY = "robustness"
ROLES = ("treated", "reference")


@dataclass(frozen=True)
class Comparison:
    """One headline comparison: ``treated`` against ``reference`` (scenario names)."""

    name: str
    treated: str
    reference: str

    def to_dict(self) -> dict[str, str]:
        return {"treated": self.treated, "reference": self.reference}


def comparisons_from(block: Any, scenarios: Collection[str]) -> tuple[Comparison, ...]:
    """Check a ``robustness:`` block and list its comparisons; ``scenarios`` are the names a
    comparison may use."""
    if not isinstance(block, Mapping) or set(block) != {"comparisons"}:
        raise ConfigError(KEY, _shown(block), "a mapping with one key, comparisons")
    listed = block["comparisons"]
    if not isinstance(listed, Mapping) or not listed:
        raise ConfigError(f"{KEY}.comparisons", _shown(listed),
                          "a mapping of names to {treated: SCENARIO, reference: SCENARIO}")
    return tuple(_comparison(str(name), spec, scenarios) for name, spec in listed.items())


def _comparison(name: str, spec: Any, scenarios: Collection[str]) -> Comparison:
    key = f"{KEY}.comparisons.{name}"
    if not isinstance(spec, Mapping) or set(spec) != set(ROLES):
        raise ConfigError(key, _shown(spec), "{treated: SCENARIO, reference: SCENARIO}")
    for role in ROLES:
        if spec[role] not in scenarios:
            raise ConfigError(f"{key}.{role}", spec[role],
                              "one of the scenarios: " + ", ".join(sorted(scenarios)))
    if spec["treated"] == spec["reference"]:
        raise ConfigError(f"{key}.reference", spec["reference"],
                          f"a scenario other than the treated one ({spec['treated']})")
    return Comparison(name, str(spec["treated"]), str(spec["reference"]))


def check_sweep(comparisons: tuple[Comparison, ...], design: Design | None,
                settings: RunSettings, swept: Collection[str],
                scenario_values: Callable[[str], Mapping[str, Any]]) -> dict[str, str]:
    """Refuse a sweep whose runs cannot be paired into the comparisons' differences; return,
    for each compared scenario the sweep does not run, the swept scenario that stands for it.

    ``scenario_values(name)`` gives a scenario's parameters as ``runs`` columns
    (``silo.level``). Two scenarios with the same parameters are one point to the engine
    (one ``point_id``), so the sweep may run only one of them; a comparison may name the
    other, and its runs are those of the one swept (``single_role`` is ``baseline`` today).
    """
    _check_design(design, settings)
    values = {name: dict(scenario_values(name)) for name in
              {*swept, *(side for c in comparisons for side in (c.treated, c.reference))}}
    _check_distinct(sorted(swept), values)
    runs_as = {}
    for comparison in comparisons:
        for role in ROLES:
            name = getattr(comparison, role)
            if name not in swept:
                runs_as[name] = _same_as(name, comparison, role, swept, values)
        _check_factors(comparison, design, values)
    return runs_as


def _check_design(design: Design | None, settings: RunSettings) -> None:
    if design is None or design.method != "morris" or not design.default_point:
        raise ConfigError("design", None if design is None else design.method,
                          f"a Morris design with default_point: true when {KEY}: is set "
                          "(the comparisons are screened around their value at the defaults)")
    if settings.seeding != "common":
        raise ConfigError("seeding", settings.seeding,
                          f"common when {KEY}: is set (differences are paired by replicate)")
    if settings.auto:
        raise ConfigError("replications", settings.replications,
                          f"a whole number when {KEY}: is set (both sides of a comparison must "
                          "run the same replicates at every point)")


def _check_distinct(swept: list[str], values: Mapping[str, Mapping[str, Any]]) -> None:
    for index, name in enumerate(swept):
        twin = next((other for other in swept[:index] if values[other] == values[name]), None)
        if twin is not None:
            raise ConfigError("scenario", name,
                              f"a scenario whose parameters differ from {twin}'s (the two are "
                              f"one point to the engine: sweep one, and a comparison may still "
                              "name the other)")


def _same_as(name: str, comparison: Comparison, role: str, swept: Collection[str],
             values: Mapping[str, Mapping[str, Any]]) -> str:
    twin = next((other for other in sorted(swept) if values[other] == values[name]), None)
    if twin is None:
        raise ConfigError(f"{KEY}.comparisons.{comparison.name}.{role}", name,
                          "one of the sweep's scenarios (" + ", ".join(sorted(swept))
                          + ") or one with the same parameters as one of them")
    return twin


def _check_factors(comparison: Comparison, design: Design,
                   values: Mapping[str, Mapping[str, Any]]) -> None:
    treated, reference = values[comparison.treated], values[comparison.reference]
    for factor in design.factors:
        if treated[factor.column] != reference[factor.column]:
            raise ConfigError(f"design.factors.{factor.key}", [factor.low, factor.high],
                              f"a parameter {comparison.treated} and {comparison.reference} "
                              "share (they differ in it: the design would overwrite what the "
                              "comparison compares; hold it)")


def _shown(value: Any) -> Any:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
