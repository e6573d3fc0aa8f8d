"""The statistics against textbook values and closed forms, on hand-built runs tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from analysis.stats import (
    EstimationError,
    average_marginal_effects,
    failure_modes,
    kpi_effects,
    lead_funnel,
    league_table,
    logit_coefficients,
    omnibus_test,
    paired_replications_to_detect,
    pairwise_vs_reference,
    replication_plan,
    replications_for_width,
    replications_to_detect,
    success_rates,
)

Z95 = sps.norm.ppf(0.975)


def runs_with(counts: dict[str, tuple[int, int]], **columns: dict[str, object]) -> pd.DataFrame:
    """A runs table: ``{group: (successes, n)}``; failures are labelled ``stalled``.

    ``columns`` adds one constant column per group: ``silo={"a": 0.2, "b": 0.8}``.
    """
    rows = []
    for group, (successes, n) in counts.items():
        for i in range(n):
            row = {"point": group, "success": i < successes,
                   "label": "success" if i < successes else "stalled"}
            row |= {name: values[group] for name, values in columns.items()}
            rows.append(row)
    return pd.DataFrame(rows)


def factorial_runs(shares: dict[tuple[float, str], tuple[int, int]]) -> pd.DataFrame:
    """Runs of a silo.level × incentives.marketing_pay grid with exact success counts."""
    counts = {f"{silo}|{pay}": c for (silo, pay), c in shares.items()}
    return runs_with(counts, **{
        "silo.level": {f"{s}|{p}": s for s, p in shares},
        "incentives.marketing_pay": {f"{s}|{p}": p for s, p in shares},
    })


def logit(p: float) -> float:
    return math.log(p / (1 - p))


# ----------------------------------------------------------------- success rates


def test_wilson_interval_for_3_of_10_matches_the_textbook():
    # Newcombe (1998), Brown, Cai & DasGupta (2001): Wilson 95% CI for 3/10 is 0.1078-0.6032.
    row = success_rates(runs_with({"a": (3, 10)})).iloc[0]
    assert (row["n"], row["successes"], row["rate"]) == (10, 3, 0.3)
    assert row["ci_low"] == pytest.approx(0.1078, abs=1e-4)
    assert row["ci_high"] == pytest.approx(0.6032, abs=1e-4)


def test_wilson_interval_stays_informative_at_zero_successes():
    # Wilson 95% for 0/10: [0, 0.2775] (the Wald interval would collapse to [0, 0]).
    row = success_rates(runs_with({"a": (0, 10)})).iloc[0]
    assert row["ci_low"] == pytest.approx(0.0, abs=1e-12)
    assert row["ci_high"] == pytest.approx(0.2775, abs=1e-4)


def test_failure_modes_partition_each_groups_runs():
    runs = runs_with({"a": (2, 4), "b": (1, 4)})
    runs.loc[3, "label"] = "low_adoption"
    shares = failure_modes(runs)
    assert list(shares.columns) == ["success", "stalled", "low_adoption", "not_sustained"]
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    assert shares.loc["a"].tolist() == pytest.approx([0.5, 0.25, 0.25, 0.0])


def test_league_table_ranks_by_success_rate_and_carries_the_failure_shares():
    table = league_table(runs_with({"low": (1, 10), "high": (7, 10), "mid": (4, 10)}))
    assert table["point"].tolist() == ["high", "mid", "low"]
    assert table["rank"].tolist() == [1, 2, 3]
    assert table.loc[0, "stalled"] == pytest.approx(0.3)


# ------------------------------------------------------------------------ omnibus


def test_omnibus_chi_square_matches_the_hand_computed_value():
    # [[10, 20], [20, 10]]: every expected count is 15, so χ² = 4·5²/15 = 6.667 on 1 df
    # (no Yates correction), p = 0.00982.
    result = omnibus_test(runs_with({"a": (10, 30), "b": (20, 30)}))
    assert result.statistic == pytest.approx(20 / 3)
    assert result.dof == 1
    assert result.p_value == pytest.approx(0.009823, abs=1e-6)
    assert result.expected_counts_ok


def test_omnibus_agrees_with_scipy_on_a_larger_table_and_flags_small_expected_counts():
    runs = runs_with({"a": (1, 8), "b": (6, 8), "c": (2, 8)})
    table = pd.crosstab(runs["point"], runs["success"]).to_numpy()
    expected = sps.chi2_contingency(table, correction=False)
    result = omnibus_test(runs)
    assert (result.statistic, result.p_value) == pytest.approx((expected.statistic,
                                                                expected.pvalue))
    assert result.dof == 2
    assert result.min_expected == pytest.approx(9 * 8 / 24)
    assert not result.expected_counts_ok


def test_omnibus_without_any_success_is_homogeneous_not_an_error():
    result = omnibus_test(runs_with({"a": (0, 10), "b": (0, 10)}))
    assert (result.statistic, result.p_value) == (0.0, 1.0)


# ---------------------------------------------------------------------- pairwise


def test_fisher_exact_p_matches_the_lady_tasting_tea():
    # Fisher's tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70 = 0.4857.
    row = pairwise_vs_reference(runs_with({"ref": (1, 4), "tea": (3, 4)}), "ref").iloc[0]
    assert row["p_value"] == pytest.approx(34 / 70)


def test_risk_difference_interval_matches_newcombe_1998():
    # Newcombe (1998) example: 56/70 vs 48/80, difference 0.2000, hybrid score 0.0524-0.3339.
    row = pairwise_vs_reference(runs_with({"ref": (48, 80), "new": (56, 70)}), "ref").iloc[0]
    assert row["risk_difference"] == pytest.approx(0.2)
    assert row["rd_low"] == pytest.approx(0.0524, abs=1e-4)
    assert row["rd_high"] == pytest.approx(0.3339, abs=1e-4)


def test_odds_ratio_and_woolf_interval_match_the_formula():
    row = pairwise_vs_reference(runs_with({"ref": (48, 80), "new": (56, 70)}), "ref").iloc[0]
    odds = (56 * 32) / (14 * 48)
    se = math.sqrt(1 / 56 + 1 / 14 + 1 / 48 + 1 / 32)
    assert row["odds_ratio"] == pytest.approx(odds)
    assert row["or_low"] == pytest.approx(odds * math.exp(-Z95 * se))
    assert row["or_high"] == pytest.approx(odds * math.exp(Z95 * se))


def test_empty_cell_odds_ratio_uses_the_haldane_correction_and_stays_finite():
    row = pairwise_vs_reference(runs_with({"ref": (5, 10), "none": (0, 10)}), "ref").iloc[0]
    assert row["odds_ratio"] == pytest.approx((0.5 * 5.5) / (10.5 * 5.5))
    se = math.sqrt(1 / 0.5 + 1 / 10.5 + 1 / 5.5 + 1 / 5.5)
    assert row["or_high"] == pytest.approx(row["odds_ratio"] * math.exp(Z95 * se))
    assert 0 < row["or_low"] < row["odds_ratio"] < row["or_high"] < math.inf


def test_cohens_h_is_the_arcsine_difference():
    row = pairwise_vs_reference(runs_with({"ref": (2, 10), "b": (5, 10)}), "ref").iloc[0]
    assert row["cohen_h"] == pytest.approx(2 * math.asin(math.sqrt(0.5))
                                           - 2 * math.asin(math.sqrt(0.2)))
    assert row["cohen_h"] == pytest.approx(0.6435, abs=1e-4)


def test_holm_adjustment_is_the_step_down_procedure():
    runs = runs_with({"ref": (10, 40), "b": (18, 40), "c": (22, 40), "d": (12, 40)})
    table = pairwise_vs_reference(runs, "ref")
    p = table["p_value"].to_numpy()
    order = np.argsort(p)
    m = len(p)
    stepped = np.maximum.accumulate([(m - i) * p[k] for i, k in enumerate(order)])
    expected = np.empty(m)
    expected[order] = np.minimum(stepped, 1.0)
    assert table["p_holm"].to_numpy() == pytest.approx(expected)
    assert (table["p_holm"] >= table["p_value"]).all()
    assert set(table["point"]) == {"b", "c", "d"}


def test_pairwise_refuses_an_unknown_reference():
    with pytest.raises(KeyError, match="nope"):
        pairwise_vs_reference(runs_with({"a": (1, 2)}), "nope")


# ------------------------------------------------------------------ factorial


SATURATED = {(0.2, "lead_volume"): (12, 40), (0.2, "closed_revenue"): (24, 40),
             (0.8, "lead_volume"): (6, 40), (0.8, "closed_revenue"): (10, 40)}


def test_saturated_logit_reproduces_the_cell_log_odds():
    # With both factors and their interaction the model is saturated: the intercept is the
    # reference cell's log-odds, main effects are log odds ratios, the interaction the
    # ratio of odds ratios.
    table = logit_coefficients(factorial_runs(SATURATED), ["silo.level",
                                                           "incentives.marketing_pay"],
                               {"silo.level": 0.2, "incentives.marketing_pay": "lead_volume"})
    coef = table.set_index("term")["coef"]
    p00, p01, p10, p11 = 0.3, 0.6, 0.15, 0.25
    assert coef["Intercept"] == pytest.approx(logit(p00), abs=1e-6)
    assert coef["silo.level=0.8"] == pytest.approx(logit(p10) - logit(p00), abs=1e-6)
    assert coef["incentives.marketing_pay=closed_revenue"] == pytest.approx(
        logit(p01) - logit(p00), abs=1e-6)
    interaction = "silo.level=0.8 × incentives.marketing_pay=closed_revenue"
    assert coef[interaction] == pytest.approx(
        logit(p11) - logit(p10) - logit(p01) + logit(p00), abs=1e-6)
    row = table.set_index("term").loc[interaction]
    assert row["or_low"] < row["odds_ratio"] < row["or_high"]


def test_reference_levels_choose_the_baseline_of_each_factor():
    table = logit_coefficients(factorial_runs(SATURATED), ["incentives.marketing_pay"],
                               {"incentives.marketing_pay": "closed_revenue"})
    assert "incentives.marketing_pay=lead_volume" in set(table["term"])


def test_marginal_effect_of_a_single_factor_is_the_difference_in_rates():
    # One binary factor: the logit is saturated, predictions are the observed rates and the
    # average marginal effect is exactly the risk difference.
    runs = factorial_runs(SATURATED)
    effects = average_marginal_effects(runs, ["incentives.marketing_pay"],
                                       {"incentives.marketing_pay": "lead_volume"})
    assert effects.loc[0, "term"] == "incentives.marketing_pay=closed_revenue"
    assert effects.loc[0, "ame_pp"] == pytest.approx(100 * (34 / 80 - 18 / 80), abs=1e-6)
    assert effects.loc[0, "ci_low_pp"] < effects.loc[0, "ame_pp"] < effects.loc[0, "ci_high_pp"]


def test_marginal_effects_in_a_balanced_factorial_are_close_to_the_marginal_differences():
    effects = average_marginal_effects(factorial_runs(SATURATED),
                                       ["silo.level", "incentives.marketing_pay"]).set_index("term")
    assert effects.loc["silo.level=0.8", "ame_pp"] == pytest.approx(100 * (16 - 36) / 80, abs=2)
    assert effects.loc["incentives.marketing_pay=lead_volume", "ame_pp"] == pytest.approx(
        100 * (18 - 34) / 80, abs=2)


def test_a_cell_without_successes_is_reported_as_separation():
    shares = {**SATURATED, (0.8, "lead_volume"): (0, 40)}
    with pytest.raises(EstimationError, match=r"silo\.level=0\.8.*lead_volume.*all fail"):
        logit_coefficients(factorial_runs(shares), ["silo.level", "incentives.marketing_pay"])


# ------------------------------------------------------------------------- KPIs


def test_kpi_bootstrap_interval_covers_the_mean_and_hedges_g_matches_the_formula():
    runs = runs_with({"ref": (0, 4), "b": (0, 4)})
    runs["value_ratio"] = [1.0, 3.0, 5.0, 7.0, 2.0, 4.0, 6.0, 8.0]
    table = kpi_effects(runs, "ref", kpis=["value_ratio"], n_resamples=500).set_index("point")
    # Hedges' g: d = (5 - 4) / pooled SD (2.582) = 0.387, times J = 1 - 3/(4·8 - 9) = 0.870.
    d = 1 / np.std([1, 3, 5, 7], ddof=1)
    assert table.loc["b", "hedges_g"] == pytest.approx(d * (1 - 3 / 23), rel=0.01)
    assert table.loc["b", "g_low"] < table.loc["b", "hedges_g"] < table.loc["b", "g_high"]
    assert math.isnan(table.loc["ref", "hedges_g"])
    assert table.loc["b", "ci_low"] <= 5.0 <= table.loc["b", "ci_high"]


def test_kpi_bootstrap_recovers_a_known_mean():
    rng = np.random.default_rng(4)
    runs = runs_with({"ref": (0, 200), "b": (0, 200)})
    runs["churn_annual"] = rng.normal(0.12, 0.02, 400)
    runs.loc[runs["point"] == "b", "churn_annual"] += 0.02  # one SD: a large effect
    table = kpi_effects(runs, "ref", kpis=["churn_annual"], n_resamples=1000).set_index("point")
    assert table.loc["ref", "ci_low"] < 0.12 < table.loc["ref", "ci_high"]
    assert table.loc["b", "ci_high"] - table.loc["b", "ci_low"] < 0.01
    assert table.loc["b", "g_low"] > 0.5


def test_constant_kpis_get_a_zero_width_interval_and_no_effect_size():
    runs = runs_with({"ref": (0, 5), "b": (0, 5)})
    runs["adoption_final"] = 0.5
    table = kpi_effects(runs, "ref", kpis=["adoption_final"]).set_index("point")
    assert (table.loc["b", "ci_low"], table.loc["b", "ci_high"]) == (0.5, 0.5)
    assert math.isnan(table.loc["b", "hedges_g"])


def test_lead_funnel_gives_shares_of_created_leads_and_of_the_stage_before():
    runs = runs_with({"a": (0, 2)})
    runs[["leads_created", "leads_followed_up", "leads_qualified", "leads_won"]] = [
        [100, 50, 20, 5], [300, 150, 40, 15]]
    funnel = lead_funnel(runs).set_index("stage")
    assert funnel.index.tolist() == ["created", "followed up", "qualified", "won"]
    assert funnel["mean"].tolist() == [200, 100, 30, 10]
    assert funnel["share"].tolist() == pytest.approx([1.0, 0.5, 0.15, 0.05])
    assert funnel["conversion"].tolist()[1:] == pytest.approx([0.5, 0.3, 1 / 3])


# ----------------------------------------------------------- replication planning


def test_replications_to_detect_match_cohens_power_tables():
    # Cohen (1988) Table 6.4.1: h = 0.20, α = 0.05 two-sided, power 0.80 needs n = 392
    # per group; 0.5 vs 0.6 has h = 0.2014, so n = 2·((z.975 + z.80) / h)² = 387.
    h = 2 * math.asin(math.sqrt(0.6)) - 2 * math.asin(math.sqrt(0.5))
    expected = math.ceil(2 * ((Z95 + sps.norm.ppf(0.8)) / h) ** 2)
    assert replications_to_detect(0.5, 0.1) == expected == 388


def test_replications_to_detect_take_the_harder_direction():
    # From 20%, a rise to 30% is a smaller h (0.221) than a fall to 10% (0.284), so it
    # decides the requirement.
    def formula(p1: float, p2: float) -> int:
        h = abs(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2)))
        return math.ceil(2 * ((Z95 + sps.norm.ppf(0.8)) / h) ** 2)

    assert replications_to_detect(0.2, 0.1) == formula(0.3, 0.2) > formula(0.1, 0.2)
    assert replications_to_detect(0.0, 0.1) == formula(0.1, 0.0)  # only one direction exists


def test_replications_for_width_is_the_first_n_meeting_the_target():
    from statsmodels.stats.proportion import proportion_confint

    n = replications_for_width(0.5, 0.2)
    low, high = proportion_confint(0.5 * n, n, method="wilson")
    before_low, before_high = proportion_confint(0.5 * (n - 1), n - 1, method="wilson")
    assert high - low <= 0.2 < before_high - before_low
    assert 90 <= n <= 97  # normal approximation: (2 · 1.96 · 0.5 / 0.2)² ≈ 96


def test_replication_plan_reports_achieved_width_and_needs():
    plan = replication_plan(runs_with({"a": (10, 40), "b": (20, 40)})).set_index("point")
    rates = success_rates(runs_with({"a": (10, 40), "b": (20, 40)})).set_index("point")
    assert plan.loc["a", "ci_width"] == pytest.approx(rates.loc["a", "ci_high"]
                                                      - rates.loc["a", "ci_low"])
    assert plan.loc["b", "n_to_detect"] == replications_to_detect(0.5, 0.1)
    assert plan.loc["b", "n_for_width"] > plan.loc["a", "n_for_width"] > 40


# ------------------------------------------------------ paired (common random numbers)


def paired_runs(outcomes: dict[str, list[bool]], **columns: dict[str, object]) -> pd.DataFrame:
    """Runs of several groups over the same replicates: ``{group: [success per replicate]}``."""
    rows = []
    for group, results in outcomes.items():
        for replicate, won in enumerate(results):
            rows.append({"point": group, "replicate": replicate, "seed": 1000 + replicate,
                         "success": won, "label": "success" if won else "stalled",
                         **{name: values[group] for name, values in columns.items()}})
    return pd.DataFrame(rows)


def discordant(both: int, only_a: int, only_ref: int, neither: int) -> dict[str, list[bool]]:
    """Two groups' outcomes with the given paired table (a vs ref)."""
    a = [True] * both + [True] * only_a + [False] * only_ref + [False] * neither
    ref = [True] * both + [False] * only_a + [True] * only_ref + [False] * neither
    return {"ref": ref, "a": a}


