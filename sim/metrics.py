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

from sim.organisation import FARMER, SUBSCRIBER
from sim.tech_affinity import AVOIDER, ENTHUSIAST, RELUCTANT
from sim.time_budget import customer_hours

if TYPE_CHECKING:
    from sim.model import SilosimModel

QUARTER = 13


def _segment_adoption(segment: int) -> Callable[[SilosimModel], float]:
    return lambda model: float(model.segment_adoption()[segment])


def _occupied_mean(field: str) -> Callable[[SilosimModel], float]:
    def reporter(model: SilosimModel) -> float:
        f = model.force
        return float(getattr(f, field)[f.occupied].mean()) if f.occupied.any() else 0.0
    return reporter


def _tally(name: str) -> Callable[[SilosimModel], float]:
    return lambda model: float(model.tally[name])


def active_share(model: SilosimModel) -> float:
    """Share of occupied seats whose usage (mandated or not) makes them active users."""
    f = model.force
    return float((f.adoption[f.occupied] >= model.params.attitude.active_use).mean())


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
    return float(b.contract[b.stage == SUBSCRIBER].sum())


def satisfaction(model: SilosimModel) -> float:
    b = model.book
    subs = b.stage == SUBSCRIBER
    return float(b.satisfaction[subs].mean()) if subs.any() else 0.0


def mean_customer_hours(model: SilosimModel) -> float:
    f = model.force
    return float(customer_hours(f)[f.occupied].mean()) if f.occupied.any() else 0.0


def sales_cost(model: SilosimModel) -> float:
    """Cost of the occupied seats relative to all-field seats (inside-sales farmers are cheaper)."""
    f, p = model.force, model.params
    inside = p.account_handoff.inside_sales_farmers & (f.role == FARMER)
    cost = np.where(inside, p.selling.inside_sales_cost, 1.0)
    return float((cost * f.occupied).sum() / f.size)


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
    "headcount": lambda m: float(m.force.occupied.sum()),
    "customer_hours": mean_customer_hours,
    "mandate_pressure": _occupied_mean("pressure"),
    "subscribers": lambda m: float((m.book.stage == SUBSCRIBER).sum()),
    "sales_cost": sales_cost,
}

UNITS = {
    "week": "week index (0 = first baseline week)",
    "phase": "programme phase: baseline, plan, build, pilot, rollout, operate, cancelled",
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
    "subscribers": "customers with a live subscription (count)",
    "sales_cost": "cost of occupied seats relative to all-field seats [0-1]",
}


def record_week(model: SilosimModel) -> None:
    """Store this week's metrics in the model's weekly arrays."""
    week = model.week
    model.weekly_phase.append(model.programme.phase)
    for name, reporter in WEEKLY.items():
        model.weekly[name][week] = reporter(model)


def _quarter_mean(series: pd.Series, first: bool) -> float:
    part = series.iloc[:QUARTER] if first else series.iloc[-QUARTER:]
    return float(part.mean())


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def run_kpis(model: SilosimModel, weekly: pd.DataFrame) -> dict[str, Any]:
    """One row of KPIs for the run (units in docs/results.md)."""
    prog, p = model.programme, model.params
    base = weekly.iloc[: p.baseline_weeks]
    years = len(weekly) / 52.0
    window = p.labels.reach_window_weeks
    tallies = weekly[["leads_created", "leads_followed_up", "leads_qualified", "leads_won",
                      "quits", "churned"]].sum()
    kpis: dict[str, Any] = {
        "released": prog.release_week is not None,
        "first_release_week": prog.release_week,
        "rollout_week": prog.rollout_week,
        "cancel_week": prog.cancel_week,
        "cancelled": prog.phase == "cancelled",
        "final_phase": prog.phase,
        "adoption_final": _quarter_mean(weekly.adoption_mean, first=False),
        "active_share_final": _quarter_mean(weekly.active_share, first=False),
        "genuine_share_final": _quarter_mean(weekly.genuine_share, first=False),
        "adoption_peak_genuine": float(weekly.genuine_share.rolling(window).mean().max()),
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
    kpis["value_ratio"] = _ratio(kpis["revenue_final"], kpis["revenue_baseline"])
    kpis["customer_time_ratio"] = _ratio(kpis["customer_hours_final"],
                                         kpis["customer_hours_baseline"])
    kpis["followed_up_share"] = _ratio(kpis["leads_followed_up"], kpis["leads_created"])
    return kpis
