"""The dashboard page: levers and run controls in the sidebar, the live run, replications, a sweep.

Served by ``silosim-dash`` (``dashboard.server``). Levers take effect at **Reset**, which
starts a run at week 0 with the levers as they are — the CLI's replicate 0 of the command
the run shows — and **Step** and **▶** advance it. **Replicate** runs N replications of
the levers on screen in background processes (``dashboard.replicate``) and shows their
success rate with its Wilson interval and label mix, beside a saved sweep when one is
open. ``SILOSIM_DASH_SCENARIO``, ``SILOSIM_DASH_RESULTS`` and ``SILOSIM_DASH_SCENARIOS``
(set by the launcher) choose the first scenario, the sweep shown for comparison and a
folder of the user's own scenario files.
"""

from __future__ import annotations

import contextlib
import html
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import solara
import solara.lab

from analysis.results import LABELS
from analysis.words import capitalised, key_words, value_words
from dashboard import charts
from dashboard.comparison import Sweep, league_rows, live_in_sweep, live_point, load_sweep
from dashboard.launch import RESULTS_ENV, SCENARIO_ENV, SCENARIOS_ENV
from dashboard.levers import (
    LEVERS,
    PROFILE_LEVERS,
    SCENARIO,
    Settings,
    actions,
    lever_help,
    options,
    policy_help,
    presets,
    scenarios_from,
)
from dashboard.live import LiveModel, Verdict, label_so_far, phase_at
from dashboard.replicate import MAX_REPLICATIONS, Replication, replicate, workers
from experiments.model_keys import leaf
from sim.errors import ConfigError

CUSTOM = "custom"
SMALL = {"font-size": "0.8rem", "color": "#555"}
PLAY_SECONDS = 0.05
SLIDER_STEP = 0.05
DEFAULT_REPLICATIONS = 20
START_HINT = "press Step or ▶ to start"
TITLE = "silosim: one organisation's digital transformation"

type Change = Callable[[Settings], Settings]

# A folder of the user's own scenarios joins silosim's for the life of the server process.
_TREE = contextlib.ExitStack()
if os.environ.get(SCENARIOS_ENV):
    _TREE.enter_context(scenarios_from(Path(os.environ[SCENARIOS_ENV])))
COMPOSING = threading.Lock()   # Hydra's composition is process-global: one at a time


def settle(change: Change, settings: Settings) -> Settings:
    """``change(settings)`` composed under the composition lock."""
    with COMPOSING:
        return change(settings)


# ------------------------------------------------------------------------------ the levers


@solara.component
def Choice(label: str, value: str, items: list[tuple[str, str]], hint: str,
           on_change: Callable[[str], None]) -> None:
    """A dropdown showing titles (``items`` are ``(name, title)``), with help underneath."""
    select = solara.v.Select(label=label, v_model=value, dense=True, hint=hint,
                             persistent_hint=bool(hint),
                             items=[{"text": title, "value": name} for name, title in items])
    solara.v.use_event(select, "change", lambda *event: on_change(str(event[2])))


@solara.component
def LeverSlider(key: str, value: float, on_change: Callable[[float], None]) -> None:
    """A slider over the schema's range that applies on release, not at every pixel dragged."""
    spec, hint = leaf(key).meta, lever_help(key)
    solara.Text(f"{capitalised(key_words(key))}: {value:g}", style=SMALL)
    slider = solara.v.Slider(v_model=value, min=spec["low"], max=spec["high"], step=SLIDER_STEP,
                             thumb_label=True, dense=True, hint=hint, persistent_hint=bool(hint))
    solara.v.use_event(slider, "change", lambda *event: on_change(float(event[2])))


@solara.component
def Toggle(label: str, value: bool, hint: str, on_change: Callable[[bool], None]) -> None:
    """A compact checkbox with its question as a tooltip-like hint."""
    box = solara.v.Checkbox(v_model=value, label=label, dense=True, hide_details=True)
    solara.v.use_event(box, "change", lambda *event: on_change(bool(event[2])))
    if hint:
        solara.Text(hint, style={**SMALL, "margin-left": "2rem", "display": "block"})


