"""The weekly time budget: admin, lead follow-up, hunting and farming (001, 003).

Admin and data gathering take ``1 - base_selling_share`` of the week without the
tools (CSO Insights: reps sell ~41% of the time). Using the tools cuts admin in
proportion to adoption and skill — full use at full skill gives ~+40% customer
time (001, Microsoft) — but costs extra admin while skill is low (the learning
curve). Customer time then goes first to the accounts a rep must farm, because that
work is urgent or easy (003), then to the marketing leads they accepted — up to
``max_lead_share`` of what is left, so a long queue waits — and the rest to hunting.
Hunters farm only accounts they are still introducing; farmers do not hunt or take leads.
A new hire ramps up: part of their customer time goes to onboarding (``hiring.*``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.accounts import accounts_per_seat, in_transition
from sim.attitude import tool_time_gain
from sim.attrition import ramp
from sim.lead_flow import queued_leads
from sim.organisation import FARMER, HUNTER

if TYPE_CHECKING:
    from sim.model import SilosimModel


def admin_hours(adoption: np.ndarray, skill: np.ndarray, params) -> np.ndarray:
    """Hours of admin and data gathering per rep this week."""
    tb = params.time_budget
    base = tb.hours_per_week * (1.0 - tb.base_selling_share)
    return base * (1.0 - tool_time_gain(adoption, skill, params))


def farming_demand(model: SilosimModel) -> np.ndarray:
    """Weekly hours each seat's accounts ask for; a hunter's only while introducing a farmer."""
    book, force = model.book, model.force
    demand = accounts_per_seat(book, force.size).astype(float)
    introducing = in_transition(model, book.intro_until)
    if introducing.any():
        demand += model.params.account_handoff.introduction_care * np.bincount(
            book.hunter[introducing], minlength=force.size)
    return demand * model.params.time_budget.care_hours_per_account


def plan_week(model: SilosimModel) -> None:
    """Split every occupied seat's week; the four parts always add up to the week."""
    force, tb = model.force, model.params.time_budget
    admin = np.minimum(admin_hours(force.adoption, force.skill, model.params), tb.hours_per_week)
    customer = tb.hours_per_week - admin
    effectiveness = ramp(model)        # a new hire's ramp to productivity (sim/attrition.py)
    if effectiveness is not None:
        customer = customer * effectiveness
        admin = tb.hours_per_week - customer
    demand = farming_demand(model)
    farmer = force.role == FARMER
    cap = np.where(farmer, 1.0, np.where(force.role == HUNTER, tb.max_hunter_farming_share,
                                         tb.max_farming_share))
    farm = np.minimum(demand, cap * customer)
    farm = np.where(farmer, customer, farm)
    force.lead_queue = queued_leads(model)
    leads = np.minimum(force.lead_queue * tb.hours_per_lead, tb.max_lead_share * (customer - farm))
    hunt = customer - farm - leads
    hunt = np.where(farmer, 0.0, hunt)
    idle = ~force.occupied
    force.hours_admin = np.where(idle, 0.0, admin)
    force.hours_farming = np.where(idle, 0.0, farm)
    force.hours_leads = np.where(idle, 0.0, leads)
    force.hours_hunting = np.where(idle, 0.0, hunt)


def customer_hours(force) -> np.ndarray:
    """Customer-facing hours per seat this week (leads, hunting and farming)."""
    return force.hours_leads + force.hours_hunting + force.hours_farming
