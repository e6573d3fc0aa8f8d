"""Check a ``silosim`` command line before anything runs, and turn it into a plan.

Everything a job would refuse is refused here first, with one line naming the key, the
value and what is allowed: unknown flags, experiments, scenarios or keys, values of the
wrong type or out of range, at every point of a sweep (the experiment's own
``hydra.sweeper.params``, design points and ablation arms included), Hydra settings and
instantiations outside the allowlist (``experiments.allowlist``), Hydra settings Hydra
or a launcher would reject, config files past the limits (``experiments.limits``),
sweeps too large to check, and an output directory that cannot be written. Whatever
Hydra refuses that no check can pin on one override is refused as the whole command
line, with Hydra's first line: never Hydra's own multi-line message or a traceback.
Every job is composed with Hydra's Compose API exactly as it will run. The plan pins
the output directory and, for a design, adds the ``block`` sweep, then hands the command
line to Hydra. Its record (``plan.json``) tells aggregation which jobs belong to the
sweep and stops a different sweep from being resumed into the same directory.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override, Sweep
from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments import job_files, sweep
from experiments.aggregate import PLAN_FORMAT
from experiments.allowlist import (
    ALLOWED,
    HYDRA_GROUPS,
    check_composed,
    check_hydra_override,
    check_settings,
    typed_value,
)
from experiments.comparisons import check_sweep, comparisons_from
from experiments.config_tree import (
    CONFIG_DIR,
    compose_config,
    compose_model,
    config_tree,
    group_options,
    scenario_about,
    scenario_names,
)
from experiments.design import Design
from experiments.limits import JOBS_MAX, check_config_files
from experiments.model_keys import MODEL_PREFIX, leaf
from experiments.point import design_of, resolve_job
from experiments.settings import RunSettings
from sim.errors import ConfigError

PROG = "silosim"
RESULTS_ROOT = Path("results")
LATEST = "latest"
#: bad points reported at most, one line each, before the check stops
ERRORS_SHOWN = 10
_DIRECTORY_KEYS = ("hydra.run.dir", "hydra.sweep.dir", "hydra.sweep.subdir")
_COMPOSE_ERRORS = (HydraException, OmegaConfBaseException)
#: what composing with a Hydra setting it cannot apply raises (an assertion, for some)
_HYDRA_ERRORS = (*_COMPOSE_ERRORS, AssertionError)
#: engine keys that name or describe a point: text, or null
_TEXT_KEYS = ("scenario", "title", "question", "reference")
#: engine keys that hold a block of settings: a mapping, or null
_BLOCK_KEYS = ("design", "ablation", "robustness")
_UNDELETABLE = "a value (engine keys may not be deleted)"
_ABSENT = object()


class _CommandParser(argparse.ArgumentParser):
    """Hydra's command-line flags as silosim takes them; a bad one is a ``ConfigError``."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError("command line", message, "silosim [-m] [key=value ...]; see --help")


def command_parser() -> argparse.ArgumentParser:
    """The flags of ``silosim``: Hydra's own (``hydra.main``), those silosim supports."""
    parser = _CommandParser(prog=PROG, add_help=False, allow_abbrev=False)
    parser.add_argument("overrides", nargs="*")
    parser.add_argument("--multirun", "-m", action="store_true")
    parser.add_argument("--run", "-r", action="store_true")
    for flag in ("--help", "-h"), ("--hydra-help",), ("--version",), ("--resolve",), (
            "--shell-completion", "-sc"):
        parser.add_argument(*flag, action="store_true")
    parser.add_argument("--cfg", "-c", choices=["job", "hydra", "all"])
    parser.add_argument("--package", "-p")
    parser.add_argument("--info", "-i", nargs="?", const="all",
                        choices=["all", "config", "defaults", "defaults-tree", "plugins",
                                 "searchpath"])
    for flag in ("--config-path", "-cp"), ("--config-name", "-cn"), ("--config-dir", "-cd"), (
            "--experimental-rerun",):
        parser.add_argument(*flag)
    return parser


