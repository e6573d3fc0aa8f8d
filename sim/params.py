"""One typed schema for every model parameter: default, allowed range, meaning, source.

The dataclasses below are the single source of defaults. They double as Hydra
structured configs (``configs/config.yaml`` composes them under ``model``) and as
the table in ``docs/ODD.md`` (``python -m sim.params`` prints it). The defaults
describe the DESIGN's *typical company* (the ``baseline`` scenario); named
scenarios are small diffs against them.

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


def param(
    default: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    meaning: str,
    source: str,
    policy: str | None = None,
) -> Any:
    """A schema field: ``low``/``high`` bound numbers, ``policy`` names a registry kind."""
    meta = {"low": low, "high": high, "meaning": meaning, "source": source, "policy": policy}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


# --------------------------------------------------------------------------- levers


@dataclass
class OrgParams:
    """Size and make-up of the sales organisation (presets in ``configs/org/``)."""

    n_reps: int = param(100, 4, 20000, meaning="sales reps (seats)", source="DESIGN default org")
    reps_per_manager: int = param(
        9, 2, 30, meaning="reps per first-line manager", source="TOPO 2016; Bridge Group: 8-9"
    )
    n_marketers: int = param(12, 1, 2000, meaning="marketers", source="DESIGN default org")
    customers_per_rep: float = param(
        30.0, 5.0, 200.0, meaning="organisations in the market per rep seat",
        source="DESIGN default org (~3,000 customers for 100 reps)",
    )
    subscriber_share: float = param(
        0.40, 0.05, 0.95, meaning="share of the market that subscribes at the start",
        source="chosen near the no-programme steady state (docs/calibration.md)",
    )
    share_enthusiast: float = param(
        0.16, 0.0, 1.0, meaning="share of reps who are technology enthusiasts",
        source="Rogers adopter categories (innovators + early adopters)",
    )
    share_avoider: float = param(
        0.16, 0.0, 1.0, meaning="share of reps who avoid technology (rest: reluctant)",
        source="Rogers adopter categories (laggards)",
    )
    relationship_share: float = param(
        0.5, 0.0, 1.0, meaning="share of reps with a relationship-oriented selling style",
        source="001 s3: relationship-oriented reps struggle in data-driven cultures; 50/50 prior",
    )
    farmer_share: float = param(
        0.4, 0.1, 0.9, meaning="share of reps who farm when the account handoff uses two roles",
        source="003: farming can take most of the book; chosen so hunters keep most acquisition time",
    )
    peer_links: int = param(
        4, 1, 20, meaning="peer ties per rep (small-world network within and across teams)",
        source="assumption; reps trust peers (001 s3)",
    )
    cross_team_share: float = param(
        0.25, 0.0, 1.0, meaning="share of peer ties that cross team boundaries",
        source="assumption (Watts-Strogatz rewiring)",
    )


@dataclass
class SiloParams:
    """Silo level between sales, marketing and IT, and switchable mitigations (002, 004)."""

    level: float = param(
        0.65, 0.0, 1.0, meaning="silo level s (0 aligned, 1 walled off)",
        source="DESIGN baseline: moderate-to-high silos; 000: 62% name IT-business collaboration",
    )
    mitigations: list[str] = param(  # noqa: RUF009  (param returns a dataclass field)
        [], meaning="switched-on mitigations", source="002, 004", policy="silo_mitigation"
    )
    size_elasticity: float = param(
        0.15, 0.0, 1.0,
        meaning="extra friction per tenfold organisation size above 100 reps",
        source="002: aligning 100 people is harder than 10",
    )


@dataclass
class IncentiveParams:
    """Rep and marketing pay, and the pay transition around the roll-out (001, 002, 004)."""

    rep_variable_share: float = param(
        0.5, 0.0, 0.9, meaning="share of rep pay that is variable",
        source="001 s3: most reps have substantial variable pay",
    )
    rep_pay: str = param(
        "individual_bookings", meaning="basis of rep variable pay", source="DESIGN levers",
        policy="rep_pay",
    )
    adoption_bonus: float = param(
        0.0, 0.0, 0.3, meaning="share of variable pay paid for using the tools",
        source="DESIGN levers (optional adoption bonus)",
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
        6, 0, 24, meaning="months pay is held harmless from roll-out",
        source="assumption; 001 recommends a transition plan",
    )


@dataclass
class LeadHandoffParams:
    """How marketing leads reach sales (002; policies in scenarios/lead_handoff/)."""

    policy: str = param(
        "dump_all", meaning="lead handoff policy", source="002", policy="lead_handoff"
    )
    sla_days: float = param(
        2.0, 0.5, 30.0, meaning="response SLA in days under routing",
        source="002 Visible Technologies: 1-2 days to respond",
    )
    nurture: bool = param(
        False, meaning="marketing nurtures leads not yet ready", source="002"
    )
    grade_a: float = param(0.45, 0.0, 1.0, meaning="lead score at or above which a lead is grade A",
                           source="002: A/B/C by one jointly agreed standard; assumption for the cut")
    grade_b: float = param(0.25, 0.0, 1.0, meaning="lead score at or above which a lead is grade B "
                           "(below: C, potential but no current intent)",
                           source="002; assumption for the cut")
    nurture_fit: float = param(0.5, 0.0, 1.0, meaning="fit a not-yet-ready lead needs for "
                               "marketing to nurture it (long-term potential)",
                               source="002: leads with long-term potential are kept and nurtured")
    loss_unrouted: float = param(
        0.6, 0.0, 1.0, meaning="share of dumped leads lost before a rep sees them, at full "
                              "lead-loss friction",
        source="004: the booth's leads never reached a rep who followed them up; assumption",
    )
    loss_routed: float = param(
        0.15, 0.0, 1.0, meaning="share of routed leads lost at full lead-loss friction",
        source="002: routed through the CRM, every lead tracked; assumption",
    )
    sla_commitment: float = param(
        0.9, 0.0, 1.0,
        meaning="share of routed leads reps accept under an agreed standard and SLA",
        source="002: leads scored by a jointly agreed standard go to the right rep, who must "
               "respond; assumption",
    )


@dataclass
class AccountHandoffParams:
    """Hunter → farmer handoff of new accounts (003)."""

    policy: str = param(
        "single_role", meaning="account handoff policy", source="003", policy="account_handoff"
    )
    months: float = param(
        6.0, 1.0, 24.0, meaning="months after the first sale (policy after_months)",
        source="003: 6-12 months after the sale",
    )
    potential_share: float = param(
        0.4, 0.1, 0.9, meaning="developed share of potential that triggers handoff",
        source="003: ~40% or more of potential developed",
    )
    crm_capture: bool = param(
        True, meaning="account knowledge captured in the CRM at handoff", source="003"
    )
    capture_completeness: float = param(
        0.85, 0.0, 1.0,
        meaning="share of missing account knowledge a deliberate capture records, at full CRM use",
        source="003: CRM systems organise key customer data so nothing is lost; assumption",
    )
    transition_bonus: bool = param(
        False, meaning="hunter and farmer share a bonus during the transfer", source="003"
    )
    bonus_weeks: int = param(13, 1, 52, meaning="weeks the hunter shares in a handed-over "
                             "account's credit", source="003: a short-term shared incentive; assumption")
    bonus_share: float = param(0.5, 0.0, 1.0, meaning="share of the account's credit the hunter "
                               "receives during the bonus weeks", source="assumption")
    bonus_relief: float = param(
        0.3, 0.0, 1.0, meaning="share of the handoff's satisfaction shock and relationship loss "
                              "avoided while the hunter, sharing the bonus, stays engaged",
        source="003; assumption",
    )
    introduction_weeks: int = param(
        0, 0, 26, meaning="weeks the farmer is introduced during implementation", source="003"
    )
    introduction_care: float = param(
        0.5, 0.0, 2.0, meaning="care an introduced account still asks of the hunter, relative "
                              "to a normal account", source="assumption",
    )
    introduction_relief: float = param(
        0.6, 0.0, 1.0, meaning="share of the relationship loss avoided when the farmer was "
                              "introduced during implementation",
        source="003: the customer meets the account manager and sees the value; assumption",
    )
    relationship_floor: float = param(
        0.5, 0.0, 1.0,
        meaning="share of the relationship kept by a new rep who knows nothing of the account",
        source="003: customers depend on the original seller; assumption",
    )
    inside_sales_farmers: bool = param(
        False, meaning="farmers are inside sales (video/chat) at lower cost", source="003"
    )
    rebalance_slack: float = param(
        0.25, 0.0, 5.0, meaning="how far above the team's farmers' mean book a farmer may be "
                               "before handoffs go to the least-loaded farmer instead",
        source="003: aligned territories; managers balance books (assumption)",
    )
    rebalance_weeks: int = param(13, 1, 104, meaning="weeks between managers' rebalancing of "
                                 "farmers' books", source="assumption (a quarterly review)")
    hunter_focus: float = param(
        0.15, 0.0, 1.0,
        meaning="extra new-logo yield of a hunter's hour: a persistent networker, trained for it",
        source="003: staff each role with matching personalities and train for its skills; "
               "assumption for the size",
    )
    farmer_care: float = param(
        0.15, 0.0, 1.0,
        meaning="extra care a farmer's hour gives: a patient, loyalty-focused account manager",
        source="003; assumption for the size",
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
                "adoption threshold by this much (negative raises it)",
        source="assumption; 001 s3 (reps who struggle in a data-driven culture, managers from "
               "top-down cultures), 004 (culture: 45% of employees say leaders do little for it)",
    )
    culture_spread: float = param(
        0.25, 0.0, 0.6,
        meaning="spread of culture across companies (sd)",
        source="assumption: about half the distance between the reluctant and avoider thresholds",
    )
    tool_fit_mean: float = param(
        0.0, -0.5, 0.5,
        meaning="how well the chosen technology happens to fit this company's selling, added to "
                "the leader's initial fit",
        source="assumption; 000, 001: fit of proven vs innovative technology",
    )
    tool_fit_spread: float = param(
        0.2, 0.0, 0.5, meaning="spread of tool fit across companies (sd)",
        source="assumption (most large CRM vendors had a negative NPS, 000: fit varies widely)",
    )
    leader_confidence_mean: float = param(
        0.6, 0.05, 1.0, meaning="leadership confidence in the programme at launch",
        source="assumption (a business case was approved: more confident than not)",
    )
    leader_confidence_spread: float = param(
        0.1, 0.0, 0.5, meaning="spread of leadership confidence at launch across companies (sd)",
        source="assumption",
    )


@dataclass
class ProgrammeParams:
    """The programme's choices: the five key actions (001) and mandate."""

    enabled: bool = param(
        True, meaning="run a transformation programme at all (false: the same organisation "
                      "with no launch, no tool, no team, no enablement)",
        source="DESIGN §5: every replication is paired with its no-programme counterfactual",
    )

    leader: str = param(
        "it_led", meaning="who leads the programme", source="000, 001", policy="leader"
    )
    sponsor_strength: float = param(
        0.2, 0.0, 1.0, meaning="executive sponsor strength (buffers confidence, keeps resources)",
        source="001 action 1",
    )
    kpis: bool = param(
        False, meaning="KPIs with leading indicators and governance", source="001 action 2"
    )
    cross_functional: bool = param(
        False, meaning="cross-functional programme team", source="001 action 3"
    )
    eet: str = param(
        "none", meaning="early-experience team composition", source="001 action 3", policy="eet"
    )
    eet_share: float = param(
        0.08, 0.02, 0.3, meaning="share of reps in the early-experience team",
        source="assumption (a pilot cohort of roughly one team in twelve)",
    )
    delivery: str = param(
        "waterfall", meaning="delivery mode", source="001 action 4", policy="delivery"
    )
    sprint_weeks: int = param(
        2, 1, 8, meaning="agile sprint length in weeks", source="001: UCB two-week sprints"
    )
    waterfall_build_weeks: int = param(
        40, 13, 104, meaning="waterfall build before the one release, at no friction",
        source="001: a waterfall takes at least a year for the whole process (design, build, "
               "run); with planning, friction and the pilot the default takes about 65 weeks",
    )
    mvp_weeks: int = param(
        10, 4, 40, meaning="agile build to the minimum viable product",
        source="001: Microsoft 10/10/10 (10 weeks to pilot)",
    )
    sustainment_team: bool = param(
        True, meaning="agile team stays after roll-out to keep improving the tool",
        source="001 failure mode 3; waterfall disbands regardless",
    )
    hypercare_weeks: int = param(
        13, 0, 104,
        meaning="weeks the programme team stays after roll-out before a team that is not kept disbands",
        source="assumption (post-go-live hypercare, about a quarter)",
    )
    manager_enablement: float = param(
        0.0, 0.0, 1.0, meaning="share of first-line managers enabled as change agents",
        source="001 action 5",
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
        0.0, 0.0, 1.0, meaning="strength of a usage mandate at roll-out",
        source="001 failure mode 2 (adopted only through mandates)",
    )
    plan_weeks: int = param(6, 1, 52, meaning="planning weeks before the build, at no friction "
                            "(IT-business friction stretches them)", source="assumption")
    cross_functional_friction: float = param(
        0.6, 0.0, 1.0, meaning="IT-business friction left with a cross-functional team",
        source="001 action 3: functional diversity makes the solution feasible and usable; assumption",
    )
    siloed_team_feedback: float = param(
        0.6, 0.0, 1.0, meaning="how well users' needs reach a team that is not cross-functional",
        source="001 action 3: a team without functional diversity is fatally weak somewhere",
    )
    enablement_boost: float = param(
        0.3, 0.0, 1.0, meaning="rise in an enabled manager's attitude to digital",
        source="001 action 5: first-line managers as change agents; assumption",
    )


