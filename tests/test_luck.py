"""Luck versus levers: deviance shares recover a planted truth; terciles count the runs."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.luck import LuckVersusLevers, luck_versus_levers, sentences


def runs_from(success: np.ndarray, point: np.ndarray, **traits: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({"point": point, "success": success,
                          "label": np.where(success, "success", "stalled")})
    for name, values in traits.items():
        frame[f"company.{name}"] = values
    return frame


def test_a_trait_that_decides_success_explains_more_than_levers_that_do_not():
    rng = np.random.default_rng(0)
    n = 400
    culture = np.tile(rng.random(n), 2)  # the same companies at both points (CRN)
    noise = np.tile(rng.random(n), 2)
    luck = np.tile(rng.random(n), 2)
    point = np.repeat(["a", "b"], n)
    success = luck < 1 / (1 + np.exp(-25 * (culture - 0.6)))  # steep, not a wall
    found = luck_versus_levers(runs_from(success, point, culture=culture, noise=noise))
    assert found.reliable and not found.separated
    assert found.explained["levers"] == pytest.approx(0.0, abs=1e-6)
    assert found.explained["traits"] > 0.5 and found.traits_beyond_levers > 0.5
    thirds = found.terciles[(found.terciles["trait"] == "company.culture")
                            & (found.terciles["point"] == "a")]
    assert thirds["tercile"].tolist() == ["lowest third", "middle third", "top third"]
    assert thirds["n"].sum() == n
    assert thirds["rate"].iloc[0] < 0.05 and thirds["rate"].iloc[-1] > 0.9
    words = " ".join(sentences(found, "a"))
    assert re.search(r"company matters more than the levers swept here \(\d+% of the "
                     r"variation against 0%\)", words)
    assert "lowest third of culture" in words


def test_the_verdict_agrees_with_the_shares_it_quotes():
    # the audit's case: levers 20%, traits 49% once read as "about equally"
    found = LuckVersusLevers(["company.culture"], 100.0,
                             {"levers": 0.20, "traits": 0.49, "levers and traits": 0.60},
                             pd.DataFrame(columns=["point", "trait"]), events=200, terms=3)
    first, verdict = sentences(found, "a")[:2]
    assert "levers explain 20%" in first and "(culture) 49%" in first
    assert verdict.startswith("The draw of the company matters more") and "49%" in verdict
    even = LuckVersusLevers(["company.culture"], 100.0,
                            {"levers": 0.30, "traits": 0.36, "levers and traits": 0.6},
                            pd.DataFrame(columns=["point", "trait"]), events=200, terms=3)
    assert "about equally" in sentences(even, "a")[1]


def test_a_trait_that_separates_success_makes_the_shares_upper_limits():
    rng = np.random.default_rng(0)
    culture = np.tile(rng.random(400), 2)
    found = luck_versus_levers(runs_from(culture > 0.6, np.repeat(["a", "b"], 400),
                                         culture=culture))
    assert found.enough_runs and "traits" in found.separated and not found.reliable
    words = sentences(found, "a")
    assert words[1].startswith("Read these shares as upper limits: the model of traits")
    assert not any("matters more" in line or "about equally" in line for line in words)


def test_too_few_runs_give_no_shares_only_the_count():
    rng = np.random.default_rng(3)
    found = luck_versus_levers(runs_from(rng.random(12) < 0.5, np.repeat(["a", "b"], 6),
                                         culture=rng.random(12), fit=rng.random(12)))
    assert not found.enough_runs and not found.reliable
    first = sentences(found, "a")[0]
    assert first.startswith("Too few runs to split success") and "4 model terms" in first
    assert "explain" not in first


def test_levers_that_decide_success_explain_it_and_traits_add_nothing():
    rng = np.random.default_rng(1)
    n = 300
    point = np.repeat(["low", "high"], n)
    success = np.concatenate([rng.random(n) < 0.1, rng.random(n) < 0.8])
    found = luck_versus_levers(runs_from(success, point, culture=rng.random(2 * n)))
    assert found.explained["levers"] > 0.3
    assert found.traits_beyond_levers < 0.02
    assert 0 <= found.explained["traits"] < 0.02
    assert "The levers matter more" in " ".join(sentences(found, "low"))


def test_the_levers_deviance_is_exact_when_a_point_never_succeeds():
    # point "none" all fail: its deviance is 0 under the levers; the rest is a 50/50 point
    success = np.array([False] * 10 + [True, False] * 5)
    point = np.repeat(["none", "half"], 10)
    found = luck_versus_levers(runs_from(success, point, culture=np.linspace(0, 1, 20)))
    p = 5 / 20
    null = -2 * (5 * np.log(p) + 15 * np.log(1 - p))
    levers = -2 * 10 * np.log(0.5)
    assert found.null_deviance == pytest.approx(null)
    assert found.explained["levers"] == pytest.approx(1 - levers / null)


def test_no_traits_or_no_variation_means_no_section():
    assert luck_versus_levers(runs_from(np.array([True, False]), np.array(["a", "a"]))) is None
    constant = runs_from(np.array([False] * 4), np.array(["a", "b"] * 2),
                         culture=np.array([0.1, 0.2, 0.3, 0.4]))
    assert luck_versus_levers(constant) is None