@dataclass
class Plan:
    """A checked command line: where results go, which jobs run, what Hydra is given."""

    mode: str
    out: Path
    experiment: str
    reference: str | None
    design: dict[str, Any] | None
    sweep: dict[str, str]
    settings: dict[str, Any]
    report: bool
    jobs: list[list[str]]  # per job, the overrides that define its point (no hydra.*, out)
    hydra_argv: list[str]
    default_out: bool = field(default=False)  # out= not given: results/<name>/<time>
    robustness: dict[str, Any] | None = None  # the checked comparisons of a robustness sweep

    def record(self) -> dict[str, Any]:
        """The content of ``plan.json``."""
        return {"format": PLAN_FORMAT, "experiment": self.experiment, "mode": self.mode,
                "reference": self.reference, "design": self.design, "sweep": self.sweep,
                "settings": self.settings, "robustness": self.robustness, "jobs": self.jobs,
                "hydra_argv": self.hydra_argv,
                "model_code": job_files.model_code(), "planned": job_files.now()}

    def guard_resume(self) -> None:
        """Refuse to mix a different sweep, or other model code, into a directory's results."""
        path = self.out / job_files.PLAN
        if not path.exists():
            return
        previous = job_files.read_json(path)
        if not isinstance(previous, dict) or previous.get("format") != PLAN_FORMAT:
            raise ConfigError("out", str(self.out), f"a new directory: its {job_files.PLAN} comes "
                                                    "from another version of silosim")
        if (previous.get("mode"), previous.get("jobs")) != (self.mode, self.jobs):
            raise ConfigError("out", str(self.out),
                              f"a new directory: it holds a different {previous.get('mode')} "
                              f"(see its {job_files.PLAN}); resume only with the same command")
        if previous.get("model_code") != job_files.model_code():
            raise ConfigError("out", str(self.out),
                              "a new directory: its results come from other model code "
                              "(sim/ or scenarios/ changed since); resuming would mix them")

    def mark_latest(self) -> None:
        """Point ``results/latest`` at this directory (only for the default location)."""
        if not self.default_out:
            return
        link = RESULTS_ROOT / LATEST
        temporary = RESULTS_ROOT / f".{LATEST}.{os.getpid()}{job_files.TEMP_SUFFIX}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(self.out.relative_to(RESULTS_ROOT.absolute()))
        os.replace(temporary, link)


def parse_command(argv: Sequence[str]) -> argparse.Namespace:
    """The command line's flags and overrides; refuse flags silosim does not support."""
    args = command_parser().parse_args(list(argv))
    for flag, value in (("--config-path", args.config_path), ("--config-name", args.config_name),
                        ("--config-dir", args.config_dir)):
        if value is not None:
            raise ConfigError(flag, value, "not supported by silosim; add config folders with "
                                           "hydra.searchpath=[file:///abs/dir]")
    if args.experimental_rerun is not None:
        raise ConfigError("--experimental-rerun", args.experimental_rerun,
                          "not supported by silosim; run the same command again (it resumes)")
    if args.run and args.multirun:
        raise ConfigError("--run", "with --multirun", "one of them")
    if args.resolve and not (args.cfg or args.help):
        raise ConfigError("--resolve", "without --cfg", "only with --cfg or --help")
    return args


def answers_only(args: argparse.Namespace) -> bool:
    """True when Hydra should only answer (help, config, info): nothing runs."""
    return bool(args.help or args.hydra_help or args.version or args.cfg or args.info
                or args.shell_completion)


def make_plan(argv: Sequence[str]) -> Plan | None:
    """The plan for ``argv``, or None (checked too) when Hydra should only answer."""
    args = parse_command(argv)
    check_config_files(CONFIG_DIR)
    with config_tree():
        try:
            checks = _Checks(args.overrides)
            if answers_only(args):
                checks.base()
                return None
            return _plan(list(argv), args, checks)
        except _HYDRA_ERRORS as error:  # what no check could pin on one override
            line = next((ln.strip() for ln in str(error).splitlines() if ln.strip()), "")
            raise ConfigError("command line", _short(" ".join(args.overrides)),
                              f"overrides Hydra can apply (Hydra: {line})") from None


