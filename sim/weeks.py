"""The calendar in weeks: the one home of the model's calendar constants.

One step is one week. These are facts of the calendar, not coefficients, so they live
here rather than in the parameter schema; every other number a mechanism uses is a
schema parameter (``sim/params.py``, tests/test_schema_coverage.py).
"""

DAYS_PER_WEEK = 7
QUARTER = 13               # weeks in a quarter: quotas, reviews, the baseline quarter
HALF_YEAR = 26
YEAR = 52
TWO_YEARS = 104
MONTHS_PER_YEAR = 12
WEEKS_PER_MONTH = YEAR / MONTHS_PER_YEAR
NEVER = -1_000_000         # a week long before any run starts (no introduction, never won)
