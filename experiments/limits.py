"""The engine's limits: what it refuses up front rather than hang on or crash after hours.

Each is a named constant here, checked before anything runs and documented in
docs/reliability.md. Config files are checked before Hydra reads them: a file larger
than ``YAML_BYTES`` or with more than ``YAML_ALIASES`` aliases (a "billion laughs" file
expands exponentially when merged) is refused by name.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from sim.errors import ConfigError

#: seeds are stored as 64-bit signed integers in the results (``base_seed``, ``seed``);
#: a design's own ``design.seed`` has the same range
SEED_MAX = 2**63 - 1
#: replications per point (``replications``, ``replications_max``)
REPLICATIONS_MAX = 100_000
#: jobs in one sweep: each is composed and checked before the first runs (~0.1 s each)
JOBS_MAX = 5_000
#: points of one design (all its blocks)
DESIGN_POINTS_MAX = 200_000
#: worker processes of one launcher (``hydra.launcher.n_jobs``): each is an interpreter of
#: its own, and joblib's default ``pre_dispatch="2*n_jobs"`` fails past 500,000
WORKERS_MAX = 1024
#: one config file, and the aliases in it
YAML_BYTES = 1_000_000
YAML_ALIASES = 100


def check_config_files(directory: Path) -> None:
    """Refuse a YAML file under ``directory`` that is too large or expands too much."""
    for path in sorted(directory.rglob("*.yaml")) + sorted(directory.rglob("*.yml")):
        stat = path.stat()
        _check_file(path, stat.st_size, stat.st_mtime_ns)


@functools.cache
def _check_file(path: Path, size: int, _modified: int) -> None:
    if size > YAML_BYTES:
        raise ConfigError("config file", str(path), f"a YAML file of at most {YAML_BYTES:,} bytes")
    aliases = 0
    try:
        with open(path, encoding="utf-8") as handle:
            for event in yaml.parse(handle, Loader=yaml.SafeLoader):
                aliases += isinstance(event, yaml.AliasEvent)
                if aliases > YAML_ALIASES:
                    raise ConfigError("config file", str(path),
                                      f"a YAML file with at most {YAML_ALIASES} aliases")
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = str(error).strip().splitlines()[0]
        raise ConfigError("config file", str(path), f"valid YAML ({line})") from None
