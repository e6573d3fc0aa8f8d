"""Load and check a results directory: the one door from the engine's files into analysis.

A results directory is what a sweep (or a single run) leaves behind:

- ``runs.parquet`` — one row per replication: ids, label, parameters, KPIs (required);
- ``timeseries.parquet`` — weekly metrics per run, joined by ``run_id`` (optional, large);
- ``sweep.json`` — experiment name, swept keys, reference, design, settings, failed points;
- ``config.yaml`` (a single run) or ``jobs/*/config.yaml`` (a sweep) — resolved configs.

``load_results`` reads and checks them once and gives every scenario point a name in
words, so the statistics, the figures and the report all speak of the same points. The
engine's own ``point`` column (``Typical company, silo level 0.9``) is that name when
runs.parquet has it; older results get one built the same way from the scenario's human
title (the ``title`` column, else the ``title:`` key of the job configs, else the
scenario's name) and the values that vary within it, in the words of ``analysis.words``;
in designs with many varying keys a point is numbered (``Typical company #17``). Settings
every point of a sweep shares (``20 sales reps`` when the whole sweep ran with
``model.org.n_reps=20``) are said once, as the sweep's ``common`` settings, and left out
of the names.

It also settles whether the runs are **paired**: under ``seeding: common`` (the engine's
default) replicate *r* has the same seed at every point, so the runs of two points are
matched pairs and the statistics use paired tests (``analysis.stats``). Any problem with
the files is a ``ResultsError`` whose one-line message names the file or column and what
was expected, so the command line can print it without a traceback.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml

from analysis.words import NAME_PARTS, setting_words
from sim.errors import ConfigError

RUNS_FILE = "runs.parquet"
TIMESERIES_FILE = "timeseries.parquet"
SWEEP_FILE = "sweep.json"
CONFIG_FILE = "config.yaml"

LABELS = ("success", "stalled", "low_adoption", "not_sustained")
REQUIRED_RUN_COLUMNS = ("run_id", "scenario", "point_id", "label", "success")
IDENTITY_COLUMNS = ("run_id", "scenario", "point_id", "point_index")
SWEEP_DEFINITION = ("experiment", "reference", "sweep", "design", "settings")
TOP_LEVEL_PARAMETERS = ("horizon_weeks", "baseline_weeks")
SEGMENTS = ("enthusiast", "reluctant", "avoider")
POINT = "point"
FULL_NAME = "full_point"   # the point's name before the settings every point shares came out
TITLE = "title"
JOBS_DIR = "jobs"
COMMON, INDEPENDENT = "common", "independent"
WEEKLY_BATCH_ROWS = 250_000
MAX_NAMED_KEYS = 3  # more varying keys than this: points are numbered, not spelled out


class ResultsError(ConfigError):
    """A results directory, file or column that cannot be analysed, and what was expected."""

    def __init__(self, where: Path | str, expected: str) -> None:
        ValueError.__init__(self, f"{where}: {expected}")
        self.key, self.value, self.allowed = str(where), None, expected


@dataclass(frozen=True)
class SweepResults:
    """A checked results directory: runs with named points, and what the sweep varied.

    ``runs`` carries an ordered categorical ``point`` column (the human-readable
    point name), so ``groupby("point")`` lists points in sweep order. ``points``
    has one row per point: name, ``point_id``, scenario, its ``title``, the swept
    values and ``n`` replications. ``seeding`` is ``common`` when replicate *r*
    shares its seed across points (paired runs), ``independent`` otherwise.
    ``questions`` maps a scenario to the question its file asks (when recorded).
    ``common`` lists, in words, the settings every point shares that the point names leave
    out (``20 sales reps``). ``notes`` collects what the reader of a report should know about the data
    (fallbacks taken, missing files, failed points).
    """

    directory: Path
    runs: pd.DataFrame
    points: pd.DataFrame
    swept: list[str]
    factors: list[str]
    reference: str
    experiment: str | None
    design: dict[str, Any] | None
    failed_points: list[Any]
    config_text: str | None
    config_source: str | None
    seeding: str = INDEPENDENT
    reference_by_default: bool = False
    questions: dict[str, str] = field(default_factory=dict)
    common: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        """True when replicate *r* ran with one seed at every point (common random numbers)."""
        return self.seeding == COMMON

    def title_of(self, point: str) -> str:
        """The human title of a point's scenario (``Typical company``)."""
        return str(self.points.set_index(POINT).loc[point, TITLE])

    @property
    def point_names(self) -> list[str]:
        """Point names in sweep order."""
        return list(self.points[POINT])

    @property
    def is_factorial(self) -> bool:
        """True when the points form a full grid over two or more factors."""
        if len(self.factors) < 2:
            return False
        levels = [self.points[f].nunique(dropna=False) for f in self.factors]
        combos = len(self.points[self.factors].drop_duplicates())
        return combos == len(self.points) == math.prod(levels)

    def timeseries_path(self) -> Path:
        """Where this directory's weekly series are (the file may be absent)."""
        return self.directory / TIMESERIES_FILE


