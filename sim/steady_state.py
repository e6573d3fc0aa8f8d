"""The market's steady state without a programme, found by the model's own mechanisms.

A replication must start from a market at rest (DESIGN §5): with no programme, nothing
drifts. Where that rest lies depends on the levers — revenue-aligned marketing keeps more
customers than vanity marketing, two-role selling cares for accounts differently — and
the slowest stock (subscribers) relaxes with a time constant of about two years, so no
single initial draw and no short spin-up is right for every scenario.

The steady state is therefore found once per *market* — every parameter that shapes the
organisation and its customers without a programme — by running the model itself with
no programme for ``settle_weeks`` from the naive draw of ``organisation.naive_market``,
from ``settle_seed``, and then on, keeping a state every ``settle_spacing_weeks`` (about one
relaxation time, so the states are nearly independent draws of the steady state). A market
of ``settle_reference_size`` organisations keeps ``settle_snapshots`` of them; a smaller one,
whose revenue fluctuates more, keeps proportionally more (up to ``settle_snapshots_max``),
so that the states' mean lies as close to the steady state's for every market size (8
states of the default market: its revenue's sd is 2%; a 10-rep market's is 8%). A state
holds each customer's stage, contract, potential, satisfaction, relationship,
knowledge and timing, the open pipeline, each seat's role, temperament, book, pay and
credit history (quotas are set from it), and marketing's segmentation and collateral. A
replication starts from one of these states, picked by its own random stream, with its own
reps' tech affinity and attitudes and its own company traits, and runs its spin-up with the
same mechanisms as any other week.

Invariants: the settled states depend only on the market parameters (memoised per
process, identical in every process), so a result never depends on what ran before;
programme, label, confidence, company and cost parameters never change them.
"""

from __future__ import annotations

import copy
import functools
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.numeric import MARKETS_CACHED
from sim.organisation import CustomerBook, SalesForce
from sim.params import PROFILES, SimParams
from sim.weeks import YEAR

if TYPE_CHECKING:
    from sim.agents import Marketer
    from sim.model import SilosimModel

#: parameter groups and keys that do not shape the market without a programme
NOT_MARKET = ("programme", *PROFILES, "labels", "confidence", "company", "horizon_weeks",
              "baseline_weeks", "spin_up_weeks", "costs")
#: a seat's structure, temperament, book-related and pay state, taken from the settled run;
#: tech affinity and attitudes to the tools are the replication's own draws
SEAT_STATE = ("occupied", "vacant_until", "role", "farmer_for", "relationship", "autonomy",
              "pay_felt", "pay_reference", "income_ratio", "income_gap", "pay_swing", "morale",
              "lead_trust", "lead_queue", "credit_history")
#: week-valued fields, shifted to the replication's calendar
BOOK_WEEKS = ("cooldown_until", "won_week", "start_week", "intro_until", "bonus_until",
              "opp_opened", "opp_close_week", "lead_since")


@dataclass(frozen=True)
class MarketState:
    """One state of a settled market without a programme, at week ``week`` of its run."""

    week: int
    book: CustomerBook
    seats: dict[str, np.ndarray]
    marketers: list[tuple[float, float]]   # (segmentation, collateral) per marketer

    def customers(self, first_week: int) -> CustomerBook:
        """A copy of the customer book, re-timed so that this state is ``first_week``."""
        book = copy.deepcopy(self.book)
        for name in BOOK_WEEKS:
            getattr(book, name)[:] += first_week - self.week
        book.agent_id[:] = -1
        return book

    def seat(self, force: SalesForce, first_week: int) -> None:
        """Give the seats their settled roles, temperaments, books' pay history and vacancies."""
        for name, values in self.seats.items():
            setattr(force, name, values.copy())
        force.vacant_until += first_week - self.week

    def brief(self, marketers: list[Marketer]) -> None:
        """Give marketing its settled segmentation and collateral."""
        for marketer, (segmentation, collateral) in zip(marketers, self.marketers, strict=True):
            marketer.segmentation, marketer.collateral = segmentation, collateral


def market_key(params: SimParams) -> str:
    """The parameters that shape the market without a programme, as a canonical string."""
    tree = {k: v for k, v in params.to_dict().items() if k not in NOT_MARKET}
    return json.dumps(tree, sort_keys=True)


def steady_market(params: SimParams) -> tuple[MarketState, ...]:
    """The settled states of this market (settled once per process, then remembered)."""
    return _settle(market_key(params))


@functools.lru_cache(maxsize=MARKETS_CACHED)
def _settle(key: str) -> tuple[MarketState, ...]:
    from sim.model import SilosimModel  # the settling run is a model run

    tree = json.loads(key)
    burn_in, spacing, count = tree["settle_weeks"], tree["settle_spacing_weeks"], snapshot_count(tree)
    tree.update(programme={"enabled": False}, horizon_weeks=YEAR, spin_up_weeks=0, settle_weeks=0)
    model = SilosimModel(params=SimParams.from_dict(tree), rng=tree["settle_seed"])
    model.recorded = ()          # a settling run records nothing and may outrun its horizon
    states = []
    for index in range(count):
        model.run_for(burn_in + spacing * index - model.week)
        states.append(snapshot(model))
    return tuple(states)


def snapshot_count(tree: dict) -> int:
    """States to keep: ``settle_snapshots`` for a market of the reference size, more for a
    smaller one, whose revenue fluctuates more (relative sd ~ 1/sqrt(organisations))."""
    size = tree["org"]["n_reps"] * tree["org"]["customers_per_rep"]
    wanted = math.ceil(tree["settle_snapshots"] * max(tree["settle_reference_size"] / size, 1.0))
    return min(wanted, tree["settle_snapshots_max"])


def snapshot(model: SilosimModel) -> MarketState:
    """The market part of a running model's state, copied."""
    force = model.force
    return MarketState(
        week=model.week, book=copy.deepcopy(model.book),
        seats={name: getattr(force, name).copy() for name in SEAT_STATE},
        marketers=[(m.segmentation, m.collateral) for m in model.marketers],
    )
