"""Numerical and technical constants that are not model coefficients.

Guards that keep arithmetic finite, the span of sub-stream seeds and a cache size: none
of them describes the organisation, so none is a schema parameter, and each is named once
here (tests/test_schema_coverage.py lists them).
"""

TINY = 1e-9                # stands in for a zero denominator
MIN_PACE = 1e-6            # a re-planned build pace is never zero (the plan still advances)
SEED_SPAN = 2**63          # seeds of the model's sub-streams: any non-negative int64
MARKETS_CACHED = 16        # settled markets a process remembers (sim/steady_state.py)
