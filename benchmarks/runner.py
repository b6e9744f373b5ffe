"""Run extractors over pages: the interleaved timing/quality pass and the peak-RSS pass.

Timing pass: each worker process is pinned to one core (``os.sched_setaffinity``)
and walks its pages one by one; on each page it calls every extractor in turn,
starting at a different one on each page (rotation), so drift in machine speed
hits all extractors alike. Every call is timed with ``perf_counter`` around the
extractor alone (the page is already in memory). With ``jobs=1`` it is a single
process; with ``jobs=2`` pages are dealt round-robin to two such workers, one per
core, and each timing is still one core, sequential.

Hangs: a soft per-call limit (``SIGALRM``) interrupts Python-level loops; a
watchdog in the parent kills a worker whose call exceeds the hard limit (C code
that never returns), records a timeout for that call, and starts a new worker
on the rest. A crash (segfault) is handled the same way. Nothing stops the run.

RSS pass: each extractor runs alone in a fresh process over a fixed sample of
pages; the peak resident memory of that process (``VmHWM``) is the extractor's.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from benchmarks.extractors import ADAPTERS, ExtractFn, Output

__all__ = ["CallResult", "PageTask", "RssResult", "load_adapters", "rss_pass", "timing_pass"]

# Called once per extractor, untimed, before the timing pass: it pays lazy imports and
# one-time set-up. The Polish date is one no date library reads with its own patterns, so
# it reaches dateparser, which compiles its locale tables (~2 s) on the first such date;
# without it that cost lands on one random page of whichever extractor meets one first.
_WARMUP = (
    b"<html><head><title>Warm-up page</title><meta name='author' content='A. Writer'></head><body>"
    b"<nav><a href='/'>Home</a></nav><article><h1>Warm-up page</h1><p>Opublikowano: 3 marca 2021</p>"
    + b"<p>This paragraph is long enough to count as article text for every extractor here. "
    * 3
    + b"</p><p>A second paragraph keeps the heuristics of the extractors happy and busy.</p>"
    b"</article><footer>Copyright</footer></body></html>"
)
# Too short for trafilatura's own extraction: its fallbacks (justext's stoplists of every
# language, ~0.1 s) are set up too.
_WARMUP_SHORT = b"<html><body><article><h1>Warm-up</h1><p>A short page.</p></article></body></html>"


@dataclass(frozen=True)
class PageTask:
    """One page for the timing pass: a global key, where the page is, and which extractors to run."""

    key: int
    path: str
    url: str | None
    names: tuple[str, ...]


@dataclass(frozen=True)
class CallResult:
    """One extractor on one page."""

    key: int
    name: str
    output: Output
    ms: float | None  # None when the call failed or timed out
    error: str | None = None


@dataclass(frozen=True)
class RssResult:
    """Peak resident memory of one extractor's own process."""

    name: str
    baseline_mb: float | None  # the bare worker before the extractor was imported
    peak_mb: float | None
    pages: int = 0
    error: str | None = None


class _SoftTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _SoftTimeout


def _quiet() -> None:
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def load_adapters(
    names: Sequence[str],
) -> tuple[dict[str, tuple[ExtractFn, ExtractFn | None]], dict[str, str]]:
    """Load extractors by name; returns ``(loaded, failures)`` with a one-line reason per failure."""
    loaded: dict[str, tuple[ExtractFn, ExtractFn | None]] = {}
    failed: dict[str, str] = {}
    for name in names:
        adapter = ADAPTERS.get(name)
        if adapter is None:
            failed[name] = "unknown extractor"
            continue
        try:
            fns = adapter.load()
            for page in (_WARMUP, _WARMUP_SHORT):  # the first calls pay lazy set-up, untimed
                fns[0](page, "http://example.com/warm-up")
                if fns[1] is not None:
                    fns[1](page, "http://example.com/warm-up")
            loaded[name] = fns
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return loaded, failed


