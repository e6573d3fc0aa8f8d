"""The files one job leaves behind, written so that no reader ever sees half of one.

A job directory holds ``runs.parquet``, ``timeseries.parquet``, ``config.yaml``
and, written last, the completion marker ``done.json``; a job that raised holds
``error.json`` instead. Every file is written to a hidden temporary file in the
same directory, flushed to disk and moved into place with ``os.replace``, so a
kill at any moment leaves either the old file, the new file, or a stray temporary
that nothing reads. A marker is trusted only if it records the same point and
settings the job would run now; anything else is redone.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from omegaconf._utils import get_omega_conf_dumper

# Arrow's default (mimalloc) pool keeps much of what it frees, so a job's peak memory rose
# with its replications (one job of 200: 224 MiB, 206 of it in the replication loop); the
# system allocator hands freed memory back (198 MiB), at no measurable cost in time.
pa.set_memory_pool(pa.system_memory_pool())

RUNS = "runs.parquet"
TIMESERIES = "timeseries.parquet"
CONFIG = "config.yaml"
DONE = "done.json"
ERROR = "error.json"
PLAN = "plan.json"
SWEEP = "sweep.json"
TEMP_SUFFIX = ".tmp"
#: rows a streamed table holds in memory before writing them as one Parquet row group
#: (about 50 default replications of weekly series, a few MB)
ROW_GROUP_ROWS = 8192


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A handle on a hidden temporary sibling of ``path``, moved into place on success only."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")
    try:
        with open(temp, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through a hidden temporary sibling, then move it into place."""
    with atomic_file(path) as handle:
        write(handle)


class TableStream:
    """A Parquet table written a row group at a time as tables or frames arrive.

    A job's weekly series grows with its replications and a sweep's dataset with its
    jobs; streaming them keeps memory flat however many there are (``replications=auto``
    may run 1,000). Arrow tables are written as they come; pandas frames wait until they
    fill a row group and are converted together (one conversion per group costs a tenth
    of one per frame), each frame's constant ``tags`` (a replication's ``run_id``...)
    spread over its rows only then, once per group instead of once per frame. One schema
    per file: ``schema``, or the first table's.
    """

    def __init__(self, handle: IO[bytes], row_group_rows: int = ROW_GROUP_ROWS,
                 schema: pa.Schema | None = None) -> None:
        self._handle = handle
        self._row_group_rows = row_group_rows
        self._writer = None if schema is None else pq.ParquetWriter(handle, schema)
        self._pending: list[tuple[pd.DataFrame, Mapping[str, Any]]] = []
        self._pending_rows = 0

    def write(self, table: pa.Table) -> None:
        """Write an Arrow table's rows now, as one row group."""
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._handle, table.schema)
        self._writer.write_table(table)

    def append(self, frame: pd.DataFrame, tags: Mapping[str, Any] | None = None) -> None:
        """Add a frame's rows, each led by the columns ``tags`` (one non-null value per frame).

        The rows reach the file with the next full row group.
        """
        self._pending.append((frame, tags or {}))
        self._pending_rows += len(frame)
        if self._pending_rows >= self._row_group_rows:
            self._write_pending()

    def close(self) -> None:
        """Write what is pending and the file's footer."""
        self._write_pending()
        if self._writer is None:
            pq.write_table(pa.table({}), self._handle)
        else:
            self._writer.close()

    def _write_pending(self) -> None:
        if not self._pending:
            return
        frames = [frame for frame, _ in self._pending]
        owner = np.repeat(np.arange(len(frames)), [len(frame) for frame in frames])
        tags = pd.DataFrame([tags for _, tags in self._pending]).iloc[owner]
        rows = pd.concat([tags.reset_index(drop=True), pd.concat(frames, ignore_index=True)],
                         axis=1)
        self.write(pa.Table.from_pandas(rows, preserve_index=False))
        self._pending, self._pending_rows = [], 0


@contextmanager
def table_stream(path: Path, row_group_rows: int = ROW_GROUP_ROWS,
                 schema: pa.Schema | None = None) -> Iterator[TableStream]:
    """Stream a Parquet table to ``path``; it appears, whole, only if the block succeeds."""
    with atomic_file(path) as handle:
        stream = TableStream(handle, row_group_rows, schema)
        yield stream
        stream.close()


def write_table(path: Path, table: pa.Table) -> None:
    """Write one Parquet file atomically."""
    write_atomically(path, lambda handle: pq.write_table(table, handle))


def write_json(path: Path, data: Any) -> None:
    """Write one JSON file atomically (readable, key order kept)."""
    text = json.dumps(data, indent=2, default=str) + "\n"
    write_atomically(path, lambda handle: handle.write(text.encode()))


def write_text(path: Path, text: str) -> None:
    """Write one text file atomically."""
    write_atomically(path, lambda handle: handle.write(text.encode()))


def plain_yaml(data: Mapping[str, Any]) -> str:
    """Plain data (dicts, lists, scalars) as YAML, exactly as ``OmegaConf.to_yaml`` writes it.

    ``OmegaConf.to_yaml`` first rebuilds plain data as a config, which is most of its cost
    for a job's config (~12 of ~18 ms on the benchmark VM); this calls the same dumper with
    the same options on the data itself.
    """
    return yaml.dump(data, Dumper=get_omega_conf_dumper(), default_flow_style=False,
                     allow_unicode=True, sort_keys=False)


def read_json(path: Path) -> Any:
    """A JSON file's content, or None if it is missing or unreadable."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def is_complete(job_dir: Path, identity: Mapping[str, Any] | None = None) -> bool:
    """True if the job finished (marker and both tables present), for ``identity`` if given."""
    marker = read_json(job_dir / DONE)
    if not isinstance(marker, dict) or not all((job_dir / n).is_file() for n in (RUNS, TIMESERIES)):
        return False
    expected = json.loads(json.dumps(identity, default=str))
    return identity is None or marker.get("identity") == expected


def reset(job_dir: Path) -> None:
    """Forget a job's previous outcome before redoing it; the marker goes first."""
    job_dir.mkdir(parents=True, exist_ok=True)
    for name in (DONE, ERROR):
        (job_dir / name).unlink(missing_ok=True)
    for stray in job_dir.glob(f".*{TEMP_SUFFIX}"):
        stray.unlink(missing_ok=True)


def record_error(job_dir: Path, error: BaseException, identity: Mapping[str, Any] | None) -> None:
    """Keep a failed job's error and traceback in its own directory."""
    write_json(job_dir / ERROR, {
        "error": f"{type(error).__name__}: {error}",
        "traceback": "".join(traceback.format_exception(error)),
        "identity": identity,
        "failed": now(),
    })


def error_line(job_dir: Path) -> str:
    """One line saying why a job has no results."""
    record = read_json(job_dir / ERROR)
    if isinstance(record, dict):
        return str(record.get("error", "failed")).splitlines()[0]
    return "missing: not run or interrupted"


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@cache
def model_code() -> str:
    """A hash of the model's source (``sim/``, ``scenarios/``): results depend on it."""
    import scenarios
    import sim

    digest = hashlib.sha256()
    for package in (sim, scenarios):
        root = Path(package.__file__).resolve().parent
        for source in sorted(root.rglob("*.py")):
            digest.update(str(source.relative_to(root.parent)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


@cache
def provenance() -> dict[str, str | None]:
    """Package version, git commit and model-code hash of what produced a result."""
    try:
        package = version("silosim")
    except PackageNotFoundError:
        package = None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent,
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"package_version": package, "git_commit": commit, "model_code": model_code()}
