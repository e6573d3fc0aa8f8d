"""The money of a transformation: what the programme costs and what it earns (issue 23).

Costs price what a run did; they never feed the simulation (``costs.*``, docs/economics.md).
Money is in $k, like contract values; a rate per year is charged as 1/52 of it each week.

Two weekly figures are read off the model like any other metric (``sim.metrics.WEEKLY``):

- ``programme_spend``: what the programme spends this week — its team (by delivery mode,
  with a cross-functional team's extra members and a programme office under KPIs; a
  smaller sustainment team after hypercare), its leader, the platform from the start of
  the build, a licence per rep with access, each rep trained, each manager enabled,
  embedded training per rep with access while the team provides it, and the top-up a
  hold-harmless pay transition pays (the shortfall of the income ratio times on-target
  pay). Nothing before launch, nothing without a programme; after a cancellation only
  promised top-ups.
- ``operating_cost``: what the sales organisation costs this week — every seat at its
  role's cost (a vacant seat too: the vacancy's lost selling is in revenue and its saved
  pay goes to cover and hiring effort, so a vacancy is never a saving), variable pay on
  the credit the pay scheme counts, recruiting per hire, marketing per lead by channel
  and per event, and the running cost of the silo mitigations.

Against the counterfactual (the same organisation without the programme, sharing every
random draw up to launch) a week's value added is the gross margin on the recurring
revenue gained, ``costs.gross_margin * (revenue - revenue_without) / 52``, net of the
operating cost the programme changed, ``operating_cost - operating_cost_without``
(turnover, variable pay). Invariant: while the two branches are identical — no programme,
or a programme cancelled before it changed anything — every week's value added is
exactly 0, and the programme's cost is what it spent (0 without a programme).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.lead_flow import CHANNEL_TALLIES
from sim.organisation import FARMER
from sim.programme import QUIET, Phase
from sim.weeks import HALF_YEAR, TWO_YEARS, YEAR

if TYPE_CHECKING:
    from sim.model import SilosimModel
    from sim.params import CostParams, SimParams

#: weeks after launch at which time-to-value is read (``value_added_26`` ...)
VALUE_HORIZONS = (HALF_YEAR, YEAR, TWO_YEARS)
#: the cost a chosen policy has in the schema: ``costs.<prefix><policy name>``
TEAM_FTE, LEADER_YEAR, MITIGATION_YEAR = "team_fte_", "leader_year_", "mitigation_year_"
#: the channel whose marketers also run events, at a fixed cost each
EVENT_CHANNEL = "events"
#: weekly columns the economics add to a run's frame
PROGRAMME_CUMULATIVE, VALUE_CUMULATIVE = "programme_cost_cumulative", "value_added_cumulative"
NET_CUMULATIVE = "net_value_cumulative"


def policy_cost(costs: CostParams, prefix: str, name: str) -> float:
    """The schema's cost for a chosen policy (``SimParams`` checks it exists)."""
    return float(getattr(costs, prefix + name))


def seat_cost_factors(model: SilosimModel) -> np.ndarray:
    """Each seat's cost relative to a field seat, filled or vacant: inside-sales farmers are
    cheaper (003, ``selling.inside_sales_cost``)."""
    f, p = model.force, model.params
    inside = p.account_handoff.inside_sales_farmers & (f.role == FARMER)
    return np.where(inside, p.selling.inside_sales_cost, 1.0)


def licensed_users(model: SilosimModel) -> int:
    f = model.force
    return int(np.count_nonzero(f.access & f.occupied))


def team_fte(model: SilosimModel) -> float:
    """The programme team this week: the delivery team (with a cross-functional team's extra
    members) until hypercare ends, the sustainment team after; a programme office under KPIs."""
    prog, c = model.programme, model.params.costs
    p = prog.p
    sustaining = prog.phase == Phase.OPERATE and model.week - prog.phase_week >= p.hypercare_weeks
    if sustaining:
        fte = c.sustainment_fte
    else:
        fte = policy_cost(c, TEAM_FTE, model.params.delivery.name) + \
            c.cross_functional_fte * p.cross_functional
    return fte + c.governance_fte * p.kpis