# ----------------------------------------------------------------- mechanism constants


@dataclass
class TimeBudgetParams:
    """The weekly time budget of a rep (001, 003; CSO Insights 2011)."""

    hours_per_week: float = param(45.0, 20.0, 80.0, meaning="rep working hours per week",
                                  source="assumption (field sales)")
    base_selling_share: float = param(
        0.41, 0.1, 0.9, meaning="customer-facing share of time without the tools",
        source="CSO Insights 2011: ~41% of time actually selling",
    )
    full_use_admin_cut: float = param(
        0.28, 0.0, 0.9,
        meaning="share of admin time removed at full adoption and full skill",
        source="derived: 0.28*0.59/0.41 = +40% customer time (001 Microsoft)",
    )
    learning_overhead: float = param(
        0.3, 0.0, 1.0, meaning="extra admin share from using the tools with no skill",
        source="001: learning-curve dip frustrates reps and hurts sales",
    )
    hours_per_lead: float = param(2.0, 0.25, 8.0,
                                  meaning="hours to work one lead (research, contact attempts, "
                                          "a discovery call)", source="assumption")
    max_lead_share: float = param(
        0.35, 0.0, 1.0,
        meaning="most of their selling time (after farming) reps give to marketing's leads",
        source="assumption (reps keep working their own pipeline; 002: leads die when reps are busy)",
    )
    care_hours_per_account: float = param(
        0.55, 0.05, 5.0, meaning="weekly hours an account asks for (farming demand)",
        source="assumption; 001: 100+ accounts per account executive",
    )
    hours_per_pursuit: float = param(
        4.0, 0.5, 20.0, meaning="hours to research and approach one target account",
        source="assumption",
    )
    max_farming_share: float = param(
        0.8, 0.3, 1.0, meaning="most of its customer time a single-role rep gives to farming",
        source="003: urgent/easy farming crowds out hunting",
    )


