"""The dashboard's levers as edits to the CLI's own config files.

A live run is described by ``Settings``: a scenario file from ``configs/scenario/``, a few
edits of model parameters on top of it, and the CLI's base seed. Presets — the scenario
files, the ``org`` and ``incentive`` groups and the five ``action_*`` scenarios — are read
from the config files, never restated here, and ``Settings.params`` composes them as
Hydra does for ``silosim``: schema defaults ← the default group files of
``configs/config.yaml`` ← the scenario file ← the edits. So ``Settings.command()`` is a
command line that runs the same parameters, and the live run is that command's replicate
0: seed ``replicate_seed(seed, 0)``, as under the default ``seeding=common``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import scenarios  # noqa: F401  (registers every policy, so the dropdowns can list them)
from experiments.config_tree import CONFIG_DIR, CONFIG_NAME
from experiments.model_keys import MODEL_PREFIX, leaf, set_value
from experiments.seeds import replicate_seed
from scenarios.registry import names
from sim.errors import ConfigError
from sim.params import SimParams, walk_leaves

SCENARIO = "scenario"
PRESET_GROUPS = ("org", "incentive")   # config groups whose files set one part of ``model``
ACTION_PREFIX = "action_"
GLOBAL_PACKAGE = "_global_"
#: the levers shown as a slider or a dropdown, by the dotted key typed on the command line
LEVERS = ("model.silo.level", "model.lead_handoff.policy", "model.account_handoff.policy",
          "model.programme.leader", "model.programme.delivery")
_PACKAGE_LINE = re.compile(r"#\s*@package\s+(\S+)")
_ACTION_NUMBER = re.compile(r"Action (\d+)")
_PLAIN_VALUE = re.compile(r"[\w.\-]+")
_QUESTION = re.compile(r"Question: (.*?\?)")


@dataclass(frozen=True)
class Preset:
    """One config file the dashboard offers: its name, its comment text and its overrides."""

    name: str
    description: str
    overrides: dict[str, Any]   # dotted model keys (``model.silo.level``) → value

    @property
    def question(self) -> str:
        """The question a scenario file answers (its ``# Question:`` line), else its description."""
        match = _QUESTION.search(self.description)
        return match.group(1) if match else self.description

    @property
    def title(self) -> str:
        """The name as words: ``action_boundary_spanner`` → ``boundary spanner``."""
        return self.name.removeprefix(ACTION_PREFIX).replace("_", " ")


def flat(tree: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``{"silo": {"level": 0.2}}`` → ``{prefix + "silo.level": 0.2}``; lists stay lists."""
    return dict(walk_leaves(tree, prefix))


@functools.cache
def presets(group: str) -> dict[str, Preset]:
    """The files of one config group, by name (read once per process)."""
    return {path.stem: _read_preset(path) for path in sorted((CONFIG_DIR / group).glob("*.yaml"))}


def _read_preset(path: Path) -> Preset:
    text = path.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    package = next((m.group(1) for m in map(_PACKAGE_LINE.match, comments) if m), GLOBAL_PACKAGE)
    data = yaml.safe_load(text) or {}
    if package == GLOBAL_PACKAGE:
        overrides = flat(data.get("model") or {}, MODEL_PREFIX)
    else:
        overrides = flat(data, package + ".")
    about = [line.lstrip("# ").strip() for line in comments if not _PACKAGE_LINE.match(line)]
    return Preset(path.stem, " ".join(about), overrides)


def preset(group: str, name: str) -> Preset:
    """The named file of a config group; a ``ConfigError`` listing the files otherwise."""
    files = presets(group)
    if name not in files:
        raise ConfigError(group, name, "one of " + ", ".join(files))
    return files[name]


@functools.cache
def actions() -> list[Preset]:
    """The five key actions (001), in the order their files number them (``Action 1 …``)."""
    found = [p for n, p in presets(SCENARIO).items() if n.startswith(ACTION_PREFIX)]
    return sorted(found, key=lambda p: int(m.group(1)) if (m := _ACTION_NUMBER.search(
        p.description)) else len(found))


@functools.cache
def group_defaults() -> dict[str, Any]:
    """What the default group files of ``configs/config.yaml`` set (``org: default``)."""
    config = yaml.safe_load((CONFIG_DIR / f"{CONFIG_NAME}.yaml").read_text(encoding="utf-8"))
    chosen = {g: n for entry in config["defaults"] if isinstance(entry, dict)
              for g, n in entry.items() if g in PRESET_GROUPS and n is not None}
    return {k: v for g, n in chosen.items() for k, v in preset(g, n).overrides.items()}


def schema_defaults() -> dict[str, Any]:
    """Every model parameter's default, by dotted key."""
    return flat(SimParams().to_dict(), MODEL_PREFIX)


def options(key: str) -> list[str]:
    """The registered policy names a dropdown lever offers (``model.programme.leader``)."""
    return names(leaf(key).meta["policy"])


def cli_value(value: Any) -> str:
    """A value as Hydra's override grammar reads it: ``true``, ``0.3``, ``[rotation]``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ",".join(map(cli_value, value)) + "]"
    text = str(value)
    return text if _PLAIN_VALUE.fullmatch(text) else repr(text)


@dataclass(frozen=True)
class Settings:
    """A live run: a scenario file, edits of model parameters on top of it, the CLI base seed.

    Every ``Settings`` composes to valid parameters: construction refuses a bad scenario,
    key, value or seed with a ``ConfigError``, so a control can never leave the dashboard
    with a run it cannot start. ``edits`` holds only values that differ from the scenario's.
    """

    scenario: str = "baseline"
    edits: dict[str, Any] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self) -> None:
        preset(SCENARIO, self.scenario)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError("seed", self.seed, "a whole number from 0")
        _ = self.params

    @functools.cached_property
    def params(self) -> SimParams:
        """The parameters, composed as ``silosim`` composes them for the same command line."""
        tree = SimParams().to_dict()
        for key, value in {**group_defaults(), **preset(SCENARIO, self.scenario).overrides,
                           **self.edits}.items():
            leaf(key, value)
            set_value(tree, key, value)
        try:
            return SimParams.from_dict(tree)
        except ConfigError as error:
            raise ConfigError(MODEL_PREFIX + error.key, error.value, error.allowed) from None

    @functools.cached_property
    def values(self) -> dict[str, Any]:
        """Every parameter of the run, by dotted key."""
        return flat(self.params.to_dict(), MODEL_PREFIX)

    @property
    def run_seed(self) -> int:
        """The model's seed: replicate 0 of ``silosim seed=<seed>`` (``seeding=common``)."""
        return replicate_seed(self.seed, 0)

    def overrides(self) -> list[str]:
        """The ``silosim`` overrides that compose the same parameters and seed."""
        edits = [f"{key}={cli_value(value)}" for key, value in sorted(self.edits.items())]
        return [f"{SCENARIO}={self.scenario}", *edits, f"seed={self.seed}"]

    def command(self) -> str:
        """The command line whose replicate 0 is this run."""
        return " ".join(["silosim", *self.overrides(), "replications=1"])

    # ------------------------------------------------------------ what the controls do

    def with_scenario(self, name: str) -> Settings:
        """Load a scenario file afresh: its own values, no edits, the same seed."""
        return Settings(name, {}, self.seed)

    def with_seed(self, seed: int) -> Settings:
        return Settings(self.scenario, self.edits, seed)

    def with_values(self, changes: dict[str, Any]) -> Settings:
        """Set parameters; an edit equal to the scenario's own value is dropped."""
        scenario = Settings(self.scenario, {}, self.seed).values
        merged = {**self.edits, **changes}
        return Settings(self.scenario, {k: v for k, v in merged.items() if scenario.get(k) != v},
                        self.seed)

    def with_preset(self, group: str, name: str) -> Settings:
        """Apply an ``org`` or ``incentive`` file, as ``silosim org=<name>`` would."""
        return self.with_values(preset(group, name).overrides)

    def with_action(self, name: str, on: bool) -> Settings:
        """Switch one of the five actions on (its file's values) or off (the schema defaults)."""
        overrides = preset(SCENARIO, name).overrides
        defaults = schema_defaults()
        return self.with_values(overrides if on else {k: defaults[k] for k in overrides})

    # ------------------------------------------------------------ what the controls show

    def matches(self, overrides: dict[str, Any]) -> bool:
        """True when the run has every value of ``overrides``."""
        values = self.values
        return all(values[k] == v for k, v in overrides.items())

    def preset_choice(self, group: str) -> str | None:
        """The first file of ``group`` whose values the run has, or None (a custom mix)."""
        return next((n for n, p in presets(group).items() if self.matches(p.overrides)), None)

    def action_on(self, name: str) -> bool:
        return self.matches(preset(SCENARIO, name).overrides)