@pytest.mark.parametrize("rate", [0.0, 1.0])
@pytest.mark.parametrize("n", [1, 2, 7, 10, 33, 100])
def test_wilson_bounds_at_zero_and_all_successes_end_exactly_at_the_rate(rate, n):
    row = success_rates(runs_with({"a": (round(rate * n), n)})).iloc[0]
    assert 0.0 <= row["ci_low"] <= row["rate"] <= row["ci_high"] <= 1.0
    assert (row["ci_low"] if rate == 0 else row["ci_high"]) == rate


def test_mcnemar_exact_p_is_the_binomial_test_of_the_discordant_pairs():
    runs = paired_runs(discordant(both=20, only_a=9, only_ref=2, neither=19))
    row = pairwise_vs_reference(runs, "ref", paired=True).iloc[0]
    assert row["n"] == 50
    assert row["p_value"] == pytest.approx(sps.binomtest(2, 11, 0.5).pvalue)
    assert row["risk_difference"] == pytest.approx(7 / 50)
    assert row["odds_ratio"] == pytest.approx(9 / 2)  # matched pairs: b / c
    beta = sps.beta
    low, high = beta.ppf(0.025, 9, 3), beta.ppf(0.975, 10, 2)  # Clopper–Pearson of 9/11
    assert row["or_low"] == pytest.approx(low / (1 - low))
    assert row["or_high"] == pytest.approx(high / (1 - high))


