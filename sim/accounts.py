"""Account ownership: hunter → farmer handoffs and reassignment when a rep leaves (001, 003).

``transfer_accounts`` is the one mechanism for an account changing rep. The new rep
starts from what the CRM holds about the account — everything, if the handoff
policy captures it — and the customer's satisfaction drops with what is lost, less
so when the farmer was introduced during implementation or the hunter shares a
transition bonus and so helps. ``hand_over_accounts`` applies the account handoff
policy; ``LeaversBooks.reassign_book`` moves a leaving rep's accounts and deals to
teammates.
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


class LeaversBooks:
    """The books of the week's leavers, found with one pass over the customer book.

    Leavers go one after another: each one's accounts go to teammates in the same role,
    least loaded first, and open deals to teammate sellers, so a rep who quits later in
    the same week may first receive part of an earlier leaver's book. Scanning the whole
    book for every leaver made the cost grow with reps x customers (37% of a 30x
    organisation's time); here the week's leavers' accounts, deals and hunted accounts
    are found once, and anything one leaver passes to another is already among them.
    Account loads are kept up to date as accounts move.
    """

    def __init__(self, model: SilosimModel, leavers: np.ndarray) -> None:
        book = model.book
        self.model = model
        self.accounts = np.flatnonzero(np.isin(book.owner, leavers) & (book.stage == SUBSCRIBER))
        self.deals = np.flatnonzero(np.isin(book.opp_rep, leavers) & (book.stage == OPPORTUNITY))
        self.hunted = np.flatnonzero(np.isin(book.hunter, leavers))
        self.load = np.bincount(book.owner[book.owner >= 0], minlength=model.force.size)

    def reassign_book(self, seat: int) -> None:
        """A leaving rep's accounts go to teammates in the same role; open deals to sellers."""
        model, book, force = self.model, self.model.book, self.model.force
        accounts = self.accounts[book.owner[self.accounts] == seat]
        keepers = teammates(force, seat, same_role=True)
        if len(accounts) and len(keepers):
            order = keepers[np.argsort(self.load[keepers], kind="stable")]
            new_owner = order[np.arange(len(accounts)) % len(order)]
            transfer_accounts(model, accounts, new_owner, captured=False)
            self.load[seat] -= len(accounts)
            self.load += np.bincount(new_owner, minlength=force.size)
        book.hunter[self.hunted[book.hunter[self.hunted] == seat]] = -1
        deals = self.deals[book.opp_rep[self.deals] == seat]
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
