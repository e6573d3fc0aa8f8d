"""The transformation programme: phases, the tool it builds, and leadership confidence (001).

Phases run plan → build → pilot → rollout → operate, or end in ``cancelled`` when
leadership confidence falls below its threshold before the tool is in operation.
The programme owns the tool's state — fit to each tech-affinity segment's needs
(usefulness), complexity (the inverse of ease of use), CRM data quality and
recommendation quality — and the leaders' confidence in the whole effort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scenarios.registry import lookup

if TYPE_CHECKING:
    from sim.model import SilosimModel

PRE_OPERATION = ("plan", "build", "pilot", "rollout")
FIT_TARGET = 0.95          # the best fit feedback can reach
PLAN_WEEKS = 6             # planning before the build, stretched by IT-business friction
ADOPTION_PLAN_WEEKS = 52   # governance expects the bar to be reached a year into roll-out


class TransformationProgramme:
    """The programme as a model component, stepped twice a week: ``advance`` and ``review``."""

    def __init__(self, model: SilosimModel) -> None:
        self.model = model
        p = model.params.programme
        self.p = p
        self.leader = lookup("leader", p.leader, "programme.leader")
        self.delivery = lookup("delivery", p.delivery, "programme.delivery")
        self.eet = lookup("eet", p.eet, "programme.eet")
        self.frictions = model.frictions
        self.it_friction = self.frictions.it_friction * self.leader.friction_factor * (
            0.6 if p.cross_functional else 1.0)
        rng = model.rng
        self.phase = "baseline"
        self.phase_week = 0
        self.launch_week = model.params.baseline_weeks
        self.release_week: int | None = None
        self.rollout_week: int | None = None
        self.cancel_week: int | None = None
        self.plan_weeks = round(PLAN_WEEKS * (1.0 + self.it_friction))
        self.build_weeks = self.delivery.build_weeks(p)
        self.progress, self.scope = 0.0, 1.0
        self.fit = np.clip(self.leader.initial_fit + rng.normal(0.0, model.params.tool.fit_spread)
                           + rng.normal(0.0, 0.03, 3), 0.05, FIT_TARGET)
        self.complexity = self.leader.initial_complexity
        self.data_quality = 0.2
        self.rec_quality = 0.0
        cp = model.params.confidence
        self.confidence = float(np.clip(rng.normal(cp.initial, cp.initial_spread), 0.05, 1.0))
        self.team_active = True
        self.best_adoption, self.last_gain_week = 0.0, 0

    # ------------------------------------------------------------------ weekly: advance

    def advance(self, week: int) -> None:
        """Move the build, learn from users, let the tool drift, refresh data and recommendations."""
        if self.phase == "baseline" and week >= self.launch_week:
            self.enter("plan", week)
        elif self.phase == "plan" and week - self.phase_week >= self.plan_weeks:
            self.enter("build", week)
        elif self.phase == "build":
            self.build_week(week)
        elif self.phase == "pilot" and week - self.phase_week >= self.delivery.pilot_weeks:
            self.enter("rollout", week)
            self.rollout_week = week
        if self.phase == "rollout":
            self.roll_out(week)
        self.hand_over(week)
        if self.phase in ("build", "pilot", "rollout", "operate"):
            self.learn_from_users(week)
        if self.release_week is not None and self.phase != "cancelled":
            self.sustainment_drift()
            self.refresh_data_and_recommendations()

    def enter(self, phase: str, week: int) -> None:
        self.phase, self.phase_week = phase, week

    def build_week(self, week: int) -> None:
        """Build progress slowed by IT-business friction; scope creep; technical setbacks (000)."""
        rng, tool = self.model.rng, self.model.params.tool
        velocity = (1.0 - 0.2 * self.it_friction) * (0.95 + 0.05 * self.p.sponsor_strength)
        self.progress += velocity / self.build_weeks
        late_features = rng.poisson(tool.late_feature_rate * self.leader.late_feature_acceptance)
        if late_features:
            self.scope += 0.04 * late_features
            self.complexity += tool.complexity_per_feature * late_features * (
                1.0 - self.leader.simplicity)
            self.shake_confidence(-0.004 * late_features)
        if rng.random() < tool.setback_rate * self.it_friction:
            self.progress = max(0.0, self.progress - 0.05)
            self.shake_confidence(-0.02)
        if self.progress >= self.scope:
            self.release(week)

    def release(self, week: int) -> None:
        """First release: the early-experience team gets the tool for the pilot."""
        self.release_week = week
        self.rec_quality = self.model.params.selling.rec_quality_start
        self.enter("pilot", week)
        self.model.grant_access(self.model.force.eet & self.model.force.occupied)

    def roll_out(self, week: int) -> None:
        """Give access team by team over the roll-out weeks (a big bang when it is short)."""
        force = self.model.force
        done = (week - self.phase_week + 1) / self.delivery.rollout_weeks
        teams = force.team.max() + 1
        self.model.grant_access(force.occupied & (force.team < np.ceil(done * teams)))
        if done >= 1.0:
            self.enter("operate", week)

    def hand_over(self, week: int) -> None:
        """After roll-out the team stays for hypercare, then leaves unless kept to sustain the tool."""
        if (self.phase == "operate" and self.team_active and not self.delivery.keeps_team(self.p)
                and week - self.phase_week >= self.p.hypercare_weeks):
            self.team_active = False

    def feedback_quality(self) -> float:
        """How well users' needs reach the designers: team make-up, leader, silos (001, 002)."""
        team = 1.0 if self.p.cross_functional else 0.6
        return (self.delivery.learning_factor * self.leader.learns_from_users * team
                * (1.0 - 0.6 * self.frictions.feedback))

    def learn_from_users(self, week: int) -> None:
        """Each sprint (or review) moves the fit toward the needs of the segments it hears."""
        if not self.team_active or week % self.delivery.learning_cadence(self.p):
            return
        if self.phase in ("build", "pilot"):
            heard = np.asarray(self.eet.heard)
        else:
            heard = self.model.segment_adoption()
        rate = self.model.params.tool.build_learning * self.feedback_quality()
        self.fit += rate * heard * (FIT_TARGET - self.fit)
        self.complexity += self.model.params.tool.complexity_per_feature * \
            self.eet.feature_appetite * (1.0 - self.leader.simplicity)

    def sustainment_drift(self) -> None:
        """Selling keeps changing: fit decays each week unless a team keeps improving it (001)."""
        drift = self.model.params.tool.drift_weekly
        self.fit *= 1.0 - drift
        if not self.team_active:
            self.rec_quality -= drift * (self.rec_quality - self.model.params.selling.own_conversion)
            self.complexity += self.model.params.tool.tech_drift_weekly * (1.0 - self.complexity)

    def refresh_data_and_recommendations(self) -> None:
        """CRM completeness feeds data quality; data and rated recommendations train the recommender."""
        model, s = self.model, self.model.params.selling
        use = model.mean_adoption()
        shared = 1.0 - 0.5 * self.frictions.data_sharing
        self.data_quality += model.params.tool.data_quality_rate * (use * shared - self.data_quality)
        if self.p.feedback_loop:
            volume = use * (1.5 if self.p.explanations else 1.0)
            reach = 1.0
        else:
            volume, reach = 0.25 * use, 0.3
        target = s.rec_quality_start + (s.rec_quality_ceiling - s.rec_quality_start) * \
            self.data_quality * reach
        if self.team_active or target < self.rec_quality:
            self.rec_quality += s.rec_learning_rate * min(volume, 1.0) * (target - self.rec_quality)

    # ------------------------------------------------------------ weekly: governance review

    def review(self, week: int) -> None:
        """Leaders look at what they can see, adjust confidence, correct course or cancel."""
        if self.phase in ("baseline", "cancelled"):
            return
        cp = self.model.params.confidence
        lagging = self.model.revenue_ratio() - 1.0 + self.model.rng.normal(
            0.0, 0.05 * cp.lagging_noise)
        if self.p.kpis:
            leading = self.leading_indicator(week)
            signal = 0.7 * leading + 0.3 * lagging
            overdue = leading < -0.1
            self.correct_course(week)
        else:
            signal = lagging
            overdue = week - self.launch_week > cp.patience_weeks and \
                lagging < self.model.params.labels.value_margin
        self.shake_confidence(cp.signal_weight * signal - cp.erosion * overdue)
        if self.confidence < cp.cancel_below:
            if self.phase in PRE_OPERATION:
                self.cancel(week)
            else:
                self.team_active = False

    def leading_indicator(self, week: int) -> float:
        """Progress against plan: build progress before release, adoption after (001 action 2)."""
        if self.phase in ("plan", "build"):
            planned = max(week - self.launch_week - self.plan_weeks, 1) / self.build_weeks
            return float(np.clip(self.progress / self.scope - min(planned, 1.0), -1.0, 1.0))
        if self.rollout_week is None:
            return 0.0
        bar = self.model.params.labels.adoption_bar
        planned = bar * min((week - self.rollout_week) / ADOPTION_PLAN_WEEKS, 1.0)
        return float(np.clip(self.model.genuine_share() - planned, -1.0, 1.0)) + 0.05

    def correct_course(self, week: int) -> None:
        """With leading indicators, stalled adoption triggers training and a backlog fix (001)."""
        if self.rollout_week is None or not self.team_active:
            return
        use = self.model.mean_voluntary()
        if use > self.best_adoption + 0.01:
            self.best_adoption, self.last_gain_week = use, week
        elif week - self.last_gain_week >= self.model.params.confidence.stall_weeks:
            self.model.train(self.model.force.access, 0.1)
            weakest = int(np.argmin(self.fit))
            self.fit[weakest] += 0.1 * (FIT_TARGET - self.fit[weakest])
            self.last_gain_week = week

    def shake_confidence(self, change: float) -> None:
        """Move confidence; a strong sponsor absorbs much of the bad news (001 action 1)."""
        if change < 0:
            change *= 1.0 - self.model.params.confidence.sponsor_buffer * self.p.sponsor_strength
        self.confidence = float(np.clip(self.confidence + change, 0.0, 1.0))

    def cancel(self, week: int) -> None:
        """Leaders lose confidence and stop the programme: the tools are withdrawn (001 mode 1)."""
        self.enter("cancelled", week)
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
