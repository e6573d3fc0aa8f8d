"""Invariants that must hold every week: books balance, time budgets add up, values in range."""

import numpy as np
import pytest

from sim.agents import Customer, SalesRep
from sim.model import SilosimModel
from sim.organisation import LEAD, OPPORTUNITY, SUBSCRIBER, table_fields
from sim.params import SimParams
from sim.run import run_replication
from tests.model_runs import scenario

SMALL = {"org": {"n_reps": 30, "n_marketers": 4}, "horizon_weeks": 104}
CONFIGS = {
    "baseline": scenario("baseline", **SMALL),
    "five_actions": scenario("five_actions", **SMALL),
    "hunter_farmer": scenario("handoff_first_sale", **SMALL,
                              lead_handoff={"policy": "abc_scoring", "nurture": True}),
    "mandate_high_attrition": scenario("mandate_only", **SMALL,
                                       attrition={"base_quit_weekly": 0.03}),
}
UNIT_INTERVAL = {
    "force": ["skill", "usefulness", "ease", "voluntary", "adoption", "pressure", "morale"],
    "book": ["fit", "readiness", "satisfaction", "relationship", "knowledge", "opp_win_prob"],
}


def check_books(model: SilosimModel) -> None:
    force, book = model.force, model.book
    subs = book.stage == SUBSCRIBER
    assert (book.owner[subs] >= 0).all() and (book.owner[subs] < force.size).all()
    assert (book.owner[~subs] == -1).all(), "only subscribers have an owner"
    opps = book.stage == OPPORTUNITY
    assert (book.opp_rep[opps] >= 0).all()
    leads = book.stage == LEAD
    assert (book.lead_rep[leads] >= 0).all(), "every open lead waits in a rep's queue"
    age = model.week - 1 - book.lead_since[leads]
    assert (age < model.params.leads.max_age_weeks).all(), "unworked leads die at their age limit"
    assert np.bincount(book.stage, minlength=5).sum() == book.size
    assert len(model.agents_by_type[Customer]) == book.size
    assert len(model.agents_by_type[SalesRep]) == int(force.occupied.sum())
    ids = [agent.unique_id for agent in model.agents]
    assert len(ids) == len(set(ids))


def check_time(model: SilosimModel) -> None:
    f, budget = model.force, model.params.time_budget.hours_per_week
    parts = np.stack([f.hours_admin, f.hours_leads, f.hours_hunting, f.hours_farming])
    assert (parts >= -1e-9).all()
    total = parts.sum(axis=0)
    assert np.allclose(total[f.occupied], budget) and np.allclose(total[~f.occupied], 0.0)


def check_ranges(model: SilosimModel) -> None:
    for table, names in UNIT_INTERVAL.items():
        for name in names:
            values = getattr(getattr(model, table), name)
            assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all(), name
    prog = model.programme
    for value in (prog.confidence, prog.data_quality, prog.rec_quality, prog.ease_of_use,
                  *prog.fit):
        assert 0.0 <= value <= 1.0


@pytest.mark.parametrize("name", CONFIGS)
def test_invariants_hold_every_week(name):
    model = SilosimModel(params=SimParams.from_dict(CONFIGS[name]), rng=3)
    for _ in range(model.params.horizon_weeks):
        model.step()
        check_books(model)
        check_time(model)
        check_ranges(model)
    assert model.week == model.params.horizon_weeks


@pytest.mark.parametrize("name", CONFIGS)
def test_outputs_have_no_nan_and_one_row_per_week(name):
    rep = run_replication(SimParams.from_dict(CONFIGS[name]), seed=5)
    weekly = rep.timeseries
    assert list(weekly.week) == list(range(CONFIGS[name]["horizon_weeks"]))
    numeric = weekly.select_dtypes("number")
    assert not numeric.isna().any().any()
    floats = {k: v for k, v in rep.kpis.items() if isinstance(v, float)}
    assert all(np.isfinite(v) for v in floats.values())
    assert rep.kpis["label"] in ("success", "stalled", "low_adoption", "not_sustained")


def test_table_fields_cover_state():
    model = SilosimModel(params=SimParams.from_dict(SMALL), rng=0)
    for name in table_fields(model.force):
        assert len(getattr(model.force, name)) == model.force.size
    for name in table_fields(model.book):
        assert len(getattr(model.book, name)) == model.book.size
