"""Configs are data: what a config may instantiate, and which Hydra settings it may change.

Hydra instantiates a few things from the composed config: its launcher and sweeper
(``_target_``), callbacks (``hydra.callbacks.*._target_``) and logging handlers
(``class``, ``()`` factories in ``hydra.job_logging``). A config file on a search path
or an override could point any of them at any Python callable, so before anything runs:

- **overrides** of Hydra settings are limited to ``HYDRA_GROUPS`` (with the options
  listed there) and the keys under ``HYDRA_KEYS``; anything else under ``hydra`` is
  refused;
- **the composed config** of every job may hold ``_target_`` only at
  ``hydra.launcher`` and ``hydra.sweeper``, naming one of ``TARGETS`` (the Hydra
  plugins silosim ships with), and no ``()`` or ``class`` outside Hydra's logging;
- **config files** may not change the security-relevant parts of ``hydra``
  (``GUARDED``: launcher, logging, callbacks, environment, output directories): they
  must equal what silosim's own tree composes for the same command-line Hydra settings,
  so a file on ``hydra.searchpath`` cannot swap a launcher preset for its own;
- **values** of the Hydra settings that the sweeper, a launcher or Hydra's logging
  would only reject once the sweep has started (batch size, worker counts, resources,
  ``hydra.verbose``) are checked against ``ALLOWED`` on every job's composition.

silosim's models instantiate nothing from config: policies are names looked up in the
project's own registry (``scenarios.registry``). docs/reliability.md lists all of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, ListConfig, OmegaConf

from experiments.limits import WORKERS_MAX
from sim.errors import ConfigError

#: Hydra config groups a command line may choose, and the options it may choose
HYDRA_GROUPS = {
    "hydra/launcher": ("basic", "joblib", "submitit_local", "submitit_slurm", "slurm", "ray",
                       "ray_cluster"),
    "hydra/sweeper": ("basic",),
    "hydra/job_logging": ("default", "disabled", "none"),
    "hydra/hydra_logging": ("default", "disabled", "none"),
}
#: Hydra keys a command line may set: these, or anything below the ones ending in ``.``
HYDRA_KEYS = ("hydra.launcher.", "hydra.sweeper.max_batch_size", "hydra.mode", "hydra.verbose",
              "hydra.searchpath")
#: what ``_target_`` may name: the stock launchers and sweeper (tests pin each option's)
TARGETS = frozenset({
    "hydra._internal.core_plugins.basic_launcher.BasicLauncher",
    "hydra._internal.core_plugins.basic_sweeper.BasicSweeper",
    "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
    "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher",
    "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher",
    "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher",
})
#: parts of ``hydra`` that config files may not change (command-line settings may)
GUARDED = ("launcher", "sweeper._target_", "sweeper.max_batch_size", "callbacks",
           "job_logging", "hydra_logging", "job.env_set", "job.env_copy", "job.chdir", "run",
           "sweep", "output_subdir")
_INSTANTIATING = ("_target_", "()", "class")
_SETTINGS = ", ".join([*HYDRA_GROUPS, *(k + ("*" if k.endswith(".") else "") for k in HYDRA_KEYS)])


def check_hydra_override(override: Override) -> None:
    """Refuse a command-line override of a Hydra setting silosim does not allow."""
    key = override.key_or_group
    if key in HYDRA_GROUPS:
        options = HYDRA_GROUPS[key]
        for value in _values(override):
            if value not in options:
                raise ConfigError(key, value, "one of " + ", ".join(options))
        return
    if key.startswith("hydra.sweeper.params."):
        raise ConfigError(key, typed_value(override),
                          f"{key.removeprefix('hydra.sweeper.params.')}=A,B with -m (the command "
                          "line's values replace an experiment's own list for the same key)")
    if any(key == k or (k.endswith(".") and key.startswith(k)) for k in HYDRA_KEYS):
        if key.rsplit(".", 1)[-1] in _INSTANTIATING:
            raise ConfigError(key, typed_value(override),
                              "left as shipped (silosim instantiates only its own plugins)")
        return
    raise ConfigError(key, typed_value(override),
                      f"one of the Hydra settings silosim allows: {_SETTINGS}")


def typed_value(override: Override) -> str:
    """An override's value as typed, ``deleted`` for a ``~key`` without one."""
    return "deleted" if override.value_type is None else override.get_value_string()


