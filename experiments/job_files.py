"""The files one job leaves behind, written so that no reader ever sees half of one.

A job directory holds ``runs.parquet``, ``timeseries.parquet``, ``config.yaml``
and, written last, the marker ``done.json``: ``complete``, or ``partial`` when some
replications raised (they are listed there; the others' rows are kept). A job that
raised as a whole holds ``error.json`` instead, never both. Every file is written to a
hidden temporary file in the same directory, flushed to disk and moved into place with
``os.replace``, so a kill at any moment leaves either the old file, the new file, or a
stray temporary that nothing reads. A marker is trusted only if it records the same
points and settings the job would run now; anything else is redone.

Writers hold OS locks (``fcntl.flock``, released by the kernel when a process dies):
a job holds its directory's ``.lock`` while it runs, so a job is written by one
process at a time under every launcher, and a command that writes a results directory
(``silosim``, ``silosim-aggregate``) holds its ``.silosim.lock`` (``command_lock``), so
one command at a time writes a directory. Stray temporaries are removed only under the
lock of the directory they are in.
"""

from __future__ import annotations

import enum
import fcntl
import hashlib
import json
import os
import subprocess
import time
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
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.errors import ConfigError

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
JOB_LOCK = ".lock"
COMMAND_LOCK = ".silosim.lock"
#: how long a job waits for another process still writing its directory (an orphaned
#: worker of a killed command) before leaving it to a later resume
JOB_LOCK_WAIT_SECONDS = 600.0
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
        """Write an Arrow table's rows now (after what is pending), as one row group."""
        self._write_pending()
        self._write(table)

    def _write(self, table: pa.Table) -> None:
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._handle, table.schema)
        elif not table.schema.equals(self._writer.schema, check_metadata=False):
            table = table.cast(self._writer.schema)
        self._writer.write_table(table)

    def append(self, frame: pd.DataFrame | pa.Table, tags: Mapping[str, Any] | None = None) -> None:
        """Add a frame's rows, each led by the columns ``tags`` (one non-null value per frame).

        The rows reach the file with the next full row group. An Arrow table (already
        tagged, e.g. a kept replication's) is written in order, at once.
        """
        if isinstance(frame, pa.Table):
            self.write(frame)
            return
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
        self._pending, self._pending_rows = [], 0
        self._write(pa.Table.from_pandas(rows, preserve_index=False))


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


def read_json(path: Path) -> Any:
    """A JSON file's content, or None if it is missing or unreadable."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


class Status(enum.StrEnum):
    """What a job's marker says about its results."""

    COMPLETE = "complete"   # every replication has its rows
    PARTIAL = "partial"     # some replications raised; the others' rows are kept


def status(job_dir: Path, identity: Mapping[str, Any] | None = None) -> Status | None:
    """The job's marker status, if its marker and both tables exist (for ``identity``, if given)."""
    marker = read_json(job_dir / DONE)
    if not isinstance(marker, dict) or not all((job_dir / n).is_file() for n in (RUNS, TIMESERIES)):
        return None
    if identity is not None and marker.get("identity") != json.loads(json.dumps(identity, default=str)):
        return None
    try:
        return Status(marker.get("status"))
    except ValueError:
        return None


def is_complete(job_dir: Path, identity: Mapping[str, Any] | None = None) -> bool:
    """True if every replication of the job has its rows (for ``identity`` if given)."""
    return status(job_dir, identity) is Status.COMPLETE


def reset(job_dir: Path) -> None:
    """Forget a job's previous outcome before redoing it; the marker goes first."""
    job_dir.mkdir(parents=True, exist_ok=True)
    for name in (DONE, ERROR):
        (job_dir / name).unlink(missing_ok=True)


def clean_temporaries(directory: Path, extra: tuple[str, ...] = ()) -> list[Path]:
    """Remove the stray temporaries of interrupted writes in ``directory`` (not below it).

    Call it only holding the directory's lock: a live writer's temporaries look the same.
    """
    stray = [*directory.glob(f".*{TEMP_SUFFIX}"), *(p for name in extra for p in directory.glob(name))]
    for path in stray:
        path.unlink(missing_ok=True)
    return stray


def record_error(job_dir: Path, error: BaseException, identity: Mapping[str, Any] | None) -> None:
    """Keep a failed job's error and traceback in its own directory (and no marker).

    The marker goes first, so if ``error.json`` cannot be written either (a full disk:
    ``OSError``) the job is left with neither and a resume redoes it.
    """
    (job_dir / DONE).unlink(missing_ok=True)
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


