"""What each lever must do, in the direction its source gives: paired checks under common seeds.

A ``Direction`` compares two ``Variant`` runs of the model — a named scenario with
CLI-style overrides — replicate by replicate under common random numbers, on one
measure (a runs column, or ``success``). The paired differences give a mean with a 95%
interval; the verdict reads that interval against the expected direction:

- ``higher`` / ``lower``: the interval lies wholly above / below zero;
- ``not_lower`` / ``not_higher``: the interval reaches zero or beyond, and the mean is no
  more than ``tolerance`` the wrong way (the lever must not hurt / must not help);
- ``within``: the mean relative difference is within ``± tolerance``.

``DIRECTIONS`` is the table of docs/calibration.md: lever | source passage | expected
direction | measured effect [95% CI] | pass. It encodes ../shared/FIDELITY.md's claims.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

HIGHER, LOWER, NOT_LOWER, NOT_HIGHER, WITHIN = "higher", "lower", "not_lower", "not_higher", \
    "within"
SUCCESS = "success"
OFF = ("model.programme.enabled=false",)


@dataclass(frozen=True)
class Variant:
    """A scenario with CLI-style overrides, e.g. ``Variant("five_actions", ("model.silo.level=0.9",))``."""

    scenario: str
    overrides: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return " ".join((self.scenario, *self.overrides))


@dataclass(frozen=True)
class Direction:
    """One lever's expected effect: ``treated`` against ``reference`` on ``measure``."""

    lever: str
    source: str
    treated: Variant
    reference: Variant | None       # None: the treated runs' own values against zero
    measure: str
    expect: str
    tolerance: float = 0.0
    relative: bool = False          # compare treated / reference - 1 per pair

    def verdict(self, treated: Sequence[dict], reference: Sequence[dict] | None) -> Effect:
        """The paired effect and whether it goes the expected way."""
        zero = [{self.measure: 0.0}] * len(treated)
        pairs = [(a[self.measure], b[self.measure])
                 for a, b in zip(treated, reference or zero, strict=True)
                 if a[self.measure] is not None and b[self.measure] is not None]
        a, b = (np.asarray(x, float) for x in zip(*pairs, strict=True)) if pairs else \
            (np.zeros(0), np.zeros(0))
        diff = a / np.where(b == 0, np.nan, b) - 1.0 if self.relative else a - b
        diff = diff[np.isfinite(diff)]
        return Effect.of(diff, self)


@dataclass(frozen=True)
class Effect:
    """A mean paired difference with its 95% interval and the verdict on it."""

    mean: float
    low: float
    high: float
    n: int
    passed: bool
    extra: dict = field(default_factory=dict)

    @classmethod
    def of(cls, diff: np.ndarray, direction: Direction) -> Effect:
        n = len(diff)
        if n < 2:
            return cls(math.nan, math.nan, math.nan, n, False)
        mean = float(diff.mean())
        half = float(stats.t.ppf(0.975, n - 1) * diff.std(ddof=1) / math.sqrt(n))
        low, high = mean - half, mean + half
        tol = direction.tolerance
        passed = {
            HIGHER: low > 0.0,
            LOWER: high < 0.0,
            NOT_LOWER: high >= 0.0 and mean >= -tol,
            NOT_HIGHER: low <= 0.0 and mean <= tol,
            WITHIN: abs(mean) <= tol,
        }[direction.expect]
        return cls(mean, low, high, n, passed)

    def text(self, direction: Direction) -> str:
        scale, unit = (100.0, " pt") if direction.measure == SUCCESS else (1.0, "")
        if direction.relative:
            scale, unit = 100.0, "%"
        return (f"{self.mean * scale:+.3g}{unit} [{self.low * scale:+.3g}, "
                f"{self.high * scale:+.3g}] (n={self.n})")


def _v(scenario: str, *overrides: str) -> Variant:
    return Variant(scenario, tuple(overrides))


