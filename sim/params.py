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
    culture_spread: float = param(
        0.25, 0.0, 0.5,
        meaning="spread across companies of a shared shift in reps' adoption thresholds",
        source="assumption; 001 s3: top-down cultures, managers hesitant about digital",
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
    """How marketing leads reach sales (002)."""

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
    transition_bonus: bool = param(
        False, meaning="hunter and farmer share a bonus during the transfer", source="003"
    )
    introduction_weeks: int = param(
        0, 0, 26, meaning="weeks the farmer is introduced during implementation", source="003"
    )
    inside_sales_farmers: bool = param(
        False, meaning="farmers are inside sales (video/chat) at lower cost", source="003"
    )


@dataclass
class ProgrammeParams:
    """The programme's choices: the five key actions (001) and mandate."""

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
        52, 13, 104, meaning="waterfall build before the one release",
        source="001: a waterfall of a year or more",
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
    hours_per_lead: float = param(1.5, 0.25, 8.0, meaning="hours to follow up one lead",
                                  source="assumption")
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
        0.08, 0.0, 1.0, meaning="chance a rep's own target becomes a qualified opportunity",
        source="001: industry average 6-10%",
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
    renewal_base: float = param(0.76, 0.0, 1.0, meaning="renewal chance at neutral satisfaction",
                                source="assumption (subscription renewal ~85%)")
    renewal_slope: float = param(0.5, 0.0, 2.0, meaning="renewal gained per unit satisfaction",
                                 source="assumption")
    readiness_share: float = param(
        0.7, 0.0, 1.0, meaning="share of the buying decision made before contact",
        source="004: 70% of the decision is made before talking to sales",
    )
    messaging_weight: float = param(
        0.35, 0.0, 1.0, meaning="win rate and satisfaction lost to fully inconsistent messages",
        source="004: inconsistent experience drives customers away",
    )
    handoff_shock: float = param(0.25, 0.0, 1.0,
                                 meaning="satisfaction lost when an account changes rep uncaptured",
                                 source="003: customer must 'train' the new rep")
    inside_sales_cost: float = param(0.6, 0.1, 1.0, meaning="cost of an inside-sales farmer",
                                     source="003: cheaper with little loss")


@dataclass
class LeadParams:
    """Marketing lead generation and the lead life (002, 004; Oldroyd et al. 2011)."""

    leads_per_marketer: float = param(4.0, 0.0, 100.0, meaning="leads per marketer per week",
                                      source="assumption; 002 Affiliated webinar funnel")
    readiness_half_life_days: float = param(
        4.0, 0.1, 60.0, meaning="days for a waiting lead's readiness to halve",
        source="Oldroyd, McElheran, Elkington 2011 (speed-to-lead), softened for B2B",
    )
    pickup_days: float = param(7.0, 0.0, 60.0, meaning="mean days until an unrouted lead is picked up",
                               source="002: leads die in the CRM")
    lead_trust: float = param(0.75, 0.0, 1.0, meaning="share of unscored leads reps follow up, no silo",
                              source="002, 004")
    lead_qualify: float = param(0.45, 0.0, 1.0, meaning="qualification at full fit and readiness",
                                source="assumption; 002 webinar: 60 attended -> 2 accounts")
    collateral_decay: float = param(0.02, 0.0, 0.5, meaning="weekly relevance lost by collateral",
                                    source="002: collateral over a year old is thrown away")
    nurture_gain: float = param(0.03, 0.0, 0.5, meaning="weekly readiness gained under nurture",
                                source="002: nurture not-yet-ready leads")


@dataclass
class AttritionParams:
    """Variable pay, morale and quitting (001; Bridge Group; SHRM 2016)."""

    base_quit_weekly: float = param(
        0.0037, 0.0, 0.1, meaning="weekly quit hazard at reference pay and morale",
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


@dataclass
class ToolParams:
    """The tool's state: fit, ease of use, data and drift (001)."""

    fit_spread: float = param(0.2, 0.0, 0.5,
                              meaning="spread across companies of the tool's initial fit",
                              source="assumption (how well the chosen technology happens to fit)")
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
    late_feature_rate: float = param(0.25, 0.0, 5.0, meaning="late feature requests per week",
                                     source="000: scope creep")
    setback_rate: float = param(0.03, 0.0, 1.0,
                                meaning="weekly chance of a technical setback at full friction",
                                source="000: IT-business friction")
    data_quality_rate: float = param(0.05, 0.0, 1.0,
                                     meaning="weekly approach of data quality to CRM completeness",
                                     source="assumption")


@dataclass
class ConfidenceParams:
    """Leadership confidence, governance and cancellation (001)."""

    initial: float = param(0.6, 0.05, 1.0, meaning="mean leadership confidence at launch",
                           source="assumption")
    initial_spread: float = param(0.1, 0.0, 0.5, meaning="spread of confidence across companies",
                                  source="assumption")
    cancel_below: float = param(0.3, 0.0, 1.0, meaning="confidence below which the programme stops",
                                source="001 failure mode 1")
    patience_weeks: float = param(52.0, 1.0, 260.0,
                                  meaning="weeks leaders wait for results before confidence erodes",
                                  source="assumption")
    erosion: float = param(0.006, 0.0, 0.2, meaning="weekly confidence lost to spend without results",
                           source="001: leaders lose confidence")
    signal_weight: float = param(0.05, 0.0, 1.0, meaning="weekly response to the observed signal",
                                 source="assumption")
    lagging_noise: float = param(0.6, 0.0, 3.0, meaning="noise in revenue as a progress signal",
                                 source="001: lagging indicators")
    sponsor_buffer: float = param(0.7, 0.0, 1.0, meaning="share of bad news a full sponsor absorbs",
                                  source="001 action 1")
    stall_weeks: int = param(8, 1, 52, meaning="weeks of flat adoption before KPIs trigger a fix",
                             source="001 action 2 (correct course early)")


@dataclass
class LabelParams:
    """Thresholds that give every run exactly one label (DESIGN outcomes)."""

    adoption_bar: float = param(0.6, 0.05, 1.0, meaning="share of reps genuinely active for success",
                                source="assumption (broad adoption, 001 failure mode 2)")
    rollout_deadline_week: int = param(130, 13, 520,
                                       meaning="week by which roll-out must have started",
                                       source="assumption (2.5 years)")
    value_margin: float = param(0.05, 0.0, 1.0,
                                meaning="final-quarter recurring revenue above baseline quarter",
                                source="McKinsey 2018: improved performance and sustained it")
    time_margin: float = param(
        0.1, 0.0, 1.0, meaning="final-quarter customer-facing time above baseline quarter",
        source="001: productivity measured as time with customers (a quarter of the 40%)",
    )
    reach_window_weeks: int = param(8, 1, 52, meaning="weeks adoption must hold to count as reached",
                                    source="assumption")


@dataclass
class SimParams:
    """Every parameter of one model run."""

    horizon_weeks: int = param(156, 26, 1040, meaning="weeks simulated", source="DESIGN")
    baseline_weeks: int = param(13, 4, 52, meaning="baseline quarter before launch", source="DESIGN")
    spin_up_weeks: int = param(
        52, 0, 520, meaning="unrecorded weeks run before week 0 to reach the market's steady state",
        source="standard ABM practice (initial transients removed)",
    )
    org: OrgParams = field(default_factory=OrgParams)
    silo: SiloParams = field(default_factory=SiloParams)
    incentives: IncentiveParams = field(default_factory=IncentiveParams)
    lead_handoff: LeadHandoffParams = field(default_factory=LeadHandoffParams)
    account_handoff: AccountHandoffParams = field(default_factory=AccountHandoffParams)
    programme: ProgrammeParams = field(default_factory=ProgrammeParams)
    time_budget: TimeBudgetParams = field(default_factory=TimeBudgetParams)
    attitude: AttitudeParams = field(default_factory=AttitudeParams)
    selling: SellingParams = field(default_factory=SellingParams)
    leads: LeadParams = field(default_factory=LeadParams)
    attrition: AttritionParams = field(default_factory=AttritionParams)
    tool: ToolParams = field(default_factory=ToolParams)
    confidence: ConfidenceParams = field(default_factory=ConfidenceParams)
    labels: LabelParams = field(default_factory=LabelParams)

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