def load_runs(directory: Path | str) -> pd.DataFrame:
    """Read and check ``runs.parquet``: required columns, known labels, unique runs.

    Raises ``ResultsError`` for a missing directory or file, an unreadable
    Parquet file, zero rows, missing columns, unknown labels, a ``success``
    column that disagrees with ``label``, or duplicated ``run_id`` values
    (duplicates would silently double-count replications).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ResultsError(directory, "no such directory (expected a sweep or run output dir)")
    path = directory / RUNS_FILE
    if not path.is_file():
        raise ResultsError(
            directory, f"no {RUNS_FILE} here (expected the output directory of a sweep or run)"
        )
    runs = _read_parquet(path)
    _check_runs(runs, path)
    runs["success"] = runs["success"].astype(bool)
    return runs


def load_timeseries(directory: Path | str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read ``timeseries.parquet``, only ``run_id``, ``week`` and the requested columns.

    Reading only the needed columns keeps memory proportional to what the
    question uses; for per-point weekly summaries of a large sweep use
    ``weekly_summary``, which also reads in batches.
    """
    path = Path(directory) / TIMESERIES_FILE
    wanted = _timeseries_columns(path, columns)
    try:
        return pq.read_table(path, columns=wanted).to_pandas()
    except (OSError, ValueError) as exc:
        raise ResultsError(path, f"cannot be read as Parquet ({_one_line(exc)})") from exc


def load_results(directory: Path | str, reference: str | None = None) -> SweepResults:
    """Load a results directory, name its points and settle the reference point.

    ``reference`` may be a point name, a ``point_id`` or a scenario name; when it
    is not given, ``sweep.json``'s reference is used, else the single
    ``baseline`` point, else the first point. An explicit reference that matches
    nothing is a ``ResultsError`` listing the point names.
    """
    directory = Path(directory)
    runs = load_runs(directory)
    sweep = _read_sweep(directory / SWEEP_FILE)
    notes: list[str] = []
    swept = _swept_keys(runs, sweep.get("swept"), notes)
    about = _scenario_configs(directory)
    points, common = _point_table(runs, swept, {name: c.get(TITLE) for name, c in about.items()})
    runs[POINT] = pd.Categorical(
        runs["point_id"].map(dict(zip(points["point_id"], points[POINT], strict=True))),
        categories=list(points[POINT]),
        ordered=True,
    )
    runs[TITLE] = runs["point_id"].map(dict(zip(points["point_id"], points[TITLE], strict=True)))
    chosen = _reference(points, reference, sweep.get("reference"), notes)
    by_default = reference is None and sweep.get("reference") is None and len(points) > 1
    if by_default:
        notes.append(f"no reference was named, so {chosen!r} is the reference "
                     "(choose another with silosim-report --reference)")
    failed = list(sweep.get("failed_points") or [])
    notes += _data_notes(directory, failed)
    config_text, config_source = _configuration(directory, sweep)
    return SweepResults(
        directory=directory,
        runs=runs,
        points=points,
        swept=swept,
        factors=_factors(points, swept),
        reference=chosen,
        experiment=sweep.get("experiment"),
        design=sweep.get("design"),
        failed_points=failed,
        config_text=config_text,
        config_source=config_source,
        seeding=_seeding(runs, sweep),
        reference_by_default=by_default,
        questions={name: str(c["question"]) for name, c in about.items() if c.get("question")},
        common=common,
        notes=notes,
    )


def _reference(
    points: pd.DataFrame, wanted: str | None, declared: str | None, notes: list[str]
) -> str:
    """The explicit reference (which must match), else the sweep's or a default one."""
    if wanted is None:
        return _default_reference(points, declared, notes)
    chosen = _match_reference(points, wanted, notes)
    if chosen is None:
        raise ResultsError(f"--reference {wanted!r}",
                           "matches no point (expected a point name, point_id or scenario: "
                           + "; ".join(points[POINT]) + ")")
    return chosen


