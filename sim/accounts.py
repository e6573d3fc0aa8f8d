"""Account ownership: hunter → farmer handoffs and reassignment when a rep leaves (001, 003).

``transfer_accounts`` is the one mechanism for an account changing rep. The new rep
starts from what the CRM holds about the account — everything, if the handoff
policy captures it — and the customer's satisfaction drops with what is lost, less
so when the farmer was introduced during implementation or the hunter shares a
transition bonus and so helps. ``hand_over_accounts`` applies the account handoff
policy; ``reassign_book`` moves a leaving rep's accounts and deals to teammates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.organisation import FARMER, HUNTER, NEVER, OPPORTUNITY, SUBSCRIBER

if TYPE_CHECKING:
    from sim.model import SilosimModel

CAPTURED_KNOWLEDGE = 0.85   # share of account knowledge a deliberate CRM capture keeps (003)
INTRODUCTION_RELIEF = 0.4   # shock left when the farmer was introduced during implementation
BONUS_RELIEF = 0.7          # shock left when hunter and farmer share a transition bonus


def transfer_accounts(model: SilosimModel, accounts: np.ndarray, new_owner: np.ndarray,
                      captured: bool, relief: float = 1.0) -> None:
    """Move accounts to new reps; the customer loses what the new rep does not know."""
    book = model.book
    retained = book.knowledge[accounts]
    if captured:
        retained = np.maximum(retained, CAPTURED_KNOWLEDGE)
    shock = model.params.selling.handoff_shock * (1.0 - retained) * relief
    book.satisfaction[accounts] = np.clip(book.satisfaction[accounts] - shock, 0.0, 1.0)
    book.relationship[accounts] *= 0.3 + 0.7 * retained
    book.owner[accounts] = new_owner
    model.tally["accounts_moved"] += len(accounts)


def hand_over_accounts(model: SilosimModel, week: int) -> None:
    """Apply the account handoff policy to accounts still held by the hunter who won them."""
    policy = model.account_handoff
    if not policy.two_roles:
        return
    book, force, h = model.book, model.force, model.params.account_handoff
    held = np.flatnonzero((book.stage == SUBSCRIBER) & (book.owner >= 0)
                          & (book.owner == book.hunter))
    held = held[force.role[book.owner[held]] == HUNTER]
    if len(held) == 0:
        return
    due = policy.due(week - book.won_week[held], book.developed()[held], h)
    accounts = held[due]
    farmer = force.farmer_for[book.owner[accounts]]
    present = force.occupied[farmer]
    accounts, farmer = accounts[present], farmer[present]
    relief = (INTRODUCTION_RELIEF if h.introduction_weeks else 1.0) * (
        BONUS_RELIEF if h.transition_bonus else 1.0)
    book.intro_until[accounts] = week + h.introduction_weeks if h.introduction_weeks else NEVER
    transfer_accounts(model, accounts, farmer, h.crm_capture, relief)
    model.tally["handoffs"] += len(accounts)


def reassign_book(model: SilosimModel, seat: int) -> None:
    """A leaving rep's accounts go to teammates in the same role; open deals to teammate sellers."""
    book, force = model.book, model.force
    accounts = np.flatnonzero((book.owner == seat) & (book.stage == SUBSCRIBER))
    keepers = teammates(force, seat, same_role=True)
    if len(accounts) and len(keepers):
        load = np.bincount(book.owner[book.owner >= 0], minlength=force.size)[keepers]
        order = keepers[np.argsort(load, kind="stable")]
        transfer_accounts(model, accounts, order[np.arange(len(accounts)) % len(order)],
                          captured=False)
    book.hunter[book.hunter == seat] = -1
    deals = np.flatnonzero((book.stage == OPPORTUNITY) & (book.opp_rep == seat))
    sellers = teammates(force, seat, same_role=False)
    sellers = sellers[force.role[sellers] != FARMER]
    if len(deals) and len(sellers):
        book.opp_rep[deals] = sellers[np.arange(len(deals)) % len(sellers)]


def teammates(force, seat: int, same_role: bool) -> np.ndarray:
    """Occupied seats in the seat's team (any team if it has none left)."""
    others = force.occupied.copy()
    others[seat] = False
    if same_role:
        others &= force.role == force.role[seat]
    mates = np.flatnonzero(others & (force.team == force.team[seat]))
    return mates if len(mates) else np.flatnonzero(others)
