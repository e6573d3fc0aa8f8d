"""Outcomes: weekly reporters (plain functions of the model) and per-run KPIs.

``WEEKLY`` maps each weekly metric to the function that reads it off the model;
``record_week`` calls them all once a week. ``run_kpis`` condenses the weekly
series into one row per run. Units are listed in ``UNITS`` and in docs/results.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.economics import operating_cost, programme_spend, seat_cost_factors
from sim.numeric import TINY
from sim.organisation import SUBSCRIBER, mean_or_zero
from sim.programme import Phase
from sim.tech_affinity import AVOIDER, ENTHUSIAST, RELUCTANT
from sim.time_budget import customer_hours
from sim.weeks import HALF_YEAR, QUARTER, YEAR

if TYPE_CHECKING:
    from sim.model import SilosimModel

#: weekly series of the no-programme counterfactual kept beside the treated run's
WITHOUT_SUFFIX = "_without"
COUNTERFACTUAL_SERIES = ("recurring_revenue", "bookings")
#: what the counterfactual twin records: its series above, what its KPIs compare and the
#: operating cost its value added is net of (sim/economics.py)
TWIN_SERIES = (*COUNTERFACTUAL_SERIES, "customer_hours", "operating_cost")


def _segment_adoption(segment: int) -> Callable[[SilosimModel], float]:
    return lambda model: float(model.segment_adoption()[segment])


def _occupied_mean(field: str) -> Callable[[SilosimModel], float]:
    def reporter(model: SilosimModel) -> float:
        f = model.force
        return mean_or_zero(getattr(f, field)[f.occupied])
    return reporter


def _tally(name: str) -> Callable[[SilosimModel], float]:
    return lambda model: float(model.tally[name])


def active_share(model: SilosimModel) -> float:
    """Share of occupied seats whose usage (mandated or not) makes them active users."""
    f = model.force
    return mean_or_zero(f.adoption[f.occupied] >= model.params.attitude.active_use)


def genuine_share(model: SilosimModel) -> float:
    """Share of occupied seats who would be active users without any mandate."""
    return model.genuine_share()


def speed_to_lead(model: SilosimModel) -> float:
    followed = model.tally["leads_followed_up"]
    return model.tally["lead_wait_days"] / followed if followed else 0.0


def weekly_win_rate(model: SilosimModel) -> float:
    closed = model.tally["deals_closed"]
    return model.tally["deals_won"] / closed if closed else 0.0


def recurring_revenue(model: SilosimModel) -> float:
    b = model.book
    return float(b.contract[(b.stage == SUBSCRIBER).nonzero()[0]].sum())


def satisfaction(model: SilosimModel) -> float:
    b = model.book
    return mean_or_zero(b.satisfaction[(b.stage == SUBSCRIBER).nonzero()[0]])


def mean_customer_hours(model: SilosimModel) -> float:
    f = model.force
    return mean_or_zero(customer_hours(f)[f.occupied])


def sales_cost(model: SilosimModel) -> float:
    """Cost of the sales seats relative to all-field seats (inside-sales farmers are cheaper).

    Every seat counts, filled or vacant: a vacancy is not a saving (its lost selling is in
    revenue, its saved pay goes to cover and hiring; sim/economics.py)."""
    return mean_or_zero(seat_cost_factors(model))


WEEKLY: dict[str, Callable[[SilosimModel], float]] = {
    "adoption_mean": _occupied_mean("adoption"),
    "adoption_enthusiast": _segment_adoption(ENTHUSIAST),
    "adoption_reluctant": _segment_adoption(RELUCTANT),
    "adoption_avoider": _segment_adoption(AVOIDER),
    "active_share": active_share,
    "genuine_share": genuine_share,
    "attitude_mean": _occupied_mean("usefulness"),
    "confidence": lambda m: m.programme.confidence,
    "usefulness": lambda m: m.programme.usefulness,
    "ease_of_use": lambda m: m.programme.ease_of_use,
    "data_quality": lambda m: m.programme.data_quality,
    "rec_quality": lambda m: m.programme.rec_quality,
    "leads_created": _tally("leads_created"),
    "leads_followed_up": _tally("leads_followed_up"),
    "leads_qualified": _tally("leads_qualified"),
    "leads_won": _tally("leads_won"),
    "speed_to_lead_days": speed_to_lead,
    "bookings": _tally("bookings"),
    "recurring_revenue": recurring_revenue,
    "churned": _tally("churned"),
    "win_rate": weekly_win_rate,
    "satisfaction": satisfaction,
    "quits": _tally("quits"),
    "headcount": lambda m: float(np.count_nonzero(m.force.occupied)),
    "customer_hours": mean_customer_hours,
    "mandate_pressure": _occupied_mean("pressure"),
    "income_ratio": _occupied_mean("income_ratio"),
    "subscribers": lambda m: float(np.count_nonzero(m.book.stage == SUBSCRIBER)),
    "sales_cost": sales_cost,
    "hires": _tally("hires"),
    "programme_spend": programme_spend,
    "operating_cost": operating_cost,
    "quota_attained_share": lambda m: m.quotas.attained_share(m),
}

UNITS = {
    "week": "week index (0 = first baseline week)",
    "phase": "programme phase: baseline, plan, build, pilot, rollout, operate, cancelled, "
             "no_programme",
    "adoption_mean": "share of work done through the tools, mean over reps [0-1]",
    "adoption_enthusiast": "adoption, mean over enthusiast reps [0-1]",
    "adoption_reluctant": "adoption, mean over reluctant reps [0-1]",
    "adoption_avoider": "adoption, mean over avoider reps [0-1]",
    "active_share": "share of reps with adoption >= attitude.active_use [0-1]",
    "genuine_share": "share of reps who would be active without a mandate [0-1]",
    "attitude_mean": "perceived usefulness, mean over reps [0-1]",
    "confidence": "leadership confidence in the programme [0-1]",
    "usefulness": "tool fit to sales needs, averaged over reps' segments [0-1]",
    "ease_of_use": "1 - tool complexity [0-1]",
    "data_quality": "CRM data quality [0-1]",
    "rec_quality": "chance a recommendation becomes a qualified opportunity (0 before release)",
    "leads_created": "leads passed on by marketing this week (count)",
    "leads_followed_up": "leads a rep followed up this week (count)",
    "leads_qualified": "followed-up leads that became opportunities (count)",
    "leads_won": "opportunities from leads won this week (count)",
    "speed_to_lead_days": "mean days a followed-up lead waited (0 when none followed up)",
    "bookings": "new and expansion contract value booked this week ($k per year)",
    "recurring_revenue": "annual recurring revenue of all subscribers ($k per year)",
    "churned": "subscribers lost at renewal this week (count)",
    "win_rate": "won / closed opportunities this week (0 when none closed)",
    "satisfaction": "customer satisfaction, mean over subscribers [0-1]",
    "quits": "reps who left this week (count)",
    "headcount": "occupied rep seats (count)",
    "customer_hours": "customer-facing hours per rep per week (hours)",
    "mandate_pressure": "mandate pressure felt, mean over reps [0-1]",
    "income_ratio": "pay felt over the last quarter against the pay reps are used to, mean "
                    "over reps (1 = as usual)",
    "subscribers": "customers with a live subscription (count)",
    "sales_cost": "cost of all seats, filled or vacant, relative to all-field seats [0-1]",
    "hires": "reps hired into vacant seats this week (count)",
    "programme_spend": "what the programme spent this week: team, leader, platform, licences, "
                       "training, enablement, pay top-ups ($k)",
    "operating_cost": "what the sales organisation cost this week: seats, variable pay, "
                      "recruiting, marketing, silo mitigations ($k)",
    "quota_attained_share": "share of reps (in their seat since the quarter began) at or above "
                            "their quota to date; in a quarter's last week, the quarter's "
                            "share at or above quota [0-1]",
    "programme_cost_cumulative": "programme spend from week 0 to this week ($k)",
    "value_added_cumulative": "gross-margin value added against the counterfactual from week 0 "
                              "to this week, net of the operating cost the programme changed "
                              "($k)",
    "net_value_cumulative": "value_added_cumulative - programme_cost_cumulative: the "
                            "programme's net value so far; it turns positive at payback ($k)",
    "recurring_revenue_without": "recurring_revenue of the same organisation without the "
                                 "programme ($k per year)",
    "bookings_without": "bookings of the same organisation without the programme ($k per year)",
}


def record_week(model: SilosimModel) -> None:
    """Store this week's metrics in the model's weekly arrays (a twin records only its own)."""
    week = model.week
    model.weekly_phase.append(model.programme.phase)
    for name in model.recorded:
        model.weekly[name][week] = WEEKLY[name](model)


def _quarter_mean(series: pd.Series, first: bool) -> float:
    part = series.iloc[:QUARTER] if first else series.iloc[-QUARTER:]
    return float(part.mean())


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def relative(treated: float, counterfactual: float) -> float:
    """``treated / counterfactual``: exactly 1.0 when they are equal, finite when either is 0."""
    if treated == counterfactual:
        return 1.0
    return treated / counterfactual if counterfactual else treated / TINY


def rollout_window(weekly: pd.DataFrame, without: pd.DataFrame, rollout: int | None
                   ) -> dict[str, float | None]:
    """The learning-curve dip around roll-out (001: a short-term dip in selling time and pay,
    top performers leave): customer hours in the quarter after roll-out against the same
    weeks without the programme, the lowest pay ratio in the two quarters after it, and quits
    in those two quarters. None when there was no roll-out or too few weeks after it."""
    if rollout is None or rollout + HALF_YEAR > len(weekly):
        return {"rollout_hours_change": None, "rollout_pay_low": None, "quits_after_rollout": None}
    after = weekly.iloc[rollout:rollout + HALF_YEAR]
    hours = float(after.customer_hours.iloc[:QUARTER].mean())
    hours_without = float(without.customer_hours.iloc[rollout:rollout + QUARTER].mean())
    return {
        "rollout_hours_change": relative(hours, hours_without) - 1.0,
        "rollout_pay_low": float(after.income_ratio.min()),
        "quits_after_rollout": int(after.quits.sum()),
    }


def counterfactual_kpis(weekly: pd.DataFrame, without: pd.DataFrame, rollout: int | None
                        ) -> dict[str, float | None]:
    """The programme's own value: the final year of the run against the same organisation's
    final year without the programme (same history up to launch, same random numbers)."""
    last, last_without = weekly.iloc[-YEAR:], without.iloc[-YEAR:]
    revenue = float(last.recurring_revenue.mean())
    revenue_without = float(last_without.recurring_revenue.mean())
    return {
        "revenue_final_year": revenue,
        "revenue_final_year_without": revenue_without,
        "recurring_revenue_final_without": _quarter_mean(without.recurring_revenue, first=False),
        "value_vs_no_programme": relative(revenue, revenue_without),
        "bookings_vs_no_programme": relative(float(last.bookings.sum()),
                                             float(last_without.bookings.sum())),
        "customer_hours_vs_no_programme": relative(float(last.customer_hours.mean()),
                                                   float(last_without.customer_hours.mean())),
    } | rollout_window(weekly, without, rollout)


def quota_kpis(weekly: pd.DataFrame) -> dict[str, float | None]:
    """Share of reps at or above quota in the first quarter (weeks 0-12, the baseline) and in
    the last complete one (sim/quotas.py); None when the run is shorter than a quarter."""
    ends = np.arange(QUARTER - 1, len(weekly), QUARTER)
    share = weekly["quota_attained_share"]
    return {"quota_attained_share_baseline": float(share.iloc[ends[0]]) if len(ends) else None,
            "quota_attained_share_final": float(share.iloc[ends[-1]]) if len(ends) else None}


def run_kpis(model: SilosimModel, weekly: pd.DataFrame) -> dict[str, Any]:
    """One row of KPIs for the run (units in docs/results.md)."""
    prog, p = model.programme, model.params
    base = weekly.iloc[: p.baseline_weeks]
    years = len(weekly) / YEAR
    window = p.labels.reach_window_weeks
    tallies = weekly[["leads_created", "leads_followed_up", "leads_qualified", "leads_won",
                      "quits", "churned"]].sum()
    kpis: dict[str, Any] = {
        **model.company.columns(),
        "released": prog.release_week is not None,
        "first_release_week": prog.release_week,
        "rollout_week": prog.rollout_week,
        "cancel_week": prog.cancel_week,
        "fit_at_rollout": prog.fit_at_rollout,
        "cancelled": prog.phase == Phase.CANCELLED,
        "final_phase": prog.phase,
        "adoption_final": _quarter_mean(weekly.adoption_mean, first=False),
        "active_share_final": _quarter_mean(weekly.active_share, first=False),
        "genuine_share_final": _quarter_mean(weekly.genuine_share, first=False),
        "adoption_peak_genuine": float(weekly.genuine_share.rolling(window, min_periods=1).mean().max()),
        "attitude_final": float(weekly.attitude_mean.iloc[-1]),
        "confidence_final": float(weekly.confidence.iloc[-1]),
        "revenue_baseline": float(base.recurring_revenue.mean()),
        "revenue_final": _quarter_mean(weekly.recurring_revenue, first=False),
        "bookings_baseline": float(base.bookings.mean()),
        "bookings_final": _quarter_mean(weekly.bookings, first=False),
        "customer_hours_baseline": float(base.customer_hours.mean()),
        "customer_hours_final": _quarter_mean(weekly.customer_hours, first=False),
        "rep_attrition_annual": _ratio(tallies.quits, weekly.headcount.mean() * years),
        "quits_total": int(tallies.quits),
        "churn_annual": _ratio(tallies.churned, weekly.subscribers.mean() * years),
        "leads_created": int(tallies.leads_created),
        "leads_followed_up": int(tallies.leads_followed_up),
        "leads_qualified": int(tallies.leads_qualified),
        "leads_won": int(tallies.leads_won),
        "speed_to_lead_days": _ratio(model.totals["lead_wait_days"], tallies.leads_followed_up),
        "win_rate": _ratio(model.totals["deals_won"], model.totals["deals_closed"]),
        "satisfaction_final": float(weekly.satisfaction.iloc[-1]),
        "rec_quality_final": float(weekly.rec_quality.iloc[-1]),
        "sales_cost_index": float(weekly.sales_cost.mean()),
    }
    kpis.update(quota_kpis(weekly))
    kpis["value_ratio"] = _ratio(kpis["revenue_final"], kpis["revenue_baseline"])
    kpis["customer_time_ratio"] = _ratio(kpis["customer_hours_final"],
                                         kpis["customer_hours_baseline"])
    totals = model.totals
    handed = totals["leads_created"] + totals["leads_recycled"]
    kpis["leads_recycled"] = int(totals["leads_recycled"])
    kpis["followed_up_share"] = _ratio(kpis["leads_followed_up"], handed)
    kpis["accepted_followed_share"] = _ratio(kpis["leads_followed_up"], totals["leads_accepted"])
    kpis["sla_compliance"] = _ratio(totals["leads_within_sla"], totals["leads_routed_followed"])
    kpis["marketing_sourced_share"] = _ratio(totals["leads_won"], totals["deals_won"])
    kpis["deal_cycle_weeks"] = _ratio(totals["deal_weeks"], totals["deals_closed"])
    kpis["cross_sells_won"] = int(totals["cross_sells_won"])
    kpis["cross_sell_win_rate"] = _ratio(totals["cross_sells_won"], totals["cross_sells_closed"])
    kpis["first_year_churn"] = _ratio(totals["first_renewals_lost"], totals["first_renewals_due"])
    return kpis
