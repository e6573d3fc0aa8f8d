"""Luck versus levers: deviance shares recover a planted truth; terciles count the runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.luck import luck_versus_levers, sentences


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
    point = np.repeat(["a", "b"], n)
    success = culture > 0.6
    found = luck_versus_levers(runs_from(success, point, culture=culture, noise=noise))
    assert found.explained["levers"] == pytest.approx(0.0, abs=1e-6)
    assert found.explained["traits"] > 0.9 and found.traits_beyond_levers > 0.9
    assert found.unexplained < 0.1
    thirds = found.terciles[(found.terciles["trait"] == "company.culture")
                            & (found.terciles["point"] == "a")]
    assert thirds["tercile"].tolist() == ["lowest third", "middle third", "top third"]
    assert thirds["n"].sum() == n
    assert thirds["rate"].iloc[0] == 0 and thirds["rate"].iloc[-1] == 1
    words = " ".join(sentences(found, "a"))
    assert "matters more than the levers" in words and "lowest third of culture" in words


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
