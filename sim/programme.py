"""The transformation programme: phases, the tool it builds, and leadership confidence (001).

Phases run plan → build → pilot → rollout → operate, or end in ``cancelled`` when
leadership confidence falls below its threshold before the tool is in operation.
The programme owns the tool's state — fit to each tech-affinity segment's needs
(usefulness), complexity (the inverse of ease of use), CRM data quality and
recommendation quality — and the leaders' confidence in the whole effort.

Silos reach the tool through what it lives on (004: digital tools amplify flawed
practices): CRM data that functions do not share, marketing-engagement signals that never
reach the recommender (001: Microsoft's Daily Recommender read marketing interactions),
and feedback from users that does not reach the designers. With KPIs and governance
(001 action 2) leaders track progress against the programme's own plan, re-plan when it
slips, keep late features out while behind, and correct course when adoption stalls;
without them they follow lagging, noisy revenue and lose patience. Every coefficient is
a ``programme.*``, ``tool.*`` or ``confidence.*`` parameter or belongs to the chosen
profiles: who leads (``leader.*``), how the team delivers (``delivery.*``) and who tries
the tool first (``eet.*``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from sim.numeric import MIN_PACE, SEED_SPAN
from sim.tech_affinity import SEGMENTS

if TYPE_CHECKING:
    from sim.model import SilosimModel


class Phase(StrEnum):
    """The programme's phase; ``NO_PROGRAMME`` is the counterfactual's (and a disabled run's)."""

    BASELINE = "baseline"
    PLAN = "plan"
    BUILD = "build"
    PILOT = "pilot"
    ROLLOUT = "rollout"
    OPERATE = "operate"
    CANCELLED = "cancelled"
    NO_PROGRAMME = "no_programme"


PRE_OPERATION = (Phase.PLAN, Phase.BUILD, Phase.PILOT, Phase.ROLLOUT)
WORKING = (Phase.BUILD, Phase.PILOT, Phase.ROLLOUT, Phase.OPERATE)
QUIET = (Phase.BASELINE, Phase.CANCELLED, Phase.NO_PROGRAMME)   # nothing for reps to react to


class TransformationProgramme:
    """The programme as a model component, stepped twice a week: ``advance`` and ``review``.

    It draws from its own random stream (seeded from the model's at construction), so a
    programme that changes nothing leaves the organisation's random history exactly as it
    is without one: the counterfactual branch and the treated run stay identical until the
    programme acts on reps or customers.
    """

    def __init__(self, model: SilosimModel) -> None:
        self.model = model
        params = model.params
        p = params.programme
        self.p = p
        self.leader, self.delivery, self.eet = params.leader, params.delivery, params.eet
        self.frictions = model.frictions
        relief = p.cross_functional_friction if p.cross_functional else 1.0
        self.it_friction = self.frictions.it_friction * self.leader.friction_factor * relief
        self.rng = np.random.default_rng(int(model.rng.integers(SEED_SPAN)))
        self.enabled = p.enabled
        self.phase = Phase.BASELINE
        self.phase_week = 0
        self.launch_week = params.baseline_weeks
        self.release_week: int | None = None
        self.rollout_week: int | None = None
        self.cancel_week: int | None = None
        self.plan_weeks = round(p.plan_weeks * (1.0 + self.it_friction))
        self.build_weeks = self.delivery.build_weeks
        self.progress, self.scope = 0.0, 1.0
        tool = params.tool
        self.fit = np.full(len(SEGMENTS), np.clip(self.leader.initial_fit + model.company.tool_fit,
                                                  tool.fit_floor, tool.fit_ceiling))
        self.fit_at_rollout: float | None = None
        self.complexity = self.leader.initial_complexity * self.delivery.release_complexity
        self.data_quality = tool.data_quality_start
        self.rec_quality = 0.0
        self.confidence = model.company.leader_confidence
        self.team_active = True
        # the build plan: from ``plan_base`` done at ``plan_start``, ``planned_rate`` a week
        self.planned_rate, self.plan_base = 1.0 / self.build_weeks, 0.0
        self.build_start = self.plan_start = 0
        self.last_replan = -params.confidence.replan_weeks
        self.adoption_plan_weeks = float(params.confidence.adoption_plan_weeks)
        self.best_adoption, self.last_gain_week = 0.0, 0

    # ------------------------------------------------------------------ weekly: advance

    def advance(self, week: int) -> None:
        """Move the build, learn from users, let the tool drift, refresh data and recommendations."""
        if self.phase == Phase.BASELINE and week >= self.launch_week:
            self.launch(week)
        elif self.phase == Phase.PLAN and week - self.phase_week >= self.plan_weeks:
            self.enter(Phase.BUILD, week)
            self.build_start = self.plan_start = week
        elif self.phase == Phase.BUILD:
            self.build_week(week)
        elif self.phase == Phase.PILOT and week - self.phase_week >= self.delivery.pilot_weeks:
            self.enter(Phase.ROLLOUT, week)
            self.rollout_week = week
            self.fit_at_rollout = self.usefulness
        if self.phase == Phase.ROLLOUT:
            self.roll_out(week)
        self.hand_over(week)
        if self.phase in WORKING:
            self.learn_from_users(week)
        if self.release_week is not None and self.phase != Phase.CANCELLED:
            self.sustainment_drift()
            self.refresh_data_and_recommendations()

    def launch(self, week: int) -> None:
        """Start planning and enable the configured first-line managers, or stay without one."""
        if not self.enabled:
            self.enter(Phase.NO_PROGRAMME, week)
            self.team_active = False
            return
        self.enter(Phase.PLAN, week)
        self.model.enable_managers(self.rng)

    def stand_down(self) -> None:
        """Make this a run without a programme from now on (the counterfactual twin): before
        launch it never launches; after it, it is gone as if it had never been."""
        self.enabled = False
        if self.phase != Phase.BASELINE:
            self.enter(Phase.NO_PROGRAMME, self.phase_week)
        self.team_active = False
        self.release_week = self.rollout_week = self.cancel_week = None

    def enter(self, phase: Phase, week: int) -> None:
        self.phase, self.phase_week = phase, week

    def build_week(self, week: int) -> None:
        """Build progress slowed by IT-business friction; scope creep; technical setbacks (000).

        Under governance, late features wait while the build is behind its plan (001 action 2).
        """
        rng, tool, cp = self.rng, self.model.params.tool, self.model.params.confidence
        velocity = (1.0 - tool.friction_slowdown * self.it_friction) * (
            1.0 - tool.sponsor_speedup * (1.0 - self.p.sponsor_strength))
        self.progress += velocity / self.build_weeks
        late_features = rng.poisson(tool.late_feature_rate * self.leader.late_feature_acceptance)
        if self.p.kpis and self.build_lag(week) > 0:
            late_features = 0
        if late_features:
            self.scope += tool.scope_per_feature * late_features
            self.complexity += tool.complexity_per_feature * late_features * (
                1.0 - self.leader.simplicity)
            self.shake_confidence(-cp.late_feature_shock * late_features)
        if rng.random() < tool.setback_rate * self.it_friction:
            self.progress = max(0.0, self.progress - tool.setback_size)
            self.shake_confidence(-cp.setback_shock)
        if self.progress >= self.scope:
            self.release(week)

    def build_lag(self, week: int) -> float:
        """How far the build is behind its current plan, as a share of its scope."""
        planned = min(self.plan_base + self.planned_rate * (week - self.plan_start), 1.0)
        return float(planned - self.progress / self.scope)

    def replan_build(self, week: int) -> None:
        """Re-plan from where the build is, at the pace it has actually shown (001 action 2)."""
        done = self.progress / self.scope
        self.planned_rate = max(done / max(week - self.build_start, 1), MIN_PACE)
        self.plan_base, self.plan_start, self.last_replan = done, week, week

    def release(self, week: int) -> None:
        """First release: the early-experience team gets the tool for the pilot."""
        self.release_week = week
        self.rec_quality = self.model.params.selling.rec_quality_start
        self.enter(Phase.PILOT, week)
        self.model.grant_access(self.model.force.eet & self.model.force.occupied)

    def roll_out(self, week: int) -> None:
        """Give access team by team over the roll-out weeks (a big bang when it is short)."""
        force = self.model.force
        done = (week - self.phase_week + 1) / self.delivery.rollout_weeks
        teams = force.team.max() + 1
        self.model.grant_access(force.occupied & (force.team < np.ceil(done * teams)))
        if done >= 1.0:
            self.enter(Phase.OPERATE, week)

    def hand_over(self, week: int) -> None:
        """After roll-out the team stays for hypercare, then leaves unless kept to sustain the
        tool; under governance it leaves only once adoption has reached its KPI target (001
        action 2: governance keeps the company investing until the programme meets its goals)."""
        if (self.phase == Phase.OPERATE and self.team_active and not self.delivery.sustainment_team
                and week - self.phase_week >= self.p.hypercare_weeks
                and not (self.p.kpis and self.model.genuine_share()
                         < self.model.params.confidence.adoption_target)):
            self.team_active = False

    def planned_adoption(self, week: int) -> float:
        """The genuine-user share the KPI plan expects this week (a ramp to its target)."""
        cp = self.model.params.confidence
        return cp.adoption_target * min((week - self.rollout_week) / self.adoption_plan_weeks, 1.0)

    def feedback_quality(self) -> float:
        """How well users' needs reach the designers: team make-up, leader, silos (001, 002)."""
        p, tool = self.p, self.model.params.tool
        team = 1.0 if p.cross_functional else p.siloed_team_feedback
        return (self.delivery.learning_factor * self.leader.learns_from_users * team
                * (1.0 - tool.silo_feedback_loss * self.frictions.feedback))

    def learn_from_users(self, week: int) -> None:
        """Each sprint (or review) moves the fit toward the needs of the segments it hears."""
        if not self.team_active or week % self.delivery.learning_cadence_weeks:
            return
        tool = self.model.params.tool
        if self.phase in (Phase.BUILD, Phase.PILOT):
            heard = np.array([getattr(self.eet, f"heard_{name}") for name in SEGMENTS])
        else:
            heard = self.model.segment_adoption()
        rate = tool.build_learning * self.feedback_quality()
        self.fit += rate * heard * (tool.fit_ceiling - self.fit)
        self.complexity += tool.complexity_per_feature * self.eet.feature_appetite * (
            1.0 - self.leader.simplicity)

    def sustainment_drift(self) -> None:
        """Selling and technology keep changing (001 failure mode 3): while no team keeps the
        tool evolving, fit decays, recommendations go stale and complexity creeps up. An
        active team keeps the tool current; what it learns from users comes on top."""
        if self.team_active:
            return
        tool = self.model.params.tool
        self.fit *= 1.0 - tool.drift_weekly
        self.rec_quality -= tool.drift_weekly * (
            self.rec_quality - self.model.params.selling.own_conversion)
        self.complexity += tool.tech_drift_weekly * (1.0 - self.complexity)

    def refresh_data_and_recommendations(self) -> None:
        """CRM completeness, as far as functions share it, feeds data quality; data, marketing's
        engagement signals and rated recommendations train the recommender (001, 004)."""
        model, s, tool = self.model, self.model.params.selling, self.model.params.tool
        use = model.mean_adoption()
        shared = 1.0 - tool.silo_data_loss * self.frictions.data_sharing
        self.data_quality += tool.data_quality_rate * (use * shared - self.data_quality)
        signals = 1.0 - tool.silo_signal_loss * self.frictions.data_sharing
        if self.p.feedback_loop:
            volume = use * (s.rated_volume_explained if self.p.explanations else 1.0)
            reach = 1.0
        else:
            volume, reach = s.unrated_volume * use, s.unrated_reach
        target = s.rec_quality_start + (s.rec_quality_ceiling - s.rec_quality_start) * \
            self.data_quality * signals * reach
        if self.team_active or target < self.rec_quality:
            self.rec_quality += s.rec_learning_rate * min(volume, 1.0) * (target - self.rec_quality)

    # ------------------------------------------------------------ weekly: governance review

    def review(self, week: int) -> None:
        """Leaders look at what they can see, adjust confidence, correct course or cancel."""
        if self.phase in QUIET:
            return
        cp = self.model.params.confidence
        lagging = self.model.revenue_ratio() - 1.0 + self.rng.normal(0.0, cp.lagging_noise)
        if self.p.kpis:
            leading = self.leading_indicator(week)
            signal = cp.leading_weight * leading + (1.0 - cp.leading_weight) * lagging
            overdue = leading < -cp.late_margin
            if overdue and week - self.last_replan >= cp.replan_weeks:
                self.replan(week)
                overdue = False
            self.correct_course(week)
        else:
            signal = lagging
            overdue = self.past_promise(week) and (self.release_week is None
                                                    or lagging < cp.expected_growth)
        self.shake_confidence(cp.signal_weight * signal - cp.erosion * overdue)
        if self.confidence < cp.cancel_below:
            if self.phase in PRE_OPERATION:
                self.cancel(week)
            else:
                self.team_active = False

    def past_promise(self, week: int) -> bool:
        """Without KPIs leaders measure the programme against its business case (001 action 2):
        the roll-out it promised — planning, the build, the pilot and the roll-out at the
        planned pace, with no friction, setback or late feature — plus
        ``confidence.patience_weeks`` of goodwill. Past that, confidence erodes until the tool
        is out and revenue grows as promised. An agile business case promises its roll-out
        after the minimum viable product's pilot, not the MVP itself."""
        d = self.delivery
        promised = self.launch_week + self.p.plan_weeks + d.build_weeks + d.pilot_weeks + \
            d.rollout_weeks
        return week > promised + self.model.params.confidence.patience_weeks

    def leading_indicator(self, week: int) -> float:
        """Progress against plan: build progress before release, adoption after (001 action 2);
        on plan, leaders' positive feedback energises the organisation."""
        cp = self.model.params.confidence
        if self.phase == Phase.PLAN:
            return cp.kpi_encouragement
        if self.phase == Phase.BUILD:
            return float(np.clip(-self.build_lag(week), -1.0, 1.0)) + cp.kpi_encouragement
        if self.rollout_week is None:
            return cp.kpi_encouragement
        return float(np.clip(self.model.genuine_share() - self.planned_adoption(week), -1.0, 1.0)) \
            + cp.kpi_encouragement

    def replan(self, week: int) -> None:
        """The plan slipped: re-plan at the pace actually shown; leaders take the news once."""
        cp = self.model.params.confidence
        if self.phase == Phase.BUILD:
            self.replan_build(week)
        elif self.rollout_week is not None:
            pace = max(self.model.genuine_share(), cp.late_margin) / max(week - self.rollout_week, 1)
            self.adoption_plan_weeks = min(cp.adoption_target / pace,
                                           float(self.model.params.horizon_weeks))
            self.last_replan = week
        self.shake_confidence(-cp.replan_shock)

    def correct_course(self, week: int) -> None:
        """With leading indicators, stalled adoption is diagnosed and fixed (001 action 2: KPIs
        let leaders analyse problems and correct course): training for every user, a backlog
        fix for the segment the tool fits worst, and the lagging team's manager enabled as a
        change agent."""
        if self.rollout_week is None or not self.team_active:
            return
        cp, tool = self.model.params.confidence, self.model.params.tool
        use = self.model.mean_voluntary()
        if use > self.best_adoption + cp.stall_gain:
            self.best_adoption, self.last_gain_week = use, week
        elif week - self.last_gain_week >= cp.stall_weeks:
            self.model.train(self.model.force.access, cp.fix_training)
            weakest = int(np.argmin(self.fit))
            self.fit[weakest] += cp.fix_fit * (tool.fit_ceiling - self.fit[weakest])
            self.model.enable_lagging_manager()
            self.last_gain_week = week

    def shake_confidence(self, change: float) -> None:
        """Move confidence; a strong sponsor absorbs much of the bad news (001 action 1)."""
        if change < 0:
            change *= 1.0 - self.model.params.confidence.sponsor_buffer * self.p.sponsor_strength
        self.confidence = float(np.clip(self.confidence + change, 0.0, 1.0))

    def cancel(self, week: int) -> None:
        """Leaders lose confidence and stop the programme: the tools are withdrawn (001 mode 1)."""
        self.enter(Phase.CANCELLED, week)
        self.cancel_week = week
        self.team_active = False
        self.model.withdraw_tools()

    # ------------------------------------------------------------------ what reps see

    @property
    def ease_of_use(self) -> float:
        return float(np.clip(1.0 - self.complexity, 0.0, 1.0))

    @property
    def usefulness(self) -> float:
        """Fit averaged over the sales force's segments."""
        return float(np.mean(self.fit[self.model.force.segment]))
