"""What the report says about each run-level measure: its words, its unit, how to print it.

One home for the analysis side's vocabulary of ``runs.parquet`` measures (KPIs, the
programme's value against its counterfactual, economics, company traits). Units are not
restated here where the model has them: a measure that summarises a weekly metric takes
the unit of that metric from ``sim.metrics.UNITS`` (the model's one list of units;
docs/results.md prints the same), so "recurring revenue at the end" is in whatever unit
``recurring_revenue`` is in. Measures without a weekly source (ratios, shares, the
economics columns) carry their kind of unit. ``tests/test_measures.py`` checks every unit
against docs/results.md.

The headline value measure is ``value_vs_no_programme`` (the programme's value against
its own counterfactual: final-year revenue with the programme / without, 1.0 = no effect)
when the results have it, else the older ``value_ratio`` (against the baseline quarter).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from sim.metrics import UNITS


class Kind(StrEnum):
    """How a measure's values read: the unit family that decides the number format."""

    SHARE = "share"        # a share in [0, 1], printed as a percentage
    RATIO = "ratio"        # a ratio, 1.0 = the comparison's level, printed as ×1.15 (or ×1.152)
    AMOUNT = "amount"      # a quantity in the unit of its weekly source ($k per year, hours)
    COUNT = "count"        # a count over the run
    WEEK = "week"          # a week index


@dataclass(frozen=True)
class Measure:
    """A runs column as the report names it: label, kind, and the weekly metric it summarises."""

    column: str
    label: str
    kind: Kind
    source: str | None = None   # the weekly metric (``sim.metrics.UNITS``) whose unit it has
    unit_text: str | None = None  # the unit in words where there is no weekly source

    @property
    def unit(self) -> str:
        """The unit in words: ``$k per year``, ``share of reps``, ``ratio, 1.0 = no effect``."""
        if self.source is not None:
            return weekly_unit(self.source)
        if self.unit_text is not None:
            return self.unit_text
        return {Kind.SHARE: "share", Kind.RATIO: "ratio", Kind.COUNT: "count",
                Kind.WEEK: "week", Kind.AMOUNT: ""}[self.kind]

    @property
    def heading(self) -> str:
        """Label with unit, for a table column or an axis: ``Recurring revenue ($k per year)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def value(self, value: float) -> str:
        """One value in this measure's unit: ``18%``, ``×1.15``, ``6,110 $k per year``."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
            return "–"
        match self.kind:
            case Kind.SHARE:
                return f"{100 * value:.0f}%"
            case Kind.RATIO:
                return f"×{value:.{RATIO_DECIMALS}f}"
            case Kind.WEEK:
                return f"week {value:.0f}"
            case _:
                text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
                return f"{text} {self.unit}".strip() if self.kind is Kind.AMOUNT else text

    def bare(self, value: float, decimals: int = 0, scale: float | None = None) -> str:
        """A value without its unit, for inside an interval: ``18``, ``1.15``, ``6,110``;
        shares in percent with ``decimals``, amounts to the precision of ``scale`` (the
        largest number they are shown with, so an interval reads in one precision)."""
        if pd.isna(value):
            return "–"
        if self.kind is Kind.SHARE:
            return f"{100 * value:.{decimals}f}"
        if self.kind is Kind.RATIO:
            return f"{value:.{decimals or RATIO_DECIMALS}f}"
        return _amount(value, abs(value) if scale is None else scale)

    def interval(self, value: float, low: float, high: float) -> str:
        """``18% [14–22]``, ``×1.15 [1.10–1.20]``, ``6,110 [5,930–6,300] $k per year``.

        A value and its bounds share one precision. A share whose interval is narrower than
        two points gets one decimal, so its bounds stay apart (``17.2% [16.8–17.6]``, not
        ``17% [17–17]``); a ratio has two decimals, three when its interval is narrower than
        0.02. Without bounds (a single run) the value stands alone.
        """
        if pd.isna(low) or pd.isna(high):
            return self.value(value)
        dash = " to " if low < 0 else "–"   # "[-28 to -5]", not "[-28–-5]"
        if self.kind is Kind.SHARE:
            decimals = _share_decimals(high - low)
            return (f"{self.bare(value, decimals)}% "
                    f"[{self.bare(low, decimals)}{dash}{self.bare(high, decimals)}]")
        if self.kind is Kind.RATIO:
            decimals = _ratio_decimals(high - low)
            return (f"×{self.bare(value, decimals)} "
                    f"[{self.bare(low, decimals)}{dash}{self.bare(high, decimals)}]")
        scale = _scale(value, low, high)
        bounds = f"[{self.bare(low, scale=scale)}{dash}{self.bare(high, scale=scale)}]"
        if self.kind is Kind.AMOUNT and self.unit:
            return f"{self.bare(value, scale=scale)} {bounds} {self.unit}"
        return f"{self.value(value)} {bounds}"

    def change(self, difference: float) -> str:
        """A difference in this measure's unit: ``+4 points``, ``+0.12``, ``+310 $k per year``;
        a share's change below five points with one decimal (``-1.3 points``)."""
        if pd.isna(difference):
            return "–"
        if self.kind is Kind.SHARE:
            return f"{100 * difference:+.{_share_decimals(abs(2.5 * difference))}f} points"
        if self.kind is Kind.RATIO:
            return f"{difference:+.{RATIO_DECIMALS}f}"
        text = f"{difference:+,.0f}" if abs(difference) >= 100 else f"{difference:+.3g}"
        return f"{text} {self.unit}".strip() if self.kind is Kind.AMOUNT else text

    def change_interval(self, difference: float, low: float, high: float) -> str:
        """A difference with its interval, every number signed and in one precision:
        ``+14 points [+11 to +17]``, ``-1.3 points [-1.6 to -1.0]``, ``+0.08 [+0.04 to
        +0.12]`` (a ratio), ``+287 [+219 to +357] $k per year``; without bounds, alone."""
        if pd.isna(difference):
            return "–"
        if pd.isna(low) or pd.isna(high):
            return self.change(difference)
        if self.kind is Kind.SHARE:
            decimals = max(_share_decimals(high - low), _share_decimals(2.5 * difference))
            return (f"{100 * difference:+.{decimals}f} points "
                    f"[{100 * low:+.{decimals}f} to {100 * high:+.{decimals}f}]")
        if self.kind is Kind.RATIO:
            decimals = _ratio_decimals(high - low)
            return f"{difference:+.{decimals}f} [{low:+.{decimals}f} to {high:+.{decimals}f}]"
        scale = _scale(difference, low, high)
        text = _signed(self.bare(difference, scale=scale), difference)
        bounds = f"[{_signed(self.bare(low, scale=scale), low)} to " \
                 f"{_signed(self.bare(high, scale=scale), high)}]"
        return f"{text} {bounds} {self.unit}" if self.kind is Kind.AMOUNT and self.unit else \
            f"{text} {bounds}"