def test_pairing_finds_a_difference_the_independent_test_cannot_see():
    # 30 of 100 pairs: both succeed; 10 only with the new option, 0 only with the reference.
    runs = paired_runs(discordant(both=30, only_a=10, only_ref=0, neither=60))
    paired = pairwise_vs_reference(runs, "ref", paired=True).iloc[0]
    independent = pairwise_vs_reference(runs, "ref").iloc[0]
    assert paired["p_value"] == pytest.approx(2 * 0.5**10)
    assert independent["p_value"] > 0.1 > 0.01 > paired["p_value"]
    assert paired["rd_low"] > 0 > independent["rd_low"]


def newcombe_paired_reference(cells) -> tuple[float, float]:
    """Newcombe (1998) method 10, written out independently from the paper's formulas."""
    (a, b), (c, d) = cells
    n = a + b + c + d
    z = sps.norm.ppf(0.975)

    def wilson(k: int) -> tuple[float, float]:
        p = k / n
        centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)

    (l1, u1), (l2, u2) = wilson(a + b), wilson(a + c)
    p1, p2 = (a + b) / n, (a + c) / n
    product = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    phi = 0.0 if product == 0 else (cross - n / 2 if cross > n / 2 else min(cross, 0)) / \
        math.sqrt(product)
    delta = math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    epsilon = math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    return p1 - p2 - delta, p1 - p2 + epsilon


