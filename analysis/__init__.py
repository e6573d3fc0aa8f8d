"""Analysis of silosim results: loading, statistics, figures, the report and its exports.

- ``analysis.results`` — load and check a results directory (``load_results``), name the
  points in words, settle the reference and whether the runs are paired;
- ``analysis.words`` — parameters and their values in words (from the schema's meanings),
  the one vocabulary of point names, tables, figures and the dashboard;
- ``analysis.measures`` — the words, units and number formats of run-level measures;
- ``analysis.stats`` — success rates, tests against a reference (paired under common
  random numbers), factorial models, KPI differences, replication planning;
- ``analysis.luck`` — luck versus levers: what the company's own traits explain;
- ``analysis.findings`` — plain-language sentences bound by the tests;
- ``analysis.figures`` — slide-ready figures in one style;
- ``analysis.report`` — ``write_report(dir)`` and the ``silosim-report`` command;
- ``analysis.export`` — the report as a PDF (headless Chromium) and a slide deck;
- ``analysis.sensitivity``, ``analysis.discovery`` — SALib indices (Morris, Sobol, FAST),
  PRIM boxes and feature scores (ema_workbench) for design sweeps;
- ``analysis.synthetic`` — results with a known truth, for tests and demos.
"""