def _signed(text: str, value: float) -> str:
    """A printed number with its sign: ``+24``, ``-5``, ``0``."""
    return f"+{text}" if value > 0 else text


def _ratio_decimals(span: float) -> int:
    """Decimals of a ratio whose interval spans ``span``: 3 below 0.02, else 2."""
    return 3 if pd.notna(span) and abs(span) < 0.02 else RATIO_DECIMALS


def _scale(*values: float) -> float:
    return max((abs(v) for v in values if pd.notna(v)), default=0.0)


def _amount(value: float, scale: float) -> str:
    """A number to the precision its scale calls for: ``6,110``, ``24.4``, ``0.0368``."""
    if scale >= 100:
        return f"{value:,.0f}"
    if scale >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _share_decimals(span: float) -> int:
    """Decimals of a percentage whose interval (or scale) spans ``span``: 1 below 2 points."""
    return 1 if pd.notna(span) and abs(span) < 0.02 else 0


RATIO_DECIMALS = 2
_PARENTHESISED = re.compile(r"\(([^()]*)\)\s*$")


def weekly_unit(metric: str) -> str:
    """The unit of a weekly metric as ``sim.metrics.UNITS`` gives it: ``$k per year``."""
    text = UNITS[metric]
    if text.endswith("[0-1]"):
        return "share"
    match = _PARENTHESISED.search(text)
    return match.group(1) if match else ""


def _share(column: str, label: str, unit: str = "share") -> Measure:
    return Measure(column, label, Kind.SHARE, unit_text=unit)


def _ratio(column: str, label: str, unit: str) -> Measure:
    return Measure(column, label, Kind.RATIO, unit_text=unit)


