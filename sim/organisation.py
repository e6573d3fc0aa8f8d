"""Initialisation: the sales force, its teams and peer network, and the market.

State lives in two structure-of-arrays tables — ``SalesForce`` (one slot per rep
seat) and ``CustomerBook`` (one slot per organisation in the market) — so the weekly
mechanisms run as numpy operations over all reps or customers at once. The Mesa
agents in ``sim/agents.py`` are views onto these slots.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy import sparse

from sim.numeric import TINY
from sim.params import PriorParams, SimParams
from sim.tech_affinity import SEGMENTS
from sim.weeks import NEVER, YEAR

FULL_CYCLE, HUNTER, FARMER = 0, 1, 2
ROLES = ("full_cycle", "hunter", "farmer")

PROSPECT, LEAD, NURTURE, OPPORTUNITY, SUBSCRIBER = 0, 1, 2, 3, 4
STAGES = ("prospect", "lead", "nurture", "opportunity", "subscriber")


@dataclass
class SalesForce:
    """Rep seats as arrays; a seat keeps its team and territory when its rep changes."""

    team: np.ndarray
    occupied: np.ndarray
    vacant_until: np.ndarray
    segment: np.ndarray
    relationship: np.ndarray
    autonomy: np.ndarray
    role: np.ndarray
    farmer_for: np.ndarray
    eet: np.ndarray
    access: np.ndarray
    skill: np.ndarray
    usefulness: np.ndarray
    ease: np.ndarray
    voluntary: np.ndarray
    adoption: np.ndarray
    pressure: np.ndarray
    pay_felt: np.ndarray
    pay_reference: np.ndarray
    income_ratio: np.ndarray
    income_gap: np.ndarray
    pay_swing: np.ndarray
    morale: np.ndarray
    credit: np.ndarray
    hours_admin: np.ndarray
    hours_leads: np.ndarray
    hours_hunting: np.ndarray
    hours_farming: np.ndarray
    lead_queue: np.ndarray
    lead_trust: np.ndarray
    agent_id: np.ndarray
    hired_week: np.ndarray        # the week the seat's rep joined (NEVER: tenured at the start)
    credit_history: np.ndarray    # moving average of the seat's weekly credit (sim/quotas.py)

    @property
    def size(self) -> int:
        return len(self.team)

    def sellers(self) -> np.ndarray:
        """Occupied seats that take leads and hunt (hunters and full-cycle reps)."""
        return (self.occupied & (self.role != FARMER)).nonzero()[0]


@dataclass
class CustomerBook:
    """Organisations in the market as arrays, each at one life-cycle stage."""

    stage: np.ndarray
    fit: np.ndarray
    readiness: np.ndarray
    cooldown_until: np.ndarray
    owner: np.ndarray
    hunter: np.ndarray
    won_week: np.ndarray
    start_week: np.ndarray
    contract: np.ndarray
    potential: np.ndarray
    satisfaction: np.ndarray
    relationship: np.ndarray
    knowledge: np.ndarray
    intro_until: np.ndarray
    bonus_until: np.ndarray
    opp_rep: np.ndarray
    opp_opened: np.ndarray
    opp_close_week: np.ndarray
    opp_win_prob: np.ndarray
    opp_from_lead: np.ndarray
    lead_rep: np.ndarray
    lead_since: np.ndarray
    lead_wait: np.ndarray
    lead_score: np.ndarray
    agent_id: np.ndarray

    @property
    def size(self) -> int:
        return len(self.stage)

    def developed(self) -> np.ndarray:
        """Share of each account's potential already sold (0 for non-subscribers)."""
        return np.where(self.potential > 0, self.contract / np.maximum(self.potential, TINY), 0.0)


def draw_segments(n: int, params: SimParams, rng: np.random.Generator) -> np.ndarray:
    """Tech affinity per rep from the configured adopter mix: the inverse CDF of one uniform
    each (the draws ``rng.choice(len(SEGMENTS), size=n, p=shares)`` makes, without its checks
    of ``shares``)."""
    org = params.org
    cdf = np.cumsum([org.share_enthusiast, 1.0 - org.share_enthusiast - org.share_avoider,
                     org.share_avoider])
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int8)


