"""One typed schema for every model parameter: default, range, unit, meaning, source.

The dataclasses below are the single source of defaults. They double as Hydra
structured configs (``configs/config.yaml`` composes them under ``model``) and as
the table in ``docs/ODD.md`` §8 (``python -m sim.params`` prints it). The defaults
describe the DESIGN's *typical company* (the ``baseline`` scenario); named
scenarios are small diffs against them.

Every coefficient a mechanism or a policy uses is a parameter here (levers choose,
mechanisms compute; tests/test_schema_coverage.py finds any number left in ``sim/`` or
``scenarios/``). Each number has a unit, and a source that either gives the number (an
article and its passage, or an outside reference) or says ``assumption`` with the reason
for the value and a ``plausible`` range to screen it over (inside the allowed range).

The ``leader``, ``delivery`` and ``eet`` blocks are *profiles*: a config group of the same
name (``configs/leader/*.yaml`` …) sets the whole block, and its ``name`` says which
profile it is. Their defaults are the typical company's profiles (``it_led``,
``waterfall``, ``none``), so ``SimParams()`` needs no config file.

``SimParams.from_dict`` is the only way a config becomes parameters: it refuses an
unknown key, a wrong type, a value out of range or an unknown policy name with a
``ConfigError`` naming the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ConfigError
from sim.weeks import QUARTER, TWO_YEARS

#: the word a source uses for a value no source gives (then ``plausible`` is required)
ASSUMPTION = "assumption"
#: schema blocks that are profiles: a config group of the same name sets the whole block
PROFILES = ("leader", "delivery", "eet")


def param(
    default: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    meaning: str,
    source: str,
    unit: str | None = None,
    plausible: tuple[float, float] | None = None,
    policy: str | None = None,
) -> Any:
    """A schema field.

    ``low``/``high`` bound numbers; ``unit`` says what a number measures (every number has
    one); ``plausible`` is the range a researcher should screen an assumption over (every
    assumption has one, inside ``low``–``high``); ``policy`` names the registry kind a name
    must belong to.
    """
    meta = {"low": low, "high": high, "meaning": meaning, "source": source, "unit": unit,
            "plausible": plausible, "policy": policy}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


# --------------------------------------------------------------------------- levers


@dataclass
class OrgParams:
    """Size and make-up of the sales organisation (presets in ``configs/org/``)."""

    n_reps: int = param(100, 4, 20000, meaning="sales reps (seats)", unit="reps",
                        source="the project's default organisation (configs/org/default.yaml); "
                               "DESIGN sets no size")
    reps_per_manager: int = param(
        9, 2, 30, meaning="reps per first-line manager", unit="reps per manager",
        source="TOPO 2016; Bridge Group benchmarks: 8-9 reps per first-line manager",
    )
    n_marketers: int = param(
        12, 1, 2000, meaning="marketers", unit="marketers",
        source="the project's default organisation (configs/org/default.yaml), about one "
               "marketer per 8 reps; DESIGN sets no size",
    )
    customers_per_rep: float = param(
        30.0, 5.0, 200.0, meaning="organisations in the market per rep seat",
        unit="organisations per seat", plausible=(15.0, 60.0),
        source="assumption: a market of ~3,000 organisations for the default 100 reps, enough "
               "that hunting does not exhaust it; DESIGN sets no size",
    )
    subscriber_share: float = param(
        0.40, 0.05, 0.95, meaning="share of the market that subscribes at the start",
        unit="share [0-1]", plausible=(0.3, 0.5),
        source="assumption: chosen near the no-programme steady state (docs/calibration.md); "
               "it only starts the settling run (sim/steady_state.py)",
    )
    share_enthusiast: float = param(
        0.16, 0.0, 1.0, meaning="share of reps who are technology enthusiasts", unit="share [0-1]",
        source="Rogers, Diffusion of Innovations: innovators 2.5% + early adopters 13.5%",
    )
    share_avoider: float = param(
        0.16, 0.0, 1.0, meaning="share of reps who avoid technology (rest: reluctant)",
        unit="share [0-1]", source="Rogers, Diffusion of Innovations: laggards 16%",
    )
    relationship_share: float = param(
        0.5, 0.0, 1.0, meaning="share of reps with a relationship-oriented selling style",
        unit="share [0-1]", plausible=(0.3, 0.7),
        source="assumption: 001 s3 says relationship-oriented reps struggle in data-driven "
               "cultures but gives no share; 50/50 for lack of one",
    )
    farmer_share: float = param(
        0.4, 0.1, 0.9, meaning="share of reps who farm when the account handoff uses two roles",
        unit="share [0-1]", plausible=(0.25, 0.6),
        source="assumption: 003 says farming can take most of a book but gives no split; "
               "chosen so hunters keep most acquisition time",
    )
    peer_links: int = param(
        4, 1, 20, meaning="peer ties per rep (small-world network within and across teams)",
        unit="ties per rep", plausible=(2, 8),
        source="assumption: reps trust peers (001 s3); the article gives no network size",
    )
    cross_team_share: float = param(
        0.25, 0.0, 1.0, meaning="share of peer ties that cross team boundaries",
        unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption (Watts-Strogatz rewiring: mostly local ties, some across)",
    )
    autonomy_alpha: float = param(
        2.0, 0.5, 20.0, meaning="first shape of reps' autonomy with customers, Beta(alpha, beta)",
        unit="Beta shape", plausible=(1.0, 4.0),
        source="assumption: 001 s3 says reps value autonomy with customers but gives no "
               "distribution; Beta(2, 2) spreads it around the middle",
    )
    autonomy_beta: float = param(
        2.0, 0.5, 20.0, meaning="second shape of reps' autonomy with customers, Beta(alpha, beta)",
        unit="Beta shape", plausible=(1.0, 4.0), source="assumption (as autonomy_alpha)",
    )
    relationship_autonomy: float = param(
        0.15, 0.0, 0.5, meaning="extra autonomy of a relationship-oriented seller",
        unit="autonomy [0-1]", plausible=(0.0, 0.3),
        source="assumption: relationship sellers rely on their own judgement of each customer "
               "(001 s3); no size given",
    )


@dataclass
class SiloParams:
    """Silo level between sales, marketing and IT, and switchable mitigations (002, 004).

    A mitigation (and a shared revenue goal) multiplies the friction left on the channels it
    eases by its ``<mitigation>_<channel>`` factor (``scenarios/silo/``).
    """

    level: float = param(
        0.65, 0.0, 1.0, meaning="silo level s (0 aligned, 1 walled off)", unit="level [0-1]",
        plausible=(0.4, 0.85),
        source="assumption: DESIGN's typical company has moderate-to-high silos. 000 cites "
               "PwC Digital IQ 2017 (62% of respondents name lack of IT-business collaboration "
               "the biggest obstacle): that shows silos are common, not their level",
    )
    mitigations: list[str] = param(  # noqa: RUF009  (param returns a dataclass field)
        [], meaning="switched-on mitigations", source="002, 004", policy="silo_mitigation"
    )
    size_elasticity: float = param(
        0.15, 0.0, 1.0,
        meaning="extra friction per tenfold organisation size above the reference size",
        unit="level per tenfold reps", plausible=(0.0, 0.3),
        source="assumption: 002 says aligning 100 people is harder than 10 (direction only)",
    )
    size_reference_reps: float = param(
        100.0, 4.0, 20000.0, meaning="organisation size at which the silo level applies as set",
        unit="reps", source="the project's default organisation (org.n_reps)",
    )
    rotation_lead_trust: float = param(
        0.6, 0.0, 1.0, meaning="share of the lead-trust friction left with rotation between "
                               "sales and marketing", unit="multiplier", plausible=(0.4, 0.9),
        source="assumption: 002 (rotation and marketers on sales calls build understanding); "
               "no size given",
    )
    rotation_messaging: float = param(
        0.6, 0.0, 1.0, meaning="share of the messaging friction left with rotation",
        unit="multiplier", plausible=(0.4, 0.9),
        source="assumption: 002 (Thoreson: one value proposition); no size given",
    )
    rotation_feedback: float = param(
        0.8, 0.0, 1.0, meaning="share of the feedback friction left with rotation",
        unit="multiplier", plausible=(0.5, 1.0), source="assumption: 002; no size given",
    )
    one_leader_lead_loss: float = param(
        0.6, 0.0, 1.0, meaning="share of the lead-loss friction left with one leader over "
                               "sales and marketing", unit="multiplier", plausible=(0.4, 0.9),
        source="assumption: 002 (Thoreson: one senior VP over both, reporting to the CEO; "
               "Grossman: reorganising does not help); no size given",
    )
    one_leader_lead_trust: float = param(
        0.7, 0.0, 1.0, meaning="share of the lead-trust friction left with one leader",
        unit="multiplier", plausible=(0.5, 1.0), source="assumption: 002; no size given",
    )
    one_leader_messaging: float = param(
        0.7, 0.0, 1.0, meaning="share of the messaging friction left with one leader",
        unit="multiplier", plausible=(0.5, 1.0), source="assumption: 002; no size given",
    )
    shared_dashboard_data_sharing: float = param(
        0.4, 0.0, 1.0, meaning="share of the data-sharing friction left with a shared dashboard "
                               "and agreed metrics", unit="multiplier", plausible=(0.2, 0.7),
        source="assumption: 004 (one CRM and dashboard seen by sales, marketing, service and "
               "finance); no size given",
    )
    shared_dashboard_feedback: float = param(
        0.6, 0.0, 1.0, meaning="share of the feedback friction left with a shared dashboard",
        unit="multiplier", plausible=(0.4, 0.9),
        source="assumption: 004 (metrics everyone agrees on); no size given",
    )
    shared_dashboard_lead_loss: float = param(
        0.7, 0.0, 1.0, meaning="share of the lead-loss friction left with a shared dashboard",
        unit="multiplier", plausible=(0.5, 0.9),
        source="assumption: 002 (marketing should track every A/B/C lead); no size given",
    )
    shared_goal_lead_trust: float = param(
        0.75, 0.0, 1.0, meaning="share of the lead-trust friction left with a shared sales and "
                                "marketing revenue goal", unit="multiplier", plausible=(0.5, 0.9),
        source="assumption: 002 (marketing's budget or bonus set by closed revenue), 004 "
               "(agreed metrics); no size given",
    )
    shared_goal_feedback: float = param(
        0.75, 0.0, 1.0, meaning="share of the feedback friction left with a shared revenue goal",
        unit="multiplier", plausible=(0.5, 0.9), source="assumption: 002, 004; no size given",
    )
    shared_goal_messaging: float = param(
        0.85, 0.0, 1.0, meaning="share of the messaging friction left with a shared revenue "
                                "goal", unit="multiplier", plausible=(0.6, 1.0),
        source="assumption: 002, 004; no size given",
    )


@dataclass
class IncentiveParams:
    """Rep and marketing pay, and the pay transition around the roll-out (001, 002, 004)."""

    rep_variable_share: float = param(
        0.5, 0.0, 0.9, meaning="share of rep pay that is variable", unit="share [0-1]",
        plausible=(0.3, 0.6),
        source="assumption: 001 s3 says most reps have substantial variable pay, no share",
    )
    rep_pay: str = param(
        "individual_bookings", meaning="basis of rep variable pay", source="DESIGN levers",
        policy="rep_pay",
    )
    adoption_bonus: float = param(
        0.0, 0.0, 0.3, meaning="share of variable pay paid for using the tools",
        unit="share [0-1]", source="DESIGN levers (an optional adoption bonus; off in the "
                                   "typical company)",
    )
    shared_revenue_goal: bool = param(
        False, meaning="sales and marketing share one revenue goal",
        source="002: budget/bonus by sales success; 004: agreed metrics",
    )
    marketing_pay: str = param(
        "lead_volume", meaning="what marketing is paid on", source="004 vanity metrics; 002",
        policy="marketing_pay",
    )
    pay_transition: str = param(
        "none", meaning="pay transition plan at roll-out", source="001 s5 action 5",
        policy="pay_transition",
    )
    hold_harmless_months: int = param(
        6, 0, 24, meaning="months pay is held harmless from roll-out", unit="months",
        plausible=(3, 12),
        source="assumption: 001 recommends a transition plan for pay but gives no length",
    )


@dataclass
class MarketingParams:
    """What marketing does under each pay scheme (004 vanity metrics; 002): how many leads,
    the least fit it passes on, how far it targets buyers, how much it warms a lead and how
    hard it asks sales what worked. ``<quantity>_<scheme>``; the ``marketing_pay`` policies
    in ``scenarios/incentives/`` read their own."""

    volume_lead_volume: float = param(
        1.5, 0.0, 5.0, meaning="leads generated when paid on lead volume, relative to a "
                               "neutral plan", unit="multiplier", plausible=(1.2, 2.0),
        source="assumption: 004 (vanity metrics: marketing maximises what it reports); no size",
    )
    volume_pipeline: float = param(
        1.0, 0.0, 5.0, meaning="leads generated when paid on pipeline created",
        unit="multiplier", source="the neutral plan the other schemes are relative to",
    )
    volume_closed_revenue: float = param(
        0.85, 0.0, 5.0, meaning="leads generated when paid on closed revenue",
        unit="multiplier", plausible=(0.6, 1.0),
        source="assumption: 002 (budget set by closed revenue: fewer, better leads); no size",
    )
    min_fit_lead_volume: float = param(
        0.0, 0.0, 1.0, meaning="least fit of a lead marketing passes on when paid on lead volume",
        unit="fit [0-1]", source="004: under vanity metrics everything counts, so nothing is "
                                 "filtered",
    )
    min_fit_pipeline: float = param(
        0.2, 0.0, 1.0, meaning="least fit of a lead marketing passes on when paid on pipeline",
        unit="fit [0-1]", plausible=(0.1, 0.3),
        source="assumption: leads must at least qualify (002); no cut given",
    )
    min_fit_closed_revenue: float = param(
        0.3, 0.0, 1.0, meaning="least fit of a lead marketing passes on when paid on closed "
                               "revenue", unit="fit [0-1]", plausible=(0.15, 0.45),
        source="assumption: 002; no cut given",
    )
    targeting_lead_volume: float = param(
        0.2, 0.0, 1.0, meaning="how far marketing picks prospects by fit and buying intent "
                               "rather than for the count, when paid on lead volume",
        unit="share [0-1]", plausible=(0.0, 0.4),
        source="assumption: 004 (ad views, attendance and traffic say little of buyers); no size",
    )
    targeting_pipeline: float = param(
        0.6, 0.0, 1.0, meaning="how far marketing targets buyers when paid on pipeline",
        unit="share [0-1]", plausible=(0.4, 0.8), source="assumption: 002; no size given",
    )
    targeting_closed_revenue: float = param(
        1.0, 0.0, 1.0, meaning="how far marketing targets buyers when paid on closed revenue",
        unit="share [0-1]", plausible=(0.8, 1.0), source="assumption: 002; no size given",
    )
    warming_lead_volume: float = param(
        0.0, 0.0, 0.5, meaning="buying readiness marketing's own engagement adds to a lead "
                               "before handing it on, when paid on lead volume",
        unit="readiness [0-1]", source="004: a counted lead needs no warming",
    )
    warming_pipeline: float = param(
        0.1, 0.0, 0.5, meaning="readiness marketing adds to a lead when paid on pipeline",
        unit="readiness [0-1]", plausible=(0.0, 0.2),
        source="assumption: 002 (Affiliated: invitations, webinars, calls before and after); "
               "no size given",
    )
    warming_closed_revenue: float = param(
        0.2, 0.0, 0.5, meaning="readiness marketing adds to a lead when paid on closed revenue",
        unit="readiness [0-1]", plausible=(0.1, 0.3), source="assumption: 002; no size given",
    )
    feedback_lead_volume: float = param(
        0.2, 0.0, 1.0, meaning="how hard marketing asks sales what worked, when paid on lead "
                               "volume", unit="share [0-1]", plausible=(0.0, 0.4),
        source="assumption: 004 (vanity metrics need no feedback); no size given",
    )
    feedback_pipeline: float = param(
        0.6, 0.0, 1.0, meaning="how hard marketing asks sales what worked, when paid on pipeline",
        unit="share [0-1]", plausible=(0.4, 0.8), source="assumption: 002; no size given",
    )
    feedback_closed_revenue: float = param(
        1.0, 0.0, 1.0, meaning="how hard marketing asks sales what worked, when paid on closed "
                               "revenue", unit="share [0-1]", plausible=(0.8, 1.0),
        source="assumption: 002 (marketing's budget follows sales success); no size given",
    )


@dataclass
class LeadHandoffParams:
    """How marketing leads reach sales (002; policies in scenarios/lead_handoff/)."""

    policy: str = param(
        "dump_all", meaning="lead handoff policy", source="002", policy="lead_handoff"
    )
    sla_days: float = param(
        2.0, 0.5, 30.0, meaning="response SLA in days under routing", unit="days",
        source="002 Visible Technologies: routed reps have 1-2 days to respond",
    )
    nurture: bool = param(
        False, meaning="marketing nurtures leads not yet ready", source="002"
    )
    grade_a: float = param(0.45, 0.0, 1.0, meaning="lead score at or above which a lead is grade A",
                           unit="score [0-1]", plausible=(0.35, 0.6),
                           source="assumption: 002 grades A/B/C by one jointly agreed standard "
                                  "but gives no cut")
    grade_b: float = param(0.25, 0.0, 1.0, meaning="lead score at or above which a lead is grade B "
                           "(below: C, potential but no current intent)", unit="score [0-1]",
                           plausible=(0.15, 0.35), source="assumption: 002 gives no cut")
    grade_unready: float = param(
        0.4, 0.0, 1.0, meaning="score of a lead with no buying readiness, relative to a ready "
                               "lead of the same fit (the agreed standard weighs both)",
        unit="share [0-1]", plausible=(0.2, 0.7),
        source="assumption: 002 scores leads by one agreed standard, not by this formula",
    )
    nurture_fit: float = param(0.5, 0.0, 1.0, meaning="fit a not-yet-ready lead needs for "
                               "marketing to nurture it (long-term potential)", unit="fit [0-1]",
                               plausible=(0.3, 0.7),
                               source="assumption: 002 keeps and nurtures leads with long-term "
                                      "potential; no cut given")
    loss_unrouted: float = param(
        0.6, 0.0, 1.0, meaning="share of dumped leads lost before a rep sees them, at full "
                              "lead-loss friction", unit="share [0-1]", plausible=(0.3, 0.8),
        source="assumption: 004 (the booth's leads never reached a rep who followed them up); "
               "no share given",
    )
    loss_routed: float = param(
        0.15, 0.0, 1.0, meaning="share of routed leads lost at full lead-loss friction",
        unit="share [0-1]", plausible=(0.05, 0.3),
        source="assumption: 002 (routed through the CRM, every lead tracked); no share given",
    )
    sla_commitment: float = param(
        0.9, 0.0, 1.0,
        meaning="share of routed leads reps accept under an agreed standard and SLA",
        unit="share [0-1]", plausible=(0.75, 1.0),
        source="assumption: 002 (leads scored by a jointly agreed standard go to the right rep, "
               "who must respond); no share given",
    )


@dataclass
class AccountHandoffParams:
    """Hunter → farmer handoff of new accounts (003)."""

    policy: str = param(
        "single_role", meaning="account handoff policy", source="003", policy="account_handoff"
    )
    months: float = param(
        6.0, 1.0, 24.0, meaning="months after the first sale (policy after_months)",
        unit="months", source="003: 6-12 months after the sale",
    )
    potential_share: float = param(
        0.4, 0.1, 0.9, meaning="developed share of potential that triggers handoff",
        unit="share [0-1]", source="003: once the account is developed, say 40% or more",
    )
    crm_capture: bool = param(
        True, meaning="account knowledge captured in the CRM at handoff", source="003"
    )
    capture_completeness: float = param(
        0.85, 0.0, 1.0,
        meaning="share of missing account knowledge a deliberate capture records, at full CRM use",
        unit="share [0-1]", plausible=(0.6, 1.0),
        source="assumption: 003 (CRM systems organise key customer data so nothing is lost); "
               "no share given",
    )
    transition_bonus: bool = param(
        False, meaning="hunter and farmer share a bonus during the transfer", source="003"
    )
    bonus_weeks: int = param(13, 1, 52, meaning="weeks the hunter shares in a handed-over "
                             "account's credit", unit="weeks", plausible=(4, 26),
                             source="assumption: 003 (a short-term shared incentive); no length")
    bonus_share: float = param(0.5, 0.0, 1.0, meaning="share of the account's credit the hunter "
                               "receives during the bonus weeks", unit="share [0-1]",
                               plausible=(0.25, 0.75), source="assumption: 003 gives no share")
    bonus_relief: float = param(
        0.3, 0.0, 1.0, meaning="share of the handoff's satisfaction shock and relationship loss "
                              "avoided while the hunter, sharing the bonus, stays engaged",
        unit="share [0-1]", plausible=(0.1, 0.5), source="assumption: 003 gives no size",
    )
    introduction_weeks: int = param(
        0, 0, 26, meaning="weeks the farmer is introduced during implementation", unit="weeks",
        source="003 (a lever: 0, no introduction, in the typical company)",
    )
    introduction_care: float = param(
        0.5, 0.0, 2.0, meaning="care an introduced account still asks of the hunter, relative "
                              "to a normal account", unit="multiplier", plausible=(0.25, 1.0),
        source="assumption: 003 gives no size",
    )
    introduction_relief: float = param(
        0.6, 0.0, 1.0, meaning="share of the relationship loss avoided when the farmer was "
                              "introduced during implementation", unit="share [0-1]",
        plausible=(0.3, 0.8),
        source="assumption: 003 (the customer meets the account manager and sees the value); "
               "no size given",
    )
    relationship_floor: float = param(
        0.5, 0.0, 1.0,
        meaning="share of the relationship kept by a new rep who knows nothing of the account",
        unit="share [0-1]", plausible=(0.3, 0.7),
        source="assumption: 003 (some customers depend on the original seller); no size given",
    )
    inside_sales_farmers: bool = param(
        False, meaning="farmers are inside sales (video/chat) at lower cost", source="003"
    )
    rebalance_slack: float = param(
        0.25, 0.0, 5.0, meaning="how far above the team's farmers' mean book a farmer may be "
                               "before handoffs go to the least-loaded farmer instead",
        unit="share of the mean book", plausible=(0.1, 0.5),
        source="assumption: 003 (aligned territories); managers balance books",
    )
    rebalance_weeks: int = param(13, 1, 104, meaning="weeks between managers' rebalancing of "
                                 "farmers' books", unit="weeks", plausible=(4, 26),
                                 source="assumption (a quarterly review)")
    rebalance_takers: float = param(
        0.5, 0.0, 1.0, meaning="share of a team's farmers, least loaded first, who take a "
                               "rebalanced book's excess (at least one)", unit="share [0-1]",
        plausible=(0.25, 1.0), source="assumption (the lighter half of the team)",
    )
    hunter_focus: float = param(
        0.15, 0.0, 1.0,
        meaning="extra new-logo yield of a hunter's hour: a persistent networker, trained for it",
        unit="share [0-1]", plausible=(0.0, 0.3),
        source="assumption: 003 (staff each role with matching personalities and train for its "
               "skills) gives no size",
    )
    farmer_care: float = param(
        0.15, 0.0, 1.0,
        meaning="extra care a farmer's hour gives: a patient, loyalty-focused account manager",
        unit="share [0-1]", plausible=(0.0, 0.3), source="assumption: 003 gives no size",
    )


@dataclass
class CompanyParams:
    """What one company brings to its transformation: traits drawn once per run (sim/company.py).

    Each trait is ``mean + spread * z`` with one standard normal ``z`` per trait, clipped to
    the range of its mean; a spread of 0 fixes the trait, which makes it a lever. The realised
    values are recorded in runs.parquet as ``company.<trait>``.
    """

    culture_mean: float = param(
        0.0, -0.6, 0.6,
        meaning="openness of the culture to digital, data-driven selling: lowers every rep's "
                "adoption threshold by this much (negative raises it)", unit="attitude [0-1]",
        plausible=(-0.3, 0.3),
        source="assumption: an average company; 001 s3 (reps who struggle in a data-driven "
               "culture, managers from top-down cultures) and 004 (45% of employees say leaders "
               "do little for culture) give no scale",
    )
    culture_spread: float = param(
        0.25, 0.0, 0.6,
        meaning="spread of culture across companies (sd)", unit="attitude [0-1]",
        plausible=(0.1, 0.4),
        source="assumption: companies differ more than segments do; one sd is about twice the "
               "gap between the reluctant and avoider thresholds (0.13)",
    )
    tool_fit_mean: float = param(
        0.0, -0.5, 0.5,
        meaning="how well the chosen technology happens to fit this company's selling, added to "
                "the leader's initial fit", unit="fit [0-1]", plausible=(-0.2, 0.2),
        source="assumption: an average company; 000, 001 (proven vs innovative technology) give "
               "no scale",
    )
    tool_fit_spread: float = param(
        0.2, 0.0, 0.5, meaning="spread of tool fit across companies (sd)", unit="fit [0-1]",
        plausible=(0.05, 0.35),
        source="assumption: fit varies widely (000: most large CRM vendors had a negative Net "
               "Promoter Score, PCMag 2019); no spread given",
    )
    leader_confidence_mean: float = param(
        0.6, 0.05, 1.0, meaning="leadership confidence in the programme at launch",
        unit="confidence [0-1]", plausible=(0.45, 0.8),
        source="assumption (a business case was approved: more confident than not)",
    )
    leader_confidence_spread: float = param(
        0.1, 0.0, 0.5, meaning="spread of leadership confidence at launch across companies (sd)",
        unit="confidence [0-1]", plausible=(0.0, 0.2), source="assumption",
    )


@dataclass
class ProgrammeParams:
    """The programme's choices: the five key actions (001) and mandate. Who leads it, how it
    delivers and who tries it first are profiles: ``leader``, ``delivery``, ``eet``."""

    enabled: bool = param(
        True, meaning="run a transformation programme at all (false: the same organisation "
                      "with no launch, no tool, no team, no enablement)",
        source="DESIGN §5: every replication is paired with its no-programme counterfactual",
    )
    sponsor_strength: float = param(
        0.2, 0.0, 1.0, meaning="executive sponsor strength (buffers confidence, keeps resources)",
        unit="strength [0-1]", plausible=(0.0, 0.4),
        source="assumption: the typical company's sponsor is weak; 001 action 1 describes what "
               "a sponsor does, not how strong",
    )
    kpis: bool = param(
        False, meaning="KPIs with leading indicators and governance", source="001 action 2"
    )
    cross_functional: bool = param(
        False, meaning="cross-functional programme team", source="001 action 3"
    )
    eet_share: float = param(
        0.08, 0.02, 0.3, meaning="share of reps in the early-experience team",
        unit="share [0-1]", plausible=(0.04, 0.15),
        source="assumption (a pilot cohort of roughly one team in twelve); 001 gives no size",
    )
    hypercare_weeks: int = param(
        13, 0, 104,
        meaning="weeks the programme team stays after roll-out before a team that is not kept disbands",
        unit="weeks", plausible=(4, 26),
        source="assumption (post-go-live hypercare, about a quarter)",
    )
    manager_enablement: float = param(
        0.0, 0.0, 1.0, meaning="share of first-line managers enabled as change agents",
        unit="share [0-1]", source="001 action 5 (a lever: none in the typical company)",
    )
    explanations: bool = param(
        False, meaning="recommendations come with explanations", source="001 action 5"
    )
    feedback_loop: bool = param(
        False, meaning="reps rate recommendations and the ratings train them", source="001"
    )
    embedded_training: bool = param(
        False, meaning="training and support embedded in the workflow after launch",
        source="001 action 5",
    )
    mandate: float = param(
        0.0, 0.0, 1.0, meaning="strength of a usage mandate at roll-out", unit="strength [0-1]",
        source="001 failure mode 2 (a lever: no mandate in the typical company)",
    )
    plan_weeks: int = param(6, 1, 52, meaning="planning weeks before the build, at no friction "
                            "(IT-business friction stretches them)", unit="weeks",
                            plausible=(3, 13), source="assumption; 001 gives no length")
    cross_functional_friction: float = param(
        0.6, 0.0, 1.0, meaning="IT-business friction left with a cross-functional team",
        unit="multiplier", plausible=(0.3, 0.8),
        source="assumption: 001 action 3 (functional diversity makes the solution feasible and "
               "usable) gives no size",
    )
    siloed_team_feedback: float = param(
        0.6, 0.0, 1.0, meaning="how well users' needs reach a team that is not cross-functional",
        unit="share [0-1]", plausible=(0.3, 0.8),
        source="assumption: 001 action 3 (a team without functional diversity is fatally weak "
               "somewhere) gives no size",
    )
    enablement_boost: float = param(
        0.3, 0.0, 1.0, meaning="rise in an enabled manager's attitude to digital",
        unit="attitude [0-1]", plausible=(0.1, 0.5),
        source="assumption: 001 action 5 (first-line managers as change agents) gives no size",
    )


@dataclass
class LeaderParams:
    """Who leads the programme: a profile (configs/leader/: it_led, sales_led,
    boundary_spanner). The defaults are the typical company's IT-led programme (000, 001)."""

    name: str = param(
        "it_led", meaning="who leads the programme (the profile's name, configs/leader/)",
        source="000, 001; DESIGN: boundary_spanner, it_led, sales_led",
    )
    initial_fit: float = param(
        0.55, 0.0, 1.0, meaning="fit of the chosen technology to sales needs at the start",
        unit="fit [0-1]", plausible=(0.45, 0.65),
        source="assumption: IT picks proven technology that fits sales needs less well than an "
               "innovative one (000, 001 action 1); no size given",
    )
    initial_complexity: float = param(
        0.3, 0.0, 1.0, meaning="complexity of the tool as first designed (1 - ease of use)",
        unit="complexity [0-1]", plausible=(0.2, 0.4), source="assumption: 000 gives no size",
    )
    late_feature_acceptance: float = param(
        0.15, 0.0, 1.0, meaning="share of late feature requests the leader lets into the build",
        unit="share [0-1]", plausible=(0.05, 0.3),
        source="assumption: IT resists changes asked for late (000, DESIGN); no share given",
    )
    friction_factor: float = param(
        1.0, 0.0, 2.0, meaning="IT-business friction under this leader, relative to the "
                               "silo-driven level", unit="multiplier", plausible=(0.8, 1.2),
        source="assumption: an IT leader bridges nothing (000); the friction is the silos' own",
    )
    simplicity: float = param(
        0.0, 0.0, 1.0, meaning="share of the complexity late features and power users would add "
                               "that the leader keeps out", unit="share [0-1]",
        source="000: keeping it simple is the boundary spanner's act, not IT's",
    )
    learns_from_users: float = param(
        0.5, 0.0, 1.0, meaning="how much of users' feedback the leader acts on",
        unit="share [0-1]", plausible=(0.3, 0.7),
        source="assumption: IT hears users less (DESIGN: resists changes); no size given",
    )