@pytest.mark.parametrize("cells", [[[36, 12], [2, 0]], [[20, 9], [2, 19]], [[0, 0], [0, 15]],
                                   [[15, 0], [0, 0]], [[5, 5], [5, 5]], [[1, 1], [7, 12]]])
def test_paired_difference_interval_is_newcombes_method_10(cells):
    from analysis.stats import paired_difference_interval

    low, high = paired_difference_interval(np.array(cells))
    expected = newcombe_paired_reference(cells)
    assert (low, high) == pytest.approx(expected, abs=1e-9)
    (_, b), (c, _) = cells
    n = np.sum(cells)
    assert -1 <= low <= (b - c) / n <= high <= 1


def test_paired_difference_interval_covers_the_truth_about_95_percent_of_the_time():
    from analysis.stats import paired_difference_interval

    rng = np.random.default_rng(3)
    probabilities = [0.25, 0.10, 0.05, 0.60]  # both, first only, second only, neither
    truth = probabilities[1] - probabilities[2]
    covered = 0
    trials = 2000
    for _ in range(trials):
        cells = rng.multinomial(60, probabilities).reshape(2, 2)
        low, high = paired_difference_interval(cells)
        covered += low <= truth <= high
    assert 0.93 <= covered / trials <= 0.98


def test_cochrans_q_for_two_groups_is_the_uncorrected_mcnemar_statistic():
    runs = paired_runs(discordant(both=20, only_a=9, only_ref=2, neither=19))
    result = omnibus_test(runs, paired=True)
    assert result.statistic == pytest.approx((9 - 2) ** 2 / (9 + 2))
    assert result.dof == 1 and result.blocks == 50
    assert "Cochran" in result.method


