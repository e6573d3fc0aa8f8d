"""A scenario point: the composed config turned into validated parameters and labels.

The same function resolves a point in the job that runs it and in the up-front
validation of the whole sweep, so anything a job would refuse is refused before
the first job starts.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from omegaconf import DictConfig, OmegaConf

from experiments.ablation import Ablation
from experiments.config_tree import compose_config
from experiments.design import Design
from experiments.model_keys import MODEL_PREFIX, set_value
from experiments.seeds import point_id
from sim.errors import ConfigError
from sim.params import SimParams

#: config groups whose choice is a point's identity in other ways (not a ``runs`` column)
_NOT_COLUMNS = ("model", "scenario", "experiment")


@dataclass(frozen=True)
class ScenarioPoint:
    """Everything that identifies one point of a sweep."""

    scenario: str
    params: SimParams
    point_index: int | None = None
    choices: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def point_id(self) -> str:
        """Stable hash of the flattened parameters (the same point always gets the same id)."""
        return point_id(self.params.flatten())

    def columns(self) -> dict[str, Any]:
        """The point's identity as ``runs`` columns, ahead of the flattened parameters."""
        return {"scenario": self.scenario, "point_id": self.point_id,
                "point_index": self.point_index, **self.choices, **self.extra}


def resolve_point(cfg: DictConfig, choices: Mapping[str, str | None]) -> ScenarioPoint:
    """Apply the design point and ablation action, then validate the model parameters."""
    model = OmegaConf.to_container(cfg.model, resolve=True)
    scenario = str(cfg.scenario)
    point_index = cfg.point_index
    extra: dict[str, Any] = {}
    design = design_of(cfg)
    if design is not None:
        _apply_design(design, model, point_index)
    elif point_index is not None:
        raise ConfigError("point_index", point_index, "null unless the config has a design")
    if cfg.ablation is not None:
        ablation = Ablation.from_dict(OmegaConf.to_container(cfg.ablation, resolve=True))
        scenario = ablation.apply(scenario, model, _scenario_model)
        extra["ablation.action"] = ablation.action
    return ScenarioPoint(
        scenario=scenario, params=_params(model), point_index=point_index,
        choices={g: str(c) for g, c in choices.items()
                 if not g.startswith("hydra/") and g not in _NOT_COLUMNS and c is not None},
        extra=extra,
    )


def _params(model: dict[str, Any]) -> SimParams:
    """Validated parameters; errors name the key as typed on the command line."""
    try:
        return SimParams.from_dict(model)
    except ConfigError as error:
        raise ConfigError(MODEL_PREFIX + error.key, error.value, error.allowed) from None


def design_of(cfg: DictConfig) -> Design | None:
    """The config's design, checked, or None."""
    if cfg.design is None:
        return None
    return Design.from_dict(OmegaConf.to_container(cfg.design, resolve=True))


@functools.cache
def design_points(design: Design) -> list[dict[str, float | int]]:
    """The design's points, drawn once per process (validation resolves every point)."""
    return design.points()


def _apply_design(design: Design, model: dict[str, Any], point_index: Any) -> None:
    points = design_points(design)
    if isinstance(point_index, bool) or not isinstance(point_index, int) or not (
        0 <= point_index < len(points)
    ):
        raise ConfigError("point_index", point_index,
                          f"a whole number from 0 to {len(points) - 1} (run designs with -m)")
    for key, value in points[point_index].items():
        set_value(model, key, value)


def _scenario_model(scenario: str) -> dict[str, Any]:
    return OmegaConf.to_container(compose_config([f"scenario={scenario}"]).model, resolve=True)
