"""The report's measures speak in the units the model and docs/results.md give them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.measures import (
    ECONOMICS,
    MEASURES,
    Kind,
    kpi_columns,
    measure,
    trait_columns,
    value_measure,
    weekly_unit,
)
from sim.metrics import UNITS

RESULTS_DOC = Path(__file__).resolve().parents[1] / "docs" / "results.md"


def documented_units() -> dict[str, str]:
    """``column → unit`` from every table row of docs/results.md that names a column."""
    rows = re.findall(r"^\| `([\w.]+)` \| ([^|]+) \|", RESULTS_DOC.read_text(), flags=re.M)
    return {column: unit.strip() for column, unit in rows}


@pytest.mark.parametrize("column", [*MEASURES, *ECONOMICS])
def test_every_measure_is_documented_with_the_unit_the_report_prints(column):
    documented = documented_units()
    assert column in documented, f"docs/results.md has no row for {column}"
    unit, kind = documented[column], measure(column).kind
    if kind is Kind.AMOUNT:
        assert unit == measure(column).unit
    elif kind is Kind.SHARE:
        assert unit.startswith(("share", "per year")), unit
    elif kind is Kind.RATIO:
        assert unit.startswith("ratio"), unit
    else:
        assert unit.startswith("week"), unit


def test_units_of_weekly_sources_come_from_the_model():
    assert weekly_unit("recurring_revenue") == "$k per year"
    assert weekly_unit("adoption_mean") == "share"
    assert measure("revenue_final").unit == weekly_unit("recurring_revenue")
    assert all(weekly_unit(metric) is not None for metric in UNITS)


@pytest.mark.parametrize(("column", "value", "low", "high", "text"), [
    ("adoption_final", 0.183, 0.14, 0.22, "18% [14–22]"),
    ("churn_annual", 0.126, 0.118, 0.133, "12.6% [11.8–13.3]"),
    ("value_vs_no_programme", 1.15, 1.1, 1.2, "×1.15 [1.10–1.20]"),
    ("value_vs_no_programme", 1.1, 1.04, 1.17, "×1.10 [1.04–1.17]"),
    ("value_vs_no_programme", 1.1012, 1.098, 1.105, "×1.101 [1.098–1.105]"),
    ("revenue_final", 6110.4, 5930, 6300, "6,110 [5,930–6,300] $k per year"),
    ("roi", 0.42, 0.3, 0.55, "42% [30–55]"),
    ("revenue_final", 6110.4, float("nan"), float("nan"), "6,110 $k per year"),
    ("roi", -0.16, -0.28, -0.05, "-16% [-28 to -5]"),
])
def test_values_print_with_their_unit(column, value, low, high, text):
    assert measure(column).interval(value, low, high) == text


def test_changes_print_in_the_measures_unit():
    assert measure("adoption_final").change_interval(0.14, 0.11, 0.17) == \
        "+14 points [+11 to +17]"
    assert measure("churn_annual").change_interval(-0.004, -0.015, 0.005) == \
        "-0.4 points [-1.5 to +0.5]"
    assert measure("revenue_final").change_interval(217, 24.4, 439) == \
        "+217 [+24 to +439] $k per year"
    assert measure("revenue_final").change_interval(-217, -439, 24.4) == \
        "-217 [-439 to +24] $k per year"


def test_ratio_changes_are_signed_in_one_precision():
    ratio = measure("value_vs_no_programme")
    assert ratio.change_interval(0.0812, 0.0412, 0.121) == "+0.08 [+0.04 to +0.12]"
    assert ratio.change_interval(-0.004, -0.009, 0.001) == "-0.004 [-0.009 to +0.001]"
    assert ratio.change_interval(0.05, float("nan"), float("nan")) == "+0.05"


def test_the_counterfactual_value_supersedes_the_baseline_ratio():
    old = pd.DataFrame({"value_ratio": [1.0, 1.1], "adoption_final": [0.2, 0.3]})
    assert value_measure(old) == "value_ratio"
    assert kpi_columns(old) == ["value_ratio", "adoption_final"]
    new = old.assign(value_vs_no_programme=[1.02, 1.05])
    assert value_measure(new) == "value_vs_no_programme"
    assert kpi_columns(new) == ["value_vs_no_programme", "adoption_final"]
    empty = old.assign(value_vs_no_programme=[None, None])
    assert value_measure(empty) == "value_ratio"


def test_traits_are_numeric_company_columns_that_vary():
    runs = pd.DataFrame({"company.culture": [0.1, 0.9], "company.tool_fit": [0.5, 0.5],
                         "company.kind": ["a", "b"], "company.flag": [True, False],
                         "silo.level": [0.2, 0.8]})
    assert trait_columns(runs) == ["company.culture"]
