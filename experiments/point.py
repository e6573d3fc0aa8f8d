"""Scenario points: a job's composed config turned into validated parameters and labels.

A job runs one point, or a design's block of points. The same function resolves them in
the job that runs them and in the up-front check of the whole sweep, so anything a job
would refuse is refused before the first job starts. Each point is named for people as
well as for machines: ``title`` is its scenario's title, ``point`` that title with the
job's overrides spelled out in the words of ``analysis.words`` ("Typical company, silo level
0.9", "Typical company, 20 sales reps"), the words the report and the dashboard use too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from analysis.words import NAME_PARTS, action_words, setting_words
from experiments.ablation import Ablation
from experiments.config_tree import compose_config
from experiments.design import Design
from experiments.model_keys import MODEL_PREFIX, set_value
from experiments.seeds import point_id
from sim.errors import ConfigError
from sim.params import PROFILES, SimParams

#: config groups whose choice is a point's identity in other ways (not a ``runs`` column)
_NOT_COLUMNS = ("model", "scenario", "experiment")


@dataclass(frozen=True)
class ScenarioPoint:
    """Everything that identifies one point of a sweep."""

    scenario: str
    params: SimParams
    title: str | None = None
    label: str | None = None
    point_index: int | None = None
    choices: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def point_id(self) -> str:
        """Stable hash of the flattened parameters (the same point always gets the same id)."""
        return point_id(self.params.flatten())

    def columns(self) -> dict[str, Any]:
        """The point's identity as ``runs`` columns, ahead of the flattened parameters."""
        return {"scenario": self.scenario, "title": self.title, "point": self.label,
                "point_id": self.point_id, "point_index": self.point_index, **self.choices,
                **self.extra}


def resolve_job(cfg: DictConfig, choices: Mapping[str, str | None],
                overrides: Sequence[str] = ()) -> list[ScenarioPoint]:
    """The points a job runs: its config's own point, or its design block's points."""
    design = design_of(cfg)
    block = cfg.block
    if design is None:
        if block is not None:
            raise ConfigError("block", block, "null unless the config has a design")
        return [resolve_point(cfg, choices, overrides)]
    blocks = design.blocks()
    if isinstance(block, bool) or not isinstance(block, int) or not 0 <= block < len(blocks):
        raise ConfigError("block", block,
                          f"a whole number from 0 to {len(blocks) - 1} (run designs with -m)")
    words = _spelled_out(overrides, choices)
    return [_resolve(cfg, choices, words, design, index) for index in blocks[block]]


def resolve_point(cfg: DictConfig, choices: Mapping[str, str | None],
                  overrides: Sequence[str] = ()) -> ScenarioPoint:
    """The one point of a config without a design, validated (``overrides``: the job's)."""
    return _resolve(cfg, choices, _spelled_out(overrides, choices), None, None)


def _resolve(cfg: DictConfig, choices: Mapping[str, str | None], words: list[str],
             design: Design | None, point_index: int | None) -> ScenarioPoint:
    """Apply the design point and ablation action, then validate the model parameters."""
    model = OmegaConf.to_container(cfg.model, resolve=True)
    scenario = str(cfg.scenario)
    title = cfg.title if cfg.title is not None else scenario
    extra: dict[str, Any] = {}
    words = list(words)
    if design is not None:
        for key, value in design_points(design)[point_index].items():
            set_value(model, key, value)
        words.append(f"design point {point_index}")
    if cfg.ablation is not None:
        ablation = Ablation.from_dict(OmegaConf.to_container(cfg.ablation, resolve=True))
        scenario = ablation.apply(scenario, model, _scenario_model)
        extra["ablation.action"] = ablation.action
        if scenario != cfg.scenario:
            sign = "+" if scenario.endswith(f"+{ablation.action}") else "−"
            title = f"{title} {sign} {action_words(ablation.action)}"
    params = _params(model)
    return ScenarioPoint(
        scenario=scenario, params=params, title=title,
        label=NAME_PARTS.join([title, *words]), point_index=point_index,
        choices=_choice_columns(choices, params), extra=extra,
    )


def _choice_columns(choices: Mapping[str, str | None], params: SimParams) -> dict[str, str]:
    """The config group choices recorded as ``runs`` columns; a profile group (``leader``) is
    the name its block ends up with, chosen or not, so an ablation or design that replaces the
    block's values is recorded as what ran."""
    columns = {g: str(c) for g, c in choices.items()
               if not g.startswith("hydra/") and g not in (*_NOT_COLUMNS, *PROFILES)
               and c is not None}
    return columns | {group: getattr(params, group).name for group in PROFILES}


def _spelled_out(overrides: Sequence[str], choices: Mapping[str, str | None]) -> list[str]:
    """A job's model values and group choices in words: ``silo level 0.9``,
    ``organisation: small``."""
    return [setting_words(override.key_or_group, override.value())
            for override in OverridesParser.create().parse_overrides(list(overrides))
            if override.key_or_group.startswith(MODEL_PREFIX)
            or (override.key_or_group in choices and override.key_or_group not in _NOT_COLUMNS)]


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


def _scenario_model(scenario: str) -> dict[str, Any]:
    return OmegaConf.to_container(compose_config([f"scenario={scenario}"]).model, resolve=True)