@dataclass
class AttitudeParams:
    """Perceived usefulness / ease of use and how they move (TAM; 001; Avlonitis 2005)."""

    own_results_weight: float = param(0.08, 0.0, 1.0, meaning="weekly pull of own evidence",
                                      source="001: reps stick with what works unless evidence")
    peer_weight: float = param(0.04, 0.0, 1.0, meaning="weekly pull toward peers' view",
                               source="001: reps trust peers more than HQ")
    manager_weight: float = param(
        0.06, 0.0, 1.0, meaning="weekly pull toward the manager's stance",
        source="Avlonitis & Panagopoulos 2005: supervisor expectations outweigh peers",
    )
    advocate_weight: float = param(2.5, 1.0, 10.0, meaning="weight of an EET advocate as a peer",
                                   source="001: EET members become advocates")
    pay_weight: float = param(0.5, 0.0, 5.0, meaning="attitude lost per unit of income gap",
                              source="001: income threat drives resistance")
    intention_slope: float = param(8.0, 1.0, 30.0, meaning="steepness of intention in attitude",
                                   source="assumption (logistic TAM intention)")
    threshold_enthusiast: float = param(0.25, 0.0, 1.0, meaning="attitude needed to use (enthusiast)",
                                        source="001 s3; Rogers")
    threshold_reluctant: float = param(0.42, 0.0, 1.0, meaning="attitude needed to use (reluctant)",
                                       source="001 s3; Rogers")
    threshold_avoider: float = param(0.55, 0.0, 1.0, meaning="attitude needed to use (avoider)",
                                     source="001 s3; Rogers")
    relationship_penalty: float = param(
        0.06, 0.0, 0.5, meaning="extra threshold for relationship-oriented sellers",
        source="001 s3: the new way of working, not the technology",
    )
    autonomy_penalty: float = param(0.05, 0.0, 0.5, meaning="extra threshold per unit of autonomy",
                                    source="001 s3: reps value autonomy")
    habit_rate: float = param(0.15, 0.01, 1.0, meaning="weekly move of usage toward intention",
                              source="assumption (habit inertia)")
    skill_learning: float = param(0.03, 0.0, 0.5, meaning="weekly skill gain at full use",
                                  source="assumption (learning by doing)")
    training_boost: float = param(0.25, 0.0, 1.0, meaning="skill from launch training",
                                  source="001 action 5")
    embedded_training_rate: float = param(0.03, 0.0, 0.5,
                                          meaning="weekly skill gain from embedded training",
                                          source="001 action 5")
    mandate_half_life_weeks: float = param(
        26.0, 1.0, 520.0, meaning="half-life of mandate pressure after roll-out",
        source="001: mandated use decays when pressure eases",
    )
    mandate_reactance: float = param(0.02, 0.0, 0.5,
                                     meaning="weekly attitude loss under mandate per autonomy",
                                     source="001: mandates raise usage, not attitude")
    active_use: float = param(0.5, 0.05, 0.95, meaning="usage share that makes an active user",
                              source="assumption (half of work through the tools)")


@dataclass
class SellingParams:
    """Opportunities, wins, recommendations and accounts (001, 003, 004)."""

    own_conversion: float = param(
        0.08, 0.01, 1.0,
        meaning="chance a rep's own cross-sell idea for an account becomes a qualified opportunity",
        source="001: industry average 6-10% (recommendations to existing accounts)",
    )
    hunting_conversion: float = param(
        0.1, 0.01, 1.0,
        meaning="chance a pursuit of a new logo becomes a qualified opportunity, in an open market",
        source="assumption (outbound prospecting: a researched approach qualifies about 1 in 10)",
    )
    rec_quality_start: float = param(0.1, 0.0, 1.0, meaning="recommendation conversion at release",
                                     source="001: starts near the reps' own rate")
    rec_quality_ceiling: float = param(
        0.33, 0.0, 1.0, meaning="conversion of a mature recommender fed by feedback",
        source="001: Microsoft Daily Recommender, one third",
    )
    rec_learning_rate: float = param(0.04, 0.0, 1.0,
                                     meaning="weekly approach of quality to its ceiling",
                                     source="assumption")
    rated_volume_explained: float = param(
        1.5, 1.0, 5.0, meaning="ratings reps give when recommendations are explained, relative "
                              "to unexplained ones", source="001: explanations and feedback improve adoption",
    )
    unrated_volume: float = param(0.25, 0.0, 1.0, meaning="learning signal without a feedback "
                                  "loop, relative to rated use", source="001: feedback trains the algorithms")
    unrated_reach: float = param(0.3, 0.0, 1.0, meaning="share of the way to its ceiling a "
                                 "recommender gets without rated feedback", source="001; assumption")
    win_rate: float = param(0.25, 0.01, 1.0, meaning="base win rate of a qualified opportunity",
                            source="assumption (B2B qualified win rates 20-30%)")
    deal_cycle_weeks: float = param(8.0, 1.0, 52.0, meaning="mean weeks from opportunity to close",
                                    source="assumption")
    contract_value: float = param(50.0, 1.0, 10000.0, meaning="mean first contract ($k per year)",
                                  source="assumption (units only scale revenue)")
    potential_multiple: float = param(3.0, 1.0, 10.0, meaning="account potential / first contract",
                                      source="003: accounts grow after the first sale")
    expansion_rate: float = param(0.02, 0.0, 0.5,
                                  meaning="weekly development of potential at full care",
                                  source="assumption")
    contraction_rate: float = param(0.01, 0.0, 0.5,
                                    meaning="weekly share of developed value lost without care",
                                    source="assumption (usage shrinks unless accounts are farmed)")
    readiness_share: float = param(
        0.7, 0.0, 1.0, meaning="share of the buying decision made before contact",
        source="004: 70% of the decision is made before talking to sales",
    )
    messaging_weight: float = param(
        0.35, 0.0, 1.0, meaning="win rate and satisfaction lost to fully inconsistent messages",
        source="004: inconsistent experience drives customers away",
    )
    handoff_shock: float = param(0.15, 0.0, 1.0,
                                 meaning="satisfaction lost when an account changes rep uncaptured",
                                 source="003: customer must 'train' the new rep")
    inside_sales_cost: float = param(0.6, 0.1, 1.0, meaning="cost of an inside-sales farmer",
                                     source="003: cheaper with little loss")
    win_lift: float = param(
        0.3, 0.0, 2.0,
        meaning="win rate gained by a deal worked fully through the tools on perfect data",
        source="001: conversion rises with digitalisation (no figure given); assumption",
    )
    cycle_cut: float = param(
        0.3, 0.0, 0.9,
        meaning="share of the deal cycle cut for a deal worked fully through the tools on "
                "perfect data", source="001: purchases close faster (no figure given); assumption",
    )
    max_care: float = param(1.5, 1.0, 5.0, meaning="most care an account can absorb, relative "
                            "to what it asks for", source="assumption")
    renewal_credit: float = param(
        0.25, 0.0, 1.0, meaning="share of a live contract's value credited to its rep's pay, "
                                "spread over the year", source="assumption (renewal commission)",
    )
    cross_sell_share: float = param(
        0.25, 0.0, 1.0, meaning="share of farming hours spent on cross-sell attempts",
        source="assumption; 001: account executives find solutions for 100+ accounts",
    )
    cross_sell_size: float = param(
        0.25, 0.0, 1.0, meaning="share of an account's undeveloped potential a won cross-sell adds",
        source="assumption",
    )
    first_sale_knowledge: float = param(
        0.5, 0.0, 1.0, meaning="account knowledge a first sale leaves in the CRM at full CRM use",
        source="assumption",
    )
    crm_base_use: float = param(
        0.3, 0.0, 1.0, meaning="share of account knowledge reps record in the CRM without the "
                              "new tools", source="002: reps don't enter leads in the CRM; assumption",
    )
    lost_deal_cooldown_weeks: int = param(26, 0, 520,
                                          meaning="weeks before a lost opportunity can be pursued again",
                                          source="assumption")
    rec_trust_explained: float = param(
        1.0, 0.0, 1.0, meaning="share of recommendations a rep acts on when they come with "
                              "an explanation", source="001: explanations answer the autonomy threat",
    )
    rec_trust_unexplained: float = param(
        0.6, 0.0, 1.0, meaning="share of recommendations a rep acts on without an explanation",
        source="001; assumption",
    )