def test_paired_label_mix_test_separates_equal_from_different_mixes():
    labels = np.array(["success", "stalled", "low_adoption", "not_sustained"] * 15)
    same = pd.DataFrame([{"point": g, "replicate": r, "seed": r, "label": lab,
                          "success": lab == "success"}
                         for g in ("ref", "a") for r, lab in enumerate(labels)])
    assert omnibus_test(same, outcome="label", paired=True).p_value > 0.5
    shifted = same.copy()
    shifted.loc[shifted["point"] == "a", "label"] = "stalled"
    shifted["success"] = shifted["label"] == "success"
    result = omnibus_test(shifted, outcome="label", paired=True)
    assert result.p_value < 0.01 and "permutation" in result.method


def test_paired_tests_use_only_replicates_every_group_ran_with_one_seed():
    runs = paired_runs(discordant(both=10, only_a=5, only_ref=1, neither=4))
    runs.loc[(runs["point"] == "a") & (runs["replicate"] == 0), "seed"] = 1  # not the same run
    runs = runs[~((runs["point"] == "ref") & (runs["replicate"] == 19))]   # missing at ref
    row = pairwise_vs_reference(runs, "ref", paired=True).iloc[0]
    assert row["n"] == 18


def test_gee_on_a_saturated_factorial_reproduces_the_cell_log_odds():
    rng = np.random.default_rng(0)
    replicates = 60
    luck = rng.random(replicates)
    cells = {(0.2, "lead_volume"): 0.3, (0.2, "closed_revenue"): 0.6,
             (0.8, "lead_volume"): 0.15, (0.8, "closed_revenue"): 0.25}
    outcomes = {f"{s}|{p}": list(luck > 1 - share) for (s, p), share in cells.items()}
    runs = paired_runs(outcomes, **{"silo.level": {f"{s}|{p}": s for s, p in cells},
                                    "incentives.marketing_pay": {f"{s}|{p}": p for s, p in cells}})
    factors = ["silo.level", "incentives.marketing_pay"]
    levels = {"silo.level": 0.2, "incentives.marketing_pay": "lead_volume"}
    gee = logit_coefficients(runs, factors, levels, paired=True).set_index("term")
    rates = runs.groupby(factors)["success"].mean()
    assert gee.loc["Intercept", "coef"] == pytest.approx(logit(rates[(0.2, "lead_volume")]),
                                                         abs=1e-4)
    assert gee.loc["silo.level=0.8", "coef"] == pytest.approx(
        logit(rates[(0.8, "lead_volume")]) - logit(rates[(0.2, "lead_volume")]), abs=1e-4)
    # the same companies met under every option: the clustered effects are tighter
    independent = average_marginal_effects(runs, factors, levels).set_index("term")
    paired = average_marginal_effects(runs, factors, levels, paired=True).set_index("term")
    assert (paired["se_pp"] < independent["se_pp"]).all()
    assert (paired["p_holm"] >= paired["p_value"]).all()


