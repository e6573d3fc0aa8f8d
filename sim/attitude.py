"""Attitude and adoption: how reps come to use the tools, or not (001 s3, TAM).

Each week a rep's perceived usefulness moves toward
- the evidence of their own results as far as they chose to use the tools (time saved or
  lost, recommendations that worked, and any pay they lost on the way; results of use
  under a mandate are put down to the mandate),
- their peers' view (early-experience advocates weigh more where credible),
- their manager's stance (endorsing or undermining),
and is worn down by a mandate they resent. Perceived ease of use follows the tool's
ease and their skill. Intention is a logistic function of attitude against a
threshold that depends on tech affinity, selling style and autonomy; voluntary use
follows intention with habit inertia; a mandate adds usage on top without adding
attitude, and its pressure decays after roll-out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.numeric import TINY
from sim.programme import QUIET, Phase
from sim.tech_affinity import ENTHUSIAST

if TYPE_CHECKING:
    from sim.model import SilosimModel

def recommendation_trust(params) -> float:
    """Share of recommendations a rep is willing to act on (001: explanations raise trust)."""
    s = params.selling
    return s.rec_trust_explained if params.programme.explanations else s.rec_trust_unexplained


def tool_time_gain(adoption: np.ndarray, skill: np.ndarray, params) -> np.ndarray:
    """Change in admin share from the tools: saving with skill, overhead without (001)."""
    tb = params.time_budget
    return adoption * (tb.full_use_admin_cut * skill - tb.learning_overhead * (1.0 - skill))


def own_evidence(model: SilosimModel) -> np.ndarray:
    """What using the tools shows each rep: fit to their needs, time, recommendations, pay."""
    force, prog, p = model.force, model.programme, model.params
    s, a = p.selling, p.attitude
    time_gain = tool_time_gain(np.ones(force.size), force.skill, p)
    lift = (prog.rec_quality - s.own_conversion) / max(s.rec_quality_ceiling - s.own_conversion,
                                                       TINY)
    lift = np.clip(lift, a.rec_lift_floor, 1.0) * recommendation_trust(p)
    style_match = np.where(force.relationship, a.relationship_fit, 1.0)
    fit = prog.fit[force.segment] * style_match
    evidence = fit * (a.evidence_base + a.evidence_time * time_gain
                      + a.evidence_recommendations * lift)
    return (evidence - a.pay_weight * force.income_gap).clip(0.0, 1.0)


def peer_view(model: SilosimModel) -> np.ndarray:
    """Each rep's peers' mean usefulness; EET advocates count more where they are credible."""
    force, a = model.force, model.params.attitude
    present = force.occupied.astype(float)
    advocate = force.eet & force.access
    weight = present * np.where(advocate, a.advocate_weight, 1.0)
    # peers' sums of usefulness and of weight, plain and boosted, in one sparse product
    plain_num, plain_den, boosted_num, boosted_den = (model.peers @ np.column_stack(
        (force.usefulness * present, present, force.usefulness * weight, weight))).T
    credible = np.full(force.size, model.params.eet.credible_to_all) | \
        (force.segment == ENTHUSIAST)
    num = np.where(credible, boosted_num, plain_num)
    den = np.where(credible, boosted_den, plain_den)
    return np.where(den > 0, num / np.maximum(den, TINY), force.usefulness)


def mandate_pressure(model: SilosimModel, week: int) -> np.ndarray:
    """Mandate strength felt by each rep: set at roll-out, decaying, enforced by managers."""
    force, prog = model.force, model.programme
    if prog.rollout_week is None or model.params.programme.mandate == 0 or prog.phase == Phase.CANCELLED:
        return np.zeros(force.size)
    half_life = model.params.attitude.mandate_half_life_weeks
    strength = model.params.programme.mandate * 0.5 ** ((week - prog.rollout_week) / half_life)
    return strength * model.manager_view("enforcement")[force.team] * force.access


def update_attitudes(model: SilosimModel, week: int) -> None:
    """The weekly attitude → intention → usage update for every occupied seat."""
    force, p = model.force, model.params
    a = p.attitude
    if model.programme.phase in QUIET:
        return
    force.pressure = mandate_pressure(model, week)
    pu = force.usefulness
    # evidence counts as far as reps chose to use the tools: results of mandated use are put
    # down to the mandate, not the tool (001: adopted only through mandates)
    pu = pu + a.own_results_weight * force.voluntary * (own_evidence(model) - pu)
    pu = pu + a.peer_weight * (peer_view(model) - pu)
    pu = pu + a.manager_weight * (model.manager_view("stance")[force.team] - pu)
    pu = pu - a.mandate_reactance * force.pressure * force.autonomy
    force.usefulness = pu.clip(0.0, 1.0)
    felt_ease = model.programme.ease_of_use * (a.ease_unskilled
                                               + (1.0 - a.ease_unskilled) * force.skill)
    force.ease = np.where(force.access, force.ease + a.ease_rate * (felt_ease - force.ease),
                          force.ease)
    intention = adoption_intention(model)
    force.voluntary = np.where(force.access,
                               force.voluntary + a.habit_rate * (intention - force.voluntary), 0.0)
    compliance = 1.0 - a.autonomy_defiance * force.autonomy
    force.adoption = force.voluntary + (1.0 - force.voluntary) * force.pressure * compliance
    learn_skills(model)


def adoption_intention(model: SilosimModel) -> np.ndarray:
    """Logistic intention: attitude (plus any adoption bonus) against a rep's threshold."""
    force, p = model.force, model.params
    a = p.attitude
    thresholds = np.array([a.threshold_enthusiast, a.threshold_reluctant, a.threshold_avoider])
    threshold = (thresholds[force.segment] + a.relationship_penalty * force.relationship
                 + a.autonomy_penalty * force.autonomy - model.company.culture)
    attitude = a.usefulness_weight * force.usefulness + (1.0 - a.usefulness_weight) * force.ease \
        + a.bonus_weight * p.incentives.adoption_bonus * p.incentives.rep_variable_share
    return 1.0 / (1.0 + np.exp(-a.intention_slope * (attitude - threshold)))


def learn_skills(model: SilosimModel) -> None:
    """Skill grows by use, by manager coaching and by training embedded in the workflow
    (which the programme team provides: it stops when the team is disbanded)."""
    force, p = model.force, model.params
    a = p.attitude
    rate = a.skill_learning * force.adoption + model.manager_view("coaching")[force.team]
    if p.programme.embedded_training and model.programme.team_active:
        rate = rate + a.embedded_training_rate
    force.skill = np.where(force.access, force.skill + rate * (1.0 - force.skill), force.skill)