@dataclass
class CustomerParams:
    """The customer's side: buying journey, satisfaction, relationship, renewal (003, 004)."""

    readiness_drift: float = param(0.006, 0.0, 0.1,
                                   meaning="weekly rise of a prospect's buying readiness",
                                   source="assumption (a buying journey of about three years)")
    readiness_noise: float = param(0.02, 0.0, 0.2, meaning="weekly noise in readiness (sd)",
                                   source="assumption")
    readiness_after_purchase: float = param(
        0.05, 0.0, 1.0, meaning="readiness of a prospect that just bought elsewhere",
        source="assumption (a new journey starts)",
    )
    relationship_gain: float = param(0.01, 0.0, 0.5,
                                     meaning="weekly relationship built at full care",
                                     source="assumption (about two years to a close relationship)")
    relationship_loss: float = param(0.01, 0.0, 0.5,
                                     meaning="weekly relationship lost while neglected",
                                     source="assumption")
    neglect_care: float = param(0.3, 0.0, 1.0, meaning="care below which an account feels "
                                "neglected", source="assumption")
    inside_sales_rapport: float = param(
        0.85, 0.1, 1.0, meaning="relationship built by video and chat relative to field visits",
        source="003: inside sales saves cost with little loss; assumption for the size",
    )
    knowledge_gain: float = param(0.02, 0.0, 0.5,
                                  meaning="weekly share of missing account knowledge recorded at "
                                          "full CRM use", source="assumption")
    knowledge_decay: float = param(0.002, 0.0, 0.1,
                                   meaning="weekly share of recorded knowledge that goes stale",
                                   source="assumption")
    satisfaction_base: float = param(0.3, 0.0, 1.0, meaning="satisfaction with no care at all",
                                     source="assumption")
    satisfaction_care: float = param(0.4, 0.0, 1.0, meaning="satisfaction from full care",
                                     source="assumption; 003: customers want to be served")
    satisfaction_relationship: float = param(0.2, 0.0, 1.0,
                                             meaning="satisfaction from a close relationship",
                                             source="003: customers like the rep who sold to them")
    satisfaction_knowledge: float = param(
        0.1, 0.0, 1.0, meaning="satisfaction from a rep who knows the account",
        source="003: the customer should not have to train the new rep",
    )
    satisfaction_messaging: float = param(
        0.5, 0.0, 2.0, meaning="satisfaction lost per unit of messaging weight at full "
                              "inconsistency", source="004: an inconsistent experience drives customers away",
    )
    satisfaction_rate: float = param(0.08, 0.0, 1.0,
                                     meaning="weekly move of satisfaction toward its target",
                                     source="assumption (about a quarter)")
    renewal_base: float = param(
        0.7, 0.0, 1.0, meaning="renewal chance at the pivot satisfaction and relationship",
        source="chosen so the typical company loses ~13% of customers a year (B2B subscription "
               "gross churn of 10-15%, e.g. KeyBanc Capital Markets SaaS surveys; assumption)",
    )
    renewal_slope: float = param(0.5, 0.0, 2.0, meaning="renewal gained per unit satisfaction",
                                 source="assumption")
    relationship_renewal: float = param(
        0.3, 0.0, 2.0, meaning="renewal gained per unit relationship with the current rep",
        source="003: customers are disappointed to lose the rep who sold to them",
    )
    renewal_pivot: float = param(0.6, 0.0, 1.0,
                                 meaning="satisfaction and relationship at which renewal is its base",
                                 source="assumption")
    renewal_floor: float = param(0.02, 0.0, 1.0, meaning="lowest renewal chance",
                                 source="assumption")
    renewal_ceiling: float = param(0.995, 0.0, 1.0, meaning="highest renewal chance",
                                   source="assumption")
    churn_cooldown_weeks: int = param(52, 0, 520,
                                      meaning="weeks before a churned customer can be won back",
                                      source="assumption (a year's contract elsewhere)")


