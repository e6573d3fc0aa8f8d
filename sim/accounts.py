"""Account ownership: hunter → farmer handoffs and reassignment when a rep leaves (001, 003).

``transfer_accounts`` is the one mechanism for an account changing rep. The new rep
starts from what the CRM holds about the account; a deliberate CRM capture at handoff
adds what the leaving rep writes up — as far as that rep actually uses the CRM (003: the
customer must not have to "train" the farmer). The customer's satisfaction drops with
what the new rep does not know, and its relationship, built with the rep who sold to it,
is partly lost. Introducing the farmer during implementation keeps more of the
relationship (the hunter spends introduction time with the account), and a transition
bonus shared by hunter and farmer keeps the hunter engaged, softening the shock and
paying the hunter a share of the account's credit for a while (003). ``hand_over_accounts``
applies the account handoff policy; ``LeaversBooks.reassign_book`` moves a leaving rep's
accounts and deals to teammates. Every coefficient is an ``account_handoff.*`` parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.organisation import FARMER, HUNTER, OPPORTUNITY, SUBSCRIBER, CustomerBook
from sim.weeks import NEVER

if TYPE_CHECKING:
    from sim.model import SilosimModel


def transfer_accounts(model: SilosimModel, accounts: np.ndarray, new_owner: np.ndarray,
                      capture: np.ndarray | float = 0.0, introduced: bool = False,
                      bonus: bool = False) -> None:
    """Move accounts to new reps; the customer loses what the new rep does not know.

    ``capture`` is the share of the missing knowledge the handoff records in the CRM.
    """
    book, h = model.book, model.params.account_handoff
    retained = book.knowledge[accounts] + capture * (1.0 - book.knowledge[accounts])
    shock = model.params.selling.handoff_shock * (1.0 - retained) * (
        1.0 - h.bonus_relief * bonus)
    book.satisfaction[accounts] = (book.satisfaction[accounts] - shock).clip(0.0, 1.0)
    kept = h.relationship_floor + (1.0 - h.relationship_floor) * retained
    kept = kept + h.introduction_relief * introduced * (1.0 - kept)
    kept = kept + h.bonus_relief * bonus * (1.0 - kept)
    book.relationship[accounts] *= kept
    book.knowledge[accounts] = retained
    book.owner[accounts] = new_owner
    book.opp_rep[accounts] = np.where(book.opp_rep[accounts] >= 0, new_owner, -1)
    model.tally["accounts_moved"] += len(accounts)


def hand_over_accounts(model: SilosimModel, week: int) -> None:
    """Apply the account handoff policy to accounts still held by the hunter who won them."""
    policy = model.account_handoff
    if not policy.two_roles:
        return
    book, force, h = model.book, model.force, model.params.account_handoff
    held = ((book.stage == SUBSCRIBER) & (book.owner >= 0)
            & (book.owner == book.hunter)).nonzero()[0]
    held = held[force.role[book.owner[held]] == HUNTER]
    if len(held) == 0:
        return
    due = policy.due(week - book.won_week[held], book.developed()[held], h)
    accounts = held[due]
    hunter = book.owner[accounts]
    farmer = receiving_farmers(model, hunter)
    present = farmer >= 0
    accounts, hunter, farmer = accounts[present], hunter[present], farmer[present]
    capture = h.capture_completeness * model.crm_use(hunter) if h.crm_capture else 0.0
    book.intro_until[accounts] = week + h.introduction_weeks if h.introduction_weeks else NEVER
    book.bonus_until[accounts] = week + h.bonus_weeks if h.transition_bonus else NEVER
    transfer_accounts(model, accounts, farmer, capture, introduced=h.introduction_weeks > 0,
                      bonus=h.transition_bonus)
    model.tally["handoffs"] += len(accounts)


def rebalance_books(model: SilosimModel, week: int) -> None:
    """Every ``rebalance_weeks`` a team's manager moves accounts from farmers whose book is
    more than ``rebalance_slack`` above the team's farmers' mean to the least-loaded farmers
    (003: align territories; farmers come and go and books drift apart). Each move is a
    handoff, captured in the CRM as far as the giving farmer uses it."""
    h = model.params.account_handoff
    if not model.account_handoff.two_roles or week % h.rebalance_weeks:
        return
    book, force = model.book, model.force
    owned = ((book.stage == SUBSCRIBER) & (book.owner >= 0)).nonzero()[0]
    load = np.bincount(book.owner[owned], minlength=force.size)
    for team in np.unique(force.team):
        farmers = (force.occupied & (force.role == FARMER) & (force.team == team)).nonzero()[0]
        if len(farmers) <= 1:
            continue   # one farmer has no one to balance with
        fair = int(np.ceil((1.0 + h.rebalance_slack) * load[farmers].mean()))
        for giver in farmers[load[farmers] > fair]:
            excess = load[giver] - fair
            mine = owned[book.owner[owned] == giver][:excess]
            taking = max(int(h.rebalance_takers * len(farmers)), 1)
            takers = farmers[np.argsort(load[farmers], kind="stable")][:taking]
            new_owner = takers[np.arange(len(mine)) % len(takers)]
            capture = h.capture_completeness * model.crm_use(np.full(len(mine), giver)) \
                if h.crm_capture else 0.0
            transfer_accounts(model, mine, new_owner, capture)
            load[giver] -= len(mine)
            load += np.bincount(new_owner, minlength=force.size)


def receiving_farmers(model: SilosimModel, hunters: np.ndarray) -> np.ndarray:
    """The farmer each hunter hands to: their aligned farmer (003: aligned territories), unless
    that farmer's book is more than ``rebalance_slack`` above the team's farmers' mean or the
    seat is empty — then the team's least-loaded farmer (managers balance books); -1 if none."""
    book, force = model.book, model.force
    slack = model.params.account_handoff.rebalance_slack
    load = accounts_per_seat(book, force.size).astype(float)
    receiving = np.full(len(hunters), -1)
    for i, hunter in enumerate(hunters):
        farmers = (force.occupied & (force.role == FARMER)
                   & (force.team == force.team[hunter])).nonzero()[0]
        if len(farmers) == 0:
            continue
        aligned = force.farmer_for[hunter]
        fair = (1.0 + slack) * load[farmers].mean() + 1.0
        choice = aligned if force.occupied[aligned] and load[aligned] <= fair else \
            farmers[np.argmin(load[farmers])]
        receiving[i] = choice
        load[choice] += 1.0
    return receiving


