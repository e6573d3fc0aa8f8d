"""The interactive what-if dashboard: one organisation transforming live, beside a saved sweep.

- ``levers`` — the dashboard's settings as edits to the CLI's own config files, so every
  live run is one ``silosim`` command line away (and the test suite checks that it is);
- ``live`` — the model the dashboard steps, its network layout and the label so far;
- ``charts`` — the live charts and the network view (matplotlib figures of the model);
- ``comparison`` — a finished sweep's league table and success-rate figure;
- ``app`` — the SolaraViz page; ``launch`` — the ``silosim-dash`` command.
"""