@dataclass
class DeliveryParams:
    """How the programme delivers: a profile (configs/delivery/: waterfall, agile). The
    defaults are the typical company's waterfall (001 action 4)."""

    name: str = param(
        "waterfall", meaning="delivery mode (the profile's name, configs/delivery/)",
        source="001 action 4",
    )
    build_weeks: int = param(
        40, 4, 104, meaning="weeks of build before the first release, at no friction (agile: "
                            "to the minimum viable product)", unit="weeks", plausible=(26, 60),
        source="assumption: 001 says a waterfall takes at least a year for the whole process "
               "(design, build, run); with planning, friction and the pilot the default takes "
               "about 65 weeks to roll-out",
    )
    release_complexity: float = param(
        1.0, 0.1, 1.0, meaning="share of the designed tool's complexity its first release "
                               "carries (a whole system, or a minimum viable product's key "
                               "features)", unit="share [0-1]", plausible=(0.3, 1.0),
        source="001 action 4: a waterfall designs and builds the whole system before release; "
               "an MVP is a simple tool with the key features, and Microsoft's team kept the "
               "interface so simple that reps mastered it by using it; no size given",
    )
    pilot_weeks: int = param(
        6, 1, 52, meaning="weeks the early-experience team uses the tool before roll-out",
        unit="weeks", plausible=(4, 13),
        source="assumption: a waterfall's acceptance test before go-live; 001 gives no length",
    )
    rollout_weeks: int = param(
        2, 1, 52, meaning="weeks the roll-out to every team takes (a big bang when short)",
        unit="weeks", plausible=(1, 4),
        source="assumption: a waterfall releases to everyone at once (DESIGN: one large release)",
    )
    learning_cadence_weeks: int = param(
        13, 1, 26, meaning="weeks between improvements from users' feedback (agile: a sprint; "
                           "waterfall: a requirements review)", unit="weeks", plausible=(8, 26),
        source="assumption: a waterfall reviews requirements once a quarter at best; 001 gives "
               "no cadence for it",
    )
    learning_factor: float = param(
        0.3, 0.0, 1.0, meaning="how much of a round of feedback the delivery turns into a better "
                           "tool", unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption: a waterfall learns little before its one release (DESIGN, 001 "
               "action 4); no size given",
    )
    sustainment_team: bool = param(
        False, meaning="the team stays after roll-out and hypercare to keep improving the tool",
        source="001 failure mode 3; DESIGN: a waterfall's team disbands after the release",
    )


@dataclass
class EETParams:
    """Who tries the tool first: a profile (configs/eet/: none, representative, tech_savvy).
    The defaults are the typical company's: no early-experience team (001 action 3)."""

    name: str = param(
        "none", meaning="early-experience team composition (the profile's name, configs/eet/)",
        source="001 action 3",
    )
    selection: str = param(
        "none", meaning="how the early-experience team's members are chosen",
        source="001 action 3: a representative cross-section, not only the most tech-savvy reps",
        policy="eet_selection",
    )
    heard_enthusiast: float = param(
        0.3, 0.0, 1.0, meaning="how much enthusiasts' needs reach the designers before roll-out",
        unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption: without an EET designers hear users only second-hand (001 action "
               "3); no size given",
    )
    heard_reluctant: float = param(
        0.3, 0.0, 1.0, meaning="how much reluctant reps' needs reach the designers before "
                               "roll-out", unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption (as heard_enthusiast)",
    )
    heard_avoider: float = param(
        0.3, 0.0, 1.0, meaning="how much avoiders' needs reach the designers before roll-out",
        unit="share [0-1]", plausible=(0.1, 0.5), source="assumption (as heard_enthusiast)",
    )
    credible_to_all: bool = param(
        False, meaning="members persuade reps unlike themselves (else only enthusiasts)",
        source="001 action 3: EET members become peer advocates when they are a cross-section",
    )
    feature_appetite: float = param(
        0.0, 0.0, 2.0, meaning="power-user features asked for per round of feedback (each adds "
                               "complexity)", unit="features per round",
        source="no team, no requests",
    )


# ----------------------------------------------------------------- mechanism constants


@dataclass
class TimeBudgetParams:
    """The weekly time budget of a rep (001, 003; CSO Insights 2011)."""

    hours_per_week: float = param(45.0, 20.0, 80.0, meaning="rep working hours per week",
                                  unit="hours per week", plausible=(40.0, 55.0),
                                  source="assumption (field sales)")
    base_selling_share: float = param(
        0.41, 0.1, 0.9, meaning="customer-facing share of time without the tools",
        unit="share [0-1]", source="CSO Insights 2011: ~41% of time actually selling",
    )
    full_use_admin_cut: float = param(
        0.28, 0.0, 0.9,
        meaning="share of admin time removed at full adoption and full skill", unit="share [0-1]",
        source="derived: 0.28 x 0.59 / 0.41 = +40% customer time, 001 (Microsoft: productivity "
               "up to 40%, measured as time with customers and turning leads into "
               "opportunities) with CSO Insights 2011's 41% selling time",
    )
    learning_overhead: float = param(
        0.3, 0.0, 1.0, meaning="extra admin share from using the tools with no skill",
        unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption: 001 says the change frustrates reps and hurts sales in the short "
               "term; no size given",
    )
    hours_per_lead: float = param(2.0, 0.25, 8.0,
                                  meaning="hours to work one lead (research, contact attempts, "
                                          "a discovery call)", unit="hours per lead",
                                  plausible=(1.0, 4.0), source="assumption")
    max_lead_share: float = param(
        0.35, 0.0, 1.0,
        meaning="most of their selling time (after farming) reps give to marketing's leads",
        unit="share [0-1]", plausible=(0.2, 0.6),
        source="assumption (reps keep working their own pipeline; 002: leads die when reps are "
               "busy)",
    )
    care_hours_per_account: float = param(
        0.55, 0.05, 5.0, meaning="weekly hours an account asks for (farming demand)",
        unit="hours per week", plausible=(0.3, 1.0),
        source="assumption: 001 gives Microsoft's account executives 100+ accounts each, not the "
               "hours an account asks for; chosen so a single-role rep's book takes most of "
               "their customer time (003)",
    )
    hours_per_pursuit: float = param(
        4.0, 0.5, 20.0, meaning="hours to research and approach one target account",
        unit="hours per pursuit", plausible=(2.0, 8.0), source="assumption",
    )
    max_farming_share: float = param(
        0.8, 0.3, 1.0, meaning="most of its customer time a single-role rep gives to farming",
        unit="share [0-1]", plausible=(0.6, 0.95),
        source="assumption: 003 says urgent or easy farming crowds out hunting; no share given",
    )
    max_hunter_farming_share: float = param(
        0.5, 0.0, 1.0, meaning="most of their customer time a hunter gives to the accounts they "
                               "are introducing to a farmer", unit="share [0-1]",
        plausible=(0.25, 0.75),
        source="assumption: 003 (the hunter stays in the implementation); no share given",
    )


@dataclass
class AttitudeParams:
    """Perceived usefulness / ease of use and how they move (TAM; 001; Avlonitis 2005)."""

    own_results_weight: float = param(0.08, 0.0, 1.0, meaning="weekly pull of own evidence",
                                      unit="per week", plausible=(0.04, 0.15),
                                      source="assumption: 001 says reps stick with what works "
                                             "unless there is evidence; no rate given")
    peer_weight: float = param(0.04, 0.0, 1.0, meaning="weekly pull toward peers' view",
                               unit="per week", plausible=(0.02, 0.08),
                               source="assumption: 001 says reps trust peers more than HQ; no "
                                      "rate given")
    manager_weight: float = param(
        0.06, 0.0, 1.0, meaning="weekly pull toward the manager's stance", unit="per week",
        plausible=(0.04, 0.12),
        source="assumption: Avlonitis & Panagopoulos 2005 find supervisor expectations outweigh "
               "peers (so above peer_weight); no rate given",
    )
    advocate_weight: float = param(2.5, 1.0, 10.0, meaning="weight of an EET advocate as a peer",
                                   unit="multiplier", plausible=(1.5, 5.0),
                                   source="assumption: 001 says EET members become advocates; no "
                                          "weight given")
    pay_weight: float = param(0.5, 0.0, 5.0, meaning="attitude lost per unit of income gap",
                              unit="attitude per unit gap", plausible=(0.2, 1.0),
                              source="assumption: 001 says an income threat drives resistance; "
                                     "no size given")
    intention_slope: float = param(8.0, 1.0, 30.0, meaning="steepness of intention in attitude",
                                   unit="per unit attitude", plausible=(4.0, 16.0),
                                   source="assumption (logistic TAM intention)")
    threshold_enthusiast: float = param(0.25, 0.0, 1.0, meaning="attitude needed to use (enthusiast)",
                                        unit="attitude [0-1]", plausible=(0.15, 0.35),
                                        source="assumption: 001 s3 and Rogers order the segments; "
                                               "neither gives a threshold")
    threshold_reluctant: float = param(0.42, 0.0, 1.0, meaning="attitude needed to use (reluctant)",
                                       unit="attitude [0-1]", plausible=(0.35, 0.48),
                                       source="assumption (as threshold_enthusiast)")
    threshold_avoider: float = param(0.55, 0.0, 1.0, meaning="attitude needed to use (avoider)",
                                     unit="attitude [0-1]", plausible=(0.49, 0.65),
                                     source="assumption (as threshold_enthusiast)")
    relationship_penalty: float = param(
        0.06, 0.0, 0.5, meaning="extra threshold for relationship-oriented sellers",
        unit="attitude [0-1]", plausible=(0.0, 0.12),
        source="assumption: 001 s3 (the hesitation is about the new way of working, not the "
               "technology); no size given",
    )
    autonomy_penalty: float = param(0.05, 0.0, 0.5, meaning="extra threshold per unit of autonomy",
                                    unit="attitude per unit autonomy", plausible=(0.0, 0.1),
                                    source="assumption: 001 s3 says reps value autonomy; no size")
    habit_rate: float = param(0.15, 0.01, 1.0, meaning="weekly move of usage toward intention",
                              unit="per week", plausible=(0.05, 0.3),
                              source="assumption (habit inertia)")
    skill_learning: float = param(0.03, 0.0, 0.5, meaning="weekly skill gain at full use",
                                  unit="per week", plausible=(0.01, 0.06),
                                  source="assumption (learning by doing)")
    training_boost: float = param(0.25, 0.0, 1.0, meaning="skill from launch training",
                                  unit="share of missing skill", plausible=(0.1, 0.4),
                                  source="assumption: 001 action 5 (training and support) gives "
                                         "no size")
    embedded_training_rate: float = param(0.03, 0.0, 0.5,
                                          meaning="weekly skill gain from embedded training",
                                          unit="per week", plausible=(0.01, 0.06),
                                          source="assumption: 001 action 5 (training embedded in "
                                                 "the workflow) gives no size")
    mandate_half_life_weeks: float = param(
        26.0, 1.0, 520.0, meaning="half-life of mandate pressure after roll-out", unit="weeks",
        plausible=(13.0, 52.0),
        source="assumption: DESIGN (mandated use decays when pressure eases); 001 names "
               "adoption only through mandates as a failure mode but gives no decay",
    )
    mandate_reactance: float = param(0.02, 0.0, 0.5,
                                     meaning="weekly attitude loss under mandate per autonomy",
                                     unit="per week", plausible=(0.0, 0.05),
                                     source="assumption: DESIGN, 001 (mandates raise usage, not "
                                            "attitude); no size given")
    active_use: float = param(0.5, 0.05, 0.95, meaning="usage share that makes an active user",
                              unit="share [0-1]", plausible=(0.3, 0.7),
                              source="assumption (half of work through the tools)")
    relationship_fit: float = param(
        0.85, 0.0, 1.0, meaning="how well the tool fits a relationship-oriented seller's way of "
                                "working, relative to a data-oriented one's", unit="multiplier",
        plausible=(0.6, 1.0),
        source="assumption: 001 s3 (relationship-oriented reps struggle in a data-driven "
               "culture); no size given",
    )
    evidence_base: float = param(
        0.8, 0.0, 2.0, meaning="evidence a rep reads from using a tool that fits, before the "
                               "time it saves and its recommendations", unit="per unit fit",
        plausible=(0.5, 1.0), source="assumption",
    )
    evidence_time: float = param(
        1.2, 0.0, 5.0, meaning="evidence per share of admin time the tools save",
        unit="per unit share", plausible=(0.6, 2.0),
        source="assumption: time with customers is the gain reps see first (001, Microsoft)",
    )
    evidence_recommendations: float = param(
        0.4, 0.0, 2.0, meaning="evidence per unit of recommendation lift over the rep's own "
                               "ideas", unit="per unit lift", plausible=(0.2, 0.8),
        source="assumption: 001 (reps stick with what works unless there is evidence)",
    )
    rec_lift_floor: float = param(
        -0.5, -1.0, 0.0, meaning="lowest recommendation lift a rep reads, when the recommender "
                                 "does worse than their own ideas (a mature one reads 1)",
        unit="lift", plausible=(-1.0, 0.0), source="assumption",
    )
    ease_unskilled: float = param(
        0.4, 0.0, 1.0, meaning="share of the tool's ease of use a rep with no skill feels "
                               "(rising to all of it at full skill)", unit="share [0-1]",
        plausible=(0.2, 0.7), source="assumption",
    )
    ease_rate: float = param(
        0.1, 0.0, 1.0, meaning="weekly move of perceived ease of use toward the ease felt",
        unit="per week", plausible=(0.05, 0.3), source="assumption",
    )
    usefulness_weight: float = param(
        0.6, 0.0, 1.0, meaning="weight of perceived usefulness in attitude (the rest: perceived "
                               "ease of use)", unit="share [0-1]", plausible=(0.5, 0.8),
        source="assumption: TAM (Davis 1989) finds usefulness the stronger determinant of use; "
               "no weight given",
    )
    bonus_weight: float = param(
        0.5, 0.0, 2.0, meaning="attitude added per unit of pay tied to using the tools "
                               "(adoption bonus x variable share)", unit="attitude per unit pay",
        plausible=(0.25, 1.0), source="assumption",
    )
    autonomy_defiance: float = param(
        0.5, 0.0, 1.0, meaning="share of a mandate a fully autonomous rep does not comply with",
        unit="share [0-1]", plausible=(0.2, 0.8),
        source="assumption: 001 s3 (reps value autonomy); no size given",
    )


@dataclass
class PriorParams:
    """What reps think of, and can do with, new sales tools before the programme, by
    tech-affinity segment (001 s3; Rogers); each drawn around its mean with its spread."""

    usefulness_enthusiast: float = param(
        0.6, 0.0, 1.0, meaning="enthusiasts' perceived usefulness of new sales tools",
        unit="attitude [0-1]", plausible=(0.5, 0.75),
        source="assumption: 001 s3 (enthusiasts chase new features) orders the segments; no "
               "values given",
    )
    usefulness_reluctant: float = param(
        0.42, 0.0, 1.0, meaning="reluctant reps' perceived usefulness of new sales tools",
        unit="attitude [0-1]", plausible=(0.35, 0.5),
        source="assumption (as usefulness_enthusiast): at the reluctant adoption threshold",
    )
    usefulness_avoider: float = param(
        0.28, 0.0, 1.0, meaning="avoiders' perceived usefulness of new sales tools",
        unit="attitude [0-1]", plausible=(0.15, 0.4), source="assumption (as usefulness_enthusiast)",
    )
    usefulness_spread: float = param(
        0.08, 0.0, 0.5, meaning="spread of perceived usefulness within a segment (sd)",
        unit="attitude [0-1]", plausible=(0.04, 0.15), source="assumption",
    )
    ease_enthusiast: float = param(
        0.55, 0.0, 1.0, meaning="enthusiasts' perceived ease of use of new sales tools",
        unit="attitude [0-1]", plausible=(0.45, 0.7), source="assumption (as usefulness_enthusiast)",
    )
    ease_reluctant: float = param(
        0.42, 0.0, 1.0, meaning="reluctant reps' perceived ease of use of new sales tools",
        unit="attitude [0-1]", plausible=(0.35, 0.5), source="assumption (as usefulness_enthusiast)",
    )
    ease_avoider: float = param(
        0.3, 0.0, 1.0, meaning="avoiders' perceived ease of use of new sales tools",
        unit="attitude [0-1]", plausible=(0.2, 0.4), source="assumption (as usefulness_enthusiast)",
    )
    ease_spread: float = param(
        0.08, 0.0, 0.5, meaning="spread of perceived ease of use within a segment (sd)",
        unit="attitude [0-1]", plausible=(0.04, 0.15), source="assumption",
    )
    skill_enthusiast: float = param(
        0.35, 0.0, 1.0, meaning="enthusiasts' skill with new sales tools", unit="skill [0-1]",
        plausible=(0.2, 0.5), source="assumption (as usefulness_enthusiast)",
    )
    skill_reluctant: float = param(
        0.15, 0.0, 1.0, meaning="reluctant reps' skill with new sales tools", unit="skill [0-1]",
        plausible=(0.05, 0.25), source="assumption (as usefulness_enthusiast)",
    )
    skill_avoider: float = param(
        0.05, 0.0, 1.0, meaning="avoiders' skill with new sales tools", unit="skill [0-1]",
        plausible=(0.0, 0.15), source="assumption (as usefulness_enthusiast)",
    )
    skill_spread: float = param(
        0.05, 0.0, 0.5, meaning="spread of skill within a segment (sd)", unit="skill [0-1]",
        plausible=(0.02, 0.1), source="assumption",
    )


@dataclass
class ManagerParams:
    """First-line managers: their view of digital selling and what they do with it (001 s3,
    action 5; Avlonitis & Panagopoulos 2005)."""

    attitude_alpha: float = param(
        2.0, 0.5, 20.0, meaning="first shape of managers' attitude to digital at the start, "
                                "Beta(alpha, beta)", unit="Beta shape", plausible=(1.0, 4.0),
        source="assumption: 001 s3 (many managers are hesitant or grew up in top-down "
               "cultures): Beta(2, 2.5) leans hesitant (mean 0.44); no distribution given",
    )
    attitude_beta: float = param(
        2.5, 0.5, 20.0, meaning="second shape of managers' attitude to digital at the start, "
                                "Beta(alpha, beta)", unit="Beta shape", plausible=(1.5, 4.0),
        source="assumption (as attitude_alpha)",
    )
    observation_rate: float = param(
        0.02, 0.0, 1.0, meaning="weekly move of a manager's attitude toward the tool's usefulness "
                                "once it is out", unit="per week", plausible=(0.005, 0.05),
        source="assumption",
    )
    coaching_rate: float = param(
        0.02, 0.0, 0.5, meaning="weekly skill coaching an enabled manager gives each rep, per unit "
                                "of the manager's attitude", unit="per week",
        plausible=(0.005, 0.05),
        source="assumption: 001 action 5 (managers coach the new way of working); no size given",
    )
    endorsement: float = param(
        0.5, 0.0, 1.0, meaning="stance an enabled manager signals with no belief of their own "
                               "while the programme team backs them (rising to 1 with attitude)",
        unit="stance [0-1]", plausible=(0.25, 0.75),
        source="assumption: 001 action 5 (first-line managers as change agents); no size given",
    )
    enforcement: float = param(
        0.5, 0.0, 1.0, meaning="how strongly a manager with no belief in the tools presses a "
                               "mandate (rising to 1 with attitude)", unit="strength [0-1]",
        plausible=(0.25, 0.75), source="assumption",
    )


@dataclass
class SellingParams:
    """Opportunities, wins, recommendations and accounts (001, 003, 004)."""

    own_conversion: float = param(
        0.08, 0.01, 1.0,
        meaning="chance a rep's own cross-sell idea for an account becomes a qualified opportunity",
        unit="share [0-1]",
        source="001: the industry average is 6-10% (against one third for Microsoft's Daily "
               "Recommender)",
    )
    hunting_conversion: float = param(
        0.1, 0.01, 1.0,
        meaning="chance a pursuit of a new logo becomes a qualified opportunity, in an open market",
        unit="share [0-1]", plausible=(0.05, 0.2),
        source="assumption (outbound prospecting: a researched approach qualifies about 1 in 10)",
    )
    rec_quality_start: float = param(0.1, 0.0, 1.0, meaning="recommendation conversion at release",
                                     unit="share [0-1]", plausible=(0.06, 0.15),
                                     source="assumption: near the reps' own rate (001: 6-10%); "
                                            "001 gives no starting value")
    rec_quality_ceiling: float = param(
        0.33, 0.0, 1.0, meaning="conversion of a mature recommender fed by feedback",
        unit="share [0-1]",
        source="001: one third of the Daily Recommender's recommendations become qualified "
               "opportunities",
    )
    rec_learning_rate: float = param(0.04, 0.0, 1.0,
                                     meaning="weekly approach of quality to its ceiling",
                                     unit="per week", plausible=(0.02, 0.1), source="assumption")
    rated_volume_explained: float = param(
        1.5, 1.0, 5.0, meaning="ratings reps give when recommendations are explained, relative "
                              "to unexplained ones", unit="multiplier", plausible=(1.0, 2.5),
        source="assumption: 001 says explanations and feedback improve adoption; no size given",
    )
    unrated_volume: float = param(0.25, 0.0, 1.0, meaning="learning signal without a feedback "
                                  "loop, relative to rated use", unit="multiplier",
                                  plausible=(0.1, 0.5),
                                  source="assumption: 001 says feedback trains the algorithms; "
                                         "no size given")
    unrated_reach: float = param(0.3, 0.0, 1.0, meaning="share of the way to its ceiling a "
                                 "recommender gets without rated feedback", unit="share [0-1]",
                                 plausible=(0.1, 0.6), source="assumption: 001 gives no size")
    win_rate: float = param(0.25, 0.01, 1.0, meaning="base win rate of a qualified opportunity",
                            unit="share [0-1]", plausible=(0.15, 0.35),
                            source="assumption (B2B qualified win rates 20-30%)")
    deal_cycle_weeks: float = param(8.0, 1.0, 52.0, meaning="mean weeks from opportunity to close",
                                    unit="weeks", plausible=(4.0, 16.0), source="assumption")
    contract_value: float = param(50.0, 1.0, 10000.0, meaning="mean first contract ($k per year)",
                                  unit="$k per year", plausible=(20.0, 150.0),
                                  source="assumption: a mid-market B2B subscription; it sets "
                                         "revenue against the programme's cost in $k "
                                         "(docs/economics.md)")
    potential_multiple: float = param(3.0, 1.0, 10.0, meaning="account potential / first contract",
                                      unit="multiplier", plausible=(2.0, 5.0),
                                      source="assumption: 003 says accounts grow after the first "
                                             "sale; no size given")
    potential_spread: float = param(
        0.4, 0.0, 2.0, meaning="spread of an account's potential around its mean (sd of its log)",
        unit="log units", plausible=(0.2, 0.8), source="assumption",
    )
    first_contract_low: float = param(
        0.25, 0.0, 1.0, meaning="least share of its potential a new account's first contract "
                                "takes", unit="share [0-1]", plausible=(0.15, 0.35),
        source="assumption",
    )
    first_contract_high: float = param(
        0.45, 0.0, 1.0, meaning="most share of its potential a new account's first contract "
                                "takes (drawn evenly between the two)", unit="share [0-1]",
        plausible=(0.35, 0.6), source="assumption",
    )
    expansion_rate: float = param(0.02, 0.0, 0.5,
                                  meaning="weekly development of potential at full care",
                                  unit="per week", plausible=(0.01, 0.04), source="assumption")
    contraction_rate: float = param(0.01, 0.0, 0.5,
                                    meaning="weekly share of developed value lost without care",
                                    unit="per week", plausible=(0.005, 0.02),
                                    source="assumption (usage shrinks unless accounts are farmed)")
    readiness_share: float = param(
        0.7, 0.0, 1.0, meaning="share of the buying decision made before contact",
        unit="share [0-1]",
        source="004: 70% of the purchase decision is made before the customer talks to the "
               "company",
    )
    messaging_weight: float = param(
        0.35, 0.0, 1.0, meaning="win rate and satisfaction lost to fully inconsistent messages",
        unit="share [0-1]", plausible=(0.15, 0.5),
        source="assumption: 004 says an inconsistent experience drives customers away; no size",
    )
    handoff_shock: float = param(0.15, 0.0, 1.0,
                                 meaning="satisfaction lost when an account changes rep uncaptured",
                                 unit="satisfaction [0-1]", plausible=(0.05, 0.3),
                                 source="assumption: 003 (the customer must not have to 'train' "
                                        "the new rep); no size given")
    inside_sales_cost: float = param(0.6, 0.1, 1.0, meaning="cost of an inside-sales farmer",
                                     unit="share of a field seat", plausible=(0.4, 0.8),
                                     source="assumption: 003 (much cheaper with little loss); no "
                                            "size given")
    win_lift: float = param(
        0.3, 0.0, 2.0,
        meaning="win rate gained by a deal worked fully through the tools on perfect data",
        unit="share of the win rate", plausible=(0.1, 0.5),
        source="assumption: 001 says conversion rises with digitalisation, with no figure",
    )
    cycle_cut: float = param(
        0.3, 0.0, 0.9,
        meaning="share of the deal cycle cut for a deal worked fully through the tools on "
                "perfect data", unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption: 001 says purchases close faster, with no figure",
    )
    max_care: float = param(1.5, 1.0, 5.0, meaning="most care an account can absorb, relative "
                            "to what it asks for", unit="multiplier", plausible=(1.2, 2.0),
                            source="assumption")
    renewal_credit: float = param(
        0.25, 0.0, 1.0, meaning="share of a live contract's value credited to its rep's pay, "
                                "spread over the year", unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption (renewal commission)",
    )
    cross_sell_share: float = param(
        0.25, 0.0, 1.0, meaning="share of farming hours spent on cross-sell attempts",
        unit="share [0-1]", plausible=(0.1, 0.4),
        source="assumption: 001 says account executives find solutions for 100+ accounts each, "
               "not how much of their time goes to it",
    )
    cross_sell_size: float = param(
        0.25, 0.0, 1.0, meaning="share of an account's undeveloped potential a won cross-sell adds",
        unit="share [0-1]", plausible=(0.1, 0.4), source="assumption",
    )
    first_sale_knowledge: float = param(
        0.5, 0.0, 1.0, meaning="account knowledge a first sale leaves in the CRM at full CRM use",
        unit="knowledge [0-1]", plausible=(0.3, 0.7), source="assumption",
    )
    crm_base_use: float = param(
        0.3, 0.0, 1.0, meaning="share of account knowledge reps record in the CRM without the "
                              "new tools", unit="share [0-1]", plausible=(0.1, 0.5),
        source="assumption: 002 says reps don't enter leads in the CRM; no share given",
    )
    lost_deal_cooldown_weeks: int = param(26, 0, 520,
                                          meaning="weeks before a lost opportunity can be pursued again",
                                          unit="weeks", plausible=(13, 52), source="assumption")
    lost_readiness: float = param(
        0.5, 0.0, 1.0, meaning="share of a buyer's readiness left after a lost deal",
        unit="share [0-1]", plausible=(0.25, 0.75), source="assumption",
    )
    pursuit_unready: float = param(
        0.2, 0.001, 2.0, meaning="weight hunters give a prospect with no buying readiness when "
                               "picking whom to pursue (one fully ready weighs 1 more)",
        unit="weight", plausible=(0.05, 0.5), source="assumption",
    )
    rec_trust_explained: float = param(
        1.0, 0.0, 1.0, meaning="share of recommendations a rep acts on when they come with "
                              "an explanation", unit="share [0-1]", plausible=(0.8, 1.0),
        source="assumption: 001 says explanations answer the autonomy threat and raise trust; no "
               "share given",
    )
    rec_trust_unexplained: float = param(
        0.6, 0.0, 1.0, meaning="share of recommendations a rep acts on without an explanation",
        unit="share [0-1]", plausible=(0.4, 0.8), source="assumption: 001 gives no share",
    )


@dataclass
class CustomerParams:
    """The customer's side: buying journey, satisfaction, relationship, renewal (003, 004)."""

    readiness_drift: float = param(0.006, 0.0, 0.1,
                                   meaning="weekly rise of a prospect's buying readiness",
                                   unit="readiness per week", plausible=(0.003, 0.012),
                                   source="assumption (a buying journey of about three years)")
    readiness_noise: float = param(0.02, 0.0, 0.2, meaning="weekly noise in readiness (sd)",
                                   unit="readiness per week", plausible=(0.01, 0.04),
                                   source="assumption")
    readiness_after_purchase: float = param(
        0.05, 0.0, 1.0, meaning="readiness of a prospect that just bought elsewhere",
        unit="readiness [0-1]", plausible=(0.0, 0.15), source="assumption (a new journey starts)",
    )
    relationship_gain: float = param(0.01, 0.0, 0.5,
                                     meaning="weekly relationship built at full care",
                                     unit="per week", plausible=(0.005, 0.02),
                                     source="assumption (about two years to a close relationship)")
    relationship_loss: float = param(0.01, 0.0, 0.5,
                                     meaning="weekly relationship lost while neglected",
                                     unit="per week", plausible=(0.005, 0.02), source="assumption")
    neglect_care: float = param(0.3, 0.0, 1.0, meaning="care below which an account feels "
                                "neglected", unit="care [0-1]", plausible=(0.2, 0.5),
                                source="assumption")
    inside_sales_rapport: float = param(
        0.85, 0.1, 1.0, meaning="relationship built by video and chat relative to field visits",
        unit="multiplier", plausible=(0.7, 1.0),
        source="assumption: 003 (inside sales saves cost with little or no loss); no size given",
    )
    knowledge_gain: float = param(0.02, 0.0, 0.5,
                                  meaning="weekly share of missing account knowledge recorded at "
                                          "full CRM use", unit="per week", plausible=(0.01, 0.04),
                                  source="assumption")
    knowledge_decay: float = param(0.002, 0.0, 0.1,
                                   meaning="weekly share of recorded knowledge that goes stale",
                                   unit="per week", plausible=(0.001, 0.005), source="assumption")
    satisfaction_base: float = param(0.3, 0.0, 1.0, meaning="satisfaction with no care at all",
                                     unit="satisfaction [0-1]", plausible=(0.2, 0.4),
                                     source="assumption")
    satisfaction_care: float = param(0.4, 0.0, 1.0, meaning="satisfaction from full care",
                                     unit="satisfaction [0-1]", plausible=(0.3, 0.5),
                                     source="assumption: 003 (customers want to be served)")
    satisfaction_relationship: float = param(0.2, 0.0, 1.0,
                                             meaning="satisfaction from a close relationship",
                                             unit="satisfaction [0-1]", plausible=(0.1, 0.3),
                                             source="assumption: 003 says customers like the rep "
                                                    "who sold to them; no size given")
    satisfaction_knowledge: float = param(
        0.1, 0.0, 1.0, meaning="satisfaction from a rep who knows the account",
        unit="satisfaction [0-1]", plausible=(0.05, 0.2),
        source="assumption: 003 (the customer should not have to train the new rep); no size",
    )
    satisfaction_messaging: float = param(
        0.5, 0.0, 2.0, meaning="satisfaction lost per unit of messaging weight at full "
                              "inconsistency", unit="multiplier", plausible=(0.25, 1.0),
        source="assumption: 004 (an inconsistent experience drives customers away); no size",
    )
    satisfaction_rate: float = param(0.08, 0.0, 1.0,
                                     meaning="weekly move of satisfaction toward its target",
                                     unit="per week", plausible=(0.04, 0.15),
                                     source="assumption (about a quarter)")
    renewal_base: float = param(
        0.7, 0.0, 1.0, meaning="renewal chance at the pivot satisfaction and relationship",
        unit="share [0-1]", plausible=(0.6, 0.8),
        source="assumption, calibrated so the typical company loses ~13% of its customers a "
               "year, a little above KeyBanc (KBCM) SaaS surveys' median annual unit churn of "
               "~10%",
    )
    renewal_slope: float = param(0.5, 0.0, 2.0, meaning="renewal gained per unit satisfaction",
                                 unit="per unit satisfaction", plausible=(0.25, 1.0),
                                 source="assumption")
    relationship_renewal: float = param(
        0.3, 0.0, 2.0, meaning="renewal gained per unit relationship with the current rep",
        unit="per unit relationship", plausible=(0.1, 0.5),
        source="assumption: 003 says customers are disappointed to lose the rep who sold to "
               "them; no size given",
    )
    renewal_pivot: float = param(0.6, 0.0, 1.0,
                                 meaning="satisfaction and relationship at which renewal is its base",
                                 unit="satisfaction [0-1]", plausible=(0.5, 0.7),
                                 source="assumption")
    renewal_floor: float = param(0.02, 0.0, 1.0, meaning="lowest renewal chance",
                                 unit="share [0-1]", plausible=(0.0, 0.1), source="assumption")
    renewal_ceiling: float = param(0.995, 0.0, 1.0, meaning="highest renewal chance",
                                   unit="share [0-1]", plausible=(0.98, 1.0), source="assumption")
    churn_cooldown_weeks: int = param(52, 0, 520,
                                      meaning="weeks before a churned customer can be won back",
                                      unit="weeks", plausible=(26, 104),
                                      source="assumption (a year's contract elsewhere)")
    new_satisfaction: float = param(
        0.65, 0.0, 1.0, meaning="satisfaction of a new subscriber", unit="satisfaction [0-1]",
        plausible=(0.5, 0.8), source="assumption (a customer who just chose to buy)",
    )
    new_relationship: float = param(
        0.6, 0.0, 1.0, meaning="relationship of a new subscriber with the rep who sold to it",
        unit="relationship [0-1]", plausible=(0.4, 0.8), source="assumption",
    )


@dataclass
class MarketParams:
    """The market the settling run starts from (sim/organisation.py ``naive_market``). The
    settling run forgets all of it but the customers' fit, which is drawn once and kept."""

    fit_alpha: float = param(
        2.0, 0.5, 20.0, meaning="first shape of customers' fit to the offering, Beta(alpha, beta)",
        unit="Beta shape", plausible=(1.0, 4.0),
        source="assumption: fit spread around the middle (mean 0.5); no source gives it",
    )
    fit_beta: float = param(
        2.0, 0.5, 20.0, meaning="second shape of customers' fit to the offering",
        unit="Beta shape", plausible=(1.0, 4.0), source="assumption (as fit_alpha)",
    )
    readiness_alpha: float = param(
        2.0, 0.5, 20.0, meaning="first shape of prospects' buying readiness at the start",
        unit="Beta shape", plausible=(1.0, 4.0),
        source="assumption: most prospects early in their journey (mean 0.29)",
    )
    readiness_beta: float = param(
        5.0, 0.5, 20.0, meaning="second shape of prospects' buying readiness at the start",
        unit="Beta shape", plausible=(3.0, 8.0), source="assumption (as readiness_alpha)",
    )
    tenure_min_weeks: int = param(
        30, 0, 1040, meaning="fewest weeks since a starting subscriber's first sale",
        unit="weeks", plausible=(13, 52), source="assumption",
    )
    tenure_range_weeks: int = param(
        370, 1, 1040, meaning="spread of weeks since a starting subscriber's first sale: drawn "
                              "evenly from tenure_min_weeks up to this many more",
        unit="weeks", plausible=(150, 600), source="assumption",
    )
    developed_low: float = param(
        0.5, 0.0, 1.0, meaning="least share of its potential a starting subscriber's contract "
                               "has reached", unit="share [0-1]", plausible=(0.3, 0.6),
        source="assumption",
    )
    developed_high: float = param(
        0.8, 0.0, 1.0, meaning="most share of its potential a starting subscriber's contract has "
                               "reached (drawn evenly between the two)", unit="share [0-1]",
        plausible=(0.6, 0.95), source="assumption",
    )
    satisfaction_alpha: float = param(
        6.0, 0.5, 50.0, meaning="first shape of starting subscribers' satisfaction, "
                                "Beta(alpha, beta)", unit="Beta shape", plausible=(3.0, 10.0),
        source="assumption (mean 0.6)",
    )
    satisfaction_beta: float = param(
        4.0, 0.5, 50.0, meaning="second shape of starting subscribers' satisfaction",
        unit="Beta shape", plausible=(2.0, 8.0), source="assumption (as satisfaction_alpha)",
    )
    relationship_low: float = param(
        0.6, 0.0, 1.0, meaning="least relationship of a starting subscriber with its rep (drawn "
                               "evenly up to 1)", unit="relationship [0-1]", plausible=(0.4, 0.8),
        source="assumption",
    )
    knowledge_low: float = param(
        0.4, 0.0, 1.0, meaning="least account knowledge the CRM holds on a starting subscriber",
        unit="knowledge [0-1]", plausible=(0.2, 0.5), source="assumption",
    )
    knowledge_high: float = param(
        0.8, 0.0, 1.0, meaning="most account knowledge the CRM holds on a starting subscriber "
                               "(drawn evenly between the two)", unit="knowledge [0-1]",
        plausible=(0.6, 0.9), source="assumption",
    )


@dataclass
class LeadParams:
    """Marketing lead generation and the lead funnel (002, 004; Oldroyd et al. 2011)."""

    leads_per_marketer: float = param(5.0, 0.0, 100.0, meaning="leads per marketer per week",
                                      unit="leads per week", plausible=(2.0, 10.0),
                                      source="assumption: 002's Affiliated campaign (600 invited, "
                                             "100 registered, 60 attended) is one campaign, not a "
                                             "weekly rate")
    readiness_half_life_days: float = param(
        4.0, 0.1, 60.0, meaning="days for a waiting lead's readiness to halve", unit="days",
        plausible=(1.0, 14.0),
        source="assumption, softened for B2B from Oldroyd, McElheran, Elkington 2011 (a web lead "
               "contacted within an hour is ~7x likelier to qualify than an hour later, >60x "
               "than after 24 hours)",
    )
    pickup_days: float = param(5.0, 0.0, 30.0,
                               meaning="most days before a rep notices a lead dumped on them",
                               unit="days", plausible=(2.0, 10.0),
                               source="assumption (about a week; 002: leads die in the CRM)")
    notice_days: float = param(1.0, 0.0, 30.0,
                               meaning="most days before a rep notices a lead routed to them",
                               unit="days", plausible=(0.5, 2.0),
                               source="assumption: 002's Visible Technologies routes leads "
                                      "through Salesforce and gives reps 1-2 days to respond "
                                      "(lead_handoff.sla_days), not a noticing time")
    lead_trust: float = param(0.75, 0.0, 1.0,
                              meaning="reps' prior trust in marketing's leads (share they accept)",
                              unit="share [0-1]", plausible=(0.5, 0.9),
                              source="assumption: 002, 004 give no share")
    trust_learning: float = param(
        0.03, 0.0, 1.0, meaning="trust moved per followed lead toward what it proved worth",
        unit="per lead", plausible=(0.01, 0.1),
        source="assumption (reps trust leads that pay off: 002, 004)",
    )
    trust_reversion: float = param(
        0.01, 0.0, 1.0, meaning="weekly pull of trust back toward the prior (what marketing says)",
        unit="per week", plausible=(0.0, 0.03), source="assumption",
    )
    silo_distrust: float = param(
        0.7, 0.0, 1.0, meaning="share of trust lost at full sales-marketing distrust friction",
        unit="share [0-1]", plausible=(0.4, 0.9),
        source="assumption: 002 (turf protection and misunderstanding), 004 (sales would not "
               "follow up) give no share",
    )
    lead_qualify: float = param(0.45, 0.0, 1.0, meaning="qualification at full fit and readiness",
                                unit="share [0-1]", plausible=(0.3, 0.6),
                                source="assumption: 002's Affiliated webinar (60 attended, 2 new "
                                       "large accounts won) is attendance to won, not "
                                       "qualification")
    readiness_floor: float = param(0.3, 0.0, 1.0,
                                   meaning="qualification of a lead with no buying readiness, "
                                           "relative to a ready one", unit="share [0-1]",
                                   plausible=(0.1, 0.5),
                                   source="assumption; 004: 70% of the decision made before "
                                          "contact")
    max_age_weeks: int = param(4, 1, 52, meaning="weeks an unworked lead waits before it dies",
                               unit="weeks", plausible=(2, 8),
                               source="assumption; Oldroyd et al. 2011: leads go cold within "
                                      "hours to days")
    lost_cooldown_weeks: int = param(2, 0, 52,
                                     meaning="weeks before marketing passes a dropped lead on again",
                                     unit="weeks", plausible=(1, 8), source="assumption")
    nurture_ready: float = param(0.55, 0.0, 1.0,
                                 meaning="readiness at which a nurtured lead is passed on again",
                                 unit="readiness [0-1]", plausible=(0.4, 0.7),
                                 source="assumption: 002 (nurture leads with long-term "
                                        "potential); no threshold given")
    nurture_gain: float = param(0.03, 0.0, 0.5, meaning="weekly readiness gained under nurture",
                                unit="readiness per week", plausible=(0.01, 0.06),
                                source="assumption: 002 (marketing nurtures not-yet-ready leads); "
                                       "no rate given")
    nurture_weeks: int = param(26, 1, 260, meaning="weeks marketing nurtures a lead before it "
                               "gives up on it", unit="weeks", plausible=(13, 52),
                               source="assumption")
    segmentation_power: float = param(
        4.0, 0.0, 20.0, meaning="how much a full segmentation favours fitting prospects",
        unit="exponent", plausible=(2.0, 8.0),
        source="assumption: 002 (marketing must build a customer segmentation model); no size",
    )
    segmentation_start: float = param(0.3, 0.0, 1.0, meaning="marketing's segmentation before "
                                      "any sales feedback", unit="quality [0-1]",
                                      plausible=(0.1, 0.5), source="assumption")
    segmentation_learning: float = param(0.05, 0.0, 1.0,
                                         meaning="weekly move of segmentation toward sales feedback",
                                         unit="per week", plausible=(0.02, 0.1),
                                         source="assumption: 002 (value propositions follow the "
                                                "segmentation); no rate given")
    collateral_start: float = param(0.7, 0.0, 1.0, meaning="relevance of collateral at the start",
                                    unit="relevance [0-1]", plausible=(0.5, 0.9),
                                    source="assumption")
    collateral_decay: float = param(0.02, 0.0, 0.5, meaning="weekly relevance lost by collateral",
                                    unit="per week", plausible=(0.01, 0.04),
                                    source="assumption: 002's Visible Technologies throws "
                                           "collateral away after a year; a half-life of ~34 "
                                           "weeks is ours")
    collateral_refresh: float = param(0.06, 0.0, 1.0,
                                      meaning="weekly relevance regained at full sales feedback",
                                      unit="per week", plausible=(0.03, 0.1),
                                      source="assumption: 002 (reps review collateral, marketing "
                                             "revises it by use); no rate given")
    collateral_alignment: float = param(
        0.5, 0.0, 1.0, meaning="share of silo messaging inconsistency relevant collateral removes",
        unit="share [0-1]", plausible=(0.3, 0.7),
        source="assumption: 002 (one value proposition, Thoreson's test); no size given",
    )
    stale_collateral: float = param(
        0.2, 0.0, 1.0, meaning="message inconsistency from wholly stale collateral",
        unit="inconsistency [0-1]", plausible=(0.1, 0.3), source="assumption: 002 gives no size",
    )
    focus_events: float = param(1.0, 0.0, 5.0, meaning="how strongly events pick ready prospects",
                                unit="exponent", plausible=(0.5, 2.0), source="assumption")
    focus_webinars: float = param(1.5, 0.0, 5.0,
                                  meaning="how strongly webinars pick ready prospects",
                                  unit="exponent", plausible=(1.0, 2.5),
                                  source="assumption: 002's Affiliated called invitees before "
                                         "and after; no size given")
    focus_web: float = param(2.0, 0.0, 5.0, meaning="how strongly web leads are ready prospects",
                             unit="exponent", plausible=(1.0, 3.0),
                             source="assumption: 004 (70% of the decision made before contact, "
                                    "much of it online); no size given")
    focus_lists: float = param(0.0, 0.0, 5.0, meaning="how strongly bought lists pick ready "
                               "prospects (0: not at all)", unit="exponent", plausible=(0.0, 0.5),
                               source="assumption")
    pick_readiness_floor: float = param(
        0.05, 0.001, 1.0, meaning="readiness a prospect counts with when marketing picks whom to "
                                "reach, on top of its own (so the unready can be reached)",
        unit="readiness [0-1]", plausible=(0.01, 0.2), source="assumption",
    )


@dataclass
class AttritionParams:
    """Variable pay, morale and quitting (001; Bridge Group; SHRM 2016)."""

    base_quit_weekly: float = param(
        0.0055, 0.0, 0.1, meaning="weekly quit hazard at reference pay and morale",
        unit="per week", plausible=(0.004, 0.007),
        source="calibrated to ~30% annual rep turnover (Bridge Group 2015/2017, AMA 2019): "
               "0.0055 a week is ~25% a year before pay and morale add theirs",
    )
    pay_sensitivity: float = param(4.0, 0.0, 30.0, meaning="log-hazard per unit income gap",
                                   unit="log-hazard per unit gap", plausible=(2.0, 8.0),
                                   source="assumption: 001 says reps who feel their income "
                                          "threatened are more likely to leave; no size given")
    top_performer_factor: float = param(1.5, 1.0, 5.0, meaning="extra pay sensitivity of top quintile",
                                        unit="multiplier", plausible=(1.0, 3.0),
                                        source="assumption: ZS via SHRM 2016 (top performers read "
                                               "a plan change as a pay cut and leave); no factor")
    pay_memory_weeks: float = param(13.0, 1.0, 104.0, meaning="weeks over which pay is felt",
                                    unit="weeks", plausible=(4.0, 26.0),
                                    source="assumption (a quarter)")
    vacancy_weeks: int = param(8, 0, 52, meaning="weeks a seat stays empty after a quit",
                               unit="weeks", plausible=(4, 17),
                               source="assumption (time to hire; CSO Insights 2018 talent study: "
                                      "open sales positions stay open nearly 4 months)")
    reference_memory_weeks: float = param(52.0, 4.0, 260.0,
                                          meaning="weeks over which the pay a rep is used to forms",
                                          unit="weeks", plausible=(26.0, 104.0),
                                          source="assumption (a year)")
    swing_memory_weeks: float = param(52.0, 4.0, 260.0,
                                      meaning="weeks over which a rep gets used to their pay's swings",
                                      unit="weeks", plausible=(26.0, 104.0),
                                      source="assumption (a year)")
    swing_tolerance: float = param(
        1.0, 0.0, 5.0, meaning="multiples of their usual swing a shortfall must pass to read as a "
                               "pay cut", unit="multiplier", plausible=(0.5, 2.0),
        source="assumption (reference dependence with adaptation)",
    )
    top_performer_quantile: float = param(0.8, 0.5, 0.99,
                                          meaning="pay quantile from which a rep is a top performer",
                                          unit="quantile [0-1]", plausible=(0.75, 0.9),
                                          source="assumption: the top quintile; ZS via SHRM 2016 "
                                                 "names top performers, not a cut")
    morale_neutral: float = param(0.6, 0.0, 1.0, meaning="morale with no income gap or mandate",
                                  unit="morale [0-1]", plausible=(0.5, 0.7), source="assumption")
    morale_pay: float = param(0.8, 0.0, 5.0, meaning="morale lost per unit of income gap",
                              unit="morale per unit gap", plausible=(0.4, 1.6),
                              source="assumption: 001 (a change that threatens income frustrates "
                                     "reps); no size given")
    morale_mandate: float = param(0.2, 0.0, 2.0,
                                  meaning="morale lost per unit of mandate pressure and autonomy",
                                  unit="morale per unit pressure", plausible=(0.1, 0.4),
                                  source="assumption: 001 s3 (reps value autonomy); no size given")
    morale_rate: float = param(0.1, 0.0, 1.0, meaning="weekly move of morale toward its target",
                               unit="per week", plausible=(0.05, 0.2), source="assumption")
    morale_hazard: float = param(2.0, 0.0, 10.0, meaning="log-hazard of quitting per unit of "
                                 "morale below neutral", unit="log-hazard per unit morale",
                                 plausible=(1.0, 4.0), source="assumption")


@dataclass
class ToolParams:
    """The tool's state: fit, ease of use, data and drift (001)."""

    build_learning: float = param(0.08, 0.0, 1.0, meaning="fit gained per sprint of user feedback",
                                  unit="share of the gap per round", plausible=(0.04, 0.15),
                                  source="assumption: 001 action 4 (each sprint's plan reflects "
                                         "the EET's feedback); no size given")
    drift_weekly: float = param(
        0.007, 0.0, 0.1, meaning="weekly loss of fit as selling changes, while no team keeps "
                                 "the tool evolving", unit="per week",
        plausible=(0.003, 0.015),
        source="assumption: 001 failure mode 3 (selling keeps changing) gives no rate; half-life "
               "~2 years, calibrated (docs/calibration.md)",
    )
    tech_drift_weekly: float = param(
        0.02, 0.0, 0.1,
        meaning="weekly ease of use lost while no team maintains the tool (technology changes)",
        unit="per week", plausible=(0.01, 0.04),
        source="assumption: 001 failure mode 3 (technology keeps changing) gives no rate; ease "
               "half-life ~35 weeks, calibrated (docs/calibration.md)",
    )
    complexity_per_feature: float = param(0.025, 0.0, 0.5, meaning="ease lost per late feature",
                                          unit="complexity per feature", plausible=(0.01, 0.05),
                                          source="assumption: 000 (too many designers make the "
                                                 "system complex and hard to use); no size given")
    late_feature_rate: float = param(0.12, 0.0, 5.0,
                                     meaning="late feature requests per week (all accepted by a "
                                             "sales-led programme)", unit="features per week",
                                     plausible=(0.05, 0.25),
                                     source="assumption: 000 (features added late risk schedule, "
                                            "quality and budget); no rate given")
    setback_rate: float = param(0.03, 0.0, 1.0,
                                meaning="weekly chance of a technical setback at full friction",
                                unit="per week", plausible=(0.01, 0.06),
                                source="assumption: 000 (IT-business friction) gives no rate")
    data_quality_rate: float = param(0.05, 0.0, 1.0,
                                     meaning="weekly approach of data quality to CRM completeness",
                                     unit="per week", plausible=(0.02, 0.1), source="assumption")
    data_quality_start: float = param(0.2, 0.0, 1.0, meaning="CRM data quality at release",
                                      unit="quality [0-1]", plausible=(0.1, 0.4),
                                      source="assumption (the old CRM's data)")
    silo_data_loss: float = param(
        0.8, 0.0, 1.0, meaning="share of CRM data lost to the tools at full data-sharing friction",
        unit="share [0-1]", plausible=(0.5, 1.0),
        source="assumption: 004 (one shared CRM seen by sales, marketing, service, finance); no "
               "size given",
    )
    silo_signal_loss: float = param(
        0.6, 0.0, 1.0,
        meaning="share of marketing-engagement signals the recommender loses at full friction",
        unit="share [0-1]", plausible=(0.3, 0.9),
        source="assumption: 001 (the Daily Recommender read customers' interactions with "
               "marketing); no size given",
    )
    silo_feedback_loss: float = param(
        0.6, 0.0, 1.0, meaning="share of user feedback lost to the designers at full friction",
        unit="share [0-1]", plausible=(0.3, 0.9), source="assumption: 002, 004 give no size",
    )
    fit_floor: float = param(0.05, 0.0, 1.0, meaning="lowest fit a chosen tool can have",
                             unit="fit [0-1]", plausible=(0.0, 0.2), source="assumption")
    fit_ceiling: float = param(0.95, 0.0, 1.0, meaning="the best fit feedback can reach",
                               unit="fit [0-1]", plausible=(0.85, 1.0), source="assumption")
    friction_slowdown: float = param(0.2, 0.0, 1.0,
                                     meaning="build speed lost at full IT-business friction",
                                     unit="share [0-1]", plausible=(0.1, 0.4),
                                     source="assumption: 000 (PwC Digital IQ 2017: 62% of "
                                            "respondents name lack of IT-business collaboration "
                                            "the biggest obstacle) says how common, not how slow")
    sponsor_speedup: float = param(0.05, 0.0, 1.0,
                                   meaning="build speed lost without any executive sponsor",
                                   unit="share [0-1]", plausible=(0.0, 0.15),
                                   source="assumption: 001 action 1 (the sponsor keeps resources "
                                          "committed); no size given")
    scope_per_feature: float = param(0.04, 0.0, 1.0, meaning="scope added by one late feature",
                                     unit="share of the build", plausible=(0.02, 0.08),
                                     source="assumption: 000 (late features put schedule and "
                                            "budget at risk); no size given")
    setback_size: float = param(0.05, 0.0, 1.0, meaning="build progress lost in a technical setback",
                                unit="share of the build", plausible=(0.02, 0.1),
                                source="assumption")


@dataclass
class ConfidenceParams:
    """Leadership confidence, governance and cancellation (001)."""

    cancel_below: float = param(0.3, 0.0, 1.0, meaning="confidence below which the programme stops",
                                unit="confidence [0-1]", plausible=(0.2, 0.4),
                                source="assumption: 001 failure mode 1 (leaders lose confidence) "
                                       "gives no threshold")
    patience_weeks: float = param(
        5.0, 0.0, 260.0,
        meaning="without KPIs, weeks past the roll-out the business case promised (planning, "
                "build, pilot and roll-out at the planned pace) before confidence erodes",
        unit="weeks", plausible=(0.0, 52.0),
        source="assumption: about a month of goodwill, which for the default waterfall falls "
               "where the earlier calibration's quarter past the promised release did (its "
               "pilot and roll-out take 8 weeks); 001 failure mode 1 (progress so slow that "
               "leaders lose confidence) gives no length",
    )
    erosion: float = param(
        0.012, 0.0, 0.2,
        meaning="weekly confidence lost while the programme is past its promise without "
                "results", unit="confidence per week", plausible=(0.004, 0.03),
        source="assumption: 001 (leaders lose confidence) gives no rate; at 0.012 leaders at "
               "the mean launch confidence (0.6) reach the cancelling line (0.3) about half a "
               "year after their patience ran out (docs/calibration.md)",
    )
    signal_weight: float = param(0.05, 0.0, 1.0, meaning="weekly response to the observed signal",
                                 unit="per week", plausible=(0.02, 0.1), source="assumption")
    lagging_noise: float = param(0.03, 0.0, 0.5,
                                 meaning="noise (sd) in revenue growth as leaders read it",
                                 unit="share of revenue", plausible=(0.01, 0.06),
                                 source="assumption: 001 (lagging indicators) gives no size")
    sponsor_buffer: float = param(0.7, 0.0, 1.0, meaning="share of bad news a full sponsor absorbs",
                                  unit="share [0-1]", plausible=(0.4, 0.9),
                                  source="assumption: 001 action 1 (a sponsor creates a safe "
                                         "space) gives no size")
    stall_weeks: int = param(8, 1, 52, meaning="weeks of flat adoption before KPIs trigger a fix",
                             unit="weeks", plausible=(4, 13),
                             source="assumption: 001 action 2 (correct course early)")
    leading_weight: float = param(0.7, 0.0, 1.0,
                                  meaning="weight of leading indicators in what KPIs show leaders",
                                  unit="share [0-1]", plausible=(0.5, 0.9),
                                  source="assumption: 001 action 2 (leading and lagging "
                                         "indicators) gives no weight")
    late_margin: float = param(0.1, 0.0, 1.0, meaning="lag behind plan that KPIs report as late",
                               unit="share of plan", plausible=(0.05, 0.2), source="assumption")
    replan_weeks: int = param(13, 1, 104, meaning="weeks between re-plans at most", unit="weeks",
                              plausible=(8, 26),
                              source="assumption (a quarterly governance review)")
    replan_shock: float = param(0.02, 0.0, 0.5, meaning="confidence lost when the plan is re-set",
                                unit="confidence [0-1]", plausible=(0.0, 0.05),
                                source="assumption")
    kpi_encouragement: float = param(
        0.05, 0.0, 0.5, meaning="signal leaders add when they see progress on plan",
        unit="signal", plausible=(0.0, 0.1),
        source="assumption: 001 action 2 (positive feedback from KPI data energises the "
               "organisation) gives no size",
    )
    late_feature_shock: float = param(0.004, 0.0, 0.1,
                                      meaning="confidence lost per late feature accepted",
                                      unit="confidence per feature", plausible=(0.0, 0.01),
                                      source="assumption: 000 (late features put the schedule at "
                                             "risk) gives no size")
    setback_shock: float = param(0.02, 0.0, 0.5, meaning="confidence lost in a technical setback",
                                 unit="confidence [0-1]", plausible=(0.0, 0.05),
                                 source="assumption")
    stall_gain: float = param(0.01, 0.0, 0.5, meaning="rise in genuine use that counts as progress",
                              unit="share [0-1]", plausible=(0.005, 0.03), source="assumption")
    fix_training: float = param(0.15, 0.0, 1.0, meaning="skill given by a course-correcting training",
                                unit="share of missing skill", plausible=(0.05, 0.3),
                                source="assumption: 001 action 2 (correct course early) gives no "
                                       "size")
    fix_fit: float = param(0.2, 0.0, 1.0, meaning="share of the weakest segment's missing fit a "
                           "backlog fix adds", unit="share [0-1]", plausible=(0.1, 0.4),
                           source="assumption: 001 action 2 gives no size")
    expected_growth: float = param(
        0.05, 0.0, 1.0,
        meaning="revenue growth over the baseline quarter leaders expect once patience runs out",
        unit="share of revenue", plausible=(0.0, 0.1),
        source="assumption (a business case promises growth; kept apart from the success label)",
    )
    adoption_target: float = param(
        0.6, 0.05, 1.0, meaning="genuine-user share the KPI plan aims for", unit="share [0-1]",
        plausible=(0.4, 0.8),
        source="assumption (broad adoption, 001 failure mode 2); kept apart from the success label",
    )
    adoption_plan_weeks: int = param(
        52, 4, 260, meaning="weeks after roll-out by which the KPI plan expects its adoption target",
        unit="weeks", plausible=(26, 78), source="assumption (a year into roll-out)",
    )


@dataclass
class LabelParams:
    """Thresholds that give every run exactly one label (sim/labels.py; 001's failure modes).

    They classify a finished run and never feed the simulation.
    """

    adoption_bar: float = param(0.6, 0.05, 1.0, meaning="share of reps genuinely active for success",
                                unit="share [0-1]", plausible=(0.5, 0.7),
                                source="assumption (broad adoption, 001 failure mode 2)")
    rollout_margin_weeks: int = param(
        26, 13, 260,
        meaning="weeks before the end of the horizon by which roll-out must have started "
                "(week 130 of 156), so adoption and value can still be judged", unit="weeks",
        plausible=(13, 39),
        source="assumption (half a year: a quarter to adopt, the final quarter to hold)",
    )
    workable_fit: float = param(
        0.4, 0.0, 1.0,
        meaning="tool fit at roll-out below which the solution is not workable: a run that then "
                "never reaches the adoption bar, genuinely or under a mandate, is stalled",
        unit="fit [0-1]", plausible=(0.3, 0.5),
        source="assumption: 001 failure mode 2 speaks of a workable solution without a measure; "
               "0.4 is about the attitude the reluctant majority needs to use a tool at all "
               "(attitude.threshold_reluctant)",
    )
    value_margin: float = param(
        0.005, 0.0, 1.0,
        meaning="final-year recurring revenue above the no-programme counterfactual's, as a share",
        unit="share of revenue", plausible=(0.0, 0.03),
        source="assumption: McKinsey 2018 counts a transformation that improved performance and "
               "sustained it, with no margin; 0.5% is a material gain: its gross margin covers "
               "what the tools cost to run (licences and platform, ~0.4% of the default "
               "organisation's revenue at costs.gross_margin), and it is far above the value "
               "noise between a run and its counterfactual (common random numbers: ~0.01% when "
               "the programme changes nothing)",
    )
    reach_window_weeks: int = param(13, 1, 52,
                                    meaning="weeks adoption and value must hold to count as reached",
                                    unit="weeks", plausible=(8, 26),
                                    source="assumption (a quarter)")
    require_positive_roi: bool = param(
        False, meaning="success also needs the programme to pay back within the horizon "
                       "(roi > 0: gross-margin value added above the programme's cost)",
        source="issue 23: success can be declared while the money says otherwise; off by "
               "default so the labels stay those of 001",
    )


@dataclass
class CostParams:
    """What the programme and the sales organisation cost, in $k (sim/economics.py).

    Costs never feed the simulation: they price what the run did (the weekly
    ``programme_spend`` and ``operating_cost``). Money is in $k like contract values
    (``selling.contract_value`` is $k per year); rates per year are charged weekly as
    1/52 of them. docs/economics.md gives the reasoning behind every default and how to
    enter a client's own figures (``configs/costs/``).
    """

    gross_margin: float = param(
        0.75, 0.05, 0.99, unit="share [0-1]",
        meaning="gross margin on recurring revenue: what a $ of revenue leaves after the cost "
                "of serving it (share)",
        source="assumption: public SaaS benchmarks put subscription gross margins at 70-80%",
        plausible=(0.5, 0.9),
    )
    field_seat_year: float = param(
        130.0, 0.0, 2000.0, unit="$k per year",
        meaning="fixed cost of a field-sales seat without variable pay: base salary, benefits, "
                "travel, tools ($k per year); an inside-sales farmer's seat costs "
                "selling.inside_sales_cost times this (003)",
        source="assumption: a B2B account executive's base of ~$80-100k, ~25% benefits, "
               "~$20k travel and tools", plausible=(80.0, 200.0),
    )
    rep_target_pay_year: float = param(
        160.0, 0.0, 2000.0, unit="$k per year",
        meaning="a rep's on-target earnings, base and variable at target ($k per year); prices "
                "the hold-harmless top-up (a shortfall of the income ratio times this)",
        source="assumption: B2B account executives' on-target earnings of ~$120-200k",
        plausible=(100.0, 250.0),
    )
    commission_rate: float = param(
        0.15, 0.0, 1.0, unit="$k per $k of credit",
        meaning="variable pay per $k of booking credit the pay scheme counts ($k per $k of "
                "credit)",
        source="assumption, set so that variable pay at the default organisation is about half "
               "of rep_target_pay_year (incentives.rep_variable_share 0.5; docs/economics.md)",
               plausible=(0.04, 0.15),
    )
    recruiting_per_hire: float = param(
        25.0, 0.0, 500.0, unit="$k per hire",
        meaning="recruiting and onboarding cost of one hire: recruiter or agency fee, "
                "interviews, onboarding ($k per hire); the vacancy's and the ramp's lost selling "
                "are in revenue, not here",
        source="assumption: SHRM 2022 puts the average cost per hire near $4.7k for all jobs; "
               "agency fees for sales hires run 15-25% of first-year pay", plausible=(10.0, 50.0),
    )
    lead_cost_events: float = param(
        0.5, 0.0, 50.0, unit="$k per lead",
        meaning="variable cost of one lead from events ($k per lead)",
        source="assumption: published B2B cost-per-lead surveys rank trade shows and events "
               "the costliest channel", plausible=(0.2, 1.0),
    )
    lead_cost_webinars: float = param(
        0.1, 0.0, 50.0, unit="$k per lead", meaning="cost of one lead from webinars ($k per lead)",
        source="assumption (webinars among the cheaper inbound channels)", plausible=(0.05, 0.3),
    )
    lead_cost_web: float = param(
        0.15, 0.0, 50.0, unit="$k per lead",
        meaning="cost of one lead from the web: content, search, ads ($k per lead)",
        source="assumption", plausible=(0.05, 0.4),
    )
    lead_cost_lists: float = param(
        0.03, 0.0, 50.0, unit="$k per lead",
        meaning="cost of one lead from a bought list ($k per lead)",
        source="assumption (bought lists the cheapest per name)", plausible=(0.01, 0.1),
    )
    event_cost: float = param(
        100.0, 0.0, 10000.0, unit="$k per event",
        meaning="fixed cost of one event or trade show ($k per event)",
        source="004: a trade-show booth cost more than $100,000", plausible=(20.0, 250.0),
    )
    events_per_marketer_year: float = param(
        2.0, 0.0, 52.0, unit="events per marketer per year",
        meaning="events each marketer of the events channel runs a year",
        source="assumption", plausible=(1.0, 6.0),
    )
    mitigation_year_rotation: float = param(
        80.0, 0.0, 10000.0, unit="$k per year",
        meaning="running cost of rotation between sales and marketing: time people spend on the "
                "other side and learning it ($k per year)",
        source="002: good companies rotate staff and take marketers on sales calls; assumption "
               "(about half a person's year)", plausible=(30.0, 200.0),
    )
    mitigation_year_shared_dashboard: float = param(
        60.0, 0.0, 10000.0, unit="$k per year",
        meaning="running cost of one shared dashboard with agreed metrics: BI licences, an "
                "analyst's part time ($k per year)",
        source="004: one CRM and dashboard seen by sales, marketing, service and finance; "
               "assumption", plausible=(20.0, 150.0),
    )
    mitigation_year_one_leader: float = param(
        150.0, 0.0, 10000.0, unit="$k per year",
        meaning="extra cost of one senior leader over sales and marketing, above the heads the "
                "role unites ($k per year)",
        source="assumption: 002 (Thoreson: one senior VP over both, reporting to the CEO) "
               "gives no cost", plausible=(0.0, 400.0),
    )
    fte_year: float = param(
        150.0, 0.0, 2000.0, unit="$k per FTE per year",
        meaning="loaded cost of one programme team member: engineer, data scientist, analyst, "
                "change specialist ($k per year)",
        source="assumption", plausible=(100.0, 250.0),
    )
    team_fte_agile: float = param(
        8.0, 0.0, 500.0, unit="FTE",
        meaning="programme team under agile delivery while it plans, builds, pilots, rolls out "
                "and through hypercare (FTE)",
        source="assumption within the Scrum Guide 2020's 'typically 10 or fewer people' "
               "(001: an MVP with a small team)", plausible=(5.0, 12.0),
    )
    team_fte_waterfall: float = param(
        12.0, 0.0, 500.0, unit="FTE",
        meaning="programme team under waterfall delivery, same weeks (FTE)",
        source="assumption: a waterfall project staffs analysis, build and test for one large "
               "release (001: a waterfall of a year or more)", plausible=(8.0, 25.0),
    )
    cross_functional_fte: float = param(
        3.0, 0.0, 100.0, unit="FTE",
        meaning="members a cross-functional team adds to the delivery team: user "
                "representatives, UX, change management (FTE)",
        source="001 action 3: user representatives, engineers and integrators; assumption "
               "for the size", plausible=(2.0, 6.0),
    )
    governance_fte: float = param(
        1.0, 0.0, 50.0, unit="FTE",
        meaning="programme office that keeps KPIs and governance while the team works (FTE)",
        source="001 action 2; assumption", plausible=(0.5, 2.0),
    )
    sustainment_fte: float = param(
        4.0, 0.0, 500.0, unit="FTE",
        meaning="team kept after hypercare to keep improving the tool, while it stays (FTE)",
        source="001 failure mode 3; assumption: about half a build team", plausible=(2.0, 8.0),
    )
    leader_year_it_led: float = param(
        200.0, 0.0, 5000.0, unit="$k per year",
        meaning="cost of an IT leader leading the programme, while the team works ($k per year)",
        source="assumption", plausible=(150.0, 300.0),
    )
    leader_year_sales_led: float = param(
        200.0, 0.0, 5000.0, unit="$k per year",
        meaning="cost of a sales leader leading the programme, while the team works ($k per "
                "year)", source="assumption", plausible=(150.0, 300.0),
    )
    leader_year_boundary_spanner: float = param(
        250.0, 0.0, 5000.0, unit="$k per year",
        meaning="cost of a boundary spanner leading the programme, while the team works ($k per "
                "year)",
        source="assumption: a leader with both sales and technology careers (000) is scarcer, "
               "about 25% above the others", plausible=(180.0, 350.0),
    )
    platform_year: float = param(
        150.0, 0.0, 100000.0, unit="$k per year",
        meaning="platform, integration and data infrastructure from the start of the build "
                "until the programme is cancelled ($k per year)",
        source="assumption (for about 100 reps)", plausible=(50.0, 500.0),
    )
    licence_user_year: float = param(
        1.8, 0.0, 100.0, unit="$k per user per year",
        meaning="tool licence per rep with access to the tools ($k per user per year)",
        source="assumption: CRM and sales-AI suites list at ~$50-300 per user per month",
        plausible=(0.6, 3.6),
    )
    training_per_rep: float = param(
        1.5, 0.0, 100.0, unit="$k per rep trained",
        meaning="one training of one rep: the launch training with access, or a "
                "course-correcting training ($k per rep trained)",
        source="assumption (a day or two with trainer, material and travel)", plausible=(0.5, 3.0),
    )
    enablement_per_manager: float = param(
        6.0, 0.0, 200.0, unit="$k per manager",
        meaning="enabling one first-line manager as a change agent ($k per manager)",
        source="001 action 5; assumption (a coaching programme and materials)",
        plausible=(2.0, 15.0),
    )
    embedded_training_user_year: float = param(
        1.0, 0.0, 100.0, unit="$k per user per year",
        meaning="training and support embedded in the workflow per rep with access, while the "
                "team provides it ($k per user per year)",
        source="001 action 5 (micro-learning in the workflow); assumption", plausible=(0.3, 3.0),
    )


@dataclass
class QuotaParams:
    """Quarterly quotas: how they are set, and the pay plan that can use them (sim/quotas.py)."""

    policy: str = param(
        "territory", meaning="how each rep's quarterly quota is set", source="issue 23; "
        "scenarios/quotas/", policy="quota",
    )
    uplift: float = param(
        0.02, -0.5, 2.0, unit="share of history",
        meaning="growth a quota asks for over the history it is set from (share)",
        source="assumption, calibrated: quotas ask for growth over last year; at 0.02 about "
               "half of the reps make quota at the default organisation without a programme "
               "(50-52% over 20 runs), as in CSO Insights' sales performance studies (52-59% of "
               "reps made quota in 2009-2015; the 53% for 2018 cited before could not be "
               "checked)", plausible=(0.0, 0.15),
    )
    history_weeks: float = param(
        52.0, 4.0, 260.0, unit="weeks",
        meaning="weeks of booking credit a quota is set from (memory of a moving average)",
        plausible=(26.0, 104.0),
        source="assumption (last year's production)",
    )
    book_weight: float = param(
        0.5, 0.0, 1.0, unit="share [0-1]",
        meaning="under the book policy, share of a rep's quota that follows the recurring "
                "revenue they hold, against their role's (the rest is the role's mean)",
        plausible=(0.25, 0.75), source="assumption",
    )
    accelerator: float = param(
        1.5, 1.0, 5.0, unit="multiplier",
        meaning="under quota-accelerated pay, pay per $ of credit above quota relative to below",
        plausible=(1.25, 2.5),
        source="assumption: common plans pay 1.5-2x above 100% of quota",
    )
    cap: float = param(
        2.0, 1.0, 10.0, unit="multiple of quota",
        meaning="under quota-accelerated pay, attainment above which no more variable pay is "
                "paid in the quarter",
        plausible=(1.5, 3.0),
        source="assumption: capped plans commonly cap at 200-300% of quota",
    )


@dataclass
class HiringParams:
    """A new hire's ramp to full selling effectiveness (sim/attrition.py ``ramp``)."""

    ramp_weeks: int = param(
        0, 0, 104, unit="weeks",
        meaning="weeks a new hire takes to reach a tenured rep's customer-facing time (0: at "
                "once)",
        source="Bridge Group SaaS AE Metrics reports: a median ramp of about 5 months; 0 "
               "(off) by default until the calibration takes the mechanism in",
    )
    ramp_start: float = param(
        0.3, 0.0, 1.0, unit="share [0-1]",
        meaning="share of a tenured rep's customer-facing time a new hire puts in in the week "
                "after joining; it rises in a straight line to 1 over ramp_weeks",
        plausible=(0.1, 0.5),
        source="assumption (onboarding, product and account learning take the rest)",
    )




@dataclass
class SimParams:
    """Every parameter of one model run."""

    horizon_weeks: int = param(156, 26, 1040, meaning="weeks simulated", unit="weeks",
                               source="DESIGN: a default horizon of 156 weeks")
    baseline_weeks: int = param(13, 4, 52, meaning="baseline quarter before launch", unit="weeks",
                                source="DESIGN: weeks 0-12 are a baseline quarter")
    spin_up_weeks: int = param(
        13, 0, 520,
        meaning="unrecorded weeks each replication runs from its settled market state before "
                "week 0, so replications starting from the same state part ways", unit="weeks",
        plausible=(4, 52),
        source="assumption (a quarter; the settled state is already at rest, sim/steady_state.py)",
    )
    settle_weeks: int = param(
        624, 0, 1040,
        meaning="weeks a market runs without a programme, once, to find the steady state every "
                "replication starts from (0: start from the naive draw of org.subscriber_share)",
        unit="weeks",
        source="measured: the slowest no-programme stock (subscribers) relaxes with a time "
               "constant of about 100 weeks (docs/calibration.md)",
    )
    settle_seed: int = param(
        0, 0, 2**32 - 1, meaning="seed of the settling run (the same for every replication)",
        unit="seed", source="any fixed seed: the settled pool must not depend on the replication",
    )
    settle_snapshots: int = param(
        8, 1, 256,
        meaning="settled states kept for a market of the reference size, spaced apart "
                "after the settling run; a smaller market keeps proportionally more (up to "
                "the maximum); each replication starts from one of them", unit="states",
        source="measured: a 3,000-organisation market's recurring revenue has a stationary sd "
               "of 2%, a 300-organisation one of 8% (relative sd ~ 1/sqrt(size)); states "
               "enough that their mean is within ~1.5% of the stationary mean "
               "(docs/calibration.md)",
    )
    settle_spacing_weeks: int = param(
        104, 13, 520,
        meaning="weeks between kept settled states", unit="weeks",
        source="measured: revenue's autocorrelation without a programme is 0.5 at 104 weeks, so "
               "states two years apart are nearly independent draws of the steady state",
    )
    settle_reference_size: int = param(
        3000, 100, 1_000_000,
        meaning="market size (organisations) for which the kept settled states suffice",
        unit="organisations", source="the default organisation's market (100 reps x 30)",
    )
    settle_snapshots_max: int = param(
        96, 1, 256, meaning="most settled states kept, however small the market", unit="states",
        source="a numerical setting: bounds the settling run of a very small market (96 states "
               "of a 10-rep market take ~11 s once per process)",
    )
    org: OrgParams = field(default_factory=OrgParams)
    company: CompanyParams = field(default_factory=CompanyParams)
    silo: SiloParams = field(default_factory=SiloParams)
    incentives: IncentiveParams = field(default_factory=IncentiveParams)
    marketing: MarketingParams = field(default_factory=MarketingParams)
    lead_handoff: LeadHandoffParams = field(default_factory=LeadHandoffParams)
    account_handoff: AccountHandoffParams = field(default_factory=AccountHandoffParams)
    programme: ProgrammeParams = field(default_factory=ProgrammeParams)
    leader: LeaderParams = field(default_factory=LeaderParams)
    delivery: DeliveryParams = field(default_factory=DeliveryParams)
    eet: EETParams = field(default_factory=EETParams)
    time_budget: TimeBudgetParams = field(default_factory=TimeBudgetParams)
    attitude: AttitudeParams = field(default_factory=AttitudeParams)
    priors: PriorParams = field(default_factory=PriorParams)
    managers: ManagerParams = field(default_factory=ManagerParams)
    selling: SellingParams = field(default_factory=SellingParams)
    customers: CustomerParams = field(default_factory=CustomerParams)
    market: MarketParams = field(default_factory=MarketParams)
    leads: LeadParams = field(default_factory=LeadParams)
    attrition: AttritionParams = field(default_factory=AttritionParams)
    tool: ToolParams = field(default_factory=ToolParams)
    confidence: ConfidenceParams = field(default_factory=ConfidenceParams)
    labels: LabelParams = field(default_factory=LabelParams)
    costs: CostParams = field(default_factory=CostParams)
    quotas: QuotaParams = field(default_factory=QuotaParams)
    hiring: HiringParams = field(default_factory=HiringParams)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None = None) -> SimParams:
        """Strictly convert a (nested) mapping into parameters; refuse bad input."""
        params = _build(cls, data or {}, prefix="")
        _check_cross_field(params)
        return params

    def to_dict(self) -> dict[str, Any]:
        """Nested plain-data form, fit for YAML, JSON and Hydra."""
        return dataclasses.asdict(self)

    def flatten(self) -> dict[str, Any]:
        """``{"silo.level": 0.65, ...}``; lists become comma-joined strings (tidy columns)."""
        return {key: (",".join(v) if isinstance(v, list) else v)
                for key, v in walk_leaves(self.to_dict())}


def walk_leaves(tree: dict[str, Any], prefix: str = ""):
    """``(prefix + "silo.level", 0.65)`` for every leaf of a nested parameter tree."""
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from walk_leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """A schema dataclass's resolved field types (resolving is slow; every config asks)."""
    return typing.get_type_hints(cls)


def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(prefix.rstrip(".") or "model", data, "a mapping of parameters")
    hints = field_types(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            raise ConfigError(f"{prefix}{key}", data[key], "a known key: " + ", ".join(fields))
    values = {}
    for name, spec in fields.items():
        if name not in data:
            continue
        hint, key = hints[name], f"{prefix}{name}"
        if dataclasses.is_dataclass(hint):
            values[name] = _build(hint, data[name], key + ".")
        else:
            values[name] = coerce(key, data[name], hint, spec.metadata)
    return cls(**values)


def coerce(key: str, value: Any, hint: Any, meta: typing.Mapping[str, Any]) -> Any:
    """Check one leaf value against its type, range and registry; return it typed."""
    if typing.get_origin(hint) is list:
        if not isinstance(value, list | tuple):
            raise ConfigError(key, value, "a list of names")
        return [coerce(key, item, str, meta) for item in value]
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, value, "true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not (isinstance(value, int) or _is_whole(value)):
            raise ConfigError(key, value, f"a whole number{_range_text(meta)}")
        value = int(value)
    elif hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(key, value, f"a number{_range_text(meta)}")
        value = float(value)
    elif hint is str:
        if not isinstance(value, str):
            raise ConfigError(key, value, "a name")
        if meta.get("policy"):
            _check_policy(meta["policy"], value, key)
        return value
    elif not isinstance(hint, types.GenericAlias):
        raise TypeError(f"unsupported schema type {hint} at {key}")
    low, high = meta.get("low"), meta.get("high")
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        raise ConfigError(key, value, f"a number{_range_text(meta)}")
    return value


def _is_whole(value: Any) -> bool:
    return isinstance(value, float) and value.is_integer()


def _range_text(meta: typing.Mapping[str, Any]) -> str:
    low, high = meta.get("low"), meta.get("high")
    return f" from {low} to {high}" if low is not None and high is not None else ""


def _check_policy(kind: str, name: str, key: str) -> None:
    import scenarios  # noqa: F401  (registers every policy)
    from scenarios.registry import lookup

    lookup(kind, name, key)


SETTLE_MIN_WEEKS = TWO_YEARS   # the settled states are kept over the settling run's last two years


def _check_cross_field(params: SimParams) -> None:
    org = params.org
    if org.share_enthusiast + org.share_avoider > 1.0:
        raise ConfigError(
            "org.share_avoider", org.share_avoider,
            f"at most {1 - org.share_enthusiast:.2f} (enthusiast + avoider shares <= 1)",
        )
    if params.baseline_weeks >= params.horizon_weeks - QUARTER:
        raise ConfigError(
            "baseline_weeks", params.baseline_weeks,
            f"fewer than horizon_weeks - {QUARTER} = {params.horizon_weeks - QUARTER}",
        )
    if len(set(params.silo.mitigations)) != len(params.silo.mitigations):
        raise ConfigError("silo.mitigations", params.silo.mitigations, "each mitigation once")
    _check_orders(params)
    _check_timeline(params)
    _check_costs(params)


#: pairs that must not be inverted: (lower key, higher key)
ORDERED = (("attitude.threshold_enthusiast", "attitude.threshold_reluctant"),
           ("attitude.threshold_reluctant", "attitude.threshold_avoider"),
           ("selling.rec_quality_start", "selling.rec_quality_ceiling"),
           ("selling.first_contract_low", "selling.first_contract_high"),
           ("lead_handoff.grade_b", "lead_handoff.grade_a"),
           ("tool.fit_floor", "tool.fit_ceiling"),
           ("customers.renewal_floor", "customers.renewal_ceiling"),
           ("market.developed_low", "market.developed_high"),
           ("market.knowledge_low", "market.knowledge_high"))


def _value(params: SimParams, key: str) -> Any:
    node: Any = params
    for part in key.split("."):
        node = getattr(node, part)
    return node


def _check_orders(params: SimParams) -> None:
    for low, high in ORDERED:
        if _value(params, low) > _value(params, high):
            raise ConfigError(high, _value(params, high),
                              f"at least {low} = {_value(params, low)} (they would be inverted)")


def _check_timeline(params: SimParams) -> None:
    """The programme must be able to happen within the horizon, and the market to settle."""
    horizon = params.horizon_weeks
    margin = params.labels.rollout_margin_weeks
    if horizon - margin <= params.baseline_weeks:
        raise ConfigError("labels.rollout_margin_weeks", margin,
                          f"fewer than horizon_weeks - baseline_weeks = "
                          f"{horizon - params.baseline_weeks} (the roll-out deadline would fall "
                          "before the launch)")
    p, build = params.programme, params.delivery.build_weeks
    if p.enabled and params.baseline_weeks + p.plan_weeks + build >= horizon:
        raise ConfigError("delivery.build_weeks", build,
                          f"fewer than horizon_weeks - baseline_weeks - plan_weeks = "
                          f"{horizon - params.baseline_weeks - p.plan_weeks} (the "
                          "tool could never be released)")
    if 0 < params.settle_weeks < SETTLE_MIN_WEEKS:
        raise ConfigError("settle_weeks", params.settle_weeks,
                          f"0 (no settling) or at least {SETTLE_MIN_WEEKS} (two years of states)")


#: the policies whose cost the schema holds per name: (key, costs field prefix)
PRICED_POLICIES = (("delivery.name", "team_fte_"), ("leader.name", "leader_year_"),
                   ("silo.mitigations", "mitigation_year_"))


def priced_names(key: str) -> list[str]:
    """The names a priced key may take: those with a cost in the schema (``leader.name``:
    the ``costs.leader_year_<name>`` fields); empty for any other key."""
    prefixes = [prefix for priced, prefix in PRICED_POLICIES if priced == key]
    return [f.name.removeprefix(prefix) for prefix in prefixes
            for f in dataclasses.fields(CostParams) if f.name.startswith(prefix)]


def _check_costs(params: SimParams) -> None:
    """Every chosen delivery mode, leader and silo mitigation has its cost in ``costs``."""
    for key, prefix in PRICED_POLICIES:
        group, name = key.split(".")
        chosen = getattr(getattr(params, group), name)
        for policy in chosen if isinstance(chosen, list) else [chosen]:
            if not hasattr(params.costs, prefix + policy):
                raise ConfigError(key, policy, f"a policy with its cost in the schema "
                                               f"(costs.{prefix}{policy})")


def schema_rows() -> list[dict[str, Any]]:
    """One row per leaf parameter: key, default, unit (None for names and switches), allowed
    values as text, plausible range (a ``(low, high)`` tuple, None for sourced values), meaning
    and source (the ODD's table, designs over the assumptions)."""
    rows = []

    def visit(cls: type, prefix: str) -> None:
        hints = field_types(cls)
        for spec in dataclasses.fields(cls):
            if dataclasses.is_dataclass(hints[spec.name]):
                visit(hints[spec.name], f"{prefix}{spec.name}.")
                continue
            default = spec.default_factory() if callable(spec.default_factory) else spec.default
            meta = spec.metadata
            allowed = _range_text(meta).strip().removeprefix("from ").replace(" to ", "–")
            if meta["policy"]:
                import scenarios  # noqa: F401
                from scenarios.registry import names

                allowed = ", ".join(names(meta["policy"]))
            elif hints[spec.name] is bool:
                allowed = "true/false"
            elif hints[spec.name] is str:
                allowed = ", ".join(priced_names(prefix + spec.name)) or "a name"
            rows.append({"key": prefix + spec.name, "default": default, "unit": meta["unit"],
                         "allowed": allowed, "plausible": meta["plausible"],
                         "meaning": meta["meaning"], "source": meta["source"]})

    visit(SimParams, "")
    return rows


def schema_table(rows: list[dict[str, Any]] | None = None) -> list[str]:
    """The ODD's parameter table (docs/ODD.md §8), header included, one line per parameter."""
    lines = ["| key | default | unit | allowed | plausible | meaning | source / reason |",
             "|---|---|---|---|---|---|---|"]
    for row in schema_rows() if rows is None else rows:
        plausible = "–".join(map(str, row["plausible"])) if row["plausible"] else ""
        lines.append(f"| `{row['key']}` | {row['default']} | {row['unit'] or ''} | "
                     f"{row['allowed']} | {plausible} | {row['meaning']} | {row['source']} |")
    return lines


if __name__ == "__main__":
    print("\n".join(schema_table()))
