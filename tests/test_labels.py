"""Each run gets the one label 001's failure modes give it (sim/labels.py), on made-up series."""

import numpy as np
import pandas as pd
import pytest

from sim.labels import LOW_ADOPTION, NOT_SUSTAINED, STALLED, SUCCESS, classify
from sim.params import SimParams

WEEKS = 156
PARAMS = SimParams()


def weekly(genuine: np.ndarray, revenue_gain: np.ndarray, active: np.ndarray | None = None
           ) -> pd.DataFrame:
    """A run's weekly frame: genuine (and all, mandated included) active users, and revenue
    against a flat counterfactual."""
    return pd.DataFrame({"genuine_share": genuine,
                         "active_share": genuine if active is None else active,
                         "recurring_revenue": 100.0 * revenue_gain,
                         "recurring_revenue_without": np.full(WEEKS, 100.0)})


def kpis(frame: pd.DataFrame, **overrides) -> dict:
    last_year = frame.recurring_revenue.iloc[-52:].mean() / 100.0
    base = {"cancelled": False, "rollout_week": 60, "fit_at_rollout": 0.6,
            "value_vs_no_programme": last_year}
    return base | overrides


def ramp(level: float, start: int = 60) -> np.ndarray:
    return np.where(np.arange(WEEKS) >= start, level, 0.0)


def test_broad_genuine_adoption_with_revenue_above_the_counterfactual_is_success():
    frame = weekly(ramp(0.8), 1.0 + ramp(0.05))
    assert classify(kpis(frame), frame, PARAMS) == SUCCESS


def test_adoption_without_revenue_is_never_success_however_many_hours_it_frees():
    frame = weekly(ramp(0.9), np.ones(WEEKS))
    assert classify(kpis(frame, customer_hours_vs_no_programme=1.4), frame, PARAMS) != SUCCESS


def test_adoption_and_value_that_fall_back_are_not_sustained():
    genuine = np.where((np.arange(WEEKS) >= 60) & (np.arange(WEEKS) < 120), 0.8, 0.1)
    gain = 1.0 + np.where((np.arange(WEEKS) >= 70) & (np.arange(WEEKS) < 125), 0.05, 0.0)
    frame = weekly(genuine, gain)
    assert classify(kpis(frame), frame, PARAMS) == NOT_SUSTAINED


def test_a_workable_tool_that_few_use_genuinely_is_low_adoption():
    frame = weekly(ramp(0.2), 1.0 + ramp(0.01))
    assert classify(kpis(frame), frame, PARAMS) == LOW_ADOPTION


@pytest.mark.parametrize("overrides", [
    {"cancelled": True},
    {"rollout_week": None, "fit_at_rollout": None},
    {"rollout_week": PARAMS.horizon_weeks - PARAMS.labels.rollout_margin_weeks + 1},
])
def test_cancelled_or_late_roll_outs_are_stalled_however_the_tool_was_used(overrides):
    frame = weekly(ramp(0.9), 1.0 + ramp(0.1))
    assert classify(kpis(frame, **overrides), frame, PARAMS) == STALLED


UNWORKABLE = {"fit_at_rollout": PARAMS.labels.workable_fit - 0.01}


def test_an_unworkable_tool_nobody_uses_even_under_a_mandate_never_started():
    frame = weekly(ramp(0.2), 1.0 + ramp(0.01), active=ramp(0.3))
    assert classify(kpis(frame, **UNWORKABLE), frame, PARAMS) == STALLED


def test_an_unworkable_tool_used_only_under_a_mandate_is_low_adoption():
    frame = weekly(ramp(0.2), 1.0 + ramp(0.01), active=ramp(0.9))
    assert classify(kpis(frame, **UNWORKABLE), frame, PARAMS) == LOW_ADOPTION


def test_a_tool_fixed_in_use_after_an_unworkable_roll_out_can_still_succeed():
    frame = weekly(ramp(0.8, start=90), 1.0 + ramp(0.05, start=90))
    assert classify(kpis(frame, **UNWORKABLE), frame, PARAMS) == SUCCESS


def test_the_value_margin_is_a_threshold_on_the_counterfactual_ratio():
    frame = weekly(ramp(0.8), 1.0 + ramp(0.05))
    strict = SimParams.from_dict({"labels": {"value_margin": 0.2}})
    assert classify(kpis(frame), frame, strict) != SUCCESS