def prior_attitudes(segment: np.ndarray, priors: PriorParams, rng: np.random.Generator
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Usefulness, ease and skill of reps who have not yet met the new tools: each segment's
    mean (``priors.<quality>_<segment>``) plus a normal spread, clipped to [0, 1]."""
    def by_segment(quality: str) -> np.ndarray:
        base = np.array([getattr(priors, f"{quality}_{name}") for name in SEGMENTS])[segment]
        spread = getattr(priors, f"{quality}_spread")
        return (base + rng.normal(0.0, spread, len(segment))).clip(0.0, 1.0)

    return by_segment("usefulness"), by_segment("ease"), by_segment("skill")


def build_sales_force(params: SimParams, two_roles: bool, rng: np.random.Generator) -> SalesForce:
    """Seats in teams of ``reps_per_manager``; roles split by temperament when two roles."""
    n = params.org.n_reps
    team = (np.arange(n) // params.org.reps_per_manager).astype(np.int64)
    segment = draw_segments(n, params, rng)
    org = params.org
    relationship = rng.random(n) < org.relationship_share
    autonomy = np.clip(rng.beta(org.autonomy_alpha, org.autonomy_beta, n)
                       + org.relationship_autonomy * relationship, 0.0, 1.0)
    role, farmer_for = assign_roles(team, relationship, org.farmer_share, two_roles, rng)
    usefulness, ease, skill = prior_attitudes(segment, params.priors, rng)
    zeros = np.zeros(n)
    return SalesForce(
        team=team, occupied=np.ones(n, bool), vacant_until=np.zeros(n, np.int64),
        segment=segment, relationship=relationship, autonomy=autonomy, role=role,
        farmer_for=farmer_for, eet=np.zeros(n, bool), access=np.zeros(n, bool), skill=skill,
        usefulness=usefulness, ease=ease, voluntary=zeros.copy(), adoption=zeros.copy(),
        pressure=zeros.copy(), pay_felt=zeros.copy(), pay_reference=zeros.copy(),
        income_ratio=np.ones(n), income_gap=zeros.copy(), pay_swing=zeros.copy(),
        morale=np.full(n, params.attrition.morale_neutral), credit=zeros.copy(),
        hours_admin=zeros.copy(), hours_leads=zeros.copy(), hours_hunting=zeros.copy(),
        hours_farming=zeros.copy(), lead_queue=zeros.copy(),
        lead_trust=np.full(n, params.leads.lead_trust), agent_id=np.full(n, -1),
        hired_week=np.full(n, NEVER, np.int64), credit_history=zeros.copy(),
    )


def assign_roles(team: np.ndarray, relationship: np.ndarray, farmer_share: float,
                 two_roles: bool, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Roles per seat and each hunter's farmer in the same team (aligned territories, 003).

    Patient, relationship-oriented reps are preferred as farmers (003: staff each role
    with matching personalities).
    """
    n = len(team)
    role = np.full(n, FULL_CYCLE, np.int8)
    farmer_for = np.arange(n)
    if not two_roles:
        return role, farmer_for
    for t in np.unique(team):
        seats = np.flatnonzero(team == t)
        if len(seats) == 1:
            continue   # a one-rep team keeps a full-cycle rep: there is no one to hand to
        n_farmers = min(len(seats) - 1, max(1, round(farmer_share * len(seats))))
        order = seats[np.lexsort((rng.random(len(seats)), ~relationship[seats]))]
        farmers, hunters = order[:n_farmers], order[n_farmers:]
        role[farmers], role[hunters] = FARMER, HUNTER
        farmer_for[hunters] = farmers[np.arange(len(hunters)) % len(farmers)]
    return role, farmer_for


def build_peer_network(team: np.ndarray, links: int, cross_share: float,
                       rng: np.random.Generator) -> sparse.csr_matrix:
    """Symmetric peer ties: mostly within a rep's team, some across teams (001: reps trust peers)."""
    n = len(team)
    rows, cols = [], []
    for i in range(n):
        mates = np.flatnonzero(team == team[i])
        mates = mates[mates != i]
        for _ in range(links):
            within = len(mates) and rng.random() >= cross_share
            # a uniformly drawn teammate: the draw rng.choice(mates) makes, without its checks
            j = int(mates[rng.integers(len(mates))]) if within else int(rng.integers(n))
            if j != i:
                rows += [i, j]
                cols += [j, i]
    adjacency = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    adjacency.data[:] = 1.0
    return adjacency


def empty_book(n: int) -> CustomerBook:
    """A market of ``n`` organisations, all prospects with no history yet."""
    return CustomerBook(
        stage=np.full(n, PROSPECT, np.int8), fit=np.zeros(n), readiness=np.zeros(n),
        cooldown_until=np.full(n, NEVER, np.int64),
        owner=np.full(n, -1, np.int64), hunter=np.full(n, -1, np.int64),
        won_week=np.full(n, NEVER, np.int64), start_week=np.zeros(n, np.int64),
        contract=np.zeros(n), potential=np.zeros(n), satisfaction=np.zeros(n),
        relationship=np.zeros(n), knowledge=np.zeros(n), intro_until=np.full(n, NEVER, np.int64),
        bonus_until=np.full(n, NEVER, np.int64),
        opp_rep=np.full(n, -1, np.int64), opp_opened=np.zeros(n, np.int64),
        opp_close_week=np.full(n, -1, np.int64),
        opp_win_prob=np.zeros(n), opp_from_lead=np.zeros(n, bool),
        lead_rep=np.full(n, -1, np.int64), lead_since=np.zeros(n, np.int64),
        lead_wait=np.zeros(n), lead_score=np.zeros(n),
        agent_id=np.full(n, -1),
    )


def naive_market(params: SimParams, force: SalesForce, rng: np.random.Generator) -> CustomerBook:
    """The settling run's starting market: subscribers spread over the book-holders, the rest
    prospects (``sim/steady_state.py`` settles it; replications start from the settled pool)."""
    n = round(params.org.n_reps * params.org.customers_per_rep)
    selling, m = params.selling, params.market
    book = empty_book(n)
    book.fit[:] = rng.beta(m.fit_alpha, m.fit_beta, n)
    book.readiness[:] = rng.beta(m.readiness_alpha, m.readiness_beta, n)
    subscribers = rng.random(n) < params.org.subscriber_share * (0.5 + book.fit)
    holders = np.flatnonzero(force.role != HUNTER)
    idx = np.flatnonzero(subscribers)
    first_week = -params.spin_up_weeks    # contracts run on from before the first simulated week
    book.stage[idx] = SUBSCRIBER
    book.owner[idx] = holders[rng.integers(len(holders), size=len(idx))]
    book.won_week[idx] = first_week - rng.integers(
        m.tenure_min_weeks, m.tenure_min_weeks + m.tenure_range_weeks, size=len(idx))
    book.start_week[idx] = first_week - rng.integers(0, YEAR, size=len(idx))
    book.potential[idx] = selling.contract_value * selling.potential_multiple * \
        rng.lognormal(0.0, selling.potential_spread, len(idx))
    book.contract[idx] = book.potential[idx] * rng.uniform(m.developed_low, m.developed_high,
                                                           len(idx))
    book.satisfaction[idx] = rng.beta(m.satisfaction_alpha, m.satisfaction_beta, len(idx))
    book.relationship[idx] = rng.uniform(m.relationship_low, 1.0, len(idx))
    book.knowledge[idx] = rng.uniform(m.knowledge_low, m.knowledge_high, len(idx))
    return book


def mean_or_zero(values: np.ndarray) -> float:
    """The mean of ``values``, 0.0 when there are none: the same pairwise sum over the same
    count as ``np.mean``, without its per-call overhead (the weekly means are of small arrays)."""
    return float(values.sum() / len(values)) if len(values) else 0.0


def role_means(values: np.ndarray, role: np.ndarray, occupied: np.ndarray) -> np.ndarray:
    """Per seat, the mean of ``values`` over the occupied seats of the same role."""
    present = occupied.astype(float)
    totals = np.bincount(role, weights=values * present, minlength=len(ROLES))
    counts = np.bincount(role, weights=present, minlength=len(ROLES))
    return (totals / np.maximum(counts, 1.0))[role]


def table_fields(table: object) -> list[str]:
    """The array names of a state table (for checks and snapshots)."""
    return [f.name for f in fields(table)]