def test_paired_kpi_difference_is_the_mean_of_replicate_differences():
    rng = np.random.default_rng(2)
    company = rng.normal(100, 20, 40)  # large company-to-company spread, shared
    runs = pd.concat([
        pd.DataFrame({"point": "ref", "replicate": range(40), "seed": range(40),
                      "revenue_final": company + rng.normal(0, 1, 40)}),
        pd.DataFrame({"point": "a", "replicate": range(40), "seed": range(40),
                      "revenue_final": company + 3 + rng.normal(0, 1, 40)}),
    ]).assign(success=False, label="stalled")
    paired = kpi_effects(runs, "ref", kpis=["revenue_final"], paired=True).set_index("point")
    independent = kpi_effects(runs, "ref", kpis=["revenue_final"]).set_index("point")
    wide = runs.pivot(index="replicate", columns="point", values="revenue_final")
    assert paired.loc["a", "difference"] == pytest.approx((wide["a"] - wide["ref"]).mean())
    assert paired.loc["a", "diff_low"] > 0 > independent.loc["a", "diff_low"]
    assert paired.loc["a", "p_value"] == pytest.approx(sps.ttest_rel(wide["a"],
                                                                     wide["ref"]).pvalue)


def test_a_nearly_constant_kpi_gets_no_standardised_effect():
    # SD 0.0001 around 0.150 vs 0.158: a real difference, but g would be about -80
    rng = np.random.default_rng(1)
    runs = runs_with({"ref": (0, 30), "b": (0, 30)})
    runs["rep_attrition_annual"] = np.where(runs["point"] == "ref", 0.150, 0.158) + \
        rng.normal(0, 0.0001, 60)
    table = kpi_effects(runs, "ref", kpis=["rep_attrition_annual"]).set_index("point")
    assert table.loc["b", "near_constant"] and math.isnan(table.loc["b", "hedges_g"])
    assert table.loc["b", "difference"] == pytest.approx(0.008, abs=1e-4)
    assert table.loc["b", "p_holm"] < 0.001


