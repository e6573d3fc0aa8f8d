"""How a job replicates its point: base seed, seeding mode, replication count or precision.

These are the engine's own top-level config keys (``configs/config.yaml``). They
are checked here, up front, with the same one-line ``ConfigError`` as model
parameters, and recorded in each job's completion marker so a resumed sweep can
tell a finished point from one finished under different settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from omegaconf import DictConfig

from experiments.limits import REPLICATIONS_MAX, SEED_MAX
from sim.errors import ConfigError

SEEDING_MODES = ("common", "independent")


@dataclass(frozen=True)
class RunSettings:
    """Replication settings of one job."""

    seed: int
    seeding: Literal["common", "independent"]
    replications: int | Literal["auto"]
    precision: float
    replications_batch: int
    replications_max: int

    @property
    def auto(self) -> bool:
        """True when replications are added in batches until ``precision`` is reached."""
        return self.replications == "auto"

    @classmethod
    def from_config(cls, cfg: DictConfig) -> RunSettings:
        """Read and check the engine keys of a composed config."""
        replications = cfg.replications
        if replications != "auto":
            replications = _whole("replications", replications, 1, REPLICATIONS_MAX, "or auto")
        seeding = cfg.seeding
        if seeding not in SEEDING_MODES:
            raise ConfigError("seeding", seeding, "one of " + ", ".join(SEEDING_MODES))
        precision = cfg.precision
        if isinstance(precision, bool) or not isinstance(precision, int | float) or not (
            0 < precision < 0.5
        ):
            raise ConfigError("precision", precision, "a number between 0 and 0.5 (exclusive)")
        batch = _whole("replications_batch", cfg.replications_batch, 1, REPLICATIONS_MAX)
        cap = _whole("replications_max", cfg.replications_max, batch, REPLICATIONS_MAX,
                     f"(at least replications_batch={batch})")
        return cls(seed=_whole("seed", cfg.seed, 0, SEED_MAX), seeding=seeding,
                   replications=replications,
                   precision=float(precision), replications_batch=batch, replications_max=cap)

    def to_dict(self) -> dict[str, Any]:
        """Plain form, recorded in completion markers and ``sweep.json``."""
        return asdict(self)


def _whole(key: str, value: Any, low: int, high: int, extra: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(key, value, f"a whole number from {low} to {high} {extra}".rstrip())
    return value
