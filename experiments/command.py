"""The ``silosim`` console script: load the engine with the cyclic collector paused, then run it.

Loading the engine (Hydra, pandas, pyarrow, Mesa and the model) creates objects that live
as long as the command. While they are being created the cyclic garbage collector keeps
scanning them and finds nothing to free: about 0.1 s of every sweep's start on the
benchmark VM (``docs/performance.md``). So the collector is paused while the engine loads,
and what loading created is then frozen out of its generations, so that the collections
the sweep does need (a replication's agents) do not rescan it either.

Mesa is loaded first. Its logging set-up walks the importing stack with
``inspect.stack()``, which looks up the module of every frame by scanning all loaded
modules: from the top of an otherwise empty interpreter that takes ~0.13 s, from deep
inside the engine's imports (with Hydra loaded) ~0.22 s.
"""

import gc


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``silosim`` console script (``argv``: the command line's, if None)."""
    gc.disable()
    try:
        import mesa  # noqa: F401  (first: see the module's docstring)

        from experiments.cli import main as silosim
    finally:
        gc.freeze()
        gc.enable()
    silosim(argv)
