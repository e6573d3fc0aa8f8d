"""The silosim model: one sales organisation living through a transformation programme.

One step is one week. ``step`` reads as the ODD's process overview: the programme
advances, marketing generates and hands off leads, reps update their attitude and
usage and plan their week, then sell, customers react, accounts change hands, pay is
felt and some reps leave, and the programme's leaders review what they see.
"""

from __future__ import annotations

import pickle

import mesa
import numpy as np
import pandas as pd

from scenarios.registry import lookup
from scenarios.silo.frictions import SiloFrictions
from sim.accounts import hand_over_accounts, rebalance_books
from sim.agents import Customer, Manager, Marketer, SalesRep
from sim.attitude import update_attitudes
from sim.attrition import pay_and_attrition
from sim.common_random import CommonRandom
from sim.company import CompanyTraits
from sim.customers import buying_journey, care_for_accounts, renew_or_churn
from sim.economics import cumulative_columns
from sim.lead_flow import (
    CHANNEL_TALLIES,
    CHANNELS,
    follow_up_leads,
    generate_leads,
    message_inconsistency,
    nurture_leads,
)
from sim.metrics import COUNTERFACTUAL_SERIES, TWIN_SERIES, WEEKLY, WITHOUT_SUFFIX, record_week
from sim.numeric import SEED_SPAN, TINY
from sim.organisation import build_peer_network, build_sales_force, mean_or_zero, naive_market
from sim.params import SimParams
from sim.programme import Phase, TransformationProgramme
from sim.quotas import QuotaBook
from sim.selling import close_deals, develop_accounts, pursue_accounts
from sim.steady_state import MarketState, steady_market
from sim.tech_affinity import SEGMENTS
from sim.time_budget import plan_week
from sim.weeks import QUARTER

TALLIES = ("leads_created", "leads_recycled", "leads_rejected", "leads_accepted", "leads_followed_up",
           "leads_qualified", "leads_won", "leads_expired", "lead_wait_days",
           "leads_routed_followed", "leads_within_sla", "bookings", "churned", "renewals_due",
           "deals_closed", "deals_won", "cross_sell_opportunities", "cross_sells_closed",
           "cross_sells_won", "deal_weeks", "first_renewals_due", "first_renewals_lost", "quits",
           "handoffs", "accounts_moved",
           # what the economics price (sim/economics.py)
           "hires", "reps_trained", "managers_enabled", "pay_basis", "pay_top_up",
           *CHANNEL_TALLIES.values())