@dataclass
class LeadParams:
    """Marketing lead generation and the lead funnel (002, 004; Oldroyd et al. 2011)."""

    leads_per_marketer: float = param(5.0, 0.0, 100.0, meaning="leads per marketer per week",
                                      source="assumption; 002 Affiliated webinar funnel")
    readiness_half_life_days: float = param(
        4.0, 0.1, 60.0, meaning="days for a waiting lead's readiness to halve",
        source="Oldroyd, McElheran, Elkington 2011 (speed-to-lead), softened for B2B",
    )
    pickup_days: float = param(5.0, 0.0, 30.0,
                               meaning="most days before a rep notices a lead dumped on them",
                               source="002: leads die in the CRM; assumption (about a week)")
    notice_days: float = param(1.0, 0.0, 30.0,
                               meaning="most days before a rep notices a lead routed to them",
                               source="002 Visible Technologies: routed through Salesforce")
    lead_trust: float = param(0.75, 0.0, 1.0,
                              meaning="reps' prior trust in marketing's leads (share they accept)",
                              source="002, 004; assumption")
    trust_learning: float = param(
        0.03, 0.0, 1.0, meaning="trust moved per followed lead toward what it proved worth",
        source="assumption (reps trust leads that pay off: 002, 004)",
    )
    trust_reversion: float = param(
        0.01, 0.0, 1.0, meaning="weekly pull of trust back toward the prior (what marketing says)",
        source="assumption",
    )
    silo_distrust: float = param(
        0.7, 0.0, 1.0, meaning="share of trust lost at full sales-marketing distrust friction",
        source="002: turf protection and misunderstanding; 004: sales would not follow up",
    )
    lead_qualify: float = param(0.45, 0.0, 1.0, meaning="qualification at full fit and readiness",
                                source="assumption; 002 webinar: 60 attended -> 2 accounts")
    readiness_floor: float = param(0.3, 0.0, 1.0,
                                   meaning="qualification of a lead with no buying readiness, "
                                           "relative to a ready one",
                                   source="assumption; 004: 70% of the decision made before contact")
    max_age_weeks: int = param(4, 1, 52, meaning="weeks an unworked lead waits before it dies",
                               source="assumption; Oldroyd et al. 2011: leads go cold within days")
    lost_cooldown_weeks: int = param(2, 0, 52,
                                     meaning="weeks before marketing passes a dropped lead on again",
                                     source="assumption")
    nurture_ready: float = param(0.55, 0.0, 1.0,
                                 meaning="readiness at which a nurtured lead is passed on again",
                                 source="002: nurture leads with long-term potential; assumption")
    nurture_gain: float = param(0.03, 0.0, 0.5, meaning="weekly readiness gained under nurture",
                                source="002: nurture not-yet-ready leads")
    nurture_weeks: int = param(26, 1, 260, meaning="weeks marketing nurtures a lead before it "
                               "gives up on it", source="assumption")
    segmentation_power: float = param(
        4.0, 0.0, 20.0, meaning="how much a full segmentation favours fitting prospects",
        source="002: marketing must build a customer segmentation model; assumption",
    )
    segmentation_start: float = param(0.3, 0.0, 1.0, meaning="marketing's segmentation before "
                                      "any sales feedback", source="assumption")
    segmentation_learning: float = param(0.05, 0.0, 1.0,
                                         meaning="weekly move of segmentation toward sales feedback",
                                         source="002: value propositions follow the segmentation")
    collateral_start: float = param(0.7, 0.0, 1.0, meaning="relevance of collateral at the start",
                                    source="assumption")
    collateral_decay: float = param(0.02, 0.0, 0.5, meaning="weekly relevance lost by collateral",
                                    source="002: collateral over a year old is thrown away")
    collateral_refresh: float = param(0.06, 0.0, 1.0,
                                      meaning="weekly relevance regained at full sales feedback",
                                      source="002: reps review collateral, marketing revises it")
    collateral_alignment: float = param(
        0.5, 0.0, 1.0, meaning="share of silo messaging inconsistency relevant collateral removes",
        source="002: one value proposition (Thoreson's test); assumption",
    )
    stale_collateral: float = param(
        0.2, 0.0, 1.0, meaning="message inconsistency from wholly stale collateral",
        source="002; assumption",
    )
    focus_events: float = param(1.0, 0.0, 5.0, meaning="how strongly events pick ready prospects",
                                source="assumption")
    focus_webinars: float = param(1.5, 0.0, 5.0,
                                  meaning="how strongly webinars pick ready prospects",
                                  source="002 Affiliated: invitees called before and after")
    focus_web: float = param(2.0, 0.0, 5.0, meaning="how strongly web leads are ready prospects",
                             source="004: 70% of the decision made online before contact")
    focus_lists: float = param(0.0, 0.0, 5.0, meaning="how strongly bought lists pick ready "
                               "prospects (0: not at all)", source="assumption")


@dataclass
class AttritionParams:
    """Variable pay, morale and quitting (001; Bridge Group; SHRM 2016)."""

    base_quit_weekly: float = param(
        0.0055, 0.0, 0.1, meaning="weekly quit hazard at reference pay and morale",
        source="Bridge Group 2015/2017, AMA 2019: ~30% a year",
    )
    pay_sensitivity: float = param(4.0, 0.0, 30.0, meaning="log-hazard per unit income gap",
                                   source="001: income threat -> leaving")
    top_performer_factor: float = param(1.5, 1.0, 5.0, meaning="extra pay sensitivity of top quintile",
                                        source="ZS via SHRM 2016")
    pay_memory_weeks: float = param(13.0, 1.0, 104.0, meaning="weeks over which pay is felt",
                                    source="assumption (a quarter)")
    vacancy_weeks: int = param(8, 0, 52, meaning="weeks a seat stays empty after a quit",
                               source="assumption (time to hire)")
    reference_memory_weeks: float = param(52.0, 4.0, 260.0,
                                          meaning="weeks over which the pay a rep is used to forms",
                                          source="assumption (a year)")
    swing_memory_weeks: float = param(52.0, 4.0, 260.0,
                                      meaning="weeks over which a rep gets used to their pay's swings",
                                      source="assumption (a year)")
    swing_tolerance: float = param(
        1.0, 0.0, 5.0, meaning="multiples of their usual swing a shortfall must pass to read as a "
                               "pay cut", source="assumption (reference dependence with adaptation)",
    )
    top_performer_quantile: float = param(0.8, 0.5, 0.99,
                                          meaning="pay quantile from which a rep is a top performer",
                                          source="ZS via SHRM 2016 (top performers); top quintile")
    morale_neutral: float = param(0.6, 0.0, 1.0, meaning="morale with no income gap or mandate",
                                  source="assumption")
    morale_pay: float = param(0.8, 0.0, 5.0, meaning="morale lost per unit of income gap",
                              source="001: a change that threatens income frustrates reps")
    morale_mandate: float = param(0.2, 0.0, 2.0,
                                  meaning="morale lost per unit of mandate pressure and autonomy",
                                  source="001: reps value autonomy")
    morale_rate: float = param(0.1, 0.0, 1.0, meaning="weekly move of morale toward its target",
                               source="assumption")
    morale_hazard: float = param(2.0, 0.0, 10.0, meaning="log-hazard of quitting per unit of "
                                 "morale below neutral", source="assumption")


