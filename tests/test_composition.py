"""The sweep's config loader composes exactly what Hydra's own loader composes.

``SweepConfigLoader`` remembers files and merged defaults lists between compositions,
so every test composes a sequence with both loaders side by side: a remembered part
must never carry one job's values into the next.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.hydra import Hydra
from hydra._internal.utils import create_config_search_path
from hydra.core.global_hydra import GlobalHydra
from hydra.types import RunMode
from omegaconf import DictConfig, ListConfig, Node, OmegaConf

from experiments.composition import ConfigSnapshot, SweepConfigLoader, with_sweep_loader
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


def record(cfg: DictConfig) -> tuple[str, list[tuple[Any, ...]]]:
    """What a job sees: every value (hydra node included), each node's type and flags."""
    return OmegaConf.to_yaml(cfg), list(_nodes(cfg, ""))


def _nodes(node: Node, path: str) -> Iterator[tuple[Any, ...]]:
    meta = node._metadata
    yield (path, type(node).__name__, node._get_node_flag("struct"),
           node._get_node_flag("readonly"), meta.object_type, meta.ref_type, meta.optional,
           getattr(meta, "key_type", None), getattr(meta, "element_type", None))
    if isinstance(node, DictConfig) and not (node._is_missing() or node._is_none()):
        for key in node:
            yield from _nodes(node._get_node(key), f"{path}.{key}")
    elif isinstance(node, ListConfig) and not (node._is_missing() or node._is_none()):
        for index in range(len(node)):
            yield from _nodes(node._get_node(index), f"{path}[{index}]")


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
        assert ("main", str(CONFIG_DIR)) in [(s.provider, s.path) for s in loader.get_sources()]
    search_path = create_config_search_path(str(CONFIG_DIR))
    GlobalHydra.instance().clear()
    try:
        hydra = with_sweep_loader(Hydra.create_main_hydra2("job", search_path))
        assert GlobalHydra.instance().config_loader() is hydra.config_loader
        assert isinstance(hydra.config_loader, SweepConfigLoader)
    finally:
        GlobalHydra.instance().clear()


def test_an_extra_search_path_composes_as_hydras_and_leaves_the_loader_as_it_was(
        tmp_path: Path) -> None:
    """``hydra.searchpath`` re-initialises one composition's sources, not the loader's."""
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "extra.yaml").write_text(
        "# @package _global_\nscenario: extra\nmodel:\n  silo:\n    level: 0.2\n")
    (tmp_path / "scenario" / "high_silo.yaml").write_text(  # shadows nothing: main comes first
        "# @package _global_\nscenario: high_silo\nmodel:\n  silo:\n    level: 0.1\n")
    hydra_loader, sweep_loader = loaders()
    sources = [(s.provider, s.path) for s in sweep_loader.get_sources()]
    extra = f"hydra.searchpath=[file://{tmp_path}]"
    for overrides in ([extra, "scenario=extra"], [extra, "scenario=high_silo"], [],
                      ["scenario=high_silo"], [extra, "scenario=extra", "seed=5"]):
        expected = hydra_loader.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)
        assert record(sweep_loader.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)) \
            == record(expected), overrides
    assert [(s.provider, s.path) for s in sweep_loader.get_sources()] == sources


@pytest.mark.parametrize("bad", [["scenario=nope"], ["nokey=1"], ["+seed=1"], ["~nokey"],
                                 ["org=large", "model.silo.nokey=1"]])
def test_bad_overrides_fail_as_in_hydra_and_spoil_nothing(bad: list[str]) -> None:
    hydra_loader, sweep_loader = loaders()
    sweep_loader.load_configuration(CONFIG_NAME, ["org=large"], RunMode.RUN)
    errors = []
    for loader in (hydra_loader, sweep_loader):
        with pytest.raises(Exception) as raised:
            loader.load_configuration(CONFIG_NAME, bad, RunMode.RUN)
        errors.append((type(raised.value), str(raised.value)))
    assert errors[1] == errors[0]
    expected = hydra_loader.load_configuration(CONFIG_NAME, ["org=large"], RunMode.RUN)
    assert record(sweep_loader.load_configuration(CONFIG_NAME, ["org=large"], RunMode.RUN)) \
        == record(expected)


def test_the_loader_reaches_a_launchers_workers_without_its_memories() -> None:
    """joblib and submitit pickle the loader with every job: it must not grow with a sweep."""
    hydra_loader, sweep_loader = loaders()
    fresh = len(pickle.dumps(sweep_loader))
    for overrides in JOBS:
        sweep_loader.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)
    shipped = pickle.dumps(sweep_loader)
    assert len(shipped) == fresh
    worker = pickle.loads(shipped)
    for overrides in JOBS[:3]:
        expected = hydra_loader.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)
        assert record(worker.load_configuration(CONFIG_NAME, overrides, RunMode.RUN)) \
            == record(expected)


def test_files_are_read_once_per_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    _, sweep_loader = loaders()
    reads: list[str] = []
    read = type(sweep_loader.repository).load_config
    monkeypatch.setattr(type(sweep_loader.repository), "load_config",
                        lambda repo, config_path: reads.append(config_path) or read(repo, config_path))
    sweep_loader.load_configuration(CONFIG_NAME, ["seed=1"], RunMode.RUN)
    first = len(reads)
    sweep_loader.load_configuration(CONFIG_NAME, ["seed=2"], RunMode.RUN)
    assert first > 0 and len(reads) == first


def test_a_snapshot_copies_keep_classes_by_reference_and_share_nothing() -> None:
    """A class its module's name no longer leads to (a plugin imported twice in a launcher
    worker) is kept as the config holds it, as a deep copy keeps it."""

    @dataclass
    class Launcher:  # defined in a function: pickle cannot find it by name
        n_jobs: int = 2
        backend: RunMode = RunMode.MULTIRUN

    cfg = OmegaConf.create({"launcher": OmegaConf.structured(Launcher), "jobs": [1, 2]})
    OmegaConf.set_struct(cfg, True)
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(cfg)
    snapshot = ConfigSnapshot(cfg)
    first, second = snapshot.copy(), snapshot.copy()
    assert record(first) == record(cfg)
    assert OmegaConf.get_type(first.launcher) is Launcher
    assert first.launcher._get_parent() is first and first.jobs._get_parent() is first
    assert first.launcher.backend is RunMode.MULTIRUN
    first.launcher.n_jobs = 7
    first.jobs.append(3)
    assert record(second) == record(cfg) == record(snapshot.copy())