def test_cochrans_q_without_any_discordant_replicate_finds_no_difference():
    runs = paired_runs({"ref": [True, False, True, False], "a": [True, False, True, False]})
    result = omnibus_test(runs, paired=True)
    assert (result.statistic, result.p_value) == (0.0, 1.0)


def test_a_huge_effect_needs_a_few_runs_not_an_error():
    # 0% against 100%: the power solver finds no root; the closed form needs under 2 runs
    assert replications_to_detect(0.0, 1.0) == 2


def test_paired_replications_follow_connors_formula_and_deliver_the_power():
    # Connor (1987): psi = 0.2 discordant, delta = 0.1: (1.96·√0.2 + 0.84·√0.19)² / 0.01
    expected = math.ceil((Z95 * math.sqrt(0.2) + sps.norm.ppf(0.8) * math.sqrt(0.19)) ** 2
                         / 0.01)
    assert paired_replications_to_detect(0.2, 0.1) == expected == 155
    assert paired_replications_to_detect(0.2, -0.1) == 155
    assert paired_replications_to_detect(0.05, 0.1) == paired_replications_to_detect(0.1, 0.1)
    with pytest.raises(ValueError):
        paired_replications_to_detect(0.2, 0.0)
    # simulated McNemar (exact) at that many pairs: about 80% power (the exact test is a
    # little conservative, so a little under)
    rng = np.random.default_rng(3)
    n, trials = 155, 2000
    cells = rng.multinomial(n, [0.15, 0.05, 0.8], size=trials)   # only b, only c, concordant
    p = [sps.binomtest(int(b), int(b + c)).pvalue for b, c, _ in cells]
    assert 0.72 < np.mean(np.array(p) < 0.05) < 0.86