class _Checks:
    """The command line's overrides, parsed and checked, and the compositions they need."""

    def __init__(self, lines: list[str]) -> None:
        self.parser = OverridesParser.create(config_loader=GlobalHydra.instance().config_loader())
        self.given = _parse(self.parser, lines)
        self.hydra = [o for o in self.given if o.is_hydra_override()]
        self.task = [o for o in self.given if not o.is_hydra_override()]
        for override in self.hydra:
            _check_hydra_line(override)
        for override in self.task:
            _check_task_line(override)
        self.hydra_lines = [o.input_line for o in self.hydra]
        self.searchpath = any(o.key_or_group == "hydra.searchpath" for o in self.hydra)
        self.shipped = self._compose_shipped()
        self.primary = set(self.shipped)  # the primary config's keys, ``hydra`` among them
        self._check_against_tree()
        self._composed: dict[tuple[str, ...], DictConfig] = {}

    def _check_against_tree(self) -> None:
        """Refuse deleting an engine key, and ``+group=...`` for a group the tree has."""
        chosen = self.shipped.hydra.runtime.choices
        for override in self.task:
            key = override.key_or_group
            if override.is_delete() and key in self.primary:
                raise ConfigError(key, "deleted", _UNDELETABLE)
            if override.is_add() and not override.is_force_add() and key in chosen:
                raise ConfigError(f"+{key}", _shown(override),
                                  f"{key}={override.get_value_element_as_str()} without + (the "
                                  "group is in the defaults list already)")

    def _compose_shipped(self) -> DictConfig:
        """silosim's own tree with the command line's Hydra settings (its search path aside).

        A setting Hydra cannot apply (an unknown launcher key, a value of the wrong type)
        is refused here, naming the setting and what it may be.
        """
        lines = [o.input_line for o in self.hydra if o.key_or_group != "hydra.searchpath"]
        try:
            shipped = compose_config(lines, with_hydra=True)
        except _HYDRA_ERRORS:
            self._explain_hydra()
            raise
        self._check_launcher_additions()
        return shipped

    def _chosen_groups(self) -> tuple[list[str], DictConfig]:
        """The command line's Hydra group choices, and Hydra's config with only them."""
        groups = [o for o in self.hydra if o.key_or_group in HYDRA_GROUPS]
        for override in groups:
            installed = group_options(override.key_or_group)
            for value in _values(override):
                if value not in installed:
                    options = [o for o in HYDRA_GROUPS[override.key_or_group] if o in installed]
                    raise ConfigError(override.key_or_group, value,
                                      "one of the installed options: " + ", ".join(options))
        lines = [o.input_line for o in groups]
        return lines, compose_config(lines, with_hydra=True)

    def _explain_hydra(self) -> None:
        """Find the Hydra setting that made a composition fail and refuse it in one line."""
        groups, base = self._chosen_groups()
        for override in self.hydra:
            key = override.key_or_group
            if key in HYDRA_GROUPS or key == "hydra.searchpath":
                continue
            try:
                compose_config([*groups, override.input_line], with_hydra=True)
            except _HYDRA_ERRORS as error:
                raise ConfigError(key, _shown(override), _hydra_allowed(base, override, error)
                                  ) from None

    def _check_launcher_additions(self) -> None:
        """Refuse ``+hydra.launcher.KEY``: a launcher takes only its own options at the top."""
        added = [o for o in self.hydra if o.is_add()
                 and o.key_or_group.startswith("hydra.launcher.") and o.key_or_group.count(".") == 2]
        if not added:
            return
        _, base = self._chosen_groups()
        for override in added:
            if override.key_or_group.rsplit(".", 1)[1] not in base.hydra.launcher:
                raise ConfigError(override.key_or_group, _shown(override), _launcher_options(base))

    def base(self) -> DictConfig:
        """The config with every single-valued override applied: what every job starts from.

        Hydra settings and task keys never overlap, so composing the Hydra settings first
        changes nothing, and a single run's job is then this same composition.
        """
        fixed = [o.input_line for o in self.task if not o.is_sweep_override()]
        return self.compose([*self.hydra_lines, *fixed])

    def compose(self, lines: list[str]) -> DictConfig:
        """One composition (``hydra`` node included), checked; bad input named in one line."""
        key = tuple(lines)
        if key not in self._composed:
            self._composed[key] = self._checked(lines)
        return self._composed[key]

    def _checked(self, lines: list[str]) -> DictConfig:
        try:
            cfg = compose_config(lines, with_hydra=True)
        except _COMPOSE_ERRORS:
            self.explain(lines)
            raise
        check_composed(cfg, self.shipped)
        check_settings(cfg.hydra)
        _check_engine_types(cfg)
        for key in cfg:
            if key not in self.primary:
                raise ConfigError(str(key), _short(cfg[key]),
                                  "a known key: " + ", ".join(sorted(self.primary - {"hydra"})))
        for key in self.primary - set(cfg):
            raise ConfigError(key, "deleted", _UNDELETABLE)
        return cfg

    def explain(self, lines: list[str]) -> None:
        """Find the override that made a composition fail and refuse it in one line."""
        overrides = _parse(self.parser, lines)
        known = not self.searchpath  # a search path adds options only composition sees
        choosing = [o for o in overrides if _check_group_choice(o, known)]
        try:
            base = compose_config([*self.hydra_lines, *(o.input_line for o in choosing
                                                        if not o.is_sweep_override())])
        except _COMPOSE_ERRORS:
            return  # not one key's fault: make_plan refuses the command line as a whole
        for override in overrides:
            if override in choosing or override.is_hydra_override() or override.is_force_add():
                continue
            key = override.key_or_group
            if not override.is_add():
                _check_config_path(base, key, _shown(override))
            elif OmegaConf.select(base, key, default=None) is not None:
                raise ConfigError(f"+{key}", _shown(override),
                                  f"{key}={override.get_value_element_as_str()} without + "
                                  "(the key exists)")


