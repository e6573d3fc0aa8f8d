"""A market at steady state from week 0 (issue 17 item 4): with no programme nothing drifts.

``silosim-validate`` checks every named scenario; this test checks those whose no-programme
markets differ most (marketing alignment, two roles, the typical company, a 10-rep market
whose revenue fluctuates four times as much), over 40 runs each.
"""

import numpy as np
import pytest

from sim.metrics import QUARTER
from tests.model_runs import replicate, scenario

pytestmark = pytest.mark.slow
RUNS = 40


@pytest.mark.parametrize("name", ["baseline", "revenue_aligned", "handoff_first_sale",
                                  "small_org"])
def test_without_a_programme_revenue_and_bookings_do_not_drift(name):
    runs = replicate(scenario(name, programme={"enabled": False}), RUNS)
    weekly = [r.timeseries for r in runs]
    first = np.mean([w.recurring_revenue.iloc[:QUARTER].mean() for w in weekly])
    last = np.mean([w.recurring_revenue.iloc[-QUARTER:].mean() for w in weekly])
    assert last / first == pytest.approx(1.0, abs=0.03)
    early = np.mean([w.bookings.iloc[:QUARTER].mean() for w in weekly])
    rest = np.mean([w.bookings.iloc[QUARTER:].mean() for w in weekly])
    assert early / rest == pytest.approx(1.0, abs=0.05)


def test_the_settled_market_depends_on_the_levers_that_shape_it():
    """Revenue-aligned marketing keeps more customers at rest than vanity metrics do."""
    aligned = replicate(scenario("revenue_aligned", programme={"enabled": False}), 4)
    vanity = replicate(scenario("vanity_metrics", programme={"enabled": False}), 4)
    assert np.mean([r.kpis["revenue_baseline"] for r in aligned]) > \
        1.05 * np.mean([r.kpis["revenue_baseline"] for r in vanity])
