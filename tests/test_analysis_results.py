"""Loading a results directory: point names, the reference, the design, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import synthetic
from analysis.results import (
    ResultsError,
    load_results,
    load_runs,
    load_timeseries,
    weekly_summary,
)
from analysis.synthetic import SyntheticPoint
from sim.errors import ConfigError


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    return synthetic.write_results(tmp_path_factory.mktemp("comparison"),
                                   synthetic.scenario_comparison(0.2, 0.5), 20, weeks=20)


@pytest.fixture(scope="module")
def factorial(tmp_path_factory) -> Path:
    return synthetic.write_results(tmp_path_factory.mktemp("factorial"),
                                   synthetic.silo_incentive_factorial(), 20, weeks=20,
                                   design={"method": "grid"})


def test_scenario_comparison_names_points_by_scenario(comparison):
    results = load_results(comparison)
    assert results.point_names == ["baseline", "five_actions"]
    assert results.reference == "baseline"
    assert results.factors == ["scenario"]
    assert not results.is_factorial
    assert results.runs.groupby("point", observed=True).size().tolist() == [20, 20]
    assert results.experiment == "synthetic"
    assert "replications: 20" in results.config_text


def test_factorial_points_are_named_by_the_swept_values_and_recognised_as_a_grid(factorial):
    results = load_results(factorial)
    assert results.swept == ["silo.level", "incentives.marketing_pay"]
    assert results.point_names[0] == (
        "baseline | silo.level=0.2 | incentives.marketing_pay=lead_volume")
    assert results.is_factorial
    # several baseline points: the first is the reference, and the reader is told
    assert results.reference == results.point_names[0]
    assert any("matches 4 points" in note for note in results.notes)


def test_design_points_with_many_varying_keys_are_numbered(tmp_path):
    points = [SyntheticPoint("baseline", 0.2, {"silo.level": 0.1 * i, "org.n_reps": 50 + i,
                                               "programme.kpis": bool(i % 2),
                                               "incentives.rep_pay": f"scheme{i}"})
              for i in range(3)]
    results = load_results(synthetic.write_results(tmp_path, points, 2, weeks=4))
    assert results.point_names == ["baseline #0", "baseline #1", "baseline #2"]
    assert results.points.set_index("point").loc["baseline #2", "org.n_reps"] == 52


def test_an_incomplete_grid_is_not_factorial(tmp_path):
    points = synthetic.silo_incentive_factorial()[:3]
    results = load_results(synthetic.write_results(tmp_path, points, 4, weeks=4))
    assert results.factors == ["silo.level", "incentives.marketing_pay"]
    assert not results.is_factorial


@pytest.mark.parametrize("wanted", ["five_actions", "by_id"])
def test_an_explicit_reference_may_be_a_name_or_a_point_id(comparison, wanted):
    if wanted == "by_id":
        wanted = load_results(comparison).points.set_index("point").loc["five_actions",
                                                                          "point_id"]
    assert load_results(comparison, reference=wanted).reference == "five_actions"


def test_an_unknown_reference_lists_the_points(comparison):
    with pytest.raises(ResultsError, match=r"--reference 'nope'.*baseline; five_actions"):
        load_results(comparison, reference="nope")


def test_without_sweep_json_swept_keys_are_inferred_and_baseline_is_the_reference(tmp_path):
    points = [SyntheticPoint("five_actions", 0.4, synthetic.FIVE_ACTIONS),
              SyntheticPoint("baseline", 0.2)]
    directory = synthetic.write_results(tmp_path, points, 5, weeks=4)
    (directory / "sweep.json").unlink()
    results = load_results(directory)
    assert set(results.swept) == set(synthetic.FIVE_ACTIONS)
    assert results.reference == "baseline"
    assert results.experiment is None


def test_without_a_baseline_the_first_point_is_the_reference(tmp_path):
    points = [SyntheticPoint("kpis_only", 0.3, {"programme.kpis": True}),
              SyntheticPoint("agile", 0.2, {"programme.delivery": "agile"})]
    results = load_results(synthetic.write_results(tmp_path, points, 5, weeks=4, reference=None))
    assert results.reference == "kpis_only"


def test_identity_keys_in_swept_do_not_duplicate_columns(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 4, weeks=4)
    sweep = json.loads((directory / "sweep.json").read_text())
    sweep["swept"] = ["scenario", *sweep["swept"]]
    (directory / "sweep.json").write_text(json.dumps(sweep))
    assert load_results(directory).point_names == ["baseline", "five_actions"]


def test_failed_points_and_missing_timeseries_become_notes(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 4, weeks=4)
    sweep = json.loads((directory / "sweep.json").read_text())
    sweep["failed_points"] = [{"job": "jobs/2", "error": "boom"}]
    (directory / "sweep.json").write_text(json.dumps(sweep))
    (directory / "timeseries.parquet").unlink()
    notes = " ".join(load_results(directory).notes)
    assert "1 point(s) failed" in notes and "boom" in notes
    assert "no timeseries.parquet" in notes


def test_shared_seeds_across_points_are_flagged_as_common_random_numbers(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 4, weeks=4)
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["seed"] = runs["replicate"] + 100
    runs.to_parquet(directory / "runs.parquet")
    assert any("common random numbers" in note for note in load_results(directory).notes)


def test_weekly_summary_matches_a_direct_groupby_whatever_the_batch_size(comparison):
    results = load_results(comparison)
    metrics = ["adoption_mean", "adoption_avoider"]
    small = weekly_summary(results, metrics, batch_rows=97)
    large = weekly_summary(results, metrics)
    pd.testing.assert_frame_equal(small, large, check_exact=False, rtol=1e-9)
    series = load_timeseries(comparison, columns=["adoption_mean"])
    assert list(series.columns) == ["run_id", "week", "adoption_mean"]
    point = series["run_id"].map(results.runs.set_index("run_id")["point"])
    direct = series.groupby([point, "week"], observed=True)["adoption_mean"].agg(["mean", "std"])
    mine = large[large["metric"] == "adoption_mean"].set_index(["point", "week"])
    assert mine["mean"].to_numpy() == pytest.approx(direct["mean"].to_numpy())
    assert mine["sd"].to_numpy() == pytest.approx(direct["std"].to_numpy(), abs=1e-9)
    assert (mine["low"] <= mine["mean"]).all() and (mine["mean"] <= mine["high"]).all()


# -------------------------------------------------------------------- bad input


def corrupt(directory: Path, how: str) -> None:
    runs_path = directory / "runs.parquet"
    runs = pd.read_parquet(runs_path)
    if how == "garbage":
        runs_path.write_bytes(b"this is not parquet")
    elif how == "empty":
        runs.iloc[:0].to_parquet(runs_path)
    elif how == "no_label":
        runs.drop(columns=["label"]).to_parquet(runs_path)
    elif how == "bad_label":
        runs.assign(label="exploded").to_parquet(runs_path)
    elif how == "disagree":
        runs.assign(success=True).to_parquet(runs_path)
    elif how == "duplicate":
        pd.concat([runs, runs.iloc[:1]]).to_parquet(runs_path)
    elif how == "sweep_json":
        (directory / "sweep.json").write_text("{not json")


@pytest.mark.parametrize(("how", "message"), [
    ("garbage", r"runs\.parquet: cannot be read as Parquet"),
    ("empty", r"runs\.parquet: has no rows"),
    ("no_label", r"runs\.parquet: missing column\(s\) label"),
    ("bad_label", r"column label has value\(s\) exploded \(expected one of success"),
    ("disagree", r"column success disagrees with label"),
    ("duplicate", r"column run_id repeats"),
    ("sweep_json", r"sweep\.json: is not valid JSON"),
])
def test_bad_results_raise_one_line_errors_naming_the_file(tmp_path, how, message):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 4, weeks=4)
    corrupt(directory, how)
    with pytest.raises(ResultsError, match=message) as caught:
        load_results(directory)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ConfigError)


def test_a_directory_without_runs_or_no_directory_at_all_is_named(tmp_path):
    with pytest.raises(ResultsError, match=r"no runs\.parquet here"):
        load_runs(tmp_path)
    with pytest.raises(ResultsError, match="no such directory"):
        load_runs(tmp_path / "missing")


def test_asking_for_a_missing_timeseries_column_names_it(comparison):
    with pytest.raises(ResultsError, match=r"missing column.*nonsense"):
        load_timeseries(comparison, columns=["nonsense"])
