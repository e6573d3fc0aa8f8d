"""Quarterly quotas, attainment, quota-accelerated pay, and a new hire's ramp (issue 23)."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.registry import lookup
from sim.model import SilosimModel
from sim.organisation import FARMER, FULL_CYCLE, HUNTER
from sim.params import SimParams
from sim.quotas import QUARTER
from sim.run import run_replication
from sim.time_budget import admin_hours
from tests.model_runs import merge

SMALL = {"org": {"n_reps": 30, "n_marketers": 4}}


def params(tree: dict | None = None) -> SimParams:
    return SimParams.from_dict(merge(SMALL, tree or {}))


def test_about_half_the_reps_make_quota_and_the_shares_are_the_quarters():
    run = run_replication(params({"programme": {"enabled": False}}), seed=1)
    share = run.timeseries.quota_attained_share
    assert ((share >= 0) & (share <= 1)).all()
    assert run.kpis["quota_attained_share_baseline"] == share.iloc[QUARTER - 1]
    assert run.kpis["quota_attained_share_final"] == share.iloc[-1]   # 156 weeks: 12 quarters
    assert 0.2 < run.kpis["quota_attained_share_baseline"] < 0.8


def test_quotas_follow_the_policy_and_a_higher_uplift_lowers_attainment():
    low = run_replication(params({"programme": {"enabled": False}}), seed=2).kpis
    high = run_replication(params({"programme": {"enabled": False},
                                   "quotas": {"uplift": 0.5}}), seed=2).kpis
    assert high["quota_attained_share_final"] < low["quota_attained_share_final"]
    assert high["revenue_final"] == low["revenue_final"], "quotas measure; pay does not use them"


def test_a_territory_quota_is_its_history_and_a_book_quota_follows_the_book():
    history = np.array([2.0, 4.0, 6.0, 3.0])
    book = np.array([100.0, 300.0, 50.0, 0.0])
    role = np.array([FARMER, FARMER, HUNTER, HUNTER])
    occupied = np.ones(4, bool)
    territory = lookup("quota", "territory", "quotas.policy")
    assert np.array_equal(territory.base(history, book, role, occupied, 0.5), history)
    by_book = lookup("quota", "book", "quotas.policy").base(history, book, role, occupied, 0.5)
    assert by_book[1] > by_book[0], "the bigger book asks for more"
    assert by_book[0] + by_book[1] == pytest.approx(2 * 3.0), "a role's quotas keep its mean"
    flat = lookup("quota", "book", "quotas.policy").base(history, book, role, occupied, 0.0)
    assert np.allclose(flat, [3.0, 3.0, 4.5, 4.5])


def test_quota_accelerated_pay_pays_par_to_quota_more_above_and_nothing_above_the_cap():
    model = SilosimModel(params=params({"incentives": {"rep_pay": "quota_accelerated"}}), rng=0)
    quotas = model.quotas
    quotas.quota = np.array([10.0, 10.0, 10.0, np.inf])
    booked = np.array([5.0, 15.0, 40.0, 7.0])
    paid = quotas.paid_on(booked)
    p = model.params.quotas
    assert paid[0] == 5.0 and paid[3] == 7.0
    assert paid[1] == 10.0 + p.accelerator * 5.0
    assert paid[2] == 10.0 + p.accelerator * (p.cap - 1.0) * 10.0
    quotas.to_date = booked
    credit = np.array([1.0, 1.0, 1.0, 1.0])
    assert np.allclose(quotas.accelerated_pay(credit), [1.0, p.accelerator, 0.0, 1.0])


def test_a_quota_plan_changes_pay_and_its_cost():
    plain = run_replication(params(), seed=3)
    plan = run_replication(params({"incentives": {"rep_pay": "quota_accelerated"}}), seed=3)
    assert plan.kpis["operating_cost"] != plain.kpis["operating_cost"]
    assert plan.kpis["label"] in ("success", "stalled", "low_adoption", "not_sustained")


def test_a_new_hire_ramps_up_to_a_tenured_reps_customer_time():
    tree = {"attrition": {"base_quit_weekly": 0.03}, "hiring": {"ramp_weeks": 20,
                                                                 "ramp_start": 0.25},
            "programme": {"enabled": False}}
    model = SilosimModel(params=params(tree), rng=4)
    force, tb = model.force, model.params.time_budget
    checked = 0
    for _ in range(40):
        model.step()   # the week just planned is model.week - 1
        week = model.week - 1
        weeks_in = week - force.hired_week - 1
        new = force.occupied & (weeks_in >= 0) & (weeks_in < 20) & (force.role == FULL_CYCLE)
        if not new.any():
            continue
        full = tb.hours_per_week - admin_hours(force.adoption, force.skill, model.params)
        expected = full * (0.25 + 0.75 * weeks_in / 20)
        customer = force.hours_leads + force.hours_hunting + force.hours_farming
        assert np.allclose(customer[new], expected[new])
        checked += int(new.sum())
    assert checked > 10


def test_a_ramp_costs_selling_where_reps_leave():
    tree = {"attrition": {"base_quit_weekly": 0.02}}
    off = run_replication(params(tree), seed=6).kpis
    on = run_replication(params(merge(tree, {"hiring": {"ramp_weeks": 26}})), seed=6).kpis
    assert on["customer_hours_final"] < off["customer_hours_final"]


def test_a_rep_hired_in_the_quarter_gets_the_rest_of_its_quota_and_is_not_counted():
    model = SilosimModel(params=params({"attrition": {"base_quit_weekly": 0.03},
                                        "programme": {"enabled": False}}), rng=8)
    quotas, force = model.quotas, model.force
    opened, checked = None, 0
    for _ in range(60):
        model.step()
        week = model.week - 1                     # the week just counted
        if week % QUARTER == 0:
            opened = quotas.quota.copy()
            continue
        if opened is None:
            continue
        new = force.occupied & (force.hired_week == week - 1)
        left = (QUARTER - week % QUARTER) / QUARTER
        assert np.allclose(quotas.quota[new], opened[new] * left)
        assert not quotas.counted[new].any()
        checked += int(new.sum())
    assert checked >= 3