def programme_spend(model: SilosimModel) -> float:
    """What the programme spends this week ($k)."""
    prog, c, tally = model.programme, model.params.costs, model.tally
    spent = (c.training_per_rep * tally["reps_trained"]
             + c.enablement_per_manager * tally["managers_enabled"]
             + c.rep_target_pay_year / YEAR * tally["pay_top_up"])
    cancelled_now = prog.cancel_week == model.week
    if prog.phase in QUIET and not cancelled_now:
        return spent
    users = licensed_users(model)
    yearly = c.licence_user_year * users
    if prog.phase != Phase.PLAN:
        yearly += c.platform_year
    if prog.team_active or cancelled_now:
        yearly += team_fte(model) * c.fte_year + policy_cost(c, LEADER_YEAR,
                                                             model.params.leader.name)
        if prog.p.embedded_training:
            yearly += c.embedded_training_user_year * users
    return spent + yearly / YEAR


def operating_cost(model: SilosimModel) -> float:
    """What the sales organisation costs this week ($k): seats, variable pay, hiring,
    marketing and the silo mitigations."""
    p, tally = model.params, model.tally
    c = p.costs
    events = sum(m.channel == EVENT_CHANNEL for m in model.marketers)
    yearly = (c.field_seat_year * float(seat_cost_factors(model).sum())
              + c.event_cost * c.events_per_marketer_year * events
              + sum(policy_cost(c, MITIGATION_YEAR, name) for name in p.silo.mitigations))
    marketing = sum(getattr(c, "lead_cost_" + channel) * tally[name]
                    for channel, name in CHANNEL_TALLIES.items())
    return (yearly / YEAR + c.commission_rate * tally["pay_basis"]
            + c.recruiting_per_hire * tally["hires"] + marketing)


def weekly_value_added(revenue: np.ndarray, revenue_without: np.ndarray, cost: np.ndarray,
                       cost_without: np.ndarray, costs: CostParams) -> np.ndarray:
    """Each week's gross-margin value added against the counterfactual ($k)."""
    margin = costs.gross_margin * (revenue - revenue_without) / YEAR
    return margin - (cost - cost_without)


def cumulative_columns(weekly: dict[str, np.ndarray], without: dict[str, np.ndarray],
                       costs: CostParams, weeks: int) -> dict[str, np.ndarray]:
    """The running totals of programme cost, value added and their difference (net value)
    over weeks ``[0, weeks)``."""
    value = np.cumsum(weekly_value_added(
        weekly["recurring_revenue"][:weeks], without["recurring_revenue"][:weeks],
        weekly["operating_cost"][:weeks], without["operating_cost"][:weeks], costs))
    cost = np.cumsum(weekly["programme_spend"][:weeks])
    return {PROGRAMME_CUMULATIVE: cost, VALUE_CUMULATIVE: value, NET_CUMULATIVE: value - cost}


def _at(series: pd.Series, week: int) -> float | None:
    return float(series.iloc[week]) if 0 <= week < len(series) else None


def payback_week(cost: pd.Series, value: pd.Series) -> int | None:
    """The first week the cumulative value added covers the cumulative cost spent, if any."""
    covered = np.flatnonzero((cost.to_numpy() > 0) & (value.to_numpy() >= cost.to_numpy()))
    return int(covered[0]) if len(covered) else None


def economics_kpis(weekly: pd.DataFrame, params: SimParams, cancel_week: int | None
                   ) -> dict[str, Any]:
    """The run's economics against its counterfactual, from its weekly frame (units in
    docs/results.md)."""
    c = params.costs
    cost, value = weekly[PROGRAMME_CUMULATIVE], weekly[VALUE_CUMULATIVE]
    spent = float(cost.iloc[-1])
    added = float(value.iloc[-1])
    operating = float(weekly["operating_cost"].sum())
    margin = c.gross_margin * float(weekly["recurring_revenue"].sum()) / YEAR
    launch = params.baseline_weeks
    kpis: dict[str, Any] = {
        "programme_cost": spent,
        "value_added": added,
        "net_value": added - spent,
        "roi": (added - spent) / spent if spent > 0 else None,
        "payback_week": payback_week(cost, value),
        **{f"value_added_{n}": _at(value, launch + n - 1) for n in VALUE_HORIZONS},
        "cancellation_cost": _at(cost, cancel_week) if cancel_week is not None else None,
        "operating_cost": operating,
        "contribution": margin - operating - spent,
        "hires_total": int(weekly["hires"].sum()),
        "turnover_cost": c.recruiting_per_hire * float(weekly["hires"].sum()),
    }
    return kpis