def accounts_per_seat(book: CustomerBook, seats: int) -> np.ndarray:
    """How many accounts each seat owns, counted on ``owner + 1`` so that bin 0 takes the
    unowned (no mask over the whole book)."""
    return np.bincount(book.owner + 1, minlength=seats + 1)[1:]


def in_transition(model: SilosimModel, until: np.ndarray) -> np.ndarray:
    """Accounts whose window (introduction or shared bonus) is still open, with a hunter present."""
    book, force = model.book, model.force
    open_window = until >= model.week
    if not open_window.any():   # no handoff window open (always so with one role)
        return open_window
    hunter = book.hunter
    return open_window & (hunter >= 0) & force.occupied[np.maximum(hunter, 0)] & \
        (book.stage == SUBSCRIBER)


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
        leaving = np.zeros(model.force.size + 1, bool)   # the last slot answers for "no rep" (-1)
        leaving[leavers] = True
        subscriber = book.stage == SUBSCRIBER
        dealt = leaving[book.opp_rep]
        self.accounts = (leaving[book.owner] & subscriber).nonzero()[0]
        self.deals = (dealt & (book.stage == OPPORTUNITY)).nonzero()[0]
        self.cross_sells = (dealt & subscriber).nonzero()[0]
        self.hunted = leaving[book.hunter].nonzero()[0]
        self.load = accounts_per_seat(book, model.force.size)

    def reassign_book(self, seat: int) -> None:
        """A leaving rep's accounts go to teammates in the same role; open deals to sellers."""
        model, book, force = self.model, self.model.book, self.model.force
        accounts = self.accounts[book.owner[self.accounts] == seat]
        keepers = teammates(force, seat, same_role=True)
        if len(accounts) and len(keepers):
            order = keepers[np.argsort(self.load[keepers], kind="stable")]
            new_owner = order[np.arange(len(accounts)) % len(order)]
            transfer_accounts(model, accounts, new_owner)
            self.load[seat] -= len(accounts)
            self.load += np.bincount(new_owner, minlength=force.size)
        book.hunter[self.hunted[book.hunter[self.hunted] == seat]] = -1
        left = self.cross_sells[book.opp_rep[self.cross_sells] == seat]
        book.opp_rep[left] = book.owner[left] if len(keepers) else -1
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
    mates = (others & (force.team == force.team[seat])).nonzero()[0]
    return mates if len(mates) else others.nonzero()[0]
