"""Where the Hydra config tree lives, how the model schema joins it, and how to compose it.

Parameter defaults live only in ``sim.params.SimParams``. Storing its plain-data
form in Hydra's ConfigStore as ``model/schema`` puts the full ``model`` tree into
every composed config, so ``model.silo.level=0.3`` works without ``+``. It is
stored as plain data, not as a typed structured config, so that every type and
range check happens in one place (``SimParams.from_dict``) and fails with one line.

Every part of silosim that needs a config composes it here, through Hydra's Compose
API: the command's checks, the dashboard, ``silosim-validate`` and the tests
(``compose_config``, ``compose_model``). Scenario files reuse each other through their
``defaults:`` lists and carry their ``title`` and ``question`` as config keys
(``scenario_about``). These functions work from any directory and in any process: with
no tree open (no running Hydra app, no ``config_tree()`` block) they open silosim's own
for the call, and remember what they composed in it for the rest of the process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from experiments.model_keys import MODEL_PREFIX, leaf
from sim.errors import ConfigError
from sim.params import SimParams

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
CONFIG_NAME = "config"
VERSION_BASE = "1.3"  # the Hydra behaviour silosim is written for
SCENARIO_GROUP = "scenario"


def register_model_schema() -> None:
    """Make ``model: schema`` in ``configs/config.yaml`` resolve to the schema defaults."""
    ConfigStore.instance().store(group="model", name="schema", node=SimParams().to_dict())


@contextmanager
def config_tree(config_dir: Path = CONFIG_DIR) -> Iterator[None]:
    """Open the config tree with Hydra's Compose API for the block (checks, tests, tools)."""
    register_model_schema()
    with initialize_config_dir(config_dir=str(config_dir), version_base=VERSION_BASE):
        yield


@contextmanager
def _open_tree() -> Iterator[bool]:
    """The tree that is open (a running app's, a ``config_tree()`` block's), else silosim's own.

    Yields True when it opened silosim's own tree for the call: then what is composed
    depends only on the arguments, and may be remembered for the process.
    """
    if GlobalHydra.instance().is_initialized():
        yield False
        return
    with config_tree():
        yield True


def compose_config(
    overrides: Sequence[str] = (), config_name: str = CONFIG_NAME, with_hydra: bool = False
) -> DictConfig:
    """The composed config for CLI-style ``overrides`` (``scenario=five_actions``, ``org=small``)."""
    with _open_tree():
        return compose(config_name, overrides=list(overrides), return_hydra_config=with_hydra)


def compose_model(scenario: str = "baseline", overrides: Sequence[str] = ()) -> SimParams:
    """The parameters ``silosim scenario=<scenario> <overrides>`` runs, validated.

    ``overrides`` are CLI-style (``model.silo.level=0.3``, ``org=small``). A bad scenario,
    model key or value is a ``ConfigError`` naming it as typed on the command line.
    """
    lines = (f"{SCENARIO_GROUP}={scenario}", *overrides)
    _check_scenario(scenario)
    for line in overrides:
        key, _, value = line.partition("=")
        if key.startswith(MODEL_PREFIX):
            leaf(key, value)
    with _open_tree() as own:
        tree = _remembered_model(lines) if own else _model_tree(lines)
    try:
        return SimParams.from_dict(tree)
    except ConfigError as error:
        raise ConfigError(MODEL_PREFIX + error.key, error.value, error.allowed) from None


def _model_tree(lines: Sequence[str]) -> dict[str, Any]:
    return OmegaConf.to_container(compose(CONFIG_NAME, overrides=list(lines)).model, resolve=True)


@functools.lru_cache(maxsize=512)
def _remembered_model(lines: tuple[str, ...]) -> dict[str, Any]:
    return _model_tree(lines)


def scenario_names() -> list[str]:
    """The named scenarios (``configs/scenario/*.yaml``), sorted."""
    with _open_tree() as own:
        return list(_remembered_names() if own else _group_options(SCENARIO_GROUP))


@functools.cache
def _remembered_names() -> tuple[str, ...]:
    return tuple(_group_options(SCENARIO_GROUP))


def _group_options(group: str) -> list[str]:
    return list(GlobalHydra.instance().config_loader().get_group_options(group))


def _check_scenario(name: str) -> None:
    names = scenario_names()
    if name not in names:
        raise ConfigError(SCENARIO_GROUP, name, "one of " + ", ".join(names))


def scenario_about(name: str) -> dict[str, str | None]:
    """A scenario's ``title`` (a short human title) and ``question`` (what it answers)."""
    _check_scenario(name)
    cfg = compose_config([f"{SCENARIO_GROUP}={name}"])
    return {"title": cfg.title, "question": cfg.question}


def scenario_parts(name: str) -> list[str]:
    """The other scenario files a scenario composes through its ``defaults:``, in order.

    ``five_actions`` is made of the five ``action_*`` files, in 001's order.
    """
    _check_scenario(name)
    with _open_tree():
        defaults = GlobalHydra.instance().config_loader().compute_defaults_list(
            CONFIG_NAME, [f"{SCENARIO_GROUP}={name}"], RunMode.RUN).defaults
    paths = [d.config_path for d in defaults if d.config_path is not None]
    prefix = SCENARIO_GROUP + "/"
    return [p.removeprefix(prefix) for p in paths
            if p.startswith(prefix) and p != prefix + name]


def file_model(group: str, name: str) -> dict[str, Any]:
    """The ``model`` values one file of a config group sets, as Hydra composes it alone.

    Composed without the schema and without the other groups' default files, so the
    tree holds exactly what the file (and the files its ``defaults:`` name) sets.
    """
    others = [f"~{g}" for g in ("org", SCENARIO_GROUP) if g != group]
    cfg = compose_config(["~model", *others, f"{group}={name}"])
    return OmegaConf.to_container(cfg.model, resolve=True) if "model" in cfg else {}


def group_options(group: str) -> list[str]:
    """The options of a config group (``scenario``, ``hydra/launcher``), empty if no group."""
    with _open_tree():
        return _group_options(group)
