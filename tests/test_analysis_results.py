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
    assert results.point_names[0] == "baseline, silo level 0.2, what marketing is paid on: lead volume"
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
              SyntheticPoint("agile", 0.2, {"delivery.name": "agile"})]
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


def test_shared_seeds_across_points_make_the_runs_paired(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 4, weeks=4,
                                        seeding="independent")
    assert not load_results(directory).paired
    runs = pd.read_parquet(directory / "runs.parquet")
    runs["seed"] = runs["replicate"] + 100
    runs.to_parquet(directory / "runs.parquet")
    (directory / "sweep.json").unlink()  # without a record, the seeds alone decide
    assert load_results(directory).paired


def test_a_recorded_independent_seeding_is_never_paired_and_common_needs_shared_seeds(tmp_path):
    common = synthetic.write_results(tmp_path / "c", synthetic.scenario_comparison(), 6, weeks=4)
    assert load_results(common).seeding == "common"
    sweep = json.loads((common / "sweep.json").read_text())
    sweep["settings"]["seeding"] = "independent"
    (common / "sweep.json").write_text(json.dumps(sweep))
    assert load_results(common).seeding == "independent"
    runs = pd.read_parquet(common / "runs.parquet")
    runs.loc[runs["scenario"] == "five_actions", "seed"] += 1  # claimed common, seeds differ
    runs.to_parquet(common / "runs.parquet")
    sweep["settings"]["seeding"] = "common"
    (common / "sweep.json").write_text(json.dumps(sweep))
    assert not load_results(common).paired
    single = synthetic.write_results(tmp_path / "s", [SyntheticPoint("baseline", 0.3)], 6, weeks=4)
    assert not load_results(single).paired


def test_titles_and_the_engines_point_labels_name_the_points(tmp_path):
    titled = synthetic.write_results(tmp_path / "t", synthetic.silo_incentive_factorial(), 4,
                                     weeks=4, extras=synthetic.Extras(titles=True))
    results = load_results(titled)
    assert results.point_names[1] == (
        "Typical company, silo level 0.2, what marketing is paid on: closed revenue")
    assert results.title_of(results.point_names[1]) == "Typical company"
    labelled = synthetic.write_results(tmp_path / "l", synthetic.scenario_comparison(), 4,
                                       weeks=4, extras=synthetic.Extras(labels=True))
    assert load_results(labelled).point_names == ["Typical company",
                                                  "Five key actions"]


def test_settings_every_point_shares_are_said_once_not_in_each_name(tmp_path):
    shared = {"org.n_reps": 20, "org.n_marketers": 3}
    points = [SyntheticPoint("baseline", 0.2, {**shared, "silo.level": 0.3}),
              SyntheticPoint("baseline", 0.3, {**shared, "silo.level": 0.9})]
    directory = synthetic.write_results(tmp_path, points, 4, weeks=4,
                                        extras=synthetic.Extras(titles=True, labels=True))
    assert set(pd.read_parquet(directory / "runs.parquet")["point"]) == {
        "Typical company, 20 sales reps, 3 marketers, silo level 0.3",
        "Typical company, 20 sales reps, 3 marketers, silo level 0.9"}
    results = load_results(directory)
    assert results.point_names == ["Typical company, silo level 0.3",
                                   "Typical company, silo level 0.9"]
    assert results.common == ["20 sales reps", "3 marketers"]
    full = "Typical company, 20 sales reps, 3 marketers, silo level 0.9"
    assert load_results(directory, reference=full).reference == "Typical company, silo level 0.9"
    alone = synthetic.write_results(tmp_path / "one", points[:1], 4, weeks=4,
                                    extras=synthetic.Extras(titles=True, labels=True))
    one = load_results(alone)
    assert one.point_names == ["Typical company, 20 sales reps, 3 marketers, silo level 0.3"]
    assert one.common == []


def test_titles_and_questions_come_from_the_job_configs_of_old_results(tmp_path):
    directory = synthetic.write_results(tmp_path, synthetic.scenario_comparison(), 4, weeks=4)
    for number, (scenario, title) in enumerate([("baseline", "Typical company"),
                                                ("five_actions", "Five key actions")]):
        job = directory / "jobs" / str(number)
        job.mkdir(parents=True)
        (job / "config.yaml").write_text(f"scenario: {scenario}\ntitle: {title}\n"
                                         f"question: Does {title.lower()} work?\n")
    (directory / "jobs" / "2").mkdir()
    (directory / "jobs" / "2" / "config.yaml").write_text(": not yaml : [")
    results = load_results(directory)
    assert results.point_names == ["Typical company", "Five key actions"]
    assert results.questions["five_actions"] == "Does five key actions work?"
    assert results.reference == "Typical company" and not results.reference_by_default


def test_a_reference_chosen_by_default_is_flagged(tmp_path):
    points = [SyntheticPoint("kpis_only", 0.3, {"programme.kpis": True}),
              SyntheticPoint("agile", 0.2, {"delivery.name": "agile"})]
    results = load_results(synthetic.write_results(tmp_path, points, 4, weeks=4, reference=None))
    assert results.reference_by_default
    assert any("no reference was named" in note for note in results.notes)


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
