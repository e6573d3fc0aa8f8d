"""The money of a transformation: programme cost, value added against the counterfactual,
ROI, payback, turnover and sales cost (issue 23; sim/economics.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from experiments.config_tree import group_options
from scenarios.registry import names
from sim.economics import (
    EVENT_CHANNEL,
    NET_CUMULATIVE,
    PROGRAMME_CUMULATIVE,
    VALUE_CUMULATIVE,
    VALUE_HORIZONS,
)
from sim.errors import ConfigError
from sim.labels import SUCCESS
from sim.lead_flow import CHANNELS
from sim.model import SilosimModel
from sim.params import PRICED_POLICIES, CostParams, SimParams
from sim.run import run_replication
from tests.model_runs import merge, profile, replicate, scenario

SMALL = {"org": {"n_reps": 30, "n_marketers": 4}}
ECONOMIC_KPIS = ("programme_cost", "value_added", "net_value", "roi", "payback_week",
                 "cancellation_cost", "operating_cost", "contribution", "turnover_cost",
                 *(f"value_added_{n}" for n in VALUE_HORIZONS))
MONEY_WEEKLY = ("programme_spend", "operating_cost", PROGRAMME_CUMULATIVE, VALUE_CUMULATIVE,
                NET_CUMULATIVE)


def params(tree: dict | None = None) -> SimParams:
    return SimParams.from_dict(merge(SMALL, tree or {}))


def scaled_costs(factor: float) -> dict:
    """Every money figure of the schema times ``factor`` (shares and counts unchanged)."""
    money = {f.name for f in dataclasses.fields(CostParams)} - {
        "gross_margin", "events_per_marketer_year", "team_fte_agile", "team_fte_waterfall",
        "cross_functional_fte", "governance_fte", "sustainment_fte", "commission_rate"}
    defaults = CostParams()
    return {"costs": {name: getattr(defaults, name) * factor for name in money}}


def same(a: object, b: object) -> bool:
    """Equal, or both NaN."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b)


def test_without_a_programme_nothing_is_spent_and_nothing_is_added():
    run = run_replication(params({"programme": {"enabled": False}}), seed=3)
    k, weekly = run.kpis, run.timeseries
    assert k["programme_cost"] == 0.0 and k["value_added"] == 0.0 and k["net_value"] == 0.0
    assert k["roi"] is None and k["payback_week"] is None and k["cancellation_cost"] is None
    assert (weekly[PROGRAMME_CUMULATIVE] == 0.0).all() and (weekly[VALUE_CUMULATIVE] == 0.0).all()
    assert k["operating_cost"] > 0 and k["contribution"] > 0


def test_a_cancelled_programme_costs_money_and_earns_nothing():
    run = run_replication(params({"confidence": {"cancel_below": 1.0}}), seed=5)
    k, weekly = run.kpis, run.timeseries
    assert k["cancelled"] and k["first_release_week"] is None
    assert (weekly[VALUE_CUMULATIVE] == 0.0).all(), "identical branches: exactly no value"
    assert k["value_added"] == 0.0 and k["programme_cost"] > 0
    assert k["cancellation_cost"] == k["programme_cost"] == weekly[PROGRAMME_CUMULATIVE].iloc[-1]
    assert k["roi"] == -1.0 and k["payback_week"] is None
    assert (weekly.programme_spend.iloc[k["cancel_week"] + 1:] == 0.0).all()


def test_nothing_is_spent_before_launch_and_the_team_is_paid_from_launch():
    model = SilosimModel(params=params(), rng=2)
    model.run()
    weekly = model.weekly_frame()
    launch = model.programme.launch_week
    assert (weekly.programme_spend.iloc[:launch] == 0.0).all()
    assert (weekly.programme_spend.iloc[launch:launch + 20] > 0).all()
    assert np.allclose(weekly[PROGRAMME_CUMULATIVE], weekly.programme_spend.cumsum())
    twin = model.twin.weekly["operating_cost"]
    assert (twin[launch:] > 0).all(), "the counterfactual prices its own operating cost"


def test_costs_price_the_run_and_never_change_it():
    """Doubling every money figure doubles every cost, to the bit, and changes nothing else."""
    base = run_replication(params(), seed=7)
    double = run_replication(params(scaled_costs(2.0)), seed=7)
    money = set(ECONOMIC_KPIS) | {"roi", "payback_week"}
    for name, value in base.kpis.items():
        if name not in money:
            assert same(double.kpis[name], value), name
    for column in base.timeseries.columns.difference([*MONEY_WEEKLY]):
        pd.testing.assert_series_equal(base.timeseries[column], double.timeseries[column])
    assert double.kpis["programme_cost"] == 2 * base.kpis["programme_cost"]
    assert double.kpis["operating_cost"] > base.kpis["operating_cost"]


def test_the_run_economics_agree_with_the_weekly_totals():
    run = run_replication(params({"delivery": profile("delivery", "agile")}), seed=11)
    k, weekly = run.kpis, run.timeseries
    cost, value = weekly[PROGRAMME_CUMULATIVE], weekly[VALUE_CUMULATIVE]
    assert k["programme_cost"] == cost.iloc[-1] and k["value_added"] == value.iloc[-1]
    assert k["roi"] == pytest.approx((k["value_added"] - k["programme_cost"]) / k["programme_cost"])
    launch = 13
    for n in VALUE_HORIZONS:
        assert k[f"value_added_{n}"] == value.iloc[launch + n - 1]
    covered = (cost > 0) & (value >= cost)
    assert k["payback_week"] == (int(covered.idxmax()) if covered.any() else None)
    assert k["hires_total"] == weekly.hires.sum()
    assert k["turnover_cost"] == CostParams().recruiting_per_hire * k["hires_total"]