FIVE = "five_actions"
DIRECTIONS: tuple[Direction, ...] = (
    # --- lead funnel (002, 004) ---------------------------------------------------------
    Direction("more marketing leads: a smaller share followed up (reps' time binds)",
              "002: leads die when reps do not follow them up",
              _v("baseline", *OFF, "model.leads.leads_per_marketer=8"), _v("baseline", *OFF),
              "followed_up_share", LOWER),
    Direction("more selling time: a larger share of accepted leads followed up (time binds)",
              "001: time freed for customers and for turning leads into opportunities",
              _v("vanity_metrics", *OFF, "model.leads.leads_per_marketer=16",
                 "model.time_budget.base_selling_share=0.5"),
              _v("vanity_metrics", *OFF, "model.leads.leads_per_marketer=16"),
              "accepted_followed_share", HIGHER),
    Direction("more leads under an SLA: slower response",
              "Oldroyd et al. 2011 (speed-to-lead); 002: 1-2 days to respond",
              _v("vanity_metrics", *OFF, "model.leads.leads_per_marketer=16"),
              _v("vanity_metrics", *OFF), "speed_to_lead_days", HIGHER),
    Direction("more leads under an SLA: lower SLA compliance",
              "002: routed leads must be answered within the SLA",
              _v("vanity_metrics", *OFF, "model.leads.leads_per_marketer=16"),
              _v("vanity_metrics", *OFF), "sla_compliance", LOWER),
    Direction("silo 0.9 vs 0.2: fewer leads followed up",
              "002: reps don't follow up leads they don't trust; 004: the booth's leads",
              _v("baseline", *OFF, "model.silo.level=0.9"),
              _v("baseline", *OFF, "model.silo.level=0.2"), "followed_up_share", LOWER),
    # --- marketing pay (002, 004) -------------------------------------------------------
    Direction("marketing paid on closed revenue vs lead volume: more marketing-sourced wins",
              "004: vanity metrics don't drive revenue; 002: budget by sales success",
              _v("revenue_aligned"), _v("vanity_metrics"), "leads_won", HIGHER),
    Direction("marketing paid on closed revenue vs lead volume: more revenue",
              "004, 002", _v("revenue_aligned"), _v("vanity_metrics"), "revenue_final", HIGHER),
    # --- hunters and farmers (003) ------------------------------------------------------
    *(Direction(f"{name} vs single role, no programme: revenue within 5%",
                "003: pros and cons of each, no collapse",
                _v(name, *OFF), _v("single_role", *OFF), "revenue_final", WITHIN, 0.05, True)
      for name in ("handoff_first_sale", "handoff_after_6_months", "handoff_at_40_percent")),
    *(Direction(f"{name} vs single role, no programme: attrition within 5 points",
                "003; 001: income threat drives leaving",
                _v(name, *OFF), _v("single_role", *OFF), "rep_attrition_annual", WITHIN, 0.05)
      for name in ("handoff_first_sale", "handoff_after_6_months", "handoff_at_40_percent")),
    Direction("two roles: CRM capture at handoff keeps more revenue than none",
              "003: capture customer information so the customer need not train the farmer",
              _v("handoff_first_sale"), _v("handoff_no_crm"), "revenue_final", HIGHER),
    Direction("two roles: a shared transition bonus lowers churn",
              "003: a short-term shared incentive while the handoff takes time",
              _v("handoff_first_sale", "model.account_handoff.transition_bonus=true"),
              _v("handoff_first_sale"), "first_year_churn", LOWER),
    Direction("two roles: introducing the farmer during implementation lowers churn",
              "003: involve the account manager in implementation",
              _v("handoff_first_sale", "model.account_handoff.introduction_weeks=8"),
              _v("handoff_first_sale"), "first_year_churn", LOWER),
    # --- governance (001 action 2) ------------------------------------------------------
    Direction("KPIs and governance never lower success (typical company)",
              "001 action 2: KPIs let leaders see progress and correct course",
              _v("action_kpis"), _v("baseline"), SUCCESS, NOT_LOWER, 0.02),
    Direction("KPIs and governance never lower success (five actions)",
              "001 action 2", _v(FIVE), _v(FIVE, "model.programme.kpis=false"), SUCCESS,
              NOT_LOWER, 0.02),
    # --- silos under a good programme (004) ---------------------------------------------
    Direction("silo 0.9 vs 0.2 with the five actions: less value over the counterfactual",
              "004: digital tools amplify flawed practices",
              _v(FIVE, "model.silo.level=0.9"), _v(FIVE, "model.silo.level=0.2"),
              "value_vs_no_programme", LOWER),
    Direction("silo 0.9 vs 0.2 with the five actions: lower success",
              "004; 002", _v(FIVE, "model.silo.level=0.9"), _v(FIVE, "model.silo.level=0.2"),
              SUCCESS, LOWER),
    Direction("silo 0.9 vs 0.2, typical company: lower success",
              "002, 004", _v("baseline", "model.silo.level=0.9"),
              _v("baseline", "model.silo.level=0.2"), SUCCESS, NOT_HIGHER),
    # --- pay and change (001 action 5) --------------------------------------------------
    Direction("roll-out: customer hours dip in the first quarter (learning curve)",
              "001: short term the change frustrates reps and sales dip",
              _v("baseline"), None, "rollout_hours_change", LOWER),
    Direction("hold-harmless pay: fewer quits in the half-year after roll-out",
              "001 action 5: a pay transition plan; top performers leave otherwise",
              _v("hold_harmless"), _v("baseline"), "quits_after_rollout", LOWER),
    Direction("a mandate raises usage", "001 failure mode 2: adopted only through mandates",
              _v("mandate_only"), _v("baseline"), "adoption_final", HIGHER),
    Direction("a mandate does not raise genuine adoption",
              "001 failure mode 2: mandates don't change mindsets",
              _v("mandate_only"), _v("baseline"), "genuine_share_final", NOT_HIGHER, 0.01),
    # --- what the tools do (001) --------------------------------------------------------
    Direction("tools lift the win rate (five actions vs no programme)",
              "001: higher conversion", _v(FIVE), _v(FIVE, *OFF), "win_rate", HIGHER),
    Direction("tools shorten the deal cycle (five actions vs no programme)",
              "001: purchases close faster", _v(FIVE), _v(FIVE, *OFF), "deal_cycle_weeks", LOWER),
    Direction("better data, bigger lift: win rate, aligned vs siloed five actions",
              "001: recommendations and insight need good data",
              _v("five_actions_aligned"), _v(FIVE), "win_rate", HIGHER),
    Direction("tools win more cross-sells (five actions vs no programme)",
              "001: one third of recommendations become qualified opportunities",
              _v(FIVE), _v(FIVE, *OFF), "cross_sells_won", HIGHER),
)