@solara.component
def Levers(settings: Settings, apply: Callable[[Change], None]) -> None:
    """The main levers, titled and explained; Reset starts a run with them."""
    values = settings.values
    scenarios = presets(SCENARIO)
    Choice("Scenario", settings.scenario, [(n, p.title) for n, p in scenarios.items()],
           scenarios[settings.scenario].question or "",
           lambda n: apply(lambda s: s.with_scenario(n)))
    LeverSlider("model.silo.level", values["model.silo.level"],
                lambda v: apply(lambda s: s.with_values({"model.silo.level": v})))
    PresetSelect("Incentive scheme", "incentive", settings, apply)
    for key in LEVERS[1:]:
        chosen = values[key]
        Choice(capitalised(key_words(key)), chosen,
               [(name, capitalised(value_words(name))) for name in options(key)],
               "; ".join(filter(None, [policy_help(key, chosen), lever_help(key)])),
               partial(_set_value, apply, key))
    for group in PROFILE_LEVERS:
        PresetSelect(capitalised(key_words(group)), group, settings, apply)
    solara.Text("The five key actions", style=SMALL)
    for number, action in enumerate(actions(), start=1):
        Toggle(f"{number}. {action.title}", settings.action_on(action.name),
               action.question or "", partial(_set_action, apply, action.name))
    PresetSelect(f"Organisation size: {values['model.org.n_reps']} reps", "org", settings, apply)
    solara.InputInt("Seed (as silosim seed=…)", value=settings.seed, continuous_update=False,
                    on_value=lambda seed: apply(lambda s: s.with_seed(seed)))


def _set_value(apply: Callable[[Change], None], key: str, value: object) -> None:
    apply(lambda s: s.with_values({key: value}))


def _set_action(apply: Callable[[Change], None], name: str, on: bool) -> None:
    apply(lambda s: s.with_action(name, on))


@solara.component
def PresetSelect(label: str, group: str, settings: Settings, apply: Callable[[Change], None]) -> None:
    """A dropdown over a config group's files; *custom* when the run matches none of them."""
    choice = settings.preset_choice(group) or CUSTOM
    items = [(name, p.title) for name, p in presets(group).items()]

    def choose(name: str) -> None:
        if name != CUSTOM:
            apply(lambda s: s.with_preset(group, name))

    Choice(label, choice, items + ([(CUSTOM, "custom (edited)")] if choice == CUSTOM else []),
           f"the files in configs/{group}/", choose)


# --------------------------------------------------------------------- the run controls


@solara.component
def Controls(model: LiveModel, levers: Settings, week: solara.Reactive[int],
             reset: Callable[[], None]) -> None:
    """Reset, Step and ▶/❚❚, and how many weeks a step or a frame moves."""
    playing = solara.use_reactive(False)
    stride = solara.use_reactive(1)
    over = not model.running

    def step() -> None:
        for _ in range(stride.value):
            model.step()
        week.set(model.week)

    def play(stop: threading.Event) -> None:
        while playing.value and model.running and not stop.is_set():
            step()
            time.sleep(PLAY_SECONDS)
        playing.set(False)

    solara.use_thread(play, dependencies=[playing.value, model])
    with solara.Card("Run"):
        if levers != model.settings:
            solara.Warning("Press Reset to start a run with these levers.")
        with solara.Row():
            solara.Button("Reset", on_click=lambda: (playing.set(False), reset()))
            solara.Button("Step", on_click=step, disabled=over or playing.value)
            solara.Button("❚❚" if playing.value else "▶", disabled=over,
                          on_click=lambda: playing.set(not playing.value))
        solara.SliderInt("Weeks per step", value=stride, min=1, max=13)


# ---------------------------------------------------------------------- the live charts


@solara.component
def Chart(model: LiveModel, week: int, draw: charts.Draw) -> None:
    """One chart of the model; redrawn only when the model or its week changes. Before the
    first week a chart over time has nothing to draw: it says so instead."""
    waiting = week == 0 and draw in charts.LIVE_CHARTS
    image = solara.use_memo(lambda: None if waiting else charts.render(draw, model, week),
                            dependencies=[model, week])
    if image is None:
        solara.HTML(unsafe_innerHTML=waiting_html(draw))
        return
    solara.Image(image, width="100%")


