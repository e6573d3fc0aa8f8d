"""Where the Hydra config tree lives, and how the model schema joins it.

Parameter defaults live only in ``sim.params.SimParams``. Storing its plain-data
form in Hydra's ConfigStore as ``model/schema`` puts the full ``model`` tree into
every composed config, so ``model.silo.level=0.3`` works without ``+``. It is
stored as plain data, not as a typed structured config, so that every type and
range check happens in one place (``SimParams.from_dict``) and fails with one line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig

from experiments.composition import SweepConfigLoader, sources_of, with_sweep_loader
from sim.params import SimParams

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
CONFIG_NAME = "config"
VERSION_BASE = "1.3"  # the Hydra behaviour silosim is written for


def register_model_schema() -> None:
    """Make ``model: schema`` in ``configs/config.yaml`` resolve to the schema defaults."""
    ConfigStore.instance().store(group="model", name="schema", node=SimParams().to_dict())


@contextmanager
def config_tree(config_dir: Path = CONFIG_DIR,
                loader: SweepConfigLoader | None = None) -> Iterator[None]:
    """Open the config tree with Hydra's Compose API (for validation, tests and tools).

    While it is open, each config file is read once (``experiments.composition``);
    ``loader`` (on ``config_dir``) carries what was read on to a later composition.
    """
    register_model_schema()
    if loader is not None and ("main", str(config_dir)) not in sources_of(loader):
        raise ValueError(f"config_tree: the loader does not read {config_dir}")
    with initialize_config_dir(config_dir=str(config_dir), version_base=VERSION_BASE):
        with_sweep_loader(GlobalHydra.instance().hydra, loader)
        yield


def compose_config(
    overrides: Sequence[str] = (), config_name: str = CONFIG_NAME, with_hydra: bool = False
) -> DictConfig:
    """Compose the config for ``overrides``; needs an open tree or a running Hydra app."""
    return compose(config_name, overrides=list(overrides), return_hydra_config=with_hydra)


def group_options(group: str) -> list[str]:
    """The options of a config group (``scenario``, ``hydra/launcher``), empty if no group.

    Read from the loader's repository of config sources: the loader's own
    ``get_group_options`` first deep-copies that repository (~20 ms a call).
    """
    return GlobalHydra.instance().config_loader().repository.get_group_options(group)