def _values(override: Override) -> list[Any]:
    if override.is_discrete_sweep():
        return list(override.sweep_iterator())
    return [override.value()]


def check_composed(cfg: DictConfig, shipped: DictConfig) -> None:
    """Refuse a composed config that would instantiate anything silosim does not ship.

    ``shipped`` is silosim's own tree composed with the same command-line Hydra settings
    and nothing else: every ``GUARDED`` part of ``cfg.hydra`` must equal it.
    """
    for path, key, value in _instantiating(OmegaConf.to_container(cfg, resolve=False), ""):
        if not _allowed(path, key, value):
            raise ConfigError(path + key, value,
                              "nothing to instantiate here (silosim instantiates only its own "
                              "launcher and sweeper plugins)")
    for part in GUARDED:
        found, expected = _part(cfg.hydra, part), _part(shipped.hydra, part)
        if found != expected:
            raise ConfigError(f"hydra.{part}", _short(found),
                              "as shipped: config files may not change Hydra's launcher, "
                              "logging, callbacks, environment or output directories (set "
                              "launcher options on the command line)")


def _allowed(path: str, key: str, value: Any) -> bool:
    if key == "_target_":
        return path in ("hydra.launcher.", "hydra.sweeper.") and value in TARGETS
    if key == "class":
        return (path.startswith(("hydra.job_logging.handlers.", "hydra.hydra_logging.handlers."))
                and value in ("logging.StreamHandler", "logging.FileHandler"))
    return False


def _instantiating(node: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _INSTANTIATING:
                yield path, str(key), value
            yield from _instantiating(value, f"{path}{key}.")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _instantiating(value, f"{path}{index}.")


def _part(node: DictConfig, dotted: str) -> Any:
    value = OmegaConf.select(node, dotted, default=None, throw_on_resolution_failure=False)
    if isinstance(value, DictConfig | ListConfig):
        return OmegaConf.to_container(value, resolve=False)
    return value


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


#: launcher options that count something and must be a whole number of at least 1 (if set)
_COUNTS = ("timeout_min", "cpus_per_task", "gpus_per_node", "tasks_per_node", "nodes",
           "array_parallelism")
#: what each checked Hydra setting may be, as a refusal names it
ALLOWED = {
    "hydra.mode": "RUN or MULTIRUN",
    "hydra.verbose": "true, false, a logger name or a list of logger names",
    "hydra.sweeper.max_batch_size": "a whole number of at least 1, or null (all jobs at once)",
    "hydra.launcher.n_jobs": f"a whole number of worker processes from 1 to {WORKERS_MAX}, "
                             "or -1 for one per core",
    "hydra.launcher.mem_gb": "a number of GB above 0",
    **{f"hydra.launcher.{key}": "a whole number of at least 1" for key in _COUNTS},
}


def check_settings(hydra: DictConfig) -> None:
    """Refuse Hydra settings the sweeper, launcher or logging would reject once the sweep runs."""
    batch = hydra.sweeper.get("max_batch_size")
    if batch is not None and not _whole(batch, 1):
        _refuse("hydra.sweeper.max_batch_size", batch)
    verbose = hydra.verbose
    if isinstance(verbose, ListConfig):
        verbose = OmegaConf.to_container(verbose)
    if not (isinstance(verbose, bool | str)
            or (isinstance(verbose, list) and all(isinstance(name, str) for name in verbose))):
        _refuse("hydra.verbose", verbose)
    for key, value in OmegaConf.to_container(hydra.launcher, resolve=False).items():
        name = f"hydra.launcher.{key}"
        if key == "n_jobs" and not (_whole(value, -1, -1) or _whole(value, 1, WORKERS_MAX)):
            _refuse(name, value)
        if key in _COUNTS and value is not None and not _whole(value, 1):
            _refuse(name, value)
        if key == "mem_gb" and value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            _refuse(name, value)


def _whole(value: Any, low: int, high: float = float("inf")) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _refuse(key: str, value: Any) -> NoReturn:
    raise ConfigError(key, value, ALLOWED[key])
