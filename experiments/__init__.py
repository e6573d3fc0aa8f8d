"""The experiment engine: Hydra entry points, sweeps with replications, aggregation, resume.

One Hydra job is one scenario point x N replications. Every job writes its own
tidy Parquet files atomically and a completion marker last, so a sweep can be
killed at any moment, resumed by re-running the same command, and aggregated by
reading the job directories back from disk (``docs/experiments.md``).
"""