@dataclass
class ToolParams:
    """The tool's state: fit, ease of use, data and drift (001)."""

    build_learning: float = param(0.08, 0.0, 1.0, meaning="fit gained per sprint of user feedback",
                                  source="001 action 4")
    drift_weekly: float = param(
        0.007, 0.0, 0.1, meaning="weekly loss of fit as selling changes",
        source="001 failure mode 3 (selling keeps changing); half-life ~2 years, "
               "calibrated (docs/calibration.md)",
    )
    tech_drift_weekly: float = param(
        0.02, 0.0, 0.1,
        meaning="weekly ease of use lost while no team maintains the tool (technology changes)",
        source="001 failure mode 3 (technology keeps changing); ease half-life ~35 weeks, "
               "calibrated (docs/calibration.md)",
    )
    complexity_per_feature: float = param(0.025, 0.0, 0.5, meaning="ease lost per late feature",
                                          source="000: too many designers -> complex")
    late_feature_rate: float = param(0.12, 0.0, 5.0,
                                     meaning="late feature requests per week (all accepted by a "
                                             "sales-led programme)", source="000: scope creep; assumption")
    setback_rate: float = param(0.03, 0.0, 1.0,
                                meaning="weekly chance of a technical setback at full friction",
                                source="000: IT-business friction")
    data_quality_rate: float = param(0.05, 0.0, 1.0,
                                     meaning="weekly approach of data quality to CRM completeness",
                                     source="assumption")
    data_quality_start: float = param(0.2, 0.0, 1.0, meaning="CRM data quality at release",
                                      source="assumption (the old CRM's data)")
    silo_data_loss: float = param(
        0.8, 0.0, 1.0, meaning="share of CRM data lost to the tools at full data-sharing friction",
        source="004: one shared CRM seen by sales, marketing, service, finance; assumption",
    )
    silo_signal_loss: float = param(
        0.6, 0.0, 1.0,
        meaning="share of marketing-engagement signals the recommender loses at full friction",
        source="001: the Daily Recommender read customers' interactions with marketing; assumption",
    )
    silo_feedback_loss: float = param(
        0.6, 0.0, 1.0, meaning="share of user feedback lost to the designers at full friction",
        source="002, 004; assumption",
    )
    fit_floor: float = param(0.05, 0.0, 1.0, meaning="lowest fit a chosen tool can have",
                             source="assumption")
    fit_ceiling: float = param(0.95, 0.0, 1.0, meaning="the best fit feedback can reach",
                               source="assumption")
    friction_slowdown: float = param(0.2, 0.0, 1.0,
                                     meaning="build speed lost at full IT-business friction",
                                     source="000: 62% name IT-business collaboration the biggest obstacle")
    sponsor_speedup: float = param(0.05, 0.0, 1.0,
                                   meaning="build speed lost without any executive sponsor",
                                   source="001 action 1: the sponsor keeps resources committed")
    scope_per_feature: float = param(0.04, 0.0, 1.0, meaning="scope added by one late feature",
                                     source="000: late features put schedule and budget at risk")
    setback_size: float = param(0.05, 0.0, 1.0, meaning="build progress lost in a technical setback",
                                source="assumption")


@dataclass
class ConfidenceParams:
    """Leadership confidence, governance and cancellation (001)."""

    cancel_below: float = param(0.3, 0.0, 1.0, meaning="confidence below which the programme stops",
                                source="001 failure mode 1")
    patience_weeks: float = param(52.0, 1.0, 260.0,
                                  meaning="weeks leaders wait for results before confidence erodes",
                                  source="assumption")
    erosion: float = param(0.006, 0.0, 0.2, meaning="weekly confidence lost to spend without results",
                           source="001: leaders lose confidence")
    signal_weight: float = param(0.05, 0.0, 1.0, meaning="weekly response to the observed signal",
                                 source="assumption")
    lagging_noise: float = param(0.03, 0.0, 0.5,
                                 meaning="noise (sd) in revenue growth as leaders read it",
                                 source="001: lagging indicators")
    sponsor_buffer: float = param(0.7, 0.0, 1.0, meaning="share of bad news a full sponsor absorbs",
                                  source="001 action 1")
    stall_weeks: int = param(8, 1, 52, meaning="weeks of flat adoption before KPIs trigger a fix",
                             source="001 action 2 (correct course early)")
    leading_weight: float = param(0.7, 0.0, 1.0,
                                  meaning="weight of leading indicators in what KPIs show leaders",
                                  source="001 action 2: leading and lagging indicators")
    late_margin: float = param(0.1, 0.0, 1.0, meaning="lag behind plan that KPIs report as late",
                               source="assumption")
    replan_weeks: int = param(13, 1, 104, meaning="weeks between re-plans at most",
                              source="assumption (a quarterly governance review)")
    replan_shock: float = param(0.02, 0.0, 0.5, meaning="confidence lost when the plan is re-set",
                                source="assumption")
    kpi_encouragement: float = param(
        0.05, 0.0, 0.5, meaning="signal leaders add when they see progress on plan",
        source="001 action 2: positive feedback from KPI data energises the organisation",
    )
    late_feature_shock: float = param(0.004, 0.0, 0.1,
                                      meaning="confidence lost per late feature accepted",
                                      source="000: late features put the schedule at risk")
    setback_shock: float = param(0.02, 0.0, 0.5, meaning="confidence lost in a technical setback",
                                 source="assumption")
    stall_gain: float = param(0.01, 0.0, 0.5, meaning="rise in genuine use that counts as progress",
                              source="assumption")
    fix_training: float = param(0.15, 0.0, 1.0, meaning="skill given by a course-correcting training",
                                source="001 action 2: correct course early")
    fix_fit: float = param(0.2, 0.0, 1.0, meaning="share of the weakest segment's missing fit a "
                           "backlog fix adds", source="001 action 2")
    expected_growth: float = param(
        0.05, 0.0, 1.0,
        meaning="revenue growth over the baseline quarter leaders expect once patience runs out",
        source="assumption (a business case promises growth; kept apart from the success label)",
    )
    adoption_target: float = param(
        0.6, 0.05, 1.0, meaning="genuine-user share the KPI plan aims for",
        source="assumption (broad adoption, 001 failure mode 2); kept apart from the success label",
    )
    adoption_plan_weeks: int = param(
        52, 4, 260, meaning="weeks after roll-out by which the KPI plan expects its adoption target",
        source="assumption (a year into roll-out)",
    )


@dataclass
class LabelParams:
    """Thresholds that give every run exactly one label (sim/labels.py; 001's failure modes).

    They classify a finished run and never feed the simulation.
    """

    adoption_bar: float = param(0.6, 0.05, 1.0, meaning="share of reps genuinely active for success",
                                source="assumption (broad adoption, 001 failure mode 2)")
    rollout_margin_weeks: int = param(
        26, 13, 260,
        meaning="weeks before the end of the horizon by which roll-out must have started "
                "(week 130 of 156), so adoption and value can still be judged",
        source="assumption (half a year: a quarter to adopt, the final quarter to hold)",
    )
    workable_fit: float = param(
        0.4, 0.0, 1.0,
        meaning="tool fit at roll-out below which the solution is not workable: a run that then "
                "never reaches the adoption bar, genuinely or under a mandate, is stalled",
        source="001 failure mode 2 speaks of a workable solution; 0.4 is about the attitude the "
               "reluctant majority needs to use a tool at all (attitude.threshold_reluctant)",
    )
    value_margin: float = param(
        0.01, 0.0, 1.0,
        meaning="final-year recurring revenue above the no-programme counterfactual's, as a share",
        source="McKinsey 2018: improved performance and sustained it; assumption for the size",
    )
    reach_window_weeks: int = param(13, 1, 52,
                                    meaning="weeks adoption and value must hold to count as reached",
                                    source="assumption (a quarter)")
    require_positive_roi: bool = param(
        False, meaning="success also needs the programme to pay back within the horizon "
                       "(roi > 0: gross-margin value added above the programme's cost)",
        source="issue 23: success can be declared while the money says otherwise; off by "
               "default so the labels stay those of 001",
    )