WITHOUT = "ratio, 1.0 = no effect"
#: every run-level measure the report may show, in the order it shows them
MEASURES: dict[str, Measure] = {m.column: m for m in (
    _ratio("value_vs_no_programme", "Final-year revenue with the programme vs without", WITHOUT),
    _ratio("bookings_vs_no_programme", "Bookings with the programme vs without", WITHOUT),
    _ratio("customer_hours_vs_no_programme", "Customer-facing time with the programme vs without",
           WITHOUT),
    _ratio("value_ratio", "Revenue at the end vs the baseline quarter",
           "ratio, 1.0 = the baseline quarter"),
    Measure("revenue_final", "Recurring revenue at the end", Kind.AMOUNT, "recurring_revenue"),
    Measure("recurring_revenue_final_without", "Recurring revenue at the end without the programme",
            Kind.AMOUNT, "recurring_revenue"),
    _share("adoption_final", "Adoption at the end", "share of work in the tools"),
    _share("genuine_share_final", "Reps genuinely using the tools at the end", "share of reps"),
    _share("rep_attrition_annual", "Rep attrition", "share of reps per year"),
    _share("churn_annual", "Customer churn", "share of subscribers per year"),
    _share("followed_up_share", "Leads followed up", "share of leads"),
    Measure("customer_hours_final", "Customer-facing time at the end", Kind.AMOUNT,
            unit_text="hours per rep per week"),
    Measure("speed_to_lead_days", "Speed to lead", Kind.AMOUNT, unit_text="days"),
    _share("quota_attained_share_baseline", "Reps at or above quota in the baseline quarter",
           "share of reps"),
    _share("quota_attained_share_final", "Reps at or above quota in the final quarter",
           "share of reps"),
)}
#: the economics a run may carry (issue #23); shown in their own section when present
ECONOMICS: dict[str, Measure] = {m.column: m for m in (
    Measure("programme_cost", "Programme cost", Kind.AMOUNT, unit_text="$k"),
    Measure("value_added", "Gross-margin value added vs no programme", Kind.AMOUNT,
            unit_text="$k"),
    Measure("net_value", "Net value (value added less programme cost)", Kind.AMOUNT,
            unit_text="$k"),
    _share("roi", "Return on the programme's cost", "share of the cost, 0% = break-even"),
    Measure("payback_week", "Payback", Kind.WEEK),
    Measure("value_added_26", "Value added 26 weeks after launch", Kind.AMOUNT, unit_text="$k"),
    Measure("value_added_52", "Value added 52 weeks after launch", Kind.AMOUNT, unit_text="$k"),
    Measure("value_added_104", "Value added 104 weeks after launch", Kind.AMOUNT,
            unit_text="$k"),
    Measure("cancellation_cost", "Spent by the cancellation", Kind.AMOUNT, unit_text="$k"),
    Measure("contribution", "Gross margin less operating and programme cost", Kind.AMOUNT,
            unit_text="$k"),
    Measure("turnover_cost", "Recruiting cost of turnover", Kind.AMOUNT, unit_text="$k"),
)}
#: the economics the report's main money table shows, and those it compares in money
MONEY_TABLE = ("programme_cost", "value_added", "net_value", "roi", "cancellation_cost")
TIME_TO_VALUE = ("value_added_26", "value_added_52", "value_added_104")
MONEY_COMPARED = ("net_value", "contribution", "turnover_cost")
HEADLINE_VALUE = ("value_vs_no_programme", "value_ratio")
TRAIT_PREFIX = "company."


def measure(column: str) -> Measure:
    """The measure of a runs column; an unknown column reads as its own name, unit unknown."""
    return MEASURES.get(column) or ECONOMICS.get(column) or Measure(
        column, column.replace("_", " ").capitalize(), Kind.AMOUNT)


def present(runs: pd.DataFrame, table: dict[str, Measure]) -> list[str]:
    """The columns of ``table`` that ``runs`` has with at least one value, in table order."""
    return [c for c in table if c in runs.columns and runs[c].notna().any()]


def value_measure(runs: pd.DataFrame) -> str | None:
    """The headline value column: against the counterfactual if present, else vs baseline."""
    return next((c for c in HEADLINE_VALUE if c in runs.columns and runs[c].notna().any()), None)


def kpi_columns(runs: pd.DataFrame) -> list[str]:
    """The KPIs the report compares: every known measure present, the headline value first,
    and only one of the two value measures (the counterfactual one supersedes the other)."""
    columns = present(runs, MEASURES)
    if "value_vs_no_programme" in columns and "value_ratio" in columns:
        columns.remove("value_ratio")
    return columns


def trait_columns(runs: pd.DataFrame) -> list[str]:
    """The company traits: numeric ``company.<trait>`` columns with more than one value."""
    return [c for c in runs.columns if c.startswith(TRAIT_PREFIX)
            and pd.api.types.is_numeric_dtype(runs[c]) and not pd.api.types.is_bool_dtype(runs[c])
            and runs[c].nunique(dropna=True) > 1]


def trait_name(column: str) -> str:
    """``company.tool_fit`` → ``tool fit``."""
    return column.removeprefix(TRAIT_PREFIX).replace("_", " ")