def ablation(actions: Sequence[str], full: str = FIVE, reference: str = "baseline"
             ) -> tuple[Direction, ...]:
    """Each action alone raises the reference's success; removing it from ``full`` lowers it.

    ``actions`` are the action scenarios ``full`` is composed of; removing one is done by
    the overrides that undo it (``undo``), given per action in ``ACTION_UNDO``.
    """
    rows = []
    for action in actions:
        rows.append(Direction(f"{action} alone raises success", "001: the five key actions",
                              _v(action), _v(reference), SUCCESS, HIGHER))
        rows.append(Direction(f"{full} without {action} lowers success", "001",
                              _v(full, *ACTION_UNDO[action]), _v(full), SUCCESS, LOWER))
    return tuple(rows)


#: the overrides that take one action out of the five (back to the typical company's choice;
#: a profile by its config group, ``leader=it_led``)
ACTION_UNDO = {
    "action_boundary_spanner": ("leader=it_led", "model.programme.sponsor_strength=0.2"),
    "action_kpis": ("model.programme.kpis=false",),
    "action_cross_functional": ("model.programme.cross_functional=false", "eet=none"),
    "action_agile": ("delivery=waterfall",),
    "action_change_management": ("model.programme.manager_enablement=0.0",
                                 "model.programme.explanations=false",
                                 "model.programme.feedback_loop=false",
                                 "model.programme.embedded_training=false",
                                 "model.incentives.pay_transition=none"),
}
