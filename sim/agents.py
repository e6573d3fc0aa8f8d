"""The model's Mesa agents: sales reps, first-line managers, marketers and customers.

Managers and marketers are few and keep their state as attributes. Reps and
customers are many: their state lives in the ``SalesForce`` and ``CustomerBook``
arrays so that each weekly mechanism runs over all of them at once, and each
``SalesRep`` / ``Customer`` agent reads its own slot. ``model.agents_by_type`` and
AgentSets work as usual (``model.agents_by_type[SalesRep].agg("adoption", np.mean)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sim.organisation import ROLES, STAGES
from sim.tech_affinity import SEGMENTS

if TYPE_CHECKING:
    from sim.model import SilosimModel
    from sim.params import LeadParams


class Slot:
    """Descriptor: an agent attribute read from its slot in a state table."""

    def __init__(self, table: str, labels: tuple[str, ...] | None = None) -> None:
        self.table, self.labels = table, labels

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, agent: Any, owner: type) -> Any:
        if agent is None:
            return self
        value = getattr(getattr(agent.model, self.table), self.name)[agent.slot]
        return self.labels[int(value)] if self.labels else value.item()


class SalesRep(mesa.Agent):
    """A rep in one seat: tech affinity, style, attitude, adoption, time, pay (DESIGN §2)."""

    segment = Slot("force", SEGMENTS)
    role = Slot("force", ROLES)
    team = Slot("force")
    relationship = Slot("force")
    autonomy = Slot("force")
    eet = Slot("force")
    skill = Slot("force")
    usefulness = Slot("force")
    ease = Slot("force")
    voluntary = Slot("force")
    adoption = Slot("force")
    pressure = Slot("force")
    income_ratio = Slot("force")
    morale = Slot("force")
    hours_admin = Slot("force")
    hours_leads = Slot("force")
    hours_hunting = Slot("force")
    hours_farming = Slot("force")

    def __init__(self, model: SilosimModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot
        model.force.agent_id[slot] = self.unique_id

    @property
    def accounts(self) -> np.ndarray:
        """Slots of the customers this rep owns."""
        return np.flatnonzero(self.model.book.owner == self.slot)


class Customer(mesa.Agent):
    """An organisation in the market: prospect → lead → opportunity → subscriber (DESIGN §2)."""

    stage = Slot("book", STAGES)
    fit = Slot("book")
    readiness = Slot("book")
    owner = Slot("book")
    contract = Slot("book")
    potential = Slot("book")
    satisfaction = Slot("book")
    relationship = Slot("book")
    knowledge = Slot("book")

    def __init__(self, model: SilosimModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot
        model.book.agent_id[slot] = self.unique_id


class Manager(mesa.Agent):
    """A first-line manager: the one person reps talk to regularly (001 s3).

    An enabled manager coaches and endorses the tools; a hesitant one who was not
    enabled undermines them. Either can enforce a mandate, the more so the more they
    believe in the tools.
    """

    def __init__(self, model: SilosimModel, team: int, attitude: float, enabled: bool) -> None:
        super().__init__(model)
        self.team, self.attitude, self.enabled = team, attitude, enabled

    def enable(self) -> None:
        """Change-agent enablement: coaching skills and a warmer view of digital (001 action 5)."""
        self.enabled = True
        self.attitude = min(1.0, self.attitude + self.model.params.programme.enablement_boost)

    def observe(self, usefulness: float) -> None:
        """Once the tool is out, a manager's view follows what it actually does for the team."""
        self.attitude += self.model.params.managers.observation_rate * (usefulness - self.attitude)

    @property
    def stance(self) -> float:
        """What this manager signals to the team about the tools, in [0, 1].

        An enabled manager endorses the tools beyond their own view while the programme
        team backs them up (material, answers, fixes); on their own they signal only what
        they believe (001 action 5, failure mode 3).
        """
        if self.enabled and self.model.programme.team_active:
            floor = self.model.params.managers.endorsement
            return floor + (1.0 - floor) * self.attitude
        return self.attitude

    @property
    def coaching(self) -> float:
        """Weekly skill coaching given to each rep of the team."""
        return self.model.params.managers.coaching_rate * self.attitude if self.enabled else 0.0

    @property
    def enforcement(self) -> float:
        """How strongly the manager presses a mandate on the team, in [0, 1]."""
        floor = self.model.params.managers.enforcement
        return floor + (1.0 - floor) * self.attitude


class Marketer(mesa.Agent):
    """A marketer: generates leads from a budget and keeps sales collateral (002, 004).

    How many leads and how good depends on how marketing is paid; the segmentation
    improves and the collateral stays relevant only with feedback from sales.
    """

    def __init__(self, model: SilosimModel, channel: str) -> None:
        super().__init__(model)
        self.channel = channel
        self.segmentation = model.params.leads.segmentation_start
        self.collateral = model.params.leads.collateral_start

    def learn_from_sales(self, feedback: float, leads: LeadParams) -> None:
        """Sales feedback sharpens segmentation and refreshes collateral; without it both fade."""
        self.segmentation += leads.segmentation_learning * (feedback - self.segmentation)
        refreshed = self.collateral * (1.0 - leads.collateral_decay) + \
            leads.collateral_refresh * feedback
        self.collateral = min(max(refreshed, 0.0), 1.0)