# ------------------------------------------------------------ economics, quotas, hiring


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
        0.75, 0.05, 0.99,
        meaning="gross margin on recurring revenue: what a $ of revenue leaves after the cost "
                "of serving it (share)",
        source="assumption: public SaaS benchmarks put subscription gross margins at 70-80%; "
               "plausible 0.5-0.9",
    )
    field_seat_year: float = param(
        130.0, 0.0, 2000.0,
        meaning="fixed cost of a field-sales seat without variable pay: base salary, benefits, "
                "travel, tools ($k per year); an inside-sales farmer's seat costs "
                "selling.inside_sales_cost times this (003)",
        source="assumption: a B2B account executive's base of ~$80-100k, ~25% benefits, "
               "~$20k travel and tools; plausible 80-200",
    )
    rep_target_pay_year: float = param(
        160.0, 0.0, 2000.0,
        meaning="a rep's on-target earnings, base and variable at target ($k per year); prices "
                "the hold-harmless top-up (a shortfall of the income ratio times this)",
        source="assumption: B2B account executives' on-target earnings of ~$120-200k; "
               "plausible 100-250",
    )
    commission_rate: float = param(
        0.15, 0.0, 1.0,
        meaning="variable pay per $k of booking credit the pay scheme counts ($k per $k of "
                "credit)",
        source="assumption, set so that variable pay at the default organisation is about half "
               "of rep_target_pay_year (incentives.rep_variable_share 0.5; docs/economics.md); "
               "plausible 0.04-0.15",
    )
    recruiting_per_hire: float = param(
        25.0, 0.0, 500.0,
        meaning="recruiting and onboarding cost of one hire: recruiter or agency fee, "
                "interviews, onboarding ($k per hire); the vacancy's and the ramp's lost selling "
                "are in revenue, not here",
        source="assumption: SHRM 2022 puts the average cost per hire near $4.7k for all jobs; "
               "agency fees for sales hires run 15-25% of first-year pay; plausible 10-50",
    )
    lead_cost_events: float = param(
        0.5, 0.0, 50.0, meaning="variable cost of one lead from events ($k per lead)",
        source="assumption: published B2B cost-per-lead surveys rank trade shows and events "
               "the costliest channel; plausible 0.2-1.0",
    )
    lead_cost_webinars: float = param(
        0.1, 0.0, 50.0, meaning="cost of one lead from webinars ($k per lead)",
        source="assumption (webinars among the cheaper inbound channels); plausible 0.05-0.3",
    )
    lead_cost_web: float = param(
        0.15, 0.0, 50.0, meaning="cost of one lead from the web: content, search, ads ($k per "
                                 "lead)", source="assumption; plausible 0.05-0.4",
    )
    lead_cost_lists: float = param(
        0.03, 0.0, 50.0, meaning="cost of one lead from a bought list ($k per lead)",
        source="assumption (bought lists the cheapest per name); plausible 0.01-0.1",
    )
    event_cost: float = param(
        100.0, 0.0, 10000.0, meaning="fixed cost of one event or trade show ($k per event)",
        source="004: a trade-show booth cost more than $100,000; plausible 20-250",
    )
    events_per_marketer_year: float = param(
        2.0, 0.0, 52.0, meaning="events each marketer of the events channel runs a year",
        source="assumption; plausible 1-6",
    )
    mitigation_year_rotation: float = param(
        80.0, 0.0, 10000.0,
        meaning="running cost of rotation between sales and marketing: time people spend on the "
                "other side and learning it ($k per year)",
        source="002: good companies rotate staff and take marketers on sales calls; assumption "
               "(about half a person's year); plausible 30-200",
    )
    mitigation_year_shared_dashboard: float = param(
        60.0, 0.0, 10000.0,
        meaning="running cost of one shared dashboard with agreed metrics: BI licences, an "
                "analyst's part time ($k per year)",
        source="004: one CRM and dashboard seen by sales, marketing, service and finance; "
               "assumption; plausible 20-150",
    )
    mitigation_year_one_leader: float = param(
        150.0, 0.0, 10000.0,
        meaning="extra cost of one senior leader over sales and marketing, above the heads the "
                "role unites ($k per year)",
        source="002: one senior VP over both, reporting to the CEO; assumption; plausible "
               "0-400",
    )
    fte_year: float = param(
        150.0, 0.0, 2000.0,
        meaning="loaded cost of one programme team member: engineer, data scientist, analyst, "
                "change specialist ($k per year)",
        source="assumption; plausible 100-250",
    )
    team_fte_agile: float = param(
        8.0, 0.0, 500.0,
        meaning="programme team under agile delivery while it plans, builds, pilots, rolls out "
                "and through hypercare (FTE)",
        source="Scrum Guide 2020: a Scrum team is typically 10 or fewer people; 001: an MVP "
               "with a small team; plausible 5-12",
    )
    team_fte_waterfall: float = param(
        12.0, 0.0, 500.0,
        meaning="programme team under waterfall delivery, same weeks (FTE)",
        source="assumption: a waterfall project staffs analysis, build and test for one large "
               "release (001: a waterfall of a year or more); plausible 8-25",
    )
    cross_functional_fte: float = param(
        3.0, 0.0, 100.0,
        meaning="members a cross-functional team adds to the delivery team: user "
                "representatives, UX, change management (FTE)",
        source="001 action 3: user representatives, engineers and integrators; assumption "
               "for the size; plausible 2-6",
    )
    governance_fte: float = param(
        1.0, 0.0, 50.0,
        meaning="programme office that keeps KPIs and governance while the team works (FTE)",
        source="001 action 2; assumption; plausible 0.5-2",
    )
    sustainment_fte: float = param(
        4.0, 0.0, 500.0,
        meaning="team kept after hypercare to keep improving the tool, while it stays (FTE)",
        source="001 failure mode 3; assumption: about half a build team; plausible 2-8",
    )
    leader_year_it_led: float = param(
        200.0, 0.0, 5000.0,
        meaning="cost of an IT leader leading the programme, while the team works ($k per year)",
        source="assumption; plausible 150-300",
    )
    leader_year_sales_led: float = param(
        200.0, 0.0, 5000.0,
        meaning="cost of a sales leader leading the programme, while the team works ($k per "
                "year)", source="assumption; plausible 150-300",
    )
    leader_year_boundary_spanner: float = param(
        250.0, 0.0, 5000.0,
        meaning="cost of a boundary spanner leading the programme, while the team works ($k per "
                "year)",
        source="assumption: a leader with both sales and technology careers (000) is scarcer, "
               "about 25% above the others; plausible 180-350",
    )
    platform_year: float = param(
        150.0, 0.0, 100000.0,
        meaning="platform, integration and data infrastructure from the start of the build "
                "until the programme is cancelled ($k per year)",
        source="assumption (for about 100 reps); plausible 50-500",
    )
    licence_user_year: float = param(
        1.8, 0.0, 100.0,
        meaning="tool licence per rep with access to the tools ($k per user per year)",
        source="assumption: CRM and sales-AI suites list at ~$50-300 per user per month; "
               "plausible 0.6-3.6",
    )
    training_per_rep: float = param(
        1.5, 0.0, 100.0,
        meaning="one training of one rep: the launch training with access, or a "
                "course-correcting training ($k per rep trained)",
        source="assumption (a day or two with trainer, material and travel); plausible 0.5-3",
    )
    enablement_per_manager: float = param(
        6.0, 0.0, 200.0,
        meaning="enabling one first-line manager as a change agent ($k per manager)",
        source="001 action 5; assumption (a coaching programme and materials); plausible 2-15",
    )
    embedded_training_user_year: float = param(
        1.0, 0.0, 100.0,
        meaning="training and support embedded in the workflow per rep with access, while the "
                "team provides it ($k per user per year)",
        source="001 action 5 (micro-learning in the workflow); assumption; plausible 0.3-3",
    )


