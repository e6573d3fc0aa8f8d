"""The SolaraViz page: levers in the sidebar, the live run's charts, a saved sweep below.

Served by ``silosim-dash`` (``solara run dashboard.app``). As everywhere in SolaraViz,
parameters take effect at Reset: Reset starts a run at week 0 with the levers as they are
— the CLI's replicate 0 of the command the run shows — and Step and ▶ advance it.
``SILOSIM_DASH_SCENARIO`` and ``SILOSIM_DASH_RESULTS`` (set by the launcher) choose the
first scenario and the sweep shown for comparison.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from functools import partial

import solara
from mesa.visualization import SolaraViz

from dashboard import charts
from dashboard.comparison import Sweep, league_rows, live_in_sweep, live_point, load_sweep
from dashboard.launch import RESULTS_ENV, SCENARIO_ENV
from dashboard.levers import (
    LEVERS,
    SCENARIO,
    Settings,
    actions,
    options,
    presets,
)
from dashboard.live import LiveModel, Verdict, label_so_far, phase_at
from experiments.model_keys import leaf
from sim.errors import ConfigError

CUSTOM = "custom"
SMALL = {"font-size": "0.8rem", "color": "#555"}
PLAY_INTERVAL_MS, WEEKS_PER_FRAME = 50, 1
SLIDER_STEP = 0.05

type Change = Callable[[Settings], Settings]


class DashboardModel(LiveModel):
    """The live model as SolaraViz rebuilds it: Reset reads the levers as they are now."""

    def __init__(self, *, levers: solara.Reactive[Settings]) -> None:
        super().__init__(settings=levers.value)


# ------------------------------------------------------------------------------ the levers


@solara.component
def LeverSlider(key: str, value: float, on_change: Callable[[float], None]) -> None:
    """A slider over the schema's range that applies on release, not at every pixel dragged."""
    spec = leaf(key).meta
    solara.Text(f"{spec['meaning']}: {value:g}", style=SMALL)
    slider = solara.v.Slider(v_model=value, min=spec["low"], max=spec["high"], step=SLIDER_STEP,
                             thumb_label=True, hide_details=True, dense=True)
    solara.v.use_event(slider, "change", lambda *event: on_change(float(event[2])))


@solara.component
def Toggle(label: str, value: bool, on_change: Callable[[bool], None]) -> None:
    """A compact checkbox, so the five actions fit above the run controls."""
    box = solara.v.Checkbox(v_model=value, label=label, dense=True, hide_details=True)
    solara.v.use_event(box, "change", lambda *event: on_change(bool(event[2])))


@solara.component
def Levers(settings: Settings, apply: Callable[[Change], None]) -> None:
    """The main levers; Reset starts a run with them."""
    values = settings.values
    solara.Select("Scenario preset (configs/scenario)", value=settings.scenario,
                  values=list(presets(SCENARIO)), on_value=lambda n: apply(lambda s: s.with_scenario(n)))
    LeverSlider("model.silo.level", values["model.silo.level"],
                lambda v: apply(lambda s: s.with_values({"model.silo.level": v})))
    PresetSelect("Incentive scheme (configs/incentive)", "incentive", settings, apply)
    for key in LEVERS[1:]:
        solara.Select(leaf(key).meta["meaning"], value=values[key], values=options(key),
                      on_value=partial(_set_value, apply, key))
    solara.Text("The five key actions (001)", style=SMALL)
    for number, action in enumerate(actions(), start=1):
        Toggle(f"{number}. {action.title}", settings.action_on(action.name),
               partial(_set_action, apply, action.name))
    PresetSelect(f"Organisation size (configs/org): {values['model.org.n_reps']} reps", "org",
                 settings, apply)
    solara.InputInt("Seed (as silosim seed=…)", value=settings.seed, continuous_update=False,
                    on_value=lambda seed: apply(lambda s: s.with_seed(seed)))


def _set_value(apply: Callable[[Change], None], key: str, value: object) -> None:
    apply(lambda s: s.with_values({key: value}))


def _set_action(apply: Callable[[Change], None], name: str, on: bool) -> None:
    apply(lambda s: s.with_action(name, on))


@solara.component
def PresetSelect(label: str, group: str, settings: Settings, apply: Callable[[Change], None]) -> None:
    """A dropdown over a config group's files; ``custom`` when the run matches none of them."""
    choice = settings.preset_choice(group) or CUSTOM
    files = list(presets(group))

    def choose(name: str) -> None:
        if name != CUSTOM:
            apply(lambda s: s.with_preset(group, name))

    solara.Select(label, value=choice, values=files + ([CUSTOM] if choice == CUSTOM else []),
                  on_value=choose)


