"""Ablation: each action added to the scenario without it, and removed from the one with all.

An ``ablation:`` block names two scenarios, ``without`` (no action, e.g.
``baseline``) and ``with`` (every action, e.g. ``five_actions``), and which model
keys make up each action (a block's key, ``model.leader``, stands for all of its keys).
A point with ``ablation.action=X`` on the ``without`` scenario takes X's keys from the
``with`` scenario ("baseline+X"); on the ``with`` scenario it takes them from
``without`` ("five_actions-X"). The values are read
from the composed scenarios, so the ablation follows the scenario files instead of
copying them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from experiments.model_keys import get_value, leaf_keys, set_value
from sim.errors import ConfigError

NO_ACTION = "none"


@dataclass(frozen=True)
class Ablation:
    """Which action a point toggles, and between which two scenarios."""

    without: str
    with_all: str
    actions: Mapping[str, tuple[str, ...]]
    action: str

    @classmethod
    def from_dict(cls, block: Mapping[str, Any]) -> Ablation:
        """Check an ``ablation:`` block."""
        actions = block.get("actions")
        if not isinstance(actions, Mapping) or not actions:
            raise ConfigError("ablation.actions", actions,
                              "a mapping of action names to lists of model keys")
        keys = {name: tuple(_keys(name, spec)) for name, spec in actions.items()}
        action = block.get("action", NO_ACTION)
        if action != NO_ACTION and action not in keys:
            raise ConfigError("ablation.action", action,
                              "one of " + ", ".join([NO_ACTION, *keys]))
        return cls(without=_scenario("without", block), with_all=_scenario("with", block),
                   actions=keys, action=action)

    def apply(self, scenario: str, model: dict[str, Any],
              scenario_model: Callable[[str], dict[str, Any]]) -> str:
        """Toggle this point's action in ``model``; return the point's scenario label."""
        if self.action == NO_ACTION:
            return scenario
        if scenario not in (self.without, self.with_all):
            raise ConfigError("scenario", scenario,
                              f"{self.without} or {self.with_all} when ablation.action is set")
        source, sign = ((self.with_all, "+") if scenario == self.without
                        else (self.without, "-"))
        values = scenario_model(source)
        for key in self.actions[self.action]:
            set_value(model, key, get_value(values, key))
        return f"{scenario}{sign}{self.action}"


def _scenario(key: str, block: Mapping[str, Any]) -> str:
    name = block.get(key)
    if not isinstance(name, str):
        raise ConfigError(f"ablation.{key}", name, "a scenario name")
    return name


def _keys(name: str, spec: Any) -> list[str]:
    """The parameters an action sets: each key named, a block's (``model.leader``) in full."""
    if not isinstance(spec, list | tuple) or not spec:
        raise ConfigError(f"ablation.actions.{name}", spec, "a list of model keys")
    return [leaf for key in spec for leaf in leaf_keys(str(key), name)]
