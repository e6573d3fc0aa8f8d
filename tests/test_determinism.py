"""Same parameters and seed give the same run; another seed gives another run."""

import pandas as pd

from sim.params import SimParams
from sim.run import run_replication
from tests.model_runs import scenario


def test_same_seed_same_run_and_other_seed_other_run():
    params = SimParams.from_dict(scenario("five_actions", org={"n_reps": 40}))
    first, again, other = (run_replication(params, seed) for seed in (11, 11, 12))
    pd.testing.assert_frame_equal(first.timeseries, again.timeseries)
    assert first.kpis == again.kpis
    assert not first.timeseries.equals(other.timeseries)


def test_run_does_not_depend_on_earlier_runs_in_the_process():
    params = SimParams.from_dict({"org": {"n_reps": 20}, "horizon_weeks": 60})
    alone = run_replication(params, 7)
    run_replication(SimParams.from_dict({"org": {"n_reps": 30}}), 99)
    after = run_replication(params, 7)
    pd.testing.assert_frame_equal(alone.timeseries, after.timeseries)
