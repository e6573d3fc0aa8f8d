"""``silosim-dash``: serve the dashboard on this machine (127.0.0.1 by default).

The command checks its input first — a scenario that is not a file in
``configs/scenario/`` (or in ``--scenarios DIR``), a scenario folder whose files do not
compose, a results directory that cannot be analysed, a port out of range — and refuses
it with one line and exit status 2, as ``silosim`` does. Then it becomes the dashboard's
server (``dashboard.server``: Solara's app in production mode, telemetry off, only this
machine's Host names served, no CDN fetches). The page's scripts and fonts come from the
``solara-assets`` package, so it loads without internet.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import os
import sys
from pathlib import Path
from typing import NoReturn

from analysis.results import load_results
from dashboard.levers import SCENARIO, Settings, scenarios_from
from sim.errors import ConfigError

PROG = "silosim-dash"
SCENARIO_ENV, RESULTS_ENV = "SILOSIM_DASH_SCENARIO", "SILOSIM_DASH_RESULTS"   # read by the page
SCENARIOS_ENV = "SILOSIM_DASH_SCENARIOS"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765
MAX_PORT = 65535
SOLARA_SETTINGS = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",   # no calls home from a consultant's laptop
    "SOLARA_THEME_TITLE": "silosim dashboard",
    "SOLARA_THEME_SHOW_BANNER": "false",
}


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Watch one sales organisation transform, change the levers live, "
                               "and compare with a saved sweep (see docs/dashboard.md).")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--scenario", default="baseline",
                        help="scenario file the first run starts from (configs/scenario/<name>.yaml)")
    parser.add_argument("--results", type=Path, default=None,
                        help="results directory of a sweep to compare with (results/<name>/<time>)")
    parser.add_argument("--scenarios", type=Path, default=None,
                        help="a folder of your own scenario files (<name>.yaml, written like "
                             "configs/scenario/), offered beside silosim's")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another Host name to serve (e.g. this machine's name on your "
                             "network, with --host 0.0.0.0); repeatable")
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``silosim-dash`` console script."""
    args = parser().parse_args(argv)
    try:
        check(args)
    except ConfigError as error:
        refuse(error)
    problem = offline_problem()
    if problem:
        print(f"{PROG}: warning: {problem}", file=sys.stderr)
    os.execve(sys.executable, server_command(args.host, args.port, args.allow_host),
              server_environment(args))


def check(args: argparse.Namespace) -> None:
    """Refuse what the page could not show, before the server starts."""
    if not 0 <= args.port <= MAX_PORT:
        raise ConfigError("--port", args.port, f"a whole number from 0 to {MAX_PORT}")
    with scenarios_from(args.scenarios) if args.scenarios else contextlib.nullcontext():
        if args.scenarios:
            check_scenario_files(args.scenarios)
        try:
            Settings(args.scenario)
        except ConfigError as error:
            raise ConfigError("--" + SCENARIO, error.value, error.allowed) from None
    if args.results is not None:
        try:
            load_results(args.results)
        except ConfigError as error:
            raise ConfigError("--results", str(args.results), str(error)) from None


def check_scenario_files(directory: Path) -> None:
    """Every file of a user's scenario folder composes to parameters the model can run."""
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            Settings(path.stem)
        except ConfigError as error:
            raise ConfigError(f"--scenarios {path}", error.value,
                              f"{error.key}: {error.allowed}") from None


def offline_problem() -> str | None:
    """Why the page would need the internet to load, or None.

    ``solara-assets`` holds the Vue 2 front end Solara serves with ``ipyvuetify`` 1.x; with
    ``ipyvuetify`` 3 Solara asks for a Vue 3 front end that package does not hold.
    """
    if importlib.util.find_spec("solara_assets") is None:
        return "solara-assets is not installed: the page will fetch its scripts from a CDN"
    if int(importlib.metadata.version("ipyvuetify").split(".")[0]) >= 3:
        return "ipyvuetify 3 needs a front end solara-assets lacks: pip install 'ipyvuetify<3'"
    return None


def server_command(host: str, port: int, allow: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The dashboard's server (``dashboard.server``), as this Python runs it."""
    return [sys.executable, "-m", "dashboard.server", "--host", host, "--port", str(port),
            *(f"--allow-host={name}" for name in allow)]


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment that hands the launcher's choices to the page, and Solara's settings."""
    results = str(args.results.resolve()) if args.results is not None else ""
    scenarios = str(args.scenarios.resolve()) if args.scenarios is not None else ""
    return {**os.environ, **SOLARA_SETTINGS, SCENARIO_ENV: args.scenario, RESULTS_ENV: results,
            SCENARIOS_ENV: scenarios}


def refuse(error: Exception) -> NoReturn:
    """Print bad input as one line and exit 2, as ``silosim`` does."""
    print(f"{PROG}: error: {error}", file=sys.stderr)
    raise SystemExit(2)