def test_vacancies_are_not_savings():
    """Heavy attrition leaves seats empty, but an all-field sales force costs the same."""
    run = run_replication(params({"attrition": {"base_quit_weekly": 0.03}}), seed=4)
    assert run.kpis["quits_total"] > 30
    assert run.kpis["sales_cost_index"] == 1.0 and (run.timeseries.sales_cost == 1.0).all()


def test_inside_sales_farmers_cost_less():
    field = scenario("handoff_first_sale", **SMALL)
    inside = merge(field, {"account_handoff": {"inside_sales_farmers": True}})
    runs = {name: run_replication(SimParams.from_dict(tree), seed=2)
            for name, tree in (("field", field), ("inside", inside))}
    assert runs["inside"].kpis["sales_cost_index"] < runs["field"].kpis["sales_cost_index"] == 1.0
    assert runs["inside"].kpis["operating_cost"] < runs["field"].kpis["operating_cost"]


def test_more_turnover_costs_more():
    calm = run_replication(params(), seed=9)
    churning = run_replication(params({"attrition": {"base_quit_weekly": 0.02}}), seed=9)
    assert churning.kpis["hires_total"] > calm.kpis["hires_total"]
    assert churning.kpis["turnover_cost"] > calm.kpis["turnover_cost"]


def test_five_actions_pay_back_more_often_and_return_more_than_the_baseline():
    """Paired runs of the default organisation (common seeds)."""
    n = 8
    base = [r.kpis for r in replicate(scenario("baseline"), n)]
    five = [r.kpis for r in replicate(scenario("five_actions"), n)]
    roi_gain = [f["roi"] - b["roi"] for f, b in zip(five, base, strict=True)]
    assert np.mean(roi_gain) > 0.3 and sum(g > 0 for g in roi_gain) >= n - 1
    assert sum(f["payback_week"] is not None for f in five) > \
        sum(b["payback_week"] is not None for b in base)
    assert np.mean([f["value_added"] for f in five]) > np.mean([b["value_added"] for b in base])


def test_positive_roi_can_be_required_for_success():
    """A run that succeeds on adoption and revenue is no success when the money says otherwise."""
    tree = scenario("five_actions")
    found = next(seed for seed in range(40)
                 if (kpis := run_replication(SimParams.from_dict(tree), seed).kpis)["label"]
                 == SUCCESS and kpis["roi"] > 0)
    dear = merge(tree, scaled_costs(5.0))
    assert run_replication(SimParams.from_dict(dear), found).kpis["label"] == SUCCESS
    strict = run_replication(SimParams.from_dict(merge(dear, {"labels": {
        "require_positive_roi": True}})), found)
    assert strict.kpis["roi"] < 0 and strict.kpis["label"] != SUCCESS
    kept = run_replication(SimParams.from_dict(merge(tree, {"labels": {
        "require_positive_roi": True}})), found).kpis
    assert kept["roi"] > 0 and kept["label"] == SUCCESS


@pytest.mark.parametrize(("key", "prefix"), PRICED_POLICIES)
def test_every_priced_policy_has_its_cost_in_the_schema(key, prefix):
    chosen = {"delivery.name": group_options("delivery"), "leader.name": group_options("leader"),
              "silo.mitigations": names("silo_mitigation")}[key]
    fields = {f.name for f in dataclasses.fields(CostParams)}
    assert {prefix + name for name in chosen} <= fields
    assert EVENT_CHANNEL in CHANNELS and {f"lead_cost_{c}" for c in CHANNELS} <= fields


@pytest.mark.parametrize(("tree", "key"), [
    ({"costs": {"gross_margin": 1.5}}, "costs.gross_margin"),
    ({"costs": {"licence_user_year": -1}}, "costs.licence_user_year"),
    ({"costs": {"license_user_year": 1}}, "costs.license_user_year"),
    ({"labels": {"require_positive_roi": "yes"}}, "labels.require_positive_roi"),
    ({"hiring": {"ramp_weeks": 2.5}}, "hiring.ramp_weeks"),
])
def test_bad_costs_are_refused_naming_the_key(tree, key):
    with pytest.raises(ConfigError) as caught:
        SimParams.from_dict(tree)
    assert caught.value.key == key and "\n" not in str(caught.value)


def test_a_clients_cost_file_composes_into_the_costs_and_nothing_else():
    from experiments.config_tree import compose_model

    client = compose_model("five_actions", ["costs=client_example"])
    plain = compose_model("five_actions")
    assert client.costs.gross_margin == 0.72 and client.costs.licence_user_year == 2.4
    assert client.costs.embedded_training_user_year == plain.costs.embedded_training_user_year
    assert dataclasses.replace(client, costs=plain.costs) == plain


def test_a_quota_plan_is_an_incentive_scheme():
    from experiments.config_tree import compose_model

    assert compose_model("baseline", ["incentive=quota_plan"]).incentives.rep_pay == \
        "quota_accelerated"


def test_docs_economics_lists_every_cost_quota_and_hiring_parameter():
    from pathlib import Path

    from sim.params import schema_rows

    doc = (Path(__file__).resolve().parents[1] / "docs" / "economics.md").read_text()
    for row in schema_rows():
        if row["key"].split(".")[0] in ("costs", "quotas", "hiring"):
            assert f"| `{row['key']}` | {row['default']} |" in doc, row["key"]