class SilosimModel(mesa.Model):
    """A sales organisation, its market and its digital transformation programme."""

    def __init__(self, *, params: SimParams | None = None, rng: int | None = None,
                 counterfactual: bool = True) -> None:
        super().__init__(rng=rng)
        self.params = p = params or SimParams()
        self.week = 0
        self.counterfactual = counterfactual   # branch a no-programme twin at launch
        self.twin: SilosimModel | None = None
        self.choose_policies()
        self.company = CompanyTraits.draw(p.company, self.rng)
        self.chance = CommonRandom(int(self.rng.integers(SEED_SPAN)))   # every later chance event
        self.frictions = SiloFrictions.from_params(p.silo, p.org.n_reps,
                                                   p.incentives.shared_revenue_goal)
        self.force = build_sales_force(p, self.account_handoff.two_roles, self.rng)
        self.peers = build_peer_network(self.force.team, p.org.peer_links,
                                        p.org.cross_team_share, self.rng)
        settled = self.settled_state()
        self.book = settled.customers(-p.spin_up_weeks) if settled else \
            naive_market(p, self.force, self.rng)
        self.pay_since = -p.spin_up_weeks   # the week the organisation's pay history starts
        if settled:
            settled.seat(self.force, -p.spin_up_weeks)
            self.pay_since -= settled.week
        self.programme = TransformationProgramme(self)
        selection = lookup("eet_selection", p.eet.selection, "eet.selection")
        self.force.eet = selection.members(self.force.segment, p.programme.eet_share,
                                           self.programme.rng) & self.force.occupied
        self.create_agents()
        self.quotas = QuotaBook(self)
        if settled:
            settled.brief(self.marketers)
        self.tally = dict.fromkeys(TALLIES, 0.0)
        self.totals = dict.fromkeys(TALLIES, 0.0)
        self.care = np.zeros(self.book.size)
        self.inconsistency = 0.0
        self.weekly = {name: np.zeros(p.horizon_weeks) for name in WEEKLY}
        self.recorded: tuple[str, ...] = tuple(WEEKLY)
        self.weekly_phase: list[str] = []
        self.spin_up()

    def settled_state(self) -> MarketState | None:
        """One of the market's settled no-programme states, picked by this run's random
        stream; None for the settling run itself (``settle_weeks`` 0), which starts naive."""
        if not self.params.settle_weeks:
            return None
        states = steady_market(self.params)
        return states[int(self.rng.integers(len(states)))]

    def spin_up(self) -> None:
        """Run the organisation without a programme until week 0: the pipeline fills and reps
        get used to their pay, so the baseline quarter is a week like any other."""
        self.week = -self.params.spin_up_weeks
        if self.params.spin_up_weeks:
            self.run_for(self.params.spin_up_weeks)

    def choose_policies(self) -> None:
        """Look up the configured lever policies by name (configs are data: no eval); marketing's
        pay scheme gives the plan marketing works to, from the schema (``marketing.*``)."""
        p = self.params
        self.lead_handoff = lookup("lead_handoff", p.lead_handoff.policy, "lead_handoff.policy")
        self.account_handoff = lookup("account_handoff", p.account_handoff.policy,
                                      "account_handoff.policy")
        self.rep_pay = lookup("rep_pay", p.incentives.rep_pay, "incentives.rep_pay")
        self.marketing_pay = lookup("marketing_pay", p.incentives.marketing_pay,
                                    "incentives.marketing_pay").plan(p.marketing)
        self.pay_transition = lookup("pay_transition", p.incentives.pay_transition,
                                     "incentives.pay_transition")

    #: attributes holding policy classes, which a copy looks up again by name (a policy may
    #: be registered from a module that cannot be imported again, e.g. a notebook's)
    POLICIES = ("lead_handoff", "account_handoff", "rep_pay", "pay_transition")

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in self.POLICIES}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.choose_policies()

    def create_agents(self) -> None:
        """Reps for every seat, a manager per team, marketers across channels, customers."""
        self.rep_agents = [SalesRep(self, seat) if occupied else None
                           for seat, occupied in enumerate(self.force.occupied)]
        m = self.params.managers
        attitudes = self.rng.beta(m.attitude_alpha, m.attitude_beta, int(self.force.team.max()) + 1)
        self.managers = [Manager(self, team, float(a), enabled=False)
                         for team, a in enumerate(attitudes)]
        self.marketers = [Marketer(self, CHANNELS[i % len(CHANNELS)])
                          for i in range(self.params.org.n_marketers)]
        for slot in range(self.book.size):
            Customer(self, slot)

    # ---------------------------------------------------------------------- the week

    def step(self) -> None:
        """One week (Mesa's step; the week itself is ``advance_week``)."""
        self.advance_week()

    def advance_week(self) -> None:
        """One week, in the order of the ODD's process overview; the counterfactual twin, once
        branched, lives the same week after it (stepped directly: Mesa's event list holds
        its callbacks by weak reference, so a copied model's schedule is empty)."""
        week = self.week
        self.tally = dict.fromkeys(TALLIES, 0.0)
        self.programme.advance(week)            # launch, plan, build, release, roll out, learn, drift
        self.managers_observe_the_tool()        # managers' view follows the tool's value
        self.inconsistency = message_inconsistency(self)
        buying_journey(self, week)              # prospects move through their journey
        nurture_leads(self, week)               # marketing keeps not-yet-ready leads warm
        generate_leads(self, week)              # marketing creates leads; the handoff routes them
        update_attitudes(self, week)            # results, peers, manager, mandate → usage
        plan_week(self)                         # admin, leads, hunting, farming
        follow_up_leads(self, week)             # reps work the leads they trust
        pursue_accounts(self, week)             # hunting, with or without recommendations
        develop_accounts(self, week)            # farming grows accounts, cross-sells
        close_deals(self, week)                 # opportunities won or lost
        care_for_accounts(self, week)           # satisfaction, relationship, CRM knowledge
        renew_or_churn(self, week)              # anniversaries
        hand_over_accounts(self, week)          # hunter → farmer
        rebalance_books(self, week)             # managers even out farmers' books
        self.quotas.count_week(self, week)      # quarterly quotas and credit against them
        pay_and_attrition(self, week)           # pay felt, morale, quits, hires
        self.programme.review(week)             # confidence, course correction, cancellation
        if week >= 0:
            for name, value in self.tally.items():
                self.totals[name] += value
            record_week(self)
        self.week += 1
        if self.twin is not None:
            self.twin.advance_week()

    def run(self) -> None:
        """Run the rest of the horizon."""
        self.run_for(self.params.horizon_weeks - self.week)

    def without_programme(self) -> SilosimModel:
        """The counterfactual: a copy of this organisation, its luck included (every later
        chance event is keyed, sim/common_random.py), whose programme stands down at once.

        Copied at launch or at any later point before the programme first changes what the
        organisation without it would see, it is the same counterfactual: until its first
        release a programme plans, builds and enables managers, none of which a sales force
        without the tools reads (tests/test_counterfactual.py shows the copies equal)."""
        twin = pickle.loads(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        twin.counterfactual = False
        twin.recorded = TWIN_SERIES
        twin.programme.stand_down()
        launch = min(twin.programme.launch_week, len(twin.weekly_phase))
        twin.weekly_phase[launch:] = [Phase.NO_PROGRAMME] * (len(twin.weekly_phase) - launch)
        return twin

    def branch_counterfactual(self) -> None:
        """Make the no-programme twin now, unless there is one or none is wanted. Called the
        first time the programme touches the sales force (``grant_access``), at the start of
        that week's work, so a programme cancelled before release never needs one."""
        if self.counterfactual and self.twin is None:
            self.twin = self.without_programme()

    def counterfactual_frame(self, until: int | None = None) -> pd.DataFrame:
        """The no-programme counterfactual's weekly metrics: the twin's once it has branched,
        else this run's own (before launch, or with no programme, they are the same run)."""
        return (self.twin or self).weekly_frame(until, counterfactual=False)

    # ------------------------------------------------------------ acts on the sales force

    def enable_managers(self, rng: np.random.Generator) -> None:
        """Enable the configured share of first-line managers as change agents (001 action 5)."""
        n = round(self.params.programme.manager_enablement * len(self.managers))
        for index in rng.permutation(len(self.managers))[:n]:
            self.managers[index].enable()
        self.tally["managers_enabled"] += n

    def enable_lagging_manager(self) -> None:
        """Enable the manager of the team whose reps use the tools least, if not yet enabled."""
        f = self.force
        present = (f.occupied & f.access).astype(float)
        use = np.bincount(f.team, weights=f.voluntary * present, minlength=len(self.managers))
        size = np.bincount(f.team, weights=present, minlength=len(self.managers))
        waiting = [m.team for m in self.managers if not m.enabled and size[m.team] > 0]
        if waiting:
            team = min(waiting, key=lambda t: use[t] / size[t])
            self.managers[team].enable()
            self.tally["managers_enabled"] += 1

    def managers_observe_the_tool(self) -> None:
        if self.programme.release_week is not None and self.programme.phase != Phase.CANCELLED:
            usefulness = self.programme.usefulness   # the same for every manager this week
            for manager in self.managers:
                manager.observe(usefulness)

    def grant_access(self, seats: np.ndarray) -> None:
        """Give the tools, with launch training, to the seats that do not have them yet."""
        self.branch_counterfactual()
        force = self.force
        new = seats & ~force.access & force.occupied
        force.access |= new
        self.train(new, self.params.attitude.training_boost)

    def train(self, seats: np.ndarray, amount: float) -> None:
        """Raise skill of the given seats by ``amount`` of what they still lack."""
        force = self.force
        force.skill = np.where(seats, force.skill + amount * (1.0 - force.skill), force.skill)
        self.tally["reps_trained"] += int(np.count_nonzero(seats))

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

    # --------------------------------------------------------------- what others observe

    def manager_view(self, quality: str) -> np.ndarray:
        """One of the managers' properties (``stance``, ``coaching``, ``enforcement``) per team."""
        return np.array([getattr(m, quality) for m in self.managers])

    def marketing_channels(self) -> dict[str, list[Marketer]]:
        channels: dict[str, list[Marketer]] = {}
        for marketer in self.marketers:
            channels.setdefault(marketer.channel, []).append(marketer)
        return channels

    def crm_use(self, seats: np.ndarray) -> np.ndarray:
        """How much of their account knowledge these reps record in the CRM: a little without
        the new tools, the more the more they work through them."""
        base = self.params.selling.crm_base_use
        f = self.force
        return (base + (1.0 - base) * f.adoption * f.access)[seats]   # per seat, then per entry

    def marketing_learns(self, share_followed: float) -> None:
        """Marketing hears from sales as far as it asks (its pay) and silos let it through."""
        feedback = self.marketing_pay.seeks_feedback * (1.0 - self.frictions.feedback) * \
            share_followed
        for marketer in self.marketers:
            marketer.learn_from_sales(feedback, self.params.leads)

    def mean_adoption(self) -> float:
        f = self.force
        return mean_or_zero(f.adoption[f.occupied])

    def mean_voluntary(self) -> float:
        f = self.force
        return mean_or_zero(f.voluntary[f.occupied & f.access])

    def genuine_share(self) -> float:
        f = self.force
        return mean_or_zero(f.voluntary[f.occupied] >= self.params.attitude.active_use)

    def segment_adoption(self) -> np.ndarray:
        """Mean usage per tech-affinity segment: whose feedback reaches the designers."""
        f = self.force
        present = f.occupied.astype(float)
        use = np.bincount(f.segment, weights=f.adoption * present, minlength=len(SEGMENTS))
        return use / np.maximum(np.bincount(f.segment, weights=present, minlength=len(SEGMENTS)),
                                1.0)

    def revenue_ratio(self) -> float:
        """Recurring revenue over the last quarter against the baseline quarter (a lagging KPI)."""
        b = self.params.baseline_weeks
        if self.week <= b:
            return 1.0
        revenue = self.weekly["recurring_revenue"]
        recent = revenue[max(b, self.week - QUARTER): self.week].mean()
        return float(recent / max(revenue[:b].mean(), TINY))

    def weekly_frame(self, until: int | None = None, counterfactual: bool = True) -> pd.DataFrame:
        """The weekly metrics of weeks ``[0, until)`` (default: all recorded), one row per week,
        with the counterfactual's revenue and bookings beside them (``*_without``) and the
        running totals of programme cost and value added against it (sim/economics.py).

        Rows before ``until`` never change, so a reader may cut the frame while the model
        is being stepped elsewhere (the dashboard's ▶ runs in another thread).
        """
        week = self.week if until is None else until
        frame = pd.DataFrame({name: values[:week] for name, values in self.weekly.items()})
        frame.insert(0, "phase", self.weekly_phase[:week])
        frame.insert(0, "week", np.arange(week))
        if counterfactual:
            without = (self.twin or self).weekly
            for name in COUNTERFACTUAL_SERIES:
                frame[name + WITHOUT_SUFFIX] = without[name][:week]
            for name, values in cumulative_columns(self.weekly, without, self.params.costs,
                                                   week).items():
                frame[name] = values
        return frame