def _plan(argv: list[str], args: argparse.Namespace, checks: _Checks) -> Plan:
    base = checks.base()
    multirun = args.multirun or base.hydra.mode == RunMode.MULTIRUN
    design = design_of(base)
    declared = {str(k): str(v) for k, v in (base.hydra.sweeper.params or {}).items()}
    blocks = [f"block=range(0,{len(design.blocks())})"] if design and multirun else []
    if multirun:
        lines = [f"{k}={v}" for k, v in declared.items()] + [o.input_line for o in checks.task]
        overrides = _parse(checks.parser, lines + blocks)
        size = sweep.count(overrides)
        if size > JOBS_MAX:
            raise ConfigError("sweep", f"{size:,} jobs",
                              f"at most {JOBS_MAX:,} jobs (each is checked before the first runs)")
        jobs = sweep.jobs(overrides)
    else:
        _refuse_sweeps(checks.given)
        overrides = checks.task
        jobs = [[o.input_line for o in checks.task]]
    labels = _check_jobs(checks, jobs)
    jobs = [[line for line in job if not _is_output_override(line)] for job in jobs]
    if base.reference is not None and base.reference not in labels:
        raise ConfigError("reference", base.reference,
                          "one of the sweep's scenarios: " + ", ".join(sorted(labels)))
    report, settings = _report_flag(base), RunSettings.from_config(base).to_dict()
    robustness = _robustness(base, design, labels)
    name = base.hydra.runtime.choices.get("experiment") or _name(overrides, multirun, base)
    out, default_out = _output_dir(base.out, name)
    return Plan(
        mode="sweep" if multirun else "run", out=out, experiment=name, reference=base.reference,
        design=design.to_dict() if design else None,
        sweep={**declared, **{o.key_or_group: o.get_value_string() for o in checks.given
                              if o.is_sweep_override()}},
        settings=settings, report=report, jobs=jobs,
        hydra_argv=[a for a in argv if not _is_output_override(a)]
        + [f"out={_quoted(out)}"] + blocks,
        default_out=default_out, robustness=robustness,
    )


def _robustness(base: DictConfig, design: Design | None, labels: set[str]
                ) -> dict[str, Any] | None:
    """A robustness sweep's comparisons, checked against the sweep's scenarios and design;
    the record names the swept scenario whose runs stand for a compared one it does not run."""
    if base.robustness is None:
        return None
    comparisons = comparisons_from(OmegaConf.to_container(base.robustness, resolve=True),
                                   scenario_names())
    runs_as = check_sweep(comparisons, design, RunSettings.from_config(base), labels,
                          lambda scenario: compose_model(scenario).flatten())
    return {"comparisons": {c.name: c.to_dict() for c in comparisons},
            "runs_as": {name: {"scenario": twin, "title": scenario_about(name)["title"]}
                        for name, twin in runs_as.items()}}


