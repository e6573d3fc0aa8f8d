"""Value is the programme's own: every run is paired with its no-programme counterfactual (issue 17).

The counterfactual branches from the run at launch, random state included, so both
share the spin-up and the baseline quarter; until the programme acts on reps or
customers they are the same run, to the bit.
"""

import numpy as np
import pandas as pd
import pytest

from sim.errors import ConfigError
from sim.labels import LABELS, STALLED
from sim.metrics import COUNTERFACTUAL_SERIES, TWIN_SERIES, WITHOUT_SUFFIX
from sim.model import SilosimModel
from sim.params import SimParams
from sim.run import run_replication
from tests.model_runs import profile

SMALL = {"org": {"n_reps": 30, "n_marketers": 4}}
RATIOS = ("value_vs_no_programme", "bookings_vs_no_programme", "customer_hours_vs_no_programme")


def params(**groups) -> SimParams:
    tree = {**SMALL, **groups}
    return SimParams.from_dict(tree)


def test_without_a_programme_every_ratio_is_exactly_one():
    run = run_replication(params(programme={"enabled": False}), seed=3)
    assert all(run.kpis[name] == 1.0 for name in RATIOS)
    assert run.kpis["label"] == STALLED
    assert set(run.timeseries.phase.iloc[13:]) == {"no_programme"}
    for name in COUNTERFACTUAL_SERIES:
        assert (run.timeseries[name] == run.timeseries[name + WITHOUT_SUFFIX]).all()


def test_a_programme_cancelled_before_it_changes_anything_leaves_the_branches_identical():
    """Leaders who lose confidence at once cancel in planning: nothing reached reps or customers."""
    run = run_replication(params(confidence={"cancel_below": 1.0}), seed=5)
    assert run.kpis["cancelled"] and run.kpis["first_release_week"] is None
    assert all(run.kpis[name] == 1.0 for name in RATIOS)
    weekly = run.timeseries
    for name in COUNTERFACTUAL_SERIES:
        assert weekly[name].equals(weekly[name + WITHOUT_SUFFIX])


def test_the_counterfactual_shares_history_until_the_release_and_parts_once_the_tool_is_used():
    model = SilosimModel(params=params(delivery=profile("delivery", "agile")), rng=11)
    model.run()
    release = model.programme.release_week
    assert release is not None
    weekly = model.weekly_frame()
    twin = model.counterfactual_frame()
    for name in COUNTERFACTUAL_SERIES:
        assert np.array_equal(weekly[name].iloc[:release], twin[name].iloc[:release])
    assert not np.array_equal(weekly.recurring_revenue.iloc[release + 13:],
                              twin.recurring_revenue.iloc[release + 13:])
    assert set(model.twin.weekly_phase[release:]) == {"no_programme"}


@pytest.mark.parametrize("delivery", ["agile", "waterfall"])
def test_a_twin_made_at_release_is_the_twin_made_at_launch(delivery):
    """The twin is copied the week the tool is first released; one copied at launch, as the
    definition says, lives exactly the same no-programme history."""
    tree = params(delivery=profile("delivery", delivery),
                  programme={"manager_enablement": 0.5}).to_dict()
    lazy = SilosimModel(params=SimParams.from_dict(tree), rng=7)
    lazy.run()
    eager = SilosimModel(params=SimParams.from_dict(tree), rng=7, counterfactual=False)
    eager.run_for(eager.programme.launch_week - eager.week)
    twin = eager.without_programme()
    twin.run()
    assert lazy.programme.release_week > lazy.programme.launch_week
    recorded = ["week", "phase", *TWIN_SERIES]
    pd.testing.assert_frame_equal(lazy.counterfactual_frame()[recorded],
                                  twin.weekly_frame(counterfactual=False)[recorded])


def test_the_same_seed_gives_the_same_run_and_counterfactual():
    first, second = (run_replication(params(), seed=21) for _ in range(2))
    pd.testing.assert_frame_equal(first.timeseries, second.timeseries)
    assert first.kpis == second.kpis


def test_label_thresholds_never_feed_the_simulation():
    """Changing every label threshold changes at most the label, never a weekly number."""
    plain = run_replication(params(), seed=8)
    strict = run_replication(params(labels={"adoption_bar": 0.9, "value_margin": 0.2,
                                            "workable_fit": 0.7, "reach_window_weeks": 26,
                                            "rollout_margin_weeks": 60}), seed=8)
    pd.testing.assert_frame_equal(plain.timeseries, strict.timeseries)
    assert plain.kpis["label"] in LABELS and strict.kpis["label"] in LABELS


def test_company_traits_are_recorded_and_a_zero_spread_fixes_them():
    fixed = params(company={"culture_mean": 0.2, "culture_spread": 0.0,
                            "tool_fit_mean": -0.1, "tool_fit_spread": 0.0})
    traits = {seed: run_replication(fixed, seed).kpis for seed in (1, 2)}
    for kpis in traits.values():
        assert kpis["company.culture"] == 0.2 and kpis["company.tool_fit"] == -0.1
        assert 0.05 <= kpis["company.leader_confidence"] <= 1.0
    assert traits[1]["company.leader_confidence"] != traits[2]["company.leader_confidence"]


def test_a_trait_draw_is_the_same_whatever_its_spread_so_runs_stay_paired():
    narrow = SilosimModel(params=params(company={"culture_spread": 0.1}), rng=4).company
    wide = SilosimModel(params=params(company={"culture_spread": 0.4}), rng=4).company
    assert wide.culture == pytest.approx(4 * narrow.culture)
    assert wide.tool_fit == narrow.tool_fit


@pytest.mark.parametrize(("tree", "key"), [
    ({"programme": {"enabled": "yes"}}, "programme.enabled"),
    ({"programme": {"enabled": 1}}, "programme.enabled"),
    ({"company": {"culture_mean": 2.0}}, "company.culture_mean"),
    ({"company": {"tool_fit_spread": -0.1}}, "company.tool_fit_spread"),
    ({"company": {"luck": 0.3}}, "company.luck"),
])
def test_bad_programme_switch_or_trait_is_refused_naming_the_key(tree, key):
    with pytest.raises(ConfigError) as refused:
        SimParams.from_dict(tree)
    assert refused.value.key == key
