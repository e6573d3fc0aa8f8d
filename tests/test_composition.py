"""The sweep's config loader composes exactly what Hydra's own loader composes.

``SweepConfigLoader`` remembers files and merged defaults lists between compositions,
so every test composes a sequence with both loaders side by side: a remembered part
must never carry one job's values into the next.
"""

from __future__ import annotations

import pytest
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.hydra import Hydra
from hydra._internal.utils import create_config_search_path
from hydra.core.global_hydra import GlobalHydra
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from experiments.composition import SweepConfigLoader, with_sweep_loader
from experiments.config_tree import CONFIG_DIR, CONFIG_NAME, config_tree, register_model_schema

#: one sweep's jobs, in order: repeated group choices between different plain values
JOBS = [
    ["seed=3"],
    ["seed=4", "replications=7"],
    ["scenario=high_silo", "seed=1"],
    ["scenario=high_silo", "model.silo.level=0.9"],
    ["seed=3"],
    ["org=large", "incentive=shared_revenue", "model.silo.level=0.3"],
    ["org=large", "incentive=shared_revenue"],
    ["experiment=silo_x_incentive", "incentive=commission", "model.silo.level=0.25"],
    ["hydra/launcher=local", "hydra.launcher.n_jobs=2", "seed=9"],
    ["+model.org.reps=120"],
    [],
]


def loaders() -> tuple[ConfigLoaderImpl, SweepConfigLoader]:
    register_model_schema()
    return (ConfigLoaderImpl(create_config_search_path(str(CONFIG_DIR))),
            SweepConfigLoader(create_config_search_path(str(CONFIG_DIR))))


def record(cfg: DictConfig) -> tuple[str, bool | None, bool | None]:
    """What a job sees: every value (hydra node included) and the root's flags."""
    return OmegaConf.to_yaml(cfg), OmegaConf.is_struct(cfg), OmegaConf.is_readonly(cfg.hydra)


@pytest.mark.parametrize("mode", [RunMode.RUN, RunMode.MULTIRUN])
def test_every_composition_equals_hydras(mode: RunMode) -> None:
    hydra_loader, sweep_loader = loaders()
    for overrides in JOBS + JOBS:  # the second pass composes only from memory
        expected = hydra_loader.load_configuration(CONFIG_NAME, overrides, mode)
        assert record(sweep_loader.load_configuration(CONFIG_NAME, overrides, mode)) \
            == record(expected), overrides


def test_every_scenario_org_and_incentive_equals_hydras() -> None:
    hydra_loader, sweep_loader = loaders()
    for group in ("scenario", "org", "incentive", "experiment"):
        for path in sorted((CONFIG_DIR / group).glob("*.yaml")):
            overrides = [f"{group}={path.stem}", "seed=2"]
            expected = hydra_loader.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)
            assert record(sweep_loader.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)) \
                == record(expected), overrides


def test_a_job_cannot_change_what_the_next_one_composes() -> None:
    _, sweep_loader = loaders()
    first = sweep_loader.load_configuration(CONFIG_NAME, ["seed=1"], RunMode.RUN)
    first.seed = 99
    first.model.silo.level = 0.01
    first.hydra.overrides.task.append("tampered=1")
    again = sweep_loader.load_configuration(CONFIG_NAME, [], RunMode.RUN)
    assert again.seed == 0
    assert again.model.silo.level != 0.01
    assert list(again.hydra.overrides.task) == []


def test_a_sweep_of_jobs_equals_hydras_sweep_configs() -> None:
    """The launcher's path: each job from the master config, as ``load_sweep_config``."""
    hydra_loader, sweep_loader = loaders()
    masters = [loader.load_configuration(CONFIG_NAME, ["seed=0,1"], RunMode.MULTIRUN)
               for loader in (hydra_loader, sweep_loader)]
    assert record(masters[1]) == record(masters[0])
    for seed in (0, 1, 0):
        expected = hydra_loader.load_sweep_config(masters[0], [f"seed={seed}"])
        assert record(sweep_loader.load_sweep_config(masters[1], [f"seed={seed}"])) \
            == record(expected)


def test_config_tree_and_the_command_compose_with_the_sweep_loader() -> None:
    with config_tree():
        loader = GlobalHydra.instance().config_loader()
        assert isinstance(loader, SweepConfigLoader)
        assert [s.path for s in loader.get_sources()][1] == str(CONFIG_DIR)
    search_path = create_config_search_path(str(CONFIG_DIR))
    GlobalHydra.instance().clear()
    try:
        hydra = with_sweep_loader(Hydra.create_main_hydra2("job", search_path))
        assert GlobalHydra.instance().config_loader() is hydra.config_loader
        assert isinstance(hydra.config_loader, SweepConfigLoader)
    finally:
        GlobalHydra.instance().clear()
