"""Name → class registry for the levers, so configs choose policies by name.

Configs are data: a config names a policy (``lead_handoff.policy: abc_scoring``)
and the model looks the class up here. Only classes registered by this project can
ever be instantiated — there is no ``eval`` and no Hydra ``_target_``.
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterable

from sim.errors import ConfigError

_REGISTRY: dict[str, dict[str, type]] = {}


def register[T: type](kind: str, name: str) -> Callable[[T], T]:
    """Class decorator: make ``cls`` selectable from config as ``name`` for ``kind``."""

    def add(cls: T) -> T:
        table = _REGISTRY.setdefault(kind, {})
        if name in table:
            raise RuntimeError(f"{kind} policy {name!r} registered twice")
        table[name] = cls
        cls.name = name
        return cls

    return add


def names(kind: str) -> list[str]:
    """The registered names for one kind of policy, sorted."""
    return sorted(_REGISTRY.get(kind, {}))


def lookup(kind: str, name: str, key: str) -> type:
    """The class registered as ``name``; a ``ConfigError`` naming ``key`` otherwise."""
    table = _REGISTRY.get(kind, {})
    if name not in table:
        raise ConfigError(key, name, "one of " + ", ".join(names(kind)))
    return table[name]


def import_policies(package: str, path: Iterable[str]) -> None:
    """Import every module of a policy package, so dropping a file in registers it."""
    for module in pkgutil.iter_modules(path):
        importlib.import_module(f"{package}.{module.name}")
