"""Analysis of silosim results: loading, statistics, figures and the sweep report.

- ``analysis.results`` — load and check a results directory (``load_results``);
- ``analysis.stats`` — success rates, tests against a reference, effects, planning;
- ``analysis.figures`` — slide-ready figures in one style;
- ``analysis.report`` — ``write_report(dir)`` and the ``silosim-report`` command;
- ``analysis.synthetic`` — results with a known truth, for tests and demos.
"""