@solara.component
def RunStatus(model: LiveModel, week: int) -> None:
    """The week, the phase, the label the run would get if it ended now, and its command line."""
    settings = model.settings
    scenario = presets(SCENARIO)[settings.scenario]
    with solara.Card(f"Week {week} of {model.params.horizon_weeks} · phase: {phase_at(model, week)}"):
        solara.HTML(unsafe_innerHTML=verdict_html(label_so_far(model, week)))
        solara.HTML(unsafe_innerHTML=(
            f"<p style='font-size:0.8rem;color:#555'><b>{html.escape(scenario.title)}</b>: "
            f"{html.escape(scenario.question or '')}<br>"
            "The same run from the command line (its replicate 0): "
            f"<code>{html.escape(settings.command())}</code></p>"))


def waiting_html(draw: charts.Draw) -> str:
    """A chart's place before the first week: what it will show, and how to start."""
    return (f"<div class='waiting' style='border:1px dashed #bbb;border-radius:4px;"
            f"padding:1.5rem;color:#555'><p>{html.escape(charts.about(draw))}</p>"
            f"<p><b>No week simulated yet: {html.escape(START_HINT)}.</b></p></div>")


def verdict_html(verdict: Verdict | None) -> str:
    """The label so far in words, coloured as in the report, with the numbers behind it."""
    if verdict is None:
        return f"<p>No week recorded yet: {html.escape(START_HINT)}.</p>"
    colour = charts.LABEL_COLOURS_HEX[verdict.label]
    status = "Final label" if verdict.final else "Label if the run ended now"
    facts = "".join(f"<li>{html.escape(fact)}</li>" for fact in verdict.facts)
    return (f"<p>{status}: <b style='color:{colour}'>{verdict.label.replace('_', ' ')}</b> — "
            f"{html.escape(verdict.meaning)}.</p><ul style='font-size:0.8rem'>{facts}</ul>")


# ------------------------------------------------------------------------- replications


def label_mix_html(mix: dict[str, float]) -> str:
    """The label mix as one stacked bar in the report's colours, each share labelled."""
    cells = "".join(
        f"<div title='{label.replace('_', ' ')}' style='width:{100 * share:.1f}%;"
        f"background:{charts.LABEL_COLOURS_HEX[label]};color:white;text-align:center;"
        f"font-size:0.75rem;overflow:hidden'>{100 * share:.0f}%</div>"
        for label, share in mix.items() if share > 0)
    legend = " · ".join(f"<span style='color:{charts.LABEL_COLOURS_HEX[label]}'>■</span> "
                        f"{label.replace('_', ' ')} {100 * mix[label]:.0f}%" for label in LABELS)
    return (f"<div style='display:flex;height:1.4rem;border-radius:3px;overflow:hidden'>{cells}"
            f"</div><p style='font-size:0.8rem;margin-top:0.3rem'>{legend}</p>")


@solara.component
def Replicate(settings: Settings, sweep: Sweep | None) -> None:
    """N replications of the levers on screen, with progress, their success rate and label mix."""
    count = solara.use_reactive(DEFAULT_REPLICATIONS)
    done = solara.use_reactive((0, 0))
    stopping = solara.use_reactive(False)
    finished = solara.use_reactive(None)
    problem = solara.use_reactive("")

    def work() -> None:
        stopping.set(False)
        problem.set("")
        done.set((0, count.value))
        try:
            runs = replicate(settings, count.value, progress=lambda k, n: done.set((k, n)),
                             stop=lambda: stopping.value)
        except ConfigError as error:
            problem.set(str(error))
            return
        finished.set(Replication(settings, runs) if len(runs) else None)

    task = solara.lab.use_task(work, dependencies=None)
    with solara.Card("Replicate these levers"):
        solara.Text(f"Runs replicates 0…N−1 of the levers on screen in {workers()} background "
                    "process(es), as `silosim … replications=N` would: the same seeds, so the "
                    "result compares run by run with a sweep made with the same seed.",
                    style=SMALL)
        with solara.Row():
            solara.InputInt(f"Replications (1–{MAX_REPLICATIONS})", value=count,
                            continuous_update=False)
            solara.Button("Replicate", on_click=task, disabled=task.pending)
            if task.pending:
                solara.Button("Stop", on_click=lambda: stopping.set(True))
        if problem.value:
            solara.Error(problem.value)
        if task.pending:
            k, n = done.value
            solara.ProgressLinear(100 * k / n if n else True)
            solara.Text(f"{k} of {n} runs done")
        result = finished.value
        if result is not None:
            ReplicationResult(result, sweep, settings)