# ---------------------------------------------------------------------- the live charts


def live(component: Callable[..., solara.Element], **props: object) -> Callable[[LiveModel], solara.Element]:
    """A SolaraViz component that follows the run: SolaraViz re-renders plain callables after
    every step, and passing the week makes each render see the step it follows."""
    return lambda model: component(model=model, week=model.week, **props)


@solara.component
def Chart(model: LiveModel, week: int, draw: charts.Draw) -> None:
    """One chart of the model; redrawn only when the model or its week changes."""
    image = solara.use_memo(lambda: charts.render(draw, model, week), dependencies=[model, week])
    solara.Image(image, width="100%")


@solara.component
def RunStatus(model: LiveModel, week: int) -> None:
    """The week, the phase, the label the run would get if it ended now, and its command line."""
    settings = model.settings
    with solara.Card(f"Week {week} of {model.params.horizon_weeks} · phase: {phase_at(model, week)}"):
        solara.HTML(unsafe_innerHTML=verdict_html(label_so_far(model, week)))
        solara.HTML(unsafe_innerHTML=(
            f"<p style='font-size:0.8rem;color:#555'><b>{html.escape(settings.scenario)}</b>: "
            f"{html.escape(presets(SCENARIO)[settings.scenario].question)}<br>"
            "The same run from the command line (its replicate 0): "
            f"<code>{html.escape(settings.command())}</code></p>"))


def verdict_html(verdict: Verdict | None) -> str:
    """The label so far in words, coloured as in the report, with the numbers behind it."""
    if verdict is None:
        return "<p>No week recorded yet: press <b>Step</b> or <b>▶</b>.</p>"
    colour = charts.LABEL_COLOURS_HEX[verdict.label]
    status = "Final label" if verdict.final else "Label if the run ended now"
    facts = "".join(f"<li>{html.escape(fact)}</li>" for fact in verdict.facts)
    return (f"<p>{status}: <b style='color:{colour}'>{verdict.label.replace('_', ' ')}</b> — "
            f"{html.escape(verdict.meaning)}.</p><ul style='font-size:0.8rem'>{facts}</ul>")


# ---------------------------------------------------------------------- the saved sweep


@solara.component
def Comparison(settings: Settings) -> None:
    """A finished sweep's league table and success-rate figure, beside the live configuration."""
    directory = solara.use_reactive(os.environ.get(RESULTS_ENV, ""))
    loaded = solara.use_memo(lambda: open_sweep(directory.value), [directory.value])
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
    solara.Info(live_in_sweep(sweep, settings, point) if point else
                "The live configuration is not a point of this sweep.")
    solara.DataFrame(league_rows(sweep, point), items_per_page=30)
    if sweep.figure is not None:
        solara.Image(sweep.figure, width="min(100%, 900px)")
    for note in sweep.results.notes:
        solara.Warning(note)


# ----------------------------------------------------------------------------- the page


COMPONENTS = [live(RunStatus), *(live(Chart, draw=draw) for draw in
                                  (charts.network_chart, *charts.LIVE_CHARTS))]


def first_settings() -> Settings:
    """The settings a new browser session starts with (the launcher's ``--scenario``)."""
    return Settings(os.environ.get(SCENARIO_ENV, "baseline"))


@solara.component
def Page() -> None:
    """One browser session: its levers, its live model, and the sweep it compares with."""
    levers = solara.use_reactive(solara.use_memo(first_settings, []))
    model = solara.use_reactive(solara.use_memo(lambda: DashboardModel(levers=levers), []))
    problem = solara.use_reactive("")

    def apply(change: Change) -> None:
        try:
            levers.set(change(levers.value))
            problem.set("")
        except ConfigError as error:
            problem.set(str(error))

    SolaraViz(model, components=COMPONENTS, model_params={"levers": levers},
              name="silosim: one organisation's digital transformation",
              play_interval=PLAY_INTERVAL_MS, render_interval=WEEKS_PER_FRAME)
    with solara.Sidebar(), solara.Card("Levers"):
        if problem.value:
            solara.Error(problem.value)
        if levers.value != model.value.settings:
            solara.Warning("Press Reset (under Controls) to start a run with these levers.")
        Levers(levers.value, apply)
    Comparison(model.value.settings)