def _guarded(
    fn: ExtractFn, html: bytes, url: str | None, soft: float
) -> tuple[Output | None, float, str | None]:
    signal.setitimer(signal.ITIMER_REAL, soft)
    t0 = time.perf_counter()
    try:
        out = fn(html, url)
        elapsed = time.perf_counter() - t0
        signal.setitimer(signal.ITIMER_REAL, 0)
        if not isinstance(out, Output):
            return None, elapsed, f"bad return type {type(out).__name__}"
        return out, elapsed, None
    except _SoftTimeout:
        return None, time.perf_counter() - t0, "timeout"
    except Exception as exc:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return None, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _timing_worker(
    cpu: int | None, names: tuple[str, ...], tasks: list[PageTask], conn: Connection, state: Any, soft: float
) -> None:
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    _quiet()
    signal.signal(signal.SIGALRM, _on_alarm)
    loaded, failed = load_adapters(names)
    conn.send(("loaded", sorted(loaded), failed))
    order = [n for n in names if n in loaded]
    for task in tasks:
        try:
            html = _read_page(task.path)
        except OSError as exc:
            for name in task.names:
                conn.send(("result", CallResult(task.key, name, Output(""), None, f"unreadable page: {exc}")))
            continue
        todo = [n for n in order if n in task.names]
        shift = task.key % len(todo) if todo else 0
        for name in todo[shift:] + todo[:shift]:
            extract, meta = loaded[name]
            state[0], state[1], state[2] = task.key, order.index(name), time.monotonic()
            out, elapsed, error = _guarded(extract, html, task.url, soft)
            state[2] = 0.0
            if out is not None and meta is not None:
                state[2] = time.monotonic()
                extra, _, _ = _guarded(meta, html, task.url, soft)
                state[2] = 0.0
                if extra is not None:
                    out = Output(out.text, extra.title, extra.authors, extra.date, out.fallback)
            ms = elapsed * 1000 if error is None else None
            conn.send(("result", CallResult(task.key, name, out or Output(""), ms, error)))
    conn.send(("done",))
    conn.close()


def _read_page(path: str) -> bytes:
    import gzip

    with open(path, "rb") as f:
        return gzip.decompress(f.read())


@dataclass
class _Shard:
    cpu: int | None
    tasks: list[PageTask]
    proc: Any = None
    conn: Connection | None = None
    state: Any = None
    done: bool = False
    order: tuple[str, ...] = ()
    restarts: int = 0
    seen: set[tuple[int, str]] = field(default_factory=set)