def test_paired_pairwise_reports_the_share_of_discordant_pairs():
    runs = pd.concat([
        pd.DataFrame({"point": "ref", "replicate": range(10), "seed": range(10),
                      "success": [True] * 3 + [False] * 7}),
        pd.DataFrame({"point": "a", "replicate": range(10), "seed": range(10),
                      "success": [True] * 6 + [False] * 4}),
    ]).assign(label=lambda r: np.where(r["success"], "success", "stalled"))
    row = pairwise_vs_reference(runs, "ref", paired=True).iloc[0]
    assert row["discordant"] == pytest.approx(0.3)
    assert math.isnan(pairwise_vs_reference(runs, "ref").iloc[0]["discordant"])


@pytest.mark.parametrize("paired", [True, False])
def test_kpi_difference_intervals_are_the_tests_own_so_they_agree_with_p(paired):
    rng = np.random.default_rng(6)
    company = rng.normal(100, 10, 25)
    runs = pd.concat([
        pd.DataFrame({"point": "ref", "replicate": range(25), "seed": range(25),
                      "revenue_final": company + rng.normal(0, 2, 25)}),
        pd.DataFrame({"point": "a", "replicate": range(25), "seed": range(25),
                      "revenue_final": company + 1.0 + rng.normal(0, 2, 25)}),
    ]).assign(success=False, label="stalled")
    row = kpi_effects(runs, "ref", kpis=["revenue_final"], paired=paired).set_index(
        "point").loc["a"]
    wide = runs.pivot(index="replicate", columns="point", values="revenue_final")
    test = (sps.ttest_rel(wide["a"], wide["ref"]) if paired
            else sps.ttest_ind(wide["a"], wide["ref"], equal_var=False))
    interval = test.confidence_interval()
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((interval.low, interval.high))
    assert row["p_value"] == pytest.approx(test.pvalue)
    assert (row["diff_low"] > 0 or row["diff_high"] < 0) == (row["p_value"] < 0.05)


def test_a_difference_without_variance_is_not_tested_nor_in_the_holm_family():
    runs = runs_with({"ref": (0, 6), "b": (0, 6), "c": (0, 6)})
    runs["replicate"] = list(range(6)) * 3
    runs["seed"] = runs["replicate"]
    base = np.arange(6, dtype=float)
    runs["revenue_final"] = np.concatenate([base, base, base + np.array([0, 1, 3, 2, 5, 4])])
    table = kpi_effects(runs, "ref", kpis=["revenue_final"], paired=True).set_index("point")
    assert table.loc["b", "difference"] == 0 and math.isnan(table.loc["b", "p_value"])
    assert math.isnan(table.loc["b", "p_holm"]) and math.isnan(table.loc["b", "diff_low"])
    assert table.loc["c", "p_holm"] == pytest.approx(table.loc["c", "p_value"])  # a family of 1