def _data_notes(directory: Path, failed: list[Any]) -> list[str]:
    """What a reader must know about the data: failed points, missing series."""
    notes = []
    if failed:
        notes.append(f"{len(failed)} point(s) failed during the sweep and are not analysed: "
                     + "; ".join(map(_failure_text, failed)))
    if not (directory / TIMESERIES_FILE).is_file():
        notes.append(f"no {TIMESERIES_FILE}: figures over time are left out")
    return notes


def _scenario_configs(directory: Path) -> dict[str, dict[str, Any]]:
    """Per scenario, the ``title`` and ``question`` its resolved job config records.

    A single run keeps its config at the top (``config.yaml``), a sweep in each job
    (``jobs/<n>/config.yaml``); only the top-level ``scenario``, ``title`` and
    ``question`` keys are read. Unreadable files are skipped: titles are a courtesy, and
    the scenario's name stands in for a missing one.
    """
    paths = [directory / CONFIG_FILE, *sorted((directory / JOBS_DIR).glob(f"*/{CONFIG_FILE}"))]
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        config = _top_keys(path)
        name = config.get("scenario")
        if isinstance(name, str) and name not in found:
            found[name] = {k: config[k] for k in (TITLE, "question")
                           if isinstance(config.get(k), str) and config[k].strip()}
    return found


def _top_keys(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _seeding(runs: pd.DataFrame, sweep: dict[str, Any]) -> str:
    """``common`` when the runs are matched pairs across points, else ``independent``.

    The sweep's own ``settings.seeding`` decides when it is recorded, and the seeds must
    agree with it (replicate *r* has one seed at every point); without a record the
    seeds alone decide. A single point has nothing to pair.
    """
    declared = (sweep.get("settings") or {}).get("seeding")
    if declared == INDEPENDENT or not _shared_seeds(runs):
        return INDEPENDENT
    return COMMON


def _failure_text(failure: Any) -> str:
    if isinstance(failure, dict):
        return f"{failure.get('job', '?')} ({failure.get('error', 'no error recorded')})"
    return str(failure)


def weekly_summary(
    results: SweepResults, metrics: list[str], batch_rows: int = WEEKLY_BATCH_ROWS
) -> pd.DataFrame:
    """Per point and week: mean, SD, count and a 95% normal interval of the mean of each metric.

    The series are read in batches of ``batch_rows`` rows and reduced to sums and
    sums of squares per (point, week), so memory stays bounded by the number of
    points × weeks however many replications the sweep has. The interval is
    mean ± 1.96·SD/√n across replications (a normal approximation that is
    adequate for the tens of replications a sweep has per point). Returns a long
    table: ``point``, ``week``, ``metric``, ``mean``, ``sd``, ``n``, ``low``, ``high``.
    """
    path = results.timeseries_path()
    wanted = _timeseries_columns(path, metrics)
    point_of = results.runs.set_index("run_id")[POINT]
    parts = []
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=wanted):
            frame = batch.to_pandas()
            frame[POINT] = frame["run_id"].map(point_of)
            parts.append(_partial_sums(frame.dropna(subset=[POINT]), metrics))
    except (OSError, ValueError) as exc:
        raise ResultsError(path, f"cannot be read as Parquet ({_one_line(exc)})") from exc
    if not parts:
        raise ResultsError(path, "has no rows (expected weekly rows per run)")
    sums = pd.concat(parts).groupby([POINT, "week", "metric"], observed=True).sum()
    return _moments(sums).reset_index()


def _partial_sums(frame: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    long = frame.melt(id_vars=[POINT, "week"], value_vars=metrics, var_name="metric")
    long = long.dropna(subset=["value"])
    long["square"] = long["value"] ** 2
    grouped = long.groupby([POINT, "week", "metric"], observed=True)
    return grouped.agg(n=("value", "size"), total=("value", "sum"), squares=("square", "sum"))


def _moments(sums: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=sums.index)
    out["n"] = sums["n"]
    out["mean"] = sums["total"] / sums["n"]
    variance = (sums["squares"] - sums["n"] * out["mean"] ** 2) / (sums["n"] - 1)
    out["sd"] = np.sqrt(variance.clip(lower=0.0))
    half = 1.96 * out["sd"] / np.sqrt(out["n"])
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, ValueError) as exc:
        raise ResultsError(path, f"cannot be read as Parquet ({_one_line(exc)})") from exc