def _check_jobs(checks: _Checks, jobs: list[list[str]]) -> set[str]:
    """Compose and resolve every job exactly as it will run; return their scenario labels.

    Every bad job is reported (its first problem, one line each, up to ``ERRORS_SHOWN``).
    """
    labels: set[str] = set()
    errors: dict[str, ConfigError] = {}
    for job in jobs:
        try:
            cfg = checks.compose([*checks.hydra_lines, *job])
            RunSettings.from_config(cfg)
            labels.update(p.scenario for p in resolve_job(cfg, cfg.hydra.runtime.choices, job))
        except ConfigError as error:
            errors.setdefault(str(error), error)
            if len(errors) == ERRORS_SHOWN:
                break
    if errors:
        first, *others = errors.values()
        first.others = others  # type: ignore[attr-defined]
        raise first
    return labels


def _check_engine_types(cfg: DictConfig) -> None:
    """Refuse engine keys of the wrong kind: names and titles are text, blocks mappings."""
    for key in _TEXT_KEYS:
        if not isinstance(cfg.get(key), str | None):
            raise ConfigError(key, _short(cfg[key]), "a text (quote it if it looks like a "
                                                     "number or a list), or null")
    for key in _BLOCK_KEYS:
        if not isinstance(cfg.get(key), DictConfig | None):
            raise ConfigError(key, _short(cfg[key]), f"a mapping (a {key}: block, see "
                                                     "docs/experiments.md), or null")


def _check_hydra_line(override: Override) -> None:
    """Refuse a command-line Hydra setting outside the allowlist, swept, or naming a directory."""
    key = override.key_or_group
    if key in _DIRECTORY_KEYS:
        raise ConfigError(key, typed_value(override),
                          "left to silosim (it aggregates from jobs/N): choose the directory "
                          "with out=DIR")
    check_hydra_override(override)
    if override.is_sweep_override():
        raise ConfigError(key, typed_value(override),
                          "a single value (Hydra settings cannot be swept)")
    if key == "hydra.searchpath":
        _check_searchpath(override)


def _check_task_line(override: Override) -> None:
    """Refuse an unknown model key, several experiments, or a config group choice that is
    not a name (Hydra would fail on it inside its defaults list)."""
    key = override.key_or_group
    if key.startswith(MODEL_PREFIX):
        leaf(key, _shown(override))
    elif key == "experiment" and override.is_sweep_override():
        raise ConfigError("experiment", override.get_value_string(),
                          "one experiment per sweep (run each on its own)")
    options = group_options(key)
    for value in _values(override) if options and not override.is_delete() else ():
        if value is None or not isinstance(value, str | int | float):
            raise ConfigError(key, value, "one of " + ", ".join(options)
                              + (f" (~{key} leaves the group out)" if value is None else ""))


def _hydra_allowed(base: DictConfig, override: Override, error: Exception) -> str:
    """What a Hydra setting Hydra could not apply may be (``base``: Hydra's own config)."""
    key = override.key_or_group
    exists = OmegaConf.select(base, key, default=_ABSENT) is not _ABSENT
    if override.is_add() and exists:
        return f"{key}={override.get_value_element_as_str()} without + (the key exists)"
    if not exists and key.startswith("hydra.launcher."):
        return _launcher_options(base)
    if not exists and not override.is_add():
        return _unknown_key(base, key) or "a known key"
    if key in ALLOWED:
        return ALLOWED[key]
    cause = error.__cause__ or error
    line = next((ln.strip() for ln in str(cause).splitlines() if ln.strip()), type(cause).__name__)
    return f"a value of the type Hydra's config has there ({line})"


def _launcher_options(base: DictConfig) -> str:
    """The chosen launcher's options, as a refusal names them (``base``: Hydra's config)."""
    name = base.hydra.runtime.choices.get("hydra/launcher")
    options = [f"hydra.launcher.{k}" for k in base.hydra.launcher if k != "_target_"]
    if not options:
        return (f"an option of the chosen launcher ({name} has none: choose another with "
                "hydra/launcher=" + ",".join(HYDRA_GROUPS["hydra/launcher"][1:]) + ")")
    return f"one of the {name} launcher's options: " + ", ".join(options)


