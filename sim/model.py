"""The silosim model: one sales organisation living through a transformation programme.

One step is one week. ``step`` reads as the ODD's process overview: the programme
advances, marketing generates and hands off leads, reps update their attitude and
usage and plan their week, then sell, customers react, accounts change hands, pay is
felt and some reps leave, and the programme's leaders review what they see.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from scenarios.registry import lookup
from scenarios.silo.frictions import SiloFrictions
from sim.accounts import hand_over_accounts
from sim.agents import Customer, Manager, Marketer, SalesRep
from sim.attitude import update_attitudes
from sim.attrition import pay_and_attrition
from sim.customers import buying_journey, care_for_accounts, renew_or_churn
from sim.lead_flow import (
    CHANNEL_FOCUS,
    follow_up_leads,
    generate_leads,
    message_inconsistency,
    nurture_leads,
)
from sim.metrics import WEEKLY, record_week
from sim.organisation import (
    PROSPECT,
    build_market,
    build_peer_network,
    build_sales_force,
    draw_segments,
)
from sim.params import SimParams
from sim.programme import TransformationProgramme
from sim.selling import close_deals, develop_accounts, pursue_accounts
from sim.time_budget import plan_week

TALLIES = ("leads_created", "leads_followed_up", "leads_qualified", "leads_won", "lead_wait_days",
           "bookings", "churned", "renewals_due", "deals_closed", "deals_won", "quits",
           "handoffs", "accounts_moved")
MARKETING_CHANNELS = tuple(CHANNEL_FOCUS)


class SilosimModel(mesa.Model):
    """A sales organisation, its market and its digital transformation programme."""

    def __init__(self, *, params: SimParams | None = None, rng: int | None = None) -> None:
        super().__init__(rng=rng)
        self.params = p = params or SimParams()
        self.week = 0
        self.choose_policies()
        self.culture = float(self.rng.normal(0.0, p.org.culture_spread))
        self.frictions = SiloFrictions.from_params(
            p.silo.level, p.org.n_reps, p.silo.size_elasticity, p.silo.mitigations,
            p.incentives.shared_revenue_goal)
        self.force = build_sales_force(p, self.account_handoff.two_roles, self.rng)
        self.peers = build_peer_network(self.force.team, p.org.peer_links,
                                        p.org.cross_team_share, self.rng)
        self.book = build_market(p, self.force, self.rng)
        self.initial_prospects = max(int((self.book.stage == PROSPECT).sum()), 1)
        self.programme = TransformationProgramme(self)
        self.force.eet = self.programme.eet.members(self.force.segment, p.programme.eet_share,
                                                    self.rng)
        self.create_agents()
        self.tally = dict.fromkeys(TALLIES, 0.0)
        self.totals = dict.fromkeys(TALLIES, 0.0)
        self.care = np.zeros(self.book.size)
        self.inconsistency = 0.0
        self.weekly = {name: np.zeros(p.horizon_weeks) for name in WEEKLY}
        self.weekly_phase: list[str] = []
        self.spin_up()

    def spin_up(self) -> None:
        """Run the organisation without a programme until week 0, so the baseline quarter
        starts from the market's steady state rather than from the initial draw."""
        self.week = -self.params.spin_up_weeks
        self.run_for(self.params.spin_up_weeks)

    def choose_policies(self) -> None:
        """Look up the configured lever policies by name (configs are data: no eval)."""
        p = self.params
        self.lead_handoff = lookup("lead_handoff", p.lead_handoff.policy, "lead_handoff.policy")
        self.account_handoff = lookup("account_handoff", p.account_handoff.policy,
                                      "account_handoff.policy")
        self.rep_pay = lookup("rep_pay", p.incentives.rep_pay, "incentives.rep_pay")
        self.marketing_pay = lookup("marketing_pay", p.incentives.marketing_pay,
                                    "incentives.marketing_pay")
        self.pay_transition = lookup("pay_transition", p.incentives.pay_transition,
                                     "incentives.pay_transition")

    def create_agents(self) -> None:
        """Reps for every seat, a manager per team, marketers across channels, customers."""
        self.rep_agents = [SalesRep(self, seat) for seat in range(self.force.size)]
        attitudes = self.rng.beta(2.0, 2.5, int(self.force.team.max()) + 1)
        self.managers = [Manager(self, team, float(a), enabled=False)
                         for team, a in enumerate(attitudes)]
        self.marketers = [Marketer(self, MARKETING_CHANNELS[i % len(MARKETING_CHANNELS)])
                          for i in range(self.params.org.n_marketers)]
        for slot in range(self.book.size):
            Customer(self, slot)

    # ---------------------------------------------------------------------- the week

    def step(self) -> None:
        """One week, in the order of the ODD's process overview."""
        week = self.week
        self.tally = dict.fromkeys(TALLIES, 0.0)
        if week == self.programme.launch_week:
            self.enable_managers()
        self.programme.advance(week)            # plan, build, release, roll out, learn, drift
        self.managers_observe_the_tool()        # managers' view follows the tool's value
        self.inconsistency = message_inconsistency(self)
        buying_journey(self)                    # prospects move through their journey
        nurture_leads(self)                     # marketing keeps not-yet-ready leads warm
        generate_leads(self, week)              # marketing creates leads; the handoff routes them
        update_attitudes(self, week)            # results, peers, manager, mandate → usage
        plan_week(self)                         # admin, leads, hunting, farming
        follow_up_leads(self, week)             # reps work the leads they trust
        pursue_accounts(self, week)             # hunting, with or without recommendations
        develop_accounts(self)                  # farming grows accounts
        close_deals(self, week)                 # opportunities won or lost
        care_for_accounts(self, week)           # satisfaction, relationship, CRM knowledge
        renew_or_churn(self, week)              # anniversaries
        hand_over_accounts(self, week)          # hunter → farmer
        pay_and_attrition(self, week)           # pay felt, morale, quits, hires
        self.programme.review(week)             # confidence, course correction, cancellation
        if week >= 0:
            for name, value in self.tally.items():
                self.totals[name] += value
            record_week(self)
        self.week += 1

    def run(self) -> None:
        """Run the rest of the horizon."""
        self.run_for(self.params.horizon_weeks - self.week)

    # ------------------------------------------------------------ acts on the sales force

    def enable_managers(self) -> None:
        """Enable the configured share of first-line managers as change agents (001 action 5)."""
        n = round(self.params.programme.manager_enablement * len(self.managers))
        for index in self.rng.permutation(len(self.managers))[:n]:
            self.managers[index].enable()

    def managers_observe_the_tool(self) -> None:
        if self.programme.release_week is not None and self.programme.phase != "cancelled":
            for manager in self.managers:
                manager.observe(self.programme.usefulness)

    def grant_access(self, seats: np.ndarray) -> None:
        """Give the tools, with launch training, to the seats that do not have them yet."""
        force = self.force
        new = seats & ~force.access & force.occupied
        force.access |= new
        self.train(new, self.params.attitude.training_boost)

    def train(self, seats: np.ndarray, amount: float) -> None:
        """Raise skill of the given seats by ``amount`` of what they still lack."""
        force = self.force
        force.skill = np.where(seats, force.skill + amount * (1.0 - force.skill), force.skill)

    def withdraw_tools(self) -> None:
        """A cancelled programme takes the tools away."""
        force = self.force
        force.access[:] = False
        force.voluntary[:] = 0.0
        force.adoption[:] = 0.0
        force.pressure[:] = 0.0

    def vacate(self, seat: int, week: int) -> None:
        """A rep leaves: their agent goes and the seat waits (``LeaversBooks`` moves the book)."""
        self.rep_agents[seat].remove()
        force = self.force
        force.occupied[seat] = False
        force.access[seat] = False
        force.vacant_until[seat] = week + self.params.attrition.vacancy_weeks
        force.voluntary[seat] = force.adoption[seat] = force.pressure[seat] = 0.0
        for hours in (force.hours_admin, force.hours_leads, force.hours_hunting,
                      force.hours_farming):
            hours[seat] = 0.0

    def seat_rep(self, seat: int) -> None:
        """A new rep agent takes the seat and spends the first week onboarding (admin)."""
        self.rep_agents[seat] = SalesRep(self, seat)
        self.force.hours_admin[seat] = self.params.time_budget.hours_per_week

    def draw_segment(self) -> int:
        return int(draw_segments(1, self.params, self.rng)[0])

    # --------------------------------------------------------------- what others observe

    def manager_view(self, quality: str) -> np.ndarray:
        """One of the managers' properties (``stance``, ``coaching``, ``enforcement``) per team."""
        return np.array([getattr(m, quality) for m in self.managers])

    def marketing_channels(self) -> dict[str, list[Marketer]]:
        channels: dict[str, list[Marketer]] = {}
        for marketer in self.marketers:
            channels.setdefault(marketer.channel, []).append(marketer)
        return channels

    def mean_adoption(self) -> float:
        f = self.force
        return float(f.adoption[f.occupied].mean()) if f.occupied.any() else 0.0

    def mean_voluntary(self) -> float:
        f = self.force
        users = f.occupied & f.access
        return float(f.voluntary[users].mean()) if users.any() else 0.0

    def genuine_share(self) -> float:
        f = self.force
        if not f.occupied.any():
            return 0.0
        return float((f.voluntary[f.occupied] >= self.params.attitude.active_use).mean())

    def segment_adoption(self) -> np.ndarray:
        """Mean usage per tech-affinity segment: whose feedback reaches the designers."""
        f = self.force
        present = f.occupied.astype(float)
        use = np.bincount(f.segment, weights=f.adoption * present, minlength=3)
        return use / np.maximum(np.bincount(f.segment, weights=present, minlength=3), 1.0)

    def revenue_ratio(self) -> float:
        """Recurring revenue over the last quarter against the baseline quarter (a lagging KPI)."""
        b = self.params.baseline_weeks
        if self.week <= b:
            return 1.0
        revenue = self.weekly["recurring_revenue"]
        recent = revenue[max(b, self.week - 13): self.week].mean()
        return float(recent / max(revenue[:b].mean(), 1e-9))

    def weekly_frame(self, until: int | None = None) -> pd.DataFrame:
        """The weekly metrics of weeks ``[0, until)`` (default: all recorded), one row per week.

        Rows before ``until`` never change, so a reader may cut the frame while the model
        is being stepped elsewhere (the dashboard's ▶ runs in another thread).
        """
        week = self.week if until is None else until
        frame = pd.DataFrame({name: values[:week] for name, values in self.weekly.items()})
        frame.insert(0, "phase", self.weekly_phase[:week])
        frame.insert(0, "week", np.arange(week))
        return frame