def _check_runs(runs: pd.DataFrame, path: Path) -> None:
    missing = [c for c in REQUIRED_RUN_COLUMNS if c not in runs.columns]
    if missing:
        raise ResultsError(path, f"missing column(s) {', '.join(missing)} "
                                 f"(expected at least {', '.join(REQUIRED_RUN_COLUMNS)})")
    if runs.empty:
        raise ResultsError(path, "has no rows (expected one row per replication)")
    unknown = sorted(set(runs["label"].astype(str)) - set(LABELS))
    if unknown:
        raise ResultsError(path, f"column label has value(s) {', '.join(unknown)} "
                                 f"(expected one of {', '.join(LABELS)})")
    disagree = int((runs["success"].astype(bool) != (runs["label"] == "success")).sum())
    if disagree:
        raise ResultsError(path, f"column success disagrees with label in {disagree} row(s) "
                                 "(expected success == (label == 'success'))")
    duplicated = runs["run_id"].duplicated()
    if duplicated.any():
        raise ResultsError(path, f"column run_id repeats {runs['run_id'][duplicated].iloc[0]!r} "
                                 "(expected one row per replication)")


def _read_sweep(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        sweep = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(path, f"is not valid JSON ({_one_line(exc)})") from exc
    if not isinstance(sweep, dict):
        raise ResultsError(path, "expected a JSON object with experiment, swept and reference")
    return sweep


def _configuration(directory: Path, sweep: dict[str, Any]) -> tuple[str | None, str | None]:
    """The resolved ``config.yaml`` if present, else the sweep's definition from ``sweep.json``."""
    config = directory / CONFIG_FILE
    if config.is_file():
        return config.read_text(encoding="utf-8"), CONFIG_FILE
    definition = {key: sweep[key] for key in SWEEP_DEFINITION if sweep.get(key) is not None}
    if definition:
        return json.dumps(definition, indent=2, default=str), f"{SWEEP_FILE}: sweep definition"
    return None, None


def timeseries_has(results: SweepResults, column: str) -> bool:
    """Whether the results' weekly series exist and carry ``column`` (older results may not)."""
    path = results.timeseries_path()
    try:
        return path.is_file() and column in pq.read_schema(path).names
    except (OSError, ValueError):
        return False


def _timeseries_columns(path: Path, columns: list[str] | None) -> list[str] | None:
    if not path.is_file():
        raise ResultsError(path, "not found (expected the weekly series of the runs)")
    if columns is None:
        return None
    try:
        present = set(pq.read_schema(path).names)
    except (OSError, ValueError) as exc:
        raise ResultsError(path, f"cannot be read as Parquet ({_one_line(exc)})") from exc
    wanted = list(dict.fromkeys(["run_id", "week", *columns]))
    missing = [c for c in wanted if c not in present]
    if missing:
        raise ResultsError(path, f"missing column(s) {', '.join(missing)}")
    return wanted


def parameter_columns(runs: pd.DataFrame) -> list[str]:
    """The flattened model parameters: dotted names plus the top-level horizon settings."""
    return [c for c in runs.columns if "." in c or c in TOP_LEVEL_PARAMETERS]


def _swept_keys(runs: pd.DataFrame, declared: list[str] | None, notes: list[str]) -> list[str]:
    if declared is None:
        return [c for c in parameter_columns(runs) if runs[c].nunique(dropna=False) > 1]
    declared = [k for k in declared if k not in IDENTITY_COLUMNS]
    absent = [k for k in declared if k not in runs.columns]
    if absent:
        notes.append(f"swept key(s) not in {RUNS_FILE}, ignored: {', '.join(absent)}")
    return [k for k in declared if k in runs.columns]


def _point_table(runs: pd.DataFrame, swept: list[str], config_titles: dict[str, str | None]
                 ) -> tuple[pd.DataFrame, list[str]]:
    """One row per point, named; and the settings every point's name shared (left out)."""
    order = "point_index" if "point_index" in runs.columns else None
    firsts = runs.reset_index(names="_row").groupby("point_id", sort=False).first()
    firsts["n"] = runs.groupby("point_id", sort=False).size()
    firsts = firsts.sort_values([order, "_row"] if order else "_row").reset_index()
    points = firsts[["point_id", "scenario", *swept, "n"]].copy()
    points.insert(2, TITLE, [_title(row, config_titles) for _, row in firsts.iterrows()])
    if _usable_labels(firsts):
        full = [str(label) for label in firsts[POINT]]
    else:
        full = _built_names(points, firsts, swept, order)
    names, common = without_common(full, list(points[TITLE]))
    clashes = pd.Series(names).duplicated(keep=False)
    points.insert(0, POINT, [f"{name} [{pid[:8]}]" if clash else name
                             for name, pid, clash in zip(names, points["point_id"], clashes,
                                                         strict=True)])
    points.insert(1, FULL_NAME, full)
    return points, common


def without_common(names: list[str], titles: list[str]) -> tuple[list[str], list[str]]:
    """Point names without the settings all of them share, and those settings in order.

    A name is its title and then one part per setting (``Typical company, 20 sales reps,
    silo level 0.9``); a part every name has is common. A lone point keeps its name, and
    so does any name that does not start with its title (nothing is claimed common then).
    """
    parts = [_parts(name, title) for name, title in zip(names, titles, strict=True)]
    if len(names) < 2 or any(p is None for p in parts):
        return list(names), []
    common = [part for part in parts[0] if all(part in p for p in parts[1:])]
    shortened = [NAME_PARTS.join([title, *(part for part in p if part not in common)])
                 for title, p in zip(titles, parts, strict=True)]
    return shortened, common


def _parts(name: str, title: str) -> list[str] | None:
    if name == title:
        return []
    if not name.startswith(title + NAME_PARTS):
        return None
    return name.removeprefix(title + NAME_PARTS).split(NAME_PARTS)


def _title(row: pd.Series, config_titles: dict[str, str | None]) -> str:
    """The scenario's human title: the runs column, else its job config's, else its name."""
    title = row.get(TITLE)
    if isinstance(title, str) and title.strip():
        return title.strip()
    return config_titles.get(str(row["scenario"])) or str(row["scenario"])


def _usable_labels(firsts: pd.DataFrame) -> bool:
    """The engine's ``point`` labels can name the points: present, filled, one per point."""
    if POINT not in firsts.columns:
        return False
    labels = firsts[POINT]
    return bool(labels.notna().all() and (labels.astype(str).str.strip() != "").all())


def _built_names(points: pd.DataFrame, firsts: pd.DataFrame, swept: list[str],
                 order: str | None) -> list[str]:
    """Names for results without the engine's labels: the title and the values that vary."""
    named_by = _varying_within_scenario(points, swept)
    if len(named_by) > MAX_NAMED_KEYS:  # a design: values would make unreadable names
        numbers = firsts["point_index"] if order else pd.Series(range(len(points)))
        return [f"{title} #{number}" for title, number in
                zip(points[TITLE], numbers.fillna(-1).astype(int), strict=True)]
    return [_point_name(row, named_by) for _, row in points.iterrows()]


def _point_name(row: pd.Series, keys: list[str]) -> str:
    """``Typical company, silo level 0.9, what marketing is paid on: closed revenue``."""
    return NAME_PARTS.join([str(row[TITLE]), *(setting_words(k, row[k]) for k in keys)])


def _varying_within_scenario(points: pd.DataFrame, swept: list[str]) -> list[str]:
    """Swept keys that the scenario alone does not determine."""
    return [k for k in swept if points.groupby("scenario")[k].nunique(dropna=False).max() > 1]


def _factors(points: pd.DataFrame, swept: list[str]) -> list[str]:
    """Columns that distinguish points: scenario (if several) and keys varying within one."""
    within = _varying_within_scenario(points, swept)
    return (["scenario"] if points["scenario"].nunique() > 1 else []) + within


def _match_reference(points: pd.DataFrame, wanted: str, notes: list[str]) -> str | None:
    for column in (POINT, FULL_NAME, "point_id", "scenario"):
        hits = points.loc[points[column].astype(str) == wanted, POINT]
        if len(hits) > 1:
            notes.append(f"reference {wanted!r} matches {len(hits)} points; using the first, "
                         f"{hits.iloc[0]!r} (choose another with --reference)")
        if len(hits):
            return str(hits.iloc[0])
    return None


def _default_reference(points: pd.DataFrame, declared: str | None, notes: list[str]) -> str:
    if declared is not None:
        chosen = _match_reference(points, declared, notes)
        if chosen is not None:
            return chosen
        notes.append(f"sweep reference {declared!r} matches no point; falling back")
    baselines = points.loc[points["scenario"] == "baseline", POINT]
    if len(baselines) == 1:
        return str(baselines.iloc[0])
    return str(points[POINT].iloc[0])


def _shared_seeds(runs: pd.DataFrame) -> bool:
    """Replicate *r* has one seed at every point that ran it, and some replicate is shared."""
    if not {"seed", "replicate"} <= set(runs.columns) or runs["point_id"].nunique() < 2:
        return False
    by_replicate = runs.groupby("replicate")
    return bool((by_replicate["seed"].nunique() == 1).all()
                and (by_replicate["point_id"].nunique() > 1).any())


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