def _check_searchpath(override: Override) -> None:
    value = override.value()
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        path = Path(str(entry).removeprefix("file://"))
        if not str(entry).startswith("file://") or not path.is_absolute() or not path.is_dir():
            raise ConfigError("hydra.searchpath", entry,
                              "file:///absolute/path of an existing config folder")
        check_config_files(path)


def _refuse_sweeps(given: list[Override]) -> None:
    for override in given:
        if override.is_sweep_override():
            raise ConfigError(override.key_or_group, override.get_value_string(),
                              "a single value (add -m to sweep over several)")


def _report_flag(base: DictConfig) -> bool:
    if not isinstance(base.report, bool):
        raise ConfigError("report", base.report, "true or false")
    return base.report


def _parse(parser: OverridesParser, lines: list[str]) -> list[Override]:
    overrides = parser.parse_overrides(lines)
    for override in overrides:
        value = override.value()
        if isinstance(value, Sweep) and getattr(value, "shuffle", False):
            raise ConfigError(override.key_or_group, override.get_value_string(),
                              "a sweep without shuffle (job order must be reproducible)")
        if override.is_interval_sweep():
            raise ConfigError(override.key_or_group, override.get_value_string(),
                              "a list or range of values (intervals need another sweeper)")
    return overrides


def _shown(override: Override) -> Any:
    values = _values(override)
    return values[0] if len(values) == 1 else override.get_value_string()


def _values(override: Override) -> list[Any]:
    if override.is_discrete_sweep():
        return list(override.sweep_iterator())
    return [override.value()]


def _check_group_choice(override: Override, options_known: bool) -> bool:
    """Refuse an unknown option of a config group; True if the override picks a group option."""
    options = group_options(override.key_or_group)
    for value in _values(override) if options and options_known else ():
        if value is not None and str(value) not in options:
            raise ConfigError(override.key_or_group, value, "one of " + ", ".join(options))
    return bool(options)


def _check_config_path(base: DictConfig, key: str, value: Any) -> None:
    allowed = _unknown_key(base, key)
    if allowed:
        raise ConfigError(key, value, allowed)


def _unknown_key(base: DictConfig, key: str) -> str | None:
    """What ``key`` may be if ``base`` has no such key (the keys it has there), else None."""
    node: Any = base
    path = ""
    for part in key.split("."):
        known = list(node) if isinstance(node, DictConfig) else []
        if part not in known:
            return ("a known key: " + ", ".join(path + k for k in known) if known
                    else f"a known key ({path.rstrip('.')} has no sub-keys)")
        node = node[part]
        path += part + "."
    return None


def _name(overrides: Sequence[Override], multirun: bool, base: DictConfig) -> str:
    """A results folder's name: the swept keys (``silo.level-incentive``), else the scenario."""
    swept = [o.key_or_group.removeprefix(MODEL_PREFIX) for o in overrides
             if o.is_sweep_override() and o.key_or_group != "block"] if multirun else []
    return "-".join(swept) or str(base.scenario)


def _output_dir(configured: Any, name: str) -> tuple[Path, bool]:
    """The results directory (created, and proven writable), absolute; True if the default."""
    if configured is None:
        stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
        configured, default = str(RESULTS_ROOT / name / stamp), True
    else:
        default = False
    if isinstance(configured, bool) or not isinstance(configured, str | int | float) or not str(
            configured).strip():
        raise ConfigError("out", configured, "a directory path (or leave out= unset)")
    out = Path(str(configured)).expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise ConfigError("out", str(out), "a directory (this is a file)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise ConfigError("out", str(out),
                          f"a writable directory ({error.strerror or error})") from None
    return out, default


def _is_output_override(line: str) -> bool:
    return line.lstrip("+~").split("=", 1)[0] == "out"


def _quoted(path: Path) -> str:
    escaped = str(path).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _short(value: Any) -> Any:
    """A value as a one-line refusal shows it: a config node as text, long text clipped."""
    if isinstance(value, DictConfig | ListConfig):
        value = str(OmegaConf.to_container(value))
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "..."
    return value
