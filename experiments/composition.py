"""How a sweep composes its jobs' configs: Hydra's composition, each part done once.

Hydra composes every job of a sweep from scratch (~0.07 s a job on the benchmark VM,
``docs/performance.md``): it deep-copies the config repository (with the ConfigStore
and its model schema), re-reads and re-parses every YAML file, rebuilds the defaults
tree and merges the files again, although the jobs of a sweep mostly differ in a few
plain values. ``SweepConfigLoader`` is Hydra's own loader with two memories, kept for
one command (one sweep):

- **files read once**: each config file is read and parsed the first time a composition
  needs it; a composition that merges it into a config gets its own deep copy, as fresh
  as a re-read (Hydra merges loaded files into the result without copying them);
- **each defaults list merged once**: the merge of the files a defaults list names
  depends on nothing else, so a repeated defaults list (the same config-group choices)
  gets a copy of the first merge, from a ``ConfigSnapshot`` of it (below). One
  snapshot is kept per distinct set of choices (~26 kB on this tree).

Everything else is Hydra's: parsing the overrides, the defaults tree, applying the job's
overrides, the ``hydra`` node (``overrides.task``, ``job.override_dirname``, ...). A job
config therefore equals Hydra's own composition (``tests/test_composition.py`` compares
them for every scenario, org, incentive and experiment). A sweep runs each config file's
contents as it first read them, however long it runs; which files exist is still asked
of the disk. A launcher that pickles the loader to its workers (joblib, submitit) sends
it without its memories: a worker remembers what it composed itself.
"""

from __future__ import annotations

import copy
import io
import pickle
from typing import IO, Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.config_repository import CachingConfigRepository, IConfigRepository
from hydra._internal.hydra import Hydra
from hydra.core.config_loader import ConfigLoader
from hydra.core.config_search_path import ConfigSearchPath
from hydra.core.default_element import ResultDefault
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.plugins.config_source import ConfigResult
from omegaconf import DictConfig

#: the (provider, path) of each source a repository reads
Sources = tuple[tuple[str, str], ...]


class ConfigSnapshot:
    """A root config kept pickled, so that every copy of it is made by unpickling.

    OmegaConf's deep copy walks a config node by node in Python (~4.6 ms for a job's
    config on the benchmark VM); unpickling rebuilds the same values, nodes, flags and
    metadata in ~0.6 ms. (OmegaConf's pickling writes a container's annotation as
    ``typing.Dict[...]``/``typing.List[...]``, which is how Hydra's configs declare them.)
    Classes (a structured config's type, an enum's) are kept by reference, as a deep copy
    keeps them, not looked up by name: Hydra's plugin discovery runs a plugin's module
    again even when it is already imported, and the class a config holds is then no
    longer the one the module's name leads to.
    """

    def __init__(self, cfg: DictConfig) -> None:
        self._classes: list[type] = []
        buffer = io.BytesIO()
        _ClassesByReference(buffer, self._classes).dump(cfg)
        self._pickled = buffer.getvalue()

    def copy(self) -> DictConfig:
        """A new config equal to the snapshot's, sharing nothing with it."""
        unpickler = pickle.Unpickler(io.BytesIO(self._pickled))
        unpickler.persistent_load = self._classes.__getitem__
        return unpickler.load()


class _ClassesByReference(pickle.Pickler):
    """Pickles each class as its index in ``classes`` instead of its module and name."""

    def __init__(self, file: IO[bytes], classes: list[type]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._classes = classes
        self._index: dict[int, int] = {}

    def persistent_id(self, obj: Any) -> int | None:
        if not isinstance(obj, type):
            return None
        if id(obj) not in self._index:
            self._index[id(obj)] = len(self._classes)
            self._classes.append(obj)
        return self._index[id(obj)]


def sources_of(reader: IConfigRepository | ConfigLoader) -> Sources:
    """Which sources a repository or loader reads (``hydra.searchpath`` can add to them)."""
    return tuple((source.provider, source.path) for source in reader.get_sources())


class ReadOnceRepository(CachingConfigRepository):
    """One composition's repository, reading files from the loader's memory.

    Building the defaults tree only reads the files (their headers and defaults lists),
    so it gets the remembered ones; merging them into a config re-parents their nodes
    (Hydra merges without copying), so while ``merging`` it gets deep copies, as fresh
    as a re-read. Hydra's ``CachingConfigRepository`` also deep-copies the whole
    repository (with the ConfigStore) for every composition, in case ``hydra.searchpath``
    re-initialises its sources; this one copies it only when that happens, and shallowly:
    re-initialising replaces the list of sources, it does not change them.
    """

    def __init__(self, delegate: IConfigRepository,
                 loaded: dict[tuple[Sources, str], ConfigResult | None]) -> None:
        self.delegate = delegate
        self.cache: dict[str, ConfigResult | None] = {}
        self.loaded = loaded
        self.merging = False

    def initialize_sources(self, config_search_path: ConfigSearchPath) -> None:
        self.delegate = copy.copy(self.delegate)
        super().initialize_sources(config_search_path)

    def load_config(self, config_path: str) -> ConfigResult | None:
        if config_path not in self.cache:
            key = (sources_of(self.delegate), config_path)
            if key not in self.loaded:
                self.loaded[key] = self.delegate.load_config(config_path=config_path)
            self.cache[config_path] = self.loaded[key]
        result = self.cache[config_path]
        return copy.deepcopy(result) if self.merging else result


class SweepConfigLoader(ConfigLoaderImpl):
    """Hydra's config loader that reads each file and merges each defaults list once."""

    def __init__(self, config_search_path: ConfigSearchPath) -> None:
        super().__init__(config_search_path=config_search_path)
        self._loaded: dict[tuple[Sources, str], ConfigResult | None] = {}
        self._merged: dict[tuple[Sources, tuple[Any, ...]], ConfigSnapshot] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (to a launcher's workers) without its memories, which can be large."""
        return {**self.__dict__, "_loaded": {}, "_merged": {}}

    def _parse_overrides_and_create_caching_repo(
        self, config_name: str | None, overrides: list[str]
    ) -> tuple[list[Override], CachingConfigRepository]:
        parsed = OverridesParser.create().parse_overrides(overrides=overrides)
        repo = ReadOnceRepository(self.repository, self._loaded)
        self._process_config_searchpath(config_name, parsed, repo)
        return parsed, repo

    def _compose_config_from_defaults_list(
        self, defaults: list[ResultDefault], repo: IConfigRepository
    ) -> DictConfig:
        assert isinstance(repo, ReadOnceRepository)
        # what Hydra's merge reads of each default (``_load_single_config``)
        key = (sources_of(repo), tuple((d.config_path, d.package, d.parent, d.is_self, d.primary)
                                     for d in defaults))
        if key not in self._merged:
            repo.merging = True
            self._merged[key] = ConfigSnapshot(
                super()._compose_config_from_defaults_list(defaults, repo))
        return self._merged[key].copy()


def with_sweep_loader(hydra: Hydra, loader: SweepConfigLoader | None = None) -> Hydra:
    """``hydra`` composing through ``loader``, or a new ``SweepConfigLoader`` on its search path.

    ``silosim`` hands the same loader to its checks and to Hydra's launch, so the
    compositions that checked the command line serve its jobs.
    """
    if loader is None:
        loader = SweepConfigLoader(hydra.config_loader.get_search_path())
    hydra.config_loader = loader
    return hydra
