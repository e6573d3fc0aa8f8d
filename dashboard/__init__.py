"""The interactive what-if dashboard: one organisation transforming live, replications, a sweep.

- ``levers`` — the dashboard's settings as edits of the CLI's own config files, so every
  live run is one ``silosim`` command line away (and the test suite checks that it is);
  a folder of the user's own scenario files joins silosim's (``scenarios_from``);
- ``live`` — the model the dashboard steps, its network layout and the label so far;
- ``charts`` — the live charts and the network view (matplotlib figures of the model);
- ``replicate`` — N replications of the levers on screen in worker processes, and their
  success rate, label mix and place beside a saved sweep;
- ``comparison`` — a finished sweep's league table and success-rate figure;
- ``app`` — the Solara page; ``server`` — its web server (Host check, no CDN fetches);
  ``launch`` — the ``silosim-dash`` command.
"""