# ------------------------------------------------------------------------------ locks


@contextmanager
def job_lock(job_dir: Path, wait: float | None = None) -> Iterator[bool]:
    """Hold the job directory's lock for the block; False if another writer kept it ``wait`` s.

    ``wait`` defaults to ``JOB_LOCK_WAIT_SECONDS``.
    """
    job_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(job_dir / JOB_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + (JOB_LOCK_WAIT_SECONDS if wait is None else wait)
        while not _locked(handle):
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(0.2)
        yield True
    finally:
        os.close(handle)


@contextmanager
def command_lock(results_dir: Path, command: str = "silosim", key: str = "out") -> Iterator[None]:
    """Hold a results directory for one command; refuse it while another command holds it.

    A command that writes a results directory holds its ``.silosim.lock`` for as long as it
    writes there (``silosim`` with ``key="out"``, ``silosim-aggregate``; ``key`` is how
    the command's refusal names the directory). The lock file records ``command`` and its
    process id, so a refusal (a ``ConfigError``) names the holder. It is an ``flock`` on a
    fresh open file and not re-entrant: a process that holds it is refused too if it asks
    again (``silosim`` writes its report under its own hold, so a report writer must not
    take it itself). In a directory this process cannot write, an existing lock file is
    locked read-only; if there is none (no command has held the directory), none is taken.
    """
    path = results_dir / COMMAND_LOCK
    handle, writable = _open_lock(path)
    if handle is None:
        yield
        return
    try:
        if not _locked(handle):
            holder = path.read_text().strip() or "another process"
            raise ConfigError(key, str(results_dir),
                              f"a directory no other silosim command is writing ({holder} is; "
                              "wait for it to finish, or use another directory)")
        if writable:
            os.ftruncate(handle, 0)
            os.write(handle, f"{command} pid {os.getpid()}".encode())
        yield
    finally:
        os.close(handle)


def _open_lock(path: Path) -> tuple[int | None, bool]:
    """A handle on a lock file and whether it is writable; None if it cannot be created."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644), True
    except OSError:
        if not path.is_file():
            return None, False
    return os.open(path, os.O_RDONLY), False


def _locked(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


# ------------------------------------------------------------------- a partial job's runs


class KeptRuns:
    """The finished replications of a partial job, taken back in the order they were written.

    A run counts as kept only if both tables hold it (a kill between writing the two
    leaves one newer than the other). ``series`` must be asked in the tables' order,
    which is the order the replications run in: it reads the weekly table once, forward.
    """

    def __init__(self, job_dir: Path) -> None:
        self._weekly = pq.ParquetFile(job_dir / TIMESERIES)
        in_weekly: set[str] = set()
        for batch in self._weekly.iter_batches(columns=["run_id"], use_threads=False):
            in_weekly.update(pc.unique(batch.column(0)).to_pylist())
        runs = pq.read_table(job_dir / RUNS, use_threads=False).to_pylist()
        self._rows = {row["run_id"]: row for row in runs if row["run_id"] in in_weekly}
        self._batches = self._weekly.iter_batches(batch_size=ROW_GROUP_ROWS, use_threads=False)
        self._rest: pa.Table | None = None

    def __contains__(self, run_id: str) -> bool:
        return run_id in self._rows

    def row(self, run_id: str) -> dict[str, Any]:
        """The run's ``runs`` row as it was written."""
        return self._rows[run_id]

    def series(self, run_id: str) -> pa.Table:
        """The run's weekly rows, tagged as they were written."""
        parts = []
        while (table := self._next()) is not None:
            ids = table.column("run_id")
            if parts and ids[0].as_py() != run_id:  # the run ended with the previous table
                self._rest = table
                break
            start = pc.index(ids, run_id).as_py()
            if start < 0:
                continue  # rows of runs that are not kept
            end = pc.index(pc.not_equal(ids.slice(start), run_id), True).as_py()
            stop = len(table) if end < 0 else start + end
            parts.append(table.slice(start, stop - start))
            if stop < len(table):
                self._rest = table.slice(stop)
                break
        return pa.concat_tables(parts)

    def _next(self) -> pa.Table | None:
        if self._rest is not None:
            table, self._rest = self._rest, None
            return table
        batch = next(self._batches, None)
        return None if batch is None else pa.Table.from_batches([batch])

    def close(self) -> None:
        self._weekly.close()