@solara.component
def ReplicationResult(result: Replication, sweep: Sweep | None, levers: Settings) -> None:
    """The replications' rate and label mix, and how they sit beside the saved sweep."""
    if result.settings != levers:
        solara.Warning("These replications are of the levers as they were: press Replicate "
                       "for the levers on screen.")
    # HTML, not solara.Markdown: Markdown loads KaTeX from a CDN, which the page must not need
    solara.HTML(unsafe_innerHTML=f"<p><b>{html.escape(result.rate_text())}</b></p>")
    solara.HTML(unsafe_innerHTML=label_mix_html(result.label_mix()))
    money = result.money_text()
    if money is not None:
        solara.Text(money, style=SMALL)
    lines = result.against_sweep(sweep) if sweep is not None else [
        "Open a saved sweep below to compare these runs with it."]
    for line in lines:
        solara.Text(line, style=SMALL)


# ---------------------------------------------------------------------- the saved sweep


@solara.component
def Comparison(settings: Settings, directory: solara.Reactive[str], loaded: Sweep | str | None
               ) -> None:
    """A finished sweep's league table and success-rate figure, beside the live configuration."""
    with solara.Card("Compare with a saved sweep"):
        solara.InputText("Results directory of a sweep (silosim -m …)", value=directory,
                         continuous_update=False)
        if loaded is None:
            solara.Text("Give a results directory to see its league table beside the live run.")
        elif isinstance(loaded, str):
            solara.Error(loaded)
        else:
            SweepTables(loaded, settings)


def open_sweep(directory: str) -> Sweep | str | None:
    """The sweep, the one-line reason it cannot be shown, or None when no directory is given."""
    if not directory:
        return None
    try:
        return load_sweep(directory)
    except ConfigError as error:
        return str(error)


@solara.component
def SweepTables(sweep: Sweep, settings: Settings) -> None:
    """The sweep's league table and figure, and where the live run's configuration sits in it."""
    point = live_point(sweep, settings)
    solara.Text(f"{sweep.title} — reference point: {sweep.results.reference}")
    if sweep.results.common:
        solara.Text(f"Common settings (every point): {', '.join(sweep.results.common)}",
                    style=SMALL)
    solara.Info(live_in_sweep(sweep, settings, point) if point else
                "The live configuration is not a point of this sweep.")
    solara.DataFrame(league_rows(sweep, point), items_per_page=30)
    if sweep.figure is not None:
        solara.Image(sweep.figure, width="min(100%, 900px)")
    for note in sweep.results.notes:
        solara.Warning(note)


# ----------------------------------------------------------------------------- the page


def first_settings() -> Settings:
    """The settings a new browser session starts with (the launcher's ``--scenario``)."""
    with COMPOSING:
        return Settings(os.environ.get(SCENARIO_ENV, "baseline"))


@solara.component
def Page() -> None:
    """One browser session: its levers, its live model, replications, the sweep it compares."""
    levers = solara.use_reactive(solara.use_memo(first_settings, []))
    model = solara.use_reactive(solara.use_memo(lambda: LiveModel(settings=levers.value), []))
    week = solara.use_reactive(0)
    problem = solara.use_reactive("")
    directory = solara.use_reactive(os.environ.get(RESULTS_ENV, ""))
    loaded = solara.use_memo(lambda: open_sweep(directory.value), [directory.value])

    def apply(change: Change) -> None:
        try:
            levers.set(settle(change, levers.value))
            problem.set("")
        except ConfigError as error:
            problem.set(str(error))

    def reset() -> None:
        with COMPOSING:
            model.set(LiveModel(settings=levers.value))
        week.set(0)

    solara.Title(TITLE)
    with solara.Sidebar():
        Controls(model.value, levers.value, week, reset)
        with solara.Card("Levers"):
            if problem.value:
                solara.Error(problem.value)
            Levers(levers.value, apply)
    current = model.value
    with solara.Columns([1, 1]):
        RunStatus(current, week.value)
        Chart(current, week.value, charts.network_chart)
    with solara.GridFixed(columns=2):
        for draw in charts.LIVE_CHARTS:
            Chart(current, week.value, draw)
    Replicate(levers.value, loaded if isinstance(loaded, Sweep) else None)
    Comparison(current.settings, directory, loaded)
