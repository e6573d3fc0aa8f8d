"""Dotted model keys (``model.silo.level``) looked up in the parameter schema.

Sweeps and designs name parameters by the same dotted key a user types on the
command line. Checking those keys against ``sim.params.SimParams`` before anything
runs turns a typo into a one-line error that lists the keys that do exist.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any

from sim.errors import ConfigError
from sim.params import SimParams, field_types, walk_leaves

MODEL_PREFIX = "model."


@dataclass(frozen=True)
class Leaf:
    """One parameter of the schema: its type hint and its metadata (range, policy)."""

    key: str
    hint: Any
    meta: typing.Mapping[str, Any]

    @property
    def numeric(self) -> bool:
        """True for int and float parameters (the only ones a design may sample)."""
        return self.hint in (int, float) and not self.meta.get("policy")


def leaf(key: str, value: Any = None) -> Leaf:
    """The schema leaf named by ``key`` (``model.`` prefix), or a ``ConfigError``."""
    cls, name, hint = _lookup(key, value)
    if dataclasses.is_dataclass(hint):
        raise ConfigError(key, value, f"a parameter inside {key}, not the whole group")
    spec = next(spec for spec in dataclasses.fields(cls) if spec.name == name)
    return Leaf(key, hint, spec.metadata)


def leaf_keys(key: str, value: Any = None) -> list[str]:
    """The parameters a key names: the key itself for a parameter, every parameter of a block
    for a block (``model.leader``: ``model.leader.name``, ``model.leader.initial_fit`` …)."""
    hint = _lookup(key, value)[2]
    if not dataclasses.is_dataclass(hint):
        return [key]
    return [f"{key}.{name}" for name, _ in walk_leaves(dataclasses.asdict(hint()))]


def _lookup(key: str, value: Any) -> tuple[Any, str, Any]:
    """The schema class holding the key's last part, that part, and its type hint."""
    if not key.startswith(MODEL_PREFIX):
        raise ConfigError(key, value, "a model key such as model.silo.level")
    *groups, name = key.removeprefix(MODEL_PREFIX).split(".")
    cls: Any = SimParams
    path = MODEL_PREFIX
    for group in groups:
        cls = _field_hint(cls, group, path, key, value)
        if not dataclasses.is_dataclass(cls):
            raise ConfigError(key, value, f"a known key ({path}{group} has no sub-keys)")
        path += group + "."
    return cls, name, _field_hint(cls, name, path, key, value)


def _field_hint(cls: Any, name: str, path: str, key: str, value: Any) -> Any:
    hints = field_types(cls)
    if name not in hints:
        raise ConfigError(key, value, "a known key: " + ", ".join(path + n for n in hints))
    return hints[name]


def get_value(model: dict[str, Any], key: str) -> Any:
    """The value at a dotted model key in a nested plain-data model tree."""
    node: Any = model
    for part in key.removeprefix(MODEL_PREFIX).split("."):
        node = node[part]
    return node


def set_value(model: dict[str, Any], key: str, value: Any) -> None:
    """Set the value at a dotted model key in a nested plain-data model tree."""
    *groups, name = key.removeprefix(MODEL_PREFIX).split(".")
    node = model
    for part in groups:
        node = node[part]
    node[name] = value