@dataclass
class QuotaParams:
    """Quarterly quotas: how they are set, and the pay plan that can use them (sim/quotas.py)."""

    policy: str = param(
        "territory", meaning="how each rep's quarterly quota is set", source="issue 23; "
        "scenarios/quotas/", policy="quota",
    )
    uplift: float = param(
        0.02, -0.5, 2.0,
        meaning="growth a quota asks for over the history it is set from (share)",
        source="calibrated: quotas ask for growth over last year; at 0.02 about half of the reps "
               "make quota at the default organisation without a programme (50-52% over 20 "
               "runs; CSO Insights 2018: 53% of reps made quota); plausible 0-0.15",
    )
    history_weeks: float = param(
        52.0, 4.0, 260.0,
        meaning="weeks of booking credit a quota is set from (memory of a moving average)",
        source="assumption (last year's production)",
    )
    book_weight: float = param(
        0.5, 0.0, 1.0,
        meaning="under the book policy, share of a rep's quota that follows the recurring "
                "revenue they hold, against their role's (the rest is the role's mean)",
        source="assumption",
    )
    accelerator: float = param(
        1.5, 1.0, 5.0,
        meaning="under quota-accelerated pay, pay per $ of credit above quota relative to below",
        source="assumption: common plans pay 1.5-2x above 100% of quota",
    )
    cap: float = param(
        2.0, 1.0, 10.0,
        meaning="under quota-accelerated pay, attainment above which no more variable pay is "
                "paid in the quarter",
        source="assumption: capped plans commonly cap at 200-300% of quota",
    )


@dataclass
class HiringParams:
    """A new hire's ramp to full selling effectiveness (sim/attrition.py ``ramp``)."""

    ramp_weeks: int = param(
        0, 0, 104,
        meaning="weeks a new hire takes to reach a tenured rep's customer-facing time (0: at "
                "once)",
        source="Bridge Group SaaS AE reports: ramp to full productivity takes ~4-6 months; 0 "
               "by default until the lead's calibration takes the mechanism in",
    )
    ramp_start: float = param(
        0.3, 0.0, 1.0,
        meaning="share of a tenured rep's customer-facing time a new hire puts in in the week "
                "after joining; it rises in a straight line to 1 over ramp_weeks",
        source="assumption (onboarding, product and account learning take the rest)",
    )


@dataclass
class SimParams:
    """Every parameter of one model run."""

    horizon_weeks: int = param(156, 26, 1040, meaning="weeks simulated", source="DESIGN")
    baseline_weeks: int = param(13, 4, 52, meaning="baseline quarter before launch", source="DESIGN")
    spin_up_weeks: int = param(
        13, 0, 520,
        meaning="unrecorded weeks each replication runs from its settled market state before "
                "week 0, so replications starting from the same state part ways",
        source="assumption (a quarter; the settled state is already at rest, sim/steady_state.py)",
    )
    settle_weeks: int = param(
        624, 0, 1040,
        meaning="weeks a market runs without a programme, once, to find the steady state every "
                "replication starts from (0: start from the naive draw of org.subscriber_share)",
        source="measured: the slowest no-programme stock (subscribers) relaxes with a time "
               "constant of about 100 weeks (docs/calibration.md)",
    )
    settle_seed: int = param(
        0, 0, 2**32 - 1, meaning="seed of the settling run (the same for every replication)",
        source="any fixed seed: the settled pool must not depend on the replication",
    )
    org: OrgParams = field(default_factory=OrgParams)
    company: CompanyParams = field(default_factory=CompanyParams)
    silo: SiloParams = field(default_factory=SiloParams)
    incentives: IncentiveParams = field(default_factory=IncentiveParams)
    lead_handoff: LeadHandoffParams = field(default_factory=LeadHandoffParams)
    account_handoff: AccountHandoffParams = field(default_factory=AccountHandoffParams)
    programme: ProgrammeParams = field(default_factory=ProgrammeParams)
    time_budget: TimeBudgetParams = field(default_factory=TimeBudgetParams)
    attitude: AttitudeParams = field(default_factory=AttitudeParams)
    selling: SellingParams = field(default_factory=SellingParams)
    customers: CustomerParams = field(default_factory=CustomerParams)
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


SETTLE_MIN_WEEKS = 104   # the settled states are kept over the settling run's last two years


def _check_cross_field(params: SimParams) -> None:
    org = params.org
    if org.share_enthusiast + org.share_avoider > 1.0:
        raise ConfigError(
            "org.share_avoider", org.share_avoider,
            f"at most {1 - org.share_enthusiast:.2f} (enthusiast + avoider shares <= 1)",
        )
    if params.baseline_weeks >= params.horizon_weeks - 13:
        raise ConfigError(
            "baseline_weeks", params.baseline_weeks,
            f"fewer than horizon_weeks - 13 = {params.horizon_weeks - 13}",
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
           ("lead_handoff.grade_b", "lead_handoff.grade_a"),
           ("tool.fit_floor", "tool.fit_ceiling"),
           ("customers.renewal_floor", "customers.renewal_ceiling"))


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
    p = params.programme
    build = p.waterfall_build_weeks if p.delivery == "waterfall" else p.mvp_weeks
    key = "programme.waterfall_build_weeks" if p.delivery == "waterfall" else "programme.mvp_weeks"
    if p.enabled and params.baseline_weeks + p.plan_weeks + build >= horizon:
        raise ConfigError(key, build, f"fewer than horizon_weeks - baseline_weeks - plan_weeks = "
                                      f"{horizon - params.baseline_weeks - p.plan_weeks} (the "
                                      "tool could never be released)")
    if 0 < params.settle_weeks < SETTLE_MIN_WEEKS:
        raise ConfigError("settle_weeks", params.settle_weeks,
                          f"0 (no settling) or at least {SETTLE_MIN_WEEKS} (two years of states)")


#: the policies whose cost the schema holds per name: (key, costs field prefix)
PRICED_POLICIES = (("programme.delivery", "team_fte_"), ("programme.leader", "leader_year_"),
                   ("silo.mitigations", "mitigation_year_"))


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
    """One row per leaf parameter: key, default, range, meaning, source (for the ODD)."""
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
            rows.append({"key": prefix + spec.name, "default": default, "allowed": allowed,
                         "meaning": meta["meaning"], "source": meta["source"]})

    visit(SimParams, "")
    return rows


if __name__ == "__main__":
    for row in schema_rows():
        print(f"| `{row['key']}` | {row['default']} | {row['allowed']} | {row['meaning']} | "
              f"{row['source']} |")
