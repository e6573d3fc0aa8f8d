"""The dashboard's levers as edits to the CLI's own config files.

A live run is described by ``Settings``: a scenario file from ``configs/scenario/``, a few
edits of model parameters on top of it, and the CLI's base seed. Presets — the scenario
files, the ``org``, ``incentive``, ``leader`` and ``delivery`` groups and the five actions
(the files ``five_actions`` composes) — come from Hydra's composition of the config files
(``experiments.config_tree``), never restated or parsed here, and ``Settings.params`` is
what ``silosim`` composes for the same command line. So ``Settings.command()`` runs the
same parameters, and the live run is that command's replicate 0: seed
``replicate_seed(seed, 0)``, as under the default ``seeding=common``.
"""

from __future__ import annotations

import functools
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scenarios  # noqa: F401  (registers every policy, so the dropdowns can list them)
from analysis.words import capitalised, key_note, value_words
from experiments.config_tree import (
    CONFIG_DIR,
    compose_config,
    compose_model,
    config_tree,
    file_model,
    group_options,
    scenario_parts,
)
from experiments.model_keys import MODEL_PREFIX, leaf
from experiments.seeds import replicate_seed
from scenarios.registry import lookup, names
from sim.errors import ConfigError
from sim.params import PROFILES, SimParams, walk_leaves

SCENARIO = "scenario"
FIVE_ACTIONS = "five_actions"          # the scenario made of the five action files
#: the levers shown as a slider or a dropdown, by the dotted key typed on the command line
LEVERS = ("model.silo.level", "model.lead_handoff.policy", "model.account_handoff.policy")
#: the profile groups shown as a dropdown of their files (``configs/leader/`` …)
PROFILE_LEVERS = ("leader", "delivery")
_PLAIN_VALUE = re.compile(r"[\w.\-]+")
_SOURCE_TAG = re.compile(r"\s*\(\d{3}\b[^()]*\)")   # "(002)", "(001 action 4)": the ODD's sources


@dataclass(frozen=True)
class Preset:
    """One config file the dashboard offers: its name, title, question and model values."""

    name: str
    title: str
    question: str | None
    overrides: dict[str, Any]   # dotted model keys (``model.silo.level``) → value


def flat(tree: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``{"silo": {"level": 0.2}}`` → ``{prefix + "silo.level": 0.2}``; lists stay lists."""
    return dict(walk_leaves(tree, prefix))


@functools.cache
def presets(group: str) -> dict[str, Preset]:
    """The files of one config group, by name (composed once per process)."""
    return {name: _preset(group, name) for name in group_options(group)}


def _preset(group: str, name: str) -> Preset:
    """A file's title and question (scenario files carry them as keys) and its model values."""
    about = compose_config([f"{group}={name}"]) if group == SCENARIO else None
    return Preset(name=name, title=(about.title if about else None) or capitalised(value_words(name)),
                  question=about.question if about else None,
                  overrides=flat(file_model(group, name), MODEL_PREFIX))


def policy_help(key: str, name: str) -> str:
    """What a policy choice does: the first line of its class's docstring (else its
    module's), without the source tag the ODD cites (``(001 action 4)``)."""
    cls = lookup(leaf(key).meta["policy"], name, key)
    doc = (cls.__doc__ or sys.modules[cls.__module__].__doc__ or "").strip()
    return _SOURCE_TAG.sub("", doc.splitlines()[0]) if doc else ""


def lever_help(key: str) -> str:
    """What a lever's values mean, beyond its name, as the parameter schema says it
    (``0 aligned, 1 walled off``); empty when the name says it all."""
    return key_note(key)


@contextmanager
def scenarios_from(directory: Path) -> Iterator[Path]:
    """Open a config tree whose scenarios are silosim's plus the files in ``directory``.

    A user's own scenario files (``<name>.yaml``, written like those in
    ``configs/scenario/``: ``defaults:``, ``title:``, ``question:``, ``model:``) join
    silosim's in a temporary tree: every other group is silosim's own, linked, not copied.
    While the block is open every composition (``Settings``, the presets) uses that tree.
    A missing directory, one without YAML files, or a file named like one of silosim's
    is a ``ConfigError``.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError("--scenarios", str(directory), "a directory of scenario files")
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ConfigError("--scenarios", str(directory),
                          "a directory with at least one <name>.yaml scenario file")
    own = {p.name for p in (CONFIG_DIR / SCENARIO).glob("*.yaml")}
    clash = [p.name for p in files if p.name in own]
    if clash:
        raise ConfigError("--scenarios", str(directory / clash[0]),
                          f"a name silosim's own scenarios do not use ({clash[0]} is one of "
                          "configs/scenario/)")
    with tempfile.TemporaryDirectory(prefix="silosim-scenarios-") as temporary:
        root = Path(temporary)
        for entry in CONFIG_DIR.iterdir():
            if entry.name != SCENARIO:
                (root / entry.name).symlink_to(entry.resolve())
        (root / SCENARIO).mkdir()
        for path in [*(CONFIG_DIR / SCENARIO).glob("*.yaml"), *files]:
            (root / SCENARIO / path.name).symlink_to(path.resolve())
        forget_presets()
        try:
            with config_tree(root):
                yield root
        finally:
            forget_presets()


def forget_presets() -> None:
    """Drop what was composed from the config files (another tree is opening or closing)."""
    presets.cache_clear()
    actions.cache_clear()


def preset(group: str, name: str) -> Preset:
    """The named file of a config group; a ``ConfigError`` listing the files otherwise."""
    files = presets(group)
    if name not in files:
        raise ConfigError(group, name, "one of " + ", ".join(files))
    return files[name]


@functools.cache
def actions() -> list[Preset]:
    """The five key actions (001): the files ``five_actions`` composes, in its order."""
    return [preset(SCENARIO, name) for name in scenario_parts(FIVE_ACTIONS)]


def schema_defaults() -> dict[str, Any]:
    """Every model parameter's default, by dotted key."""
    return flat(SimParams().to_dict(), MODEL_PREFIX)


def options(key: str) -> list[str]:
    """The registered policy names a dropdown lever offers (``model.lead_handoff.policy``)."""
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
        for key, value in self.edits.items():
            leaf(key, value)
        return compose_model(self.scenario, self._edit_overrides())

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
        return [f"{SCENARIO}={self.scenario}", *self._edit_overrides(), f"seed={self.seed}"]

    def _edit_overrides(self) -> list[str]:
        """The edits as ``silosim`` overrides. An edit that switches a profile block to one of
        its group's files is that file's choice (``delivery=agile``), followed by only those
        edits the file and the scenario do not already give."""
        edits, choices = dict(self.edits), []
        for group in PROFILES:
            name = edits.get(f"{MODEL_PREFIX}{group}.name")
            if name in presets(group):
                choices.append(f"{group}={name}")
                given = flat(compose_model(self.scenario, choices).to_dict(), MODEL_PREFIX)
                edits = {k: v for k, v in edits.items() if given[k] != v}
        return choices + [f"{key}={cli_value(value)}" for key, value in sorted(edits.items())]

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
        """Apply a group's file (``org``, ``incentive``, ``leader`` …), as ``silosim org=<name>``
        would: its model values become edits."""
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