def timing_pass(
    tasks: Sequence[PageTask],
    names: Sequence[str],
    *,
    jobs: int = 1,
    soft_limit: float = 20.0,
    hard_limit: float = 40.0,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[tuple[int, str], CallResult], dict[str, str]]:
    """Run every extractor on every page; returns results keyed by ``(task.key, name)`` and load failures."""
    ctx = mp.get_context("spawn")
    cpus = sorted(os.sched_getaffinity(0))
    jobs = max(1, min(jobs, len(tasks) or 1))
    shards = [_Shard(cpus[i % len(cpus)] if cpus else None, list(tasks[i::jobs])) for i in range(jobs)]
    results: dict[tuple[int, str], CallResult] = {}
    failures: dict[str, str] = {}
    names = tuple(names)
    total = len(tasks)

    def start(shard: _Shard) -> None:
        parent, child = ctx.Pipe(duplex=False)
        shard.state = ctx.Array("d", 3, lock=False)
        shard.proc = ctx.Process(
            target=_timing_worker,
            args=(shard.cpu, names, shard.tasks, child, shard.state, soft_limit),
            daemon=True,
        )
        shard.proc.start()
        child.close()
        shard.conn = parent

    def restart_after(shard: _Shard, reason: str) -> None:
        key, idx = int(shard.state[0]), int(shard.state[1])
        if shard.state[2] > 0 and shard.order:
            name = shard.order[idx]
            if (key, name) not in results:
                results[(key, name)] = CallResult(key, name, Output(""), None, reason)
        shard.proc.kill()
        shard.proc.join()
        remaining = []
        for task in shard.tasks:
            left = tuple(n for n in task.names if (task.key, n) not in results)
            if left:
                remaining.append(PageTask(task.key, task.path, task.url, left))
        shard.tasks = remaining
        shard.restarts += 1
        if not remaining or shard.restarts > 20:
            shard.done = True
            return
        start(shard)

    for shard in shards:
        start(shard)
    pages_done: set[int] = set()
    loaded_names: set[str] = set()
    while not all(s.done for s in shards):
        live = {s.conn: s for s in shards if not s.done and s.conn is not None}
        for ready in wait(list(live), timeout=0.5):
            conn = cast(Connection, ready)
            shard = live[conn]
            try:
                msg: Any = conn.recv()
            except (EOFError, OSError):
                if not shard.done:
                    code = shard.proc.exitcode if shard.proc is not None else None
                    shard.proc.join(timeout=5)
                    restart_after(shard, f"worker died (exit code {shard.proc.exitcode or code})")
                continue
            if msg[0] == "loaded":
                loaded_names.update(msg[1])
                shard.order = tuple(n for n in names if n in msg[1])
                for k, v in msg[2].items():
                    if k not in loaded_names and k not in failures:
                        print(f"  cannot load {k}: {v} (skipped)", file=sys.stderr, flush=True)
                        failures[k] = v
            elif msg[0] == "result":
                res: CallResult = msg[1]
                results[(res.key, res.name)] = res
                complete = all((res.key, n) in results for n in shard.order)
                if complete and res.key not in pages_done:
                    pages_done.add(res.key)
                    if progress is not None:
                        progress(len(pages_done), total)
            elif msg[0] == "done":
                shard.done = True
                shard.proc.join(timeout=10)
        now = time.monotonic()
        for shard in shards:
            busy = not shard.done and shard.state is not None and shard.state[2] > 0
            if busy and now - shard.state[2] > hard_limit:
                restart_after(shard, "timeout (killed)")
    for name in loaded_names:
        failures.pop(name, None)
    return results, failures


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    ``VmHWM`` from ``/proc/self/status`` where there is one: unlike ``ru_maxrss``, which
    Linux carries over from the parent through fork and exec, it belongs to this process alone.

    >>> 1 < peak_rss_mb() < 100_000
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_worker(name: str, pages: list[tuple[str, str | None]], conn: Connection, soft: float) -> None:
    _quiet()
    signal.signal(signal.SIGALRM, _on_alarm)
    baseline = peak_rss_mb()
    loaded, failed = load_adapters([name])
    if name not in loaded:
        conn.send(RssResult(name, baseline, None, 0, failed.get(name)))
        return
    extract, meta = loaded[name]
    for path, url in pages:
        html = _read_page(path)
        _guarded(extract, html, url, soft)
        if meta is not None:
            _guarded(meta, html, url, soft)
    peak = peak_rss_mb()
    conn.send(RssResult(name, round(baseline, 1), round(peak, 1), len(pages)))


def rss_pass(
    names: Sequence[str],
    pages: Sequence[tuple[str, str | None]],
    *,
    jobs: int = 1,
    soft_limit: float = 20.0,
    limit: float = 600.0,
) -> dict[str, RssResult]:
    """Peak RSS of each extractor in its own process, ``jobs`` processes at a time."""
    ctx = mp.get_context("spawn")
    out: dict[str, RssResult] = {}
    queue = list(names)
    running: dict[Connection, tuple[str, Any, float]] = {}
    while queue or running:
        while queue and len(running) < max(1, jobs):
            name = queue.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_rss_worker, args=(name, list(pages), child, soft_limit), daemon=True)
            proc.start()
            child.close()
            running[parent] = (name, proc, time.monotonic())
        for ready in wait(list(running), timeout=1.0):
            name, proc, _ = running.pop(cast(Connection, ready))
            try:
                out[name] = cast(RssResult, cast(Connection, ready).recv())
            except (EOFError, OSError):
                out[name] = RssResult(name, None, None, 0, f"worker died (exit code {proc.exitcode})")
            proc.join(timeout=10)
        for conn, (name, proc, t0) in list(running.items()):
            if time.monotonic() - t0 > limit:
                proc.kill()
                proc.join()
                running.pop(conn)
                out[name] = RssResult(name, None, None, 0, "timeout")
    return out
